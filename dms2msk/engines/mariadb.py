"""MariaDB: a binlog relative of MySQL with its own Debezium connector (since 2.7.0).

Differences from :class:`~dms2msk.engines.mysql.Mysql`: connector class and
plugin, the MariaDB driver's SSL mode names, and no ``connectionTimeZone``
pass-through (the MariaDB driver has its own option names).
"""

from __future__ import annotations

from typing import ClassVar

from .engine import EngineName, IdentifierStyle
from .mysql import Mysql, binlog_rehearsal_service


class Mariadb(Mysql):
    name = EngineName.MARIADB
    DISPLAY_NAME = "MariaDB"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.mariadb.MariaDbConnector"
    SOURCE_PLUGIN_KIND = "mariadb"
    FIELDS_SHARED_WITH = Mysql.SOURCE_CONNECTOR_CLASS
    """MariaDbConnectorConfig and MySqlConnectorConfig both extend the binlog connector's config."""
    IDENTIFIER_STYLE = IdentifierStyle(
        "mariadb", schema_list_key="database.include.list", identifier_quote="`", source_schema_field="db"
    )

    SSL_MODES: ClassVar[dict[str, str]] = {
        "none": "disable",
        "require": "trust",
        "verify-ca": "verify-ca",
        "verify-full": "verify-full",
    }
    """The MariaDB connector's ``database.ssl.mode`` values (MariaDB Connector/J ``sslMode``)."""

    TIME_ZONE_PROPERTY = None
    """The MariaDB driver does not take Connector/J's ``connectionTimeZone``; ServerTimezone becomes a finding."""

    OWN_DRIVER_PROPERTIES = ()

    JDBC_URL_TEMPLATE = "jdbc:mariadb://{host}:{port}/{database}"

    GTID_SUMMARY = None
    """MariaDB GTIDs are always on; it has no ``gtid_mode``."""

    GRANT_PRIVILEGES = "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, LOCK TABLES"
    """MariaDB 10.5+ names the binlog-reading privilege BINLOG MONITOR (REPLICATION CLIENT is its alias)."""

    REHEARSAL_SERVICE = binlog_rehearsal_service("mariadb:10.11", "mariadb")
