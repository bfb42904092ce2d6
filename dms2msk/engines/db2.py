"""Db2 LUW and Db2 for z/OS.

Source: ``io.debezium.connector.db2.Db2Connector``, which reads the ASN
capture (SQL Replication) change tables; ``db2.platform`` selects LUW or z/OS.
The IBM JDBC driver (``jcc``) is neither in Debezium's Db2 connector archive
nor in its JDBC sink archive, so both plugin ZIPs add it (:data:`JCC`). Db2
folds unquoted names to upper case.
"""

from __future__ import annotations

from .engine import (
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    MavenCoordinate,
    Placeholder,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    driver_sentence,
)

JCC = MavenCoordinate("com.ibm.db2", "jcc", "12.1.4.0")
"""IBM Data Server Driver for JDBC and SQLJ (type 4, JDBC 4, pure Java; its Maven Central POM describes it so).

Why the ZIPs add it: Debezium's Db2 docs ("Deploying Debezium Db2 connectors", "Obtaining the Db2 JDBC driver",
e.g. Red Hat build of Debezium 2.5.4 section 2.6.1) say that, due to licensing requirements, the driver is not
included in the Db2 connector archive; the connector's POM (debezium/debezium-connector-db2) declares
``com.ibm.db2:jcc`` with ``provided`` scope, which Debezium's connector-distribution assembly (runtime scope)
leaves out; and the JDBC sink docs and its 3.2 POM (``jcc`` ``provided``) say the same for the sink.
"""


class Db2(Engine):
    name = EngineName.DB2
    DISPLAY_NAME = "Db2 LUW"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.db2.Db2Connector"
    SOURCE_PLUGIN_KIND = "db2"
    SOURCE_DATABASE_PROPERTY = "database.dbname"
    SNAPSHOT_FAMILY = "db2"
    USES_SCHEMA_HISTORY = True
    SETTINGS_OBJECTS = ("IBMDb2Settings",)
    DEFAULT_PORT = 50000
    # Db2 excludes schema.include.list from its ConfigDef (checked against the jar): table.include.list, whose
    # regexes name schema and table, carries the whole selection.
    IDENTIFIER_STYLE = IdentifierStyle("db2", schema_list_key=None)

    TARGET_KIND = TargetKind.JDBC
    JDBC_URL_TEMPLATE = "jdbc:db2://{host}:{port}/{database}"
    TARGET_CASE = "upper"

    SOURCE_DRIVER_ARTIFACTS = (JCC,)
    SINK_DRIVER_ARTIFACTS = (JCC,)

    PLATFORM: str | None = None
    """``db2.platform``; ``None`` keeps the connector default (LUW)."""

    REHEARSAL_SERVICE = RehearsalService(
        image="icr.io/db2_community/db2:latest",
        port=50000,
        environment={
            "LICENSE": "accept",
            "DB2INSTANCE": "db2inst1",
            "DB2INST1_PASSWORD": "${DB_PASSWORD}",
            "DBNAME": "APP",
        },
        user="db2inst1",
        database_env="DBNAME",
        note="runs privileged; set up the ASN capture agent as the Debezium Db2 docs describe, and add the jcc driver",
        client="su - db2inst1 -c 'db2 -tv'",
        privileged=True,
    )

    LOGIN_NAMES_FOLD_TO_UPPER = True

    @staticmethod
    def _captured(facts: SourceFacts) -> list[tuple[str, str]]:
        """Exact captured tables when known; else those named, each whole schema's placeholder, a pattern's."""
        placeholders = [(schema, Placeholder("<each captured table>")) for schema in facts.whole_schemas]
        if facts.patterns or not (facts.tables or facts.whole_schemas):
            placeholders.append((Placeholder("<schema>"), Placeholder("<table>")))
        return [*(facts.tables or facts.named_tables), *placeholders]

    def _change_table(self, schema: str, table: str) -> str:
        """ADDTABLE's change table ``CDC_<schema>_<table>``, quoted when both names are known."""
        name = f"CDC_{schema}_{table}"
        if isinstance(schema, Placeholder) or isinstance(table, Placeholder):
            return name
        return self.quote_identifier(name)

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        # Commands from the Debezium Db2 connector documentation ("Setting up Db2", "Configuring Db2 tables for
        # change data capture", "Managing Debezium Db2 connectors": ASNCDC.ASNCDCSERVICES start/status/reinit,
        # CALL ASNCDC.ADDTABLE('MYSCHEMA', 'MYTABLE')); ADDTABLE registers the table in ASNCDC.IBMSNAP_REGISTER
        # and creates its change table ASNCDC.CDC_<schema>_<table> (debezium-examples tutorial/db2 asncdcaddremove.sql).
        stored_user = self.catalog_user(facts.user)
        user = self.quote_identifier(stored_user)
        captured = self._captured(facts)
        return (
            Prerequisite(
                summary=(
                    "The Db2 ASN capture agent and the Debezium management UDFs installed; capture tables for each "
                    "captured table.",
                ),
                title=f"ASN capture agent and capture mode on {facts.host}",
                commands=(
                    "VALUES ASNCDC.ASNCDCSERVICES('start','asncdc');",
                    *(
                        f"CALL ASNCDC.ADDTABLE({self.sql_literal(schema)}, {self.sql_literal(table)});"
                        for schema, table in captured
                    ),
                    "VALUES ASNCDC.ASNCDCSERVICES('reinit','asncdc');",
                ),
                checks=(
                    "VALUES ASNCDC.ASNCDCSERVICES('status','asncdc');  -- the capture agent is running",
                    "SELECT SOURCE_OWNER, SOURCE_TABLE, CD_OWNER, CD_TABLE, STATE FROM ASNCDC.IBMSNAP_REGISTER "
                    "WHERE SOURCE_OWNER <> '';  -- one row per captured table, STATE A",
                ),
                notes=(
                    "First, as the Debezium Db2 documentation describes: build and install the Debezium management "
                    "UDFs (bldrtn asncdc, asncdc_UDF.sql) and create the ASN control tables (asncdctables.sql); the "
                    "ASN libraries need an IBM InfoSphere Data Replication license.",
                    "reinit after each ADDTABLE or REMOVETABLE makes the running agent pick the change up.",
                ),
            ),
            Prerequisite(
                summary=("Grants: `SELECT` on the captured tables and the ASN control tables.",),
                title=f"Grants for {user}",
                commands=(
                    *(
                        f"GRANT SELECT ON TABLE {self.qualified_name(schema, table)} TO USER {user};"
                        for schema, table in captured
                    ),
                    *(
                        f"GRANT SELECT ON TABLE ASNCDC.{self._change_table(schema, table)} TO USER {user};"
                        for schema, table in captured
                    ),
                    f"GRANT SELECT ON TABLE ASNCDC.IBMSNAP_REGISTER TO USER {user};",
                ),
                checks=(
                    "SELECT TABSCHEMA, TABNAME, SELECTAUTH FROM SYSCAT.TABAUTH "
                    f"WHERE GRANTEE = {self.sql_literal(stored_user)};  -- Y for each table above",
                ),
                notes=self.catalog_user_notes(stored_user),
            ),
        )

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # Only a primary key counts: whether this connector also keys a table by a unique index could not
        # be checked here (no server or jar of it in this project), and a false alarm costs a look where a
        # missed table would cost duplicate rows in the overlap.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, RTRIM(t.tabschema) AS table_schema, t.tabname AS table_name "
            "FROM syscat.tables t WHERE t.type = 'T' AND t.tabschema NOT IN ('SYSIBM', 'SYSCAT', 'SYSSTAT', "
            "'SYSFUN', 'SYSPROC', 'SYSIBMADM', 'SYSTOOLS', 'SYSIBMINTERNAL', 'SYSIBMTS', 'SYSPUBLIC', 'NULLID', "
            "'SQLJ') AND NOT EXISTS (SELECT 1 FROM syscat.tabconst c WHERE c.tabschema = t.tabschema "
            "AND c.tabname = t.tabname AND c.type = 'P') "
            f"UNION ALL SELECT {label}, '', '' FROM sysibm.sysdummy1 ORDER BY 2, 3;"
        )

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} IBMDb2Settings"
        ctx.notes.warning(
            "endpoint.db2.capture",
            "Debezium reads Db2 ASN capture change tables, which DMS does not need; the IBM jcc driver is not "
            "in Debezium's Db2 connector archive (licensing)",
            hint="set up the ASN capture agent and put the captured tables in capture mode (Debezium Db2 docs, "
            "'Setting up Db2'); "
            + driver_sentence(self.SOURCE_DRIVER_ARTIFACTS, self.source_plugin or "source plugin")
            + " (offline: put the jar and its .sha1 into the folder passed to --from)",
            where=where,
        )
        if settings.get("CurrentLsn"):
            ctx.notes.warning(
                "endpoint.db2.current-lsn",
                f"CurrentLsn {settings['CurrentLsn']} has no Debezium equivalent; streaming starts at the current "
                "position",
                where=f"{where}.CurrentLsn",
            )
        if settings.get("SetDataCaptureChanges"):
            ctx.notes.info(
                "endpoint.db2.data-capture-changes",
                "SetDataCaptureChanges: Debezium's capture mode also needs DATA CAPTURE CHANGES on each table",
                where=f"{where}.SetDataCaptureChanges",
            )
        return {"db2.platform": self.PLATFORM} if self.PLATFORM else {}


class Db2Zos(Db2):
    """Db2 for z/OS: the Db2 connector with ``db2.platform=ZOS`` (incubating in Debezium)."""

    name = EngineName.DB2_ZOS
    DISPLAY_NAME = "Db2 for z/OS"
    PLATFORM = "ZOS"
    TARGET_KIND = TargetKind.NONE
    TARGET_ALTERNATIVES = "DMS supports Db2 for z/OS as a source only"
    NO_PREREQUISITES_REASON = "the Db2 LUW capture steps do not apply to z/OS, whose capture setup differs"

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        return ()

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # The z/OS catalog: SYSIBM.SYSTABLES.KEYCOLUMNS counts the primary key's columns. Only a primary key
        # counts, as for Db2 LUW (not checked against a server here).
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, RTRIM(t.creator) AS table_schema, RTRIM(t.name) AS table_name "
            "FROM sysibm.systables t WHERE t.type = 'T' AND t.keycolumns = 0 "
            "AND t.creator NOT IN ('SYSIBM', 'SYSTOOLS', 'SYSPROC', 'SYSIBMADM') "
            f"UNION ALL SELECT {label}, '', '' FROM sysibm.sysdummy1 ORDER BY 2, 3;"
        )
