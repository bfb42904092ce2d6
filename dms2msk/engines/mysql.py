"""MySQL and its relatives (Aurora MySQL, Aurora Serverless, Cloud SQL for MySQL).

Source: ``io.debezium.connector.mysql.MySqlConnector`` reading the binlog. A
DMS ``schema-name`` is a MySQL database, so selections become
``database.include.list`` and ``table.include.list`` over ``db.table`` names.
Target: the Debezium JDBC sink with the MySQL dialect.
"""

from __future__ import annotations

import re
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .engine import (
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    placeholder_of,
)

_OFFSET_PATTERN = re.compile(r"^[+-](0\d|1[0-4]):[0-5]\d$")


def valid_time_zone(value: str) -> bool:
    """Whether Connector/J accepts ``value`` as ``connectionTimeZone`` (an IANA name or ``+hh:mm``)."""
    if value in ("LOCAL", "SERVER") or _OFFSET_PATTERN.match(value):
        return True
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def binlog_rehearsal_service(image: str, server: str) -> RehearsalService:
    """A local MySQL-family server (``server``: mysql or mariadb, its client and env prefix) with a row binlog."""
    password_variable = f"{server.upper()}_ROOT_PASSWORD"
    return RehearsalService(
        image=image,
        port=3306,
        environment={password_variable: "${DB_PASSWORD}"},
        command=("--server-id=1", f"--log-bin={server}-bin", "--binlog-format=ROW", "--binlog-row-image=FULL"),
        user="root",
        client=f'{server} -uroot -p"${password_variable}"',
        database_env=f"{server.upper()}_DATABASE",  # MYSQL_DATABASE / MARIADB_DATABASE
    )


class Mysql(Engine):
    name = EngineName.MYSQL
    DISPLAY_NAME = "MySQL"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.mysql.MySqlConnector"
    SOURCE_PLUGIN_KIND = "mysql"
    SNAPSHOT_FAMILY = "binlog"
    USES_SCHEMA_HISTORY = True
    SETTINGS_OBJECTS = ("MySQLSettings",)
    DEFAULT_PORT = 3306

    IDENTIFIER_STYLE = IdentifierStyle(
        "mysql", schema_list_key="database.include.list", identifier_quote="`", source_schema_field="db"
    )
    """A DMS schema is a MySQL database: ``database.include.list``, and the envelope names it ``db``."""

    CDC_TRUNCATE_REPLICATED = True
    """DMS User Guide, "Limitations on using a MySQL database as a source": "The data definition language (DDL)
    statements TRUNCATE PARTITION, DROP TABLE, and RENAME TABLE are not supported." TRUNCATE TABLE is not
    listed, so DMS applies it (CHAP_Introduction.SupportedDDL lists "Truncate table"); Debezium's binlog
    connectors emit it as a truncate event (TruncateTableParserListener) and emit none for TRUNCATE PARTITION,
    an ALTER TABLE, so both leave partition truncates alone."""

    SSL_MODE_PROPERTY = "database.ssl.mode"
    SSL_MODES: ClassVar[dict[str, str]] = {
        "none": "disabled",
        "require": "required",
        "verify-ca": "verify_ca",
        "verify-full": "verify_identity",
    }

    SOURCE_DEFAULTS: ClassVar[dict[str, str]] = {
        "snapshot.locking.mode": "none",
    }
    """RDS and Aurora refuse the global read lock; DMS takes no locks either, so neither does the snapshot."""

    TIME_ZONE_PROPERTY: ClassVar[str | None] = "database.connectionTimeZone"
    """Driver pass-through that carries DMS ``ServerTimezone`` (Connector/J ``connectionTimeZone``)."""

    OWN_DRIVER_PROPERTIES = ("database.connectionTimeZone",)

    TARGET_KIND = TargetKind.JDBC
    JDBC_URL_TEMPLATE = "jdbc:mysql://{host}:{port}/{database}"
    SINK_QUALIFIES_BY_SCHEMA = False
    """A MySQL schema is a database: the sink writes into the database of connection.url."""

    PARAMETER_GROUP_KIND: ClassVar[str] = "db-parameter-group"
    """The RDS parameter group that holds the binlog settings (``aws rds modify-<kind>``)."""

    GTID_SUMMARY: ClassVar[str | None] = "GTIDs recommended: `gtid_mode = ON`, `enforce_gtid_consistency = ON`."
    """README line on GTIDs; ``None`` where the server has no ``gtid_mode`` (MariaDB)."""

    GRANT_PRIVILEGES: ClassVar[str] = (
        "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES"
    )
    """What the connector user needs (snapshot, binlog reading), for the README and the plan alike."""

    BINLOG_RETENTION_HOURS: ClassVar[int] = 168
    """RDS MySQL's maximum (7 days): the binlog must outlast the connector's longest stop and the overlap."""

    REHEARSAL_SERVICE = binlog_rehearsal_service("mysql:8.0", "mysql")

    TABLE_ROW_COUNT_QUERY = (
        "select table_schema, table_name, table_rows from information_schema.tables where table_schema not in "
        "('mysql','sys','performance_schema','information_schema') order by 1, 2;"
    )

    IDENTIFIER_QUOTES: ClassVar[tuple[str, str]] = ("`", "`")

    @staticmethod
    def sql_literal(value: str) -> str:
        """A MySQL/MariaDB string literal: without NO_BACKSLASH_ESCAPES a backslash escapes, so it is doubled too."""
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        group = self.PARAMETER_GROUP_KIND
        account = f"{self.sql_literal(facts.user)}@'%'"
        return (
            Prerequisite(
                summary=(
                    "Binary log in row format: `binlog_format = ROW`, `binlog_row_image = FULL` "
                    "(on RDS/Aurora, in the DB parameter group; Aurora needs a cluster parameter group).",
                    "Keep the binlog long enough to cover a connector outage: "
                    f"`CALL mysql.rds_set_configuration('binlog retention hours', {self.BINLOG_RETENTION_HOURS});` "
                    "on RDS/Aurora.",
                    *((self.GTID_SUMMARY,) if self.GTID_SUMMARY else ()),
                ),
                title=f"Row-based binlog with full row images on {facts.host}",
                commands=(
                    f"aws rds modify-{group} --{group}-name {placeholder_of('parameter group of', facts.host)} "
                    f"--region {facts.region} "
                    '--parameters "ParameterName=binlog_format,ParameterValue=ROW,ApplyMethod=pending-reboot" '
                    '"ParameterName=binlog_row_image,ParameterValue=full,ApplyMethod=pending-reboot"',
                    f"CALL mysql.rds_set_configuration('binlog retention hours', {self.BINLOG_RETENTION_HOURS});",
                ),
                checks=(
                    "SHOW VARIABLES LIKE 'binlog_format';  -- ROW",
                    "SHOW VARIABLES LIKE 'binlog_row_image';  -- FULL",
                    "CALL mysql.rds_show_configuration;  -- binlog retention hours >= 24, longer than any outage",
                ),
                notes=(
                    "DMS already needs ROW and FULL, so these are usually set; the retention must cover the "
                    "connector's longest stop, or it has to re-snapshot.",
                ),
            ),
            Prerequisite(
                summary=(f"Grants for the connector user: `GRANT {self.GRANT_PRIVILEGES} ON *.* TO '<user>'@'%';`.",),
                title=f"Grants for {facts.user}",
                commands=(f"GRANT {self.GRANT_PRIVILEGES} ON *.* TO {account};",),
                checks=(f"SHOW GRANTS FOR {account};",),
            ),
        )

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # The binlog connectors (MySQL, MariaDB) key a record by the primary key, else by a UNIQUE key whose
        # parts are all NOT NULL columns (MySqlAntlrDdlParser.parseUniqueIndexColumnNames skips a unique key
        # with a nullable or an expression part; read in the 3.6.3 jar, the same rule as 2.x). Full row
        # images carry those columns in deletes too. A table with neither gets events without a key, which
        # primary.key.mode=record_key cannot upsert: those are listed.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, t.table_schema AS table_schema, t.table_name AS table_name "
            "FROM information_schema.tables t WHERE t.table_type = 'BASE TABLE' "
            "AND t.table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
            "AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c "
            "WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name "
            "AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
            "AND NOT EXISTS (SELECT 1 FROM information_schema.statistics s WHERE s.table_schema = c.table_schema "
            "AND s.table_name = c.table_name AND s.index_name = c.constraint_name "
            "AND (s.nullable = 'YES' OR s.column_name IS NULL))) "
            f"UNION ALL SELECT {label}, '', '' ORDER BY 2, 3;"
        )

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} {self.SETTINGS_OBJECTS[0]}"
        config: dict[str, str] = {}
        if "server_id" in ctx.extra:
            config["database.server.id"] = str(ctx.extra["server_id"])
        timezone = settings.get("ServerTimezone")
        if timezone:
            if self.TIME_ZONE_PROPERTY and valid_time_zone(str(timezone)):
                config[self.TIME_ZONE_PROPERTY] = str(timezone)
                ctx.notes.info(
                    "endpoint.mysql.server-timezone",
                    f"ServerTimezone {timezone} carried over",
                    became=f"{self.TIME_ZONE_PROPERTY}={timezone}",
                    where=f"{where}.ServerTimezone",
                )
            else:
                ctx.notes.warning(
                    "endpoint.mysql.server-timezone.unmapped",
                    f"ServerTimezone {timezone!r} is not carried over to the {self.DISPLAY_NAME} connector",
                    hint="use an IANA zone name such as UTC or Asia/Seoul; temporal values are otherwise read in UTC",
                    where=f"{where}.ServerTimezone",
                )
        script = settings.get("AfterConnectScript")
        if script:
            config["database.initial.statements"] = str(script)
            ctx.notes.info(
                "endpoint.mysql.after-connect-script",
                "AfterConnectScript runs on every connector connection",
                became="database.initial.statements",
                where=f"{where}.AfterConnectScript",
            )
        if str(settings.get("AuthenticationMethod", "password")).lower() == "iam":
            ctx.notes.blocker(
                "endpoint.mysql.iam-auth",
                f"{ctx.where} authenticates with IAM database tokens; the Debezium connector needs a password",
                hint="create a database user with a password, store it in the endpoint's secret",
                where=f"{where}.AuthenticationMethod",
            )
        for ignored in ("EventsPollInterval", "CleanSourceMetadataOnMismatch", "ExecuteTimeout"):
            if ignored in settings:
                ctx.notes.info(
                    "endpoint.setting.not-applicable",
                    f"{ignored} tunes DMS itself; the Debezium binlog reader has no equivalent",
                    where=f"{where}.{ignored}",
                )
        return config

    def target_database(self, ctx: EngineContext) -> str | None:
        settings = self.engine_settings(ctx.endpoint)
        if str(settings.get("TargetDbType", "specific-database")) == "multiple-databases":
            ctx.notes.info(
                "endpoint.mysql.multiple-databases",
                "TargetDbType multiple-databases: each table goes to the database named after its source schema",
                became="connection.url without a database; table names are qualified by database",
                where=f"{ctx.where} MySQLSettings.TargetDbType",
            )
            return None
        return super().target_database(ctx)


class Aurora(Mysql):
    """Aurora MySQL: the MySQL connector; the binlog must be on (``binlog_format=ROW`` in the cluster parameters)."""

    name = EngineName.AURORA
    DISPLAY_NAME = "Aurora MySQL"
    PARAMETER_GROUP_KIND = "db-cluster-parameter-group"


class AuroraServerless(Aurora):
    """Aurora Serverless (v1) MySQL; DMS supports it as a target only, and v1 has no binlog to read."""

    name = EngineName.AURORA_SERVERLESS
    DISPLAY_NAME = "Aurora Serverless MySQL"
    NO_PREREQUISITES_REASON = "Aurora Serverless v1 has no binlog to configure: the MySQL binlog steps do not apply"

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        return ()

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        ctx.notes.warning(
            "endpoint.aurora-serverless.binlog",
            "Aurora Serverless v1 does not expose a binlog, so the Debezium MySQL connector cannot stream from it",
            hint="migrate the cluster to Aurora Serverless v2 or provisioned Aurora with binlog_format=ROW",
            where=ctx.where,
        )
        return super().settings_properties(ctx)


class GcpMysql(Mysql):
    """Cloud SQL for MySQL: the MySQL connector, reached over the network path DMS used."""

    name = EngineName.GCP_MYSQL
    DISPLAY_NAME = "Cloud SQL for MySQL"
    TARGET_KIND = TargetKind.NONE
    TARGET_ALTERNATIVES = "DMS supports Cloud SQL for MySQL as a source only"
    NO_PREREQUISITES_REASON = (
        "Cloud SQL sets binlog and retention through gcloud flags, not the RDS parameter groups and "
        "mysql.rds_set_configuration the MySQL steps use"
    )

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        return ()
