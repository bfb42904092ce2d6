"""Oracle.

Source: ``io.debezium.connector.oracle.OracleConnector``. DMS reads redo with
LogMiner (default) or Binary Reader (``UseBFile``); Debezium's LogMiner
adapter replaces the first, and Binary Reader has no equivalent. The Oracle
JDBC driver is not part of Debezium's connector archive, nor of its JDBC sink
archive, so both plugin ZIPs add ``ojdbc11`` (:data:`OJDBC11`). Oracle folds
unquoted names to upper case.
"""

from __future__ import annotations

from typing import ClassVar

from .engine import (
    RESELECT_UNAVAILABLE_VALUES,
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    MavenCoordinate,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    driver_sentence,
)

OJDBC11 = MavenCoordinate("com.oracle.database.jdbc", "ojdbc11", "23.26.1.0.0")
"""The Oracle thin driver for JDK 11/17/19/21 (its Maven Central POM says so), JDBC 4.3.

Why the ZIPs add it: Debezium's Oracle docs ("Obtaining the Oracle JDBC driver", e.g. Red Hat build of Debezium
2.5.4 section 6.5.1) say that, due to licensing requirements, the driver is not included in the Oracle connector
archive; and its JDBC sink docs ("Deploying the Debezium JDBC connector", 2.3.7 section 4.3) say the JDBC sink
does not include the drivers for Oracle and Db2. Upstream POMs differ by release (debezium-connector-oracle
1.9 declares ojdbc8 ``provided``; the 3.2 POMs of the connector and of the JDBC sink list ojdbc11 at compile
scope), so the plugin builder adds the jar only when the archive it unpacks holds no ojdbc11 of its own.
"""


class Oracle(Engine):
    name = EngineName.ORACLE
    DISPLAY_NAME = "Oracle"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.oracle.OracleConnector"
    SOURCE_PLUGIN_KIND = "oracle"
    SOURCE_DATABASE_PROPERTY = "database.dbname"
    SOURCE_DATABASE_HINT = "set DatabaseName (the SID or service name) on the DMS endpoint and scan again"
    SNAPSHOT_FAMILY = "oracle"
    USES_SCHEMA_HISTORY = True
    SETTINGS_OBJECTS = ("OracleSettings",)
    DEFAULT_PORT = 1521
    LOB_PROPERTIES: ClassVar[dict[str, str]] = {"lob.enabled": "true", **RESELECT_UNAVAILABLE_VALUES}
    """LOB columns are otherwise emitted without values. With ``lob.enabled`` an UPDATE that leaves a LOB or XML
    column alone carries ``unavailable.value.placeholder`` for it (Debezium Oracle docs, ``lob.enabled``; the
    reselect post processor's docs name Oracle LOB columns), which the sink would write over the real value where
    DMS keeps it: the reselect post processor reads it back (a flashback query: the connector user needs
    ``FLASHBACK ANY TABLE``, which Debezium's LogMiner setup grants)."""
    # Oracle excludes schema.include.list from its ConfigDef (checked against the jar): table.include.list, whose
    # regexes name schema and table, carries the whole selection.
    IDENTIFIER_STYLE = IdentifierStyle("oracle", schema_list_key=None)

    CDC_TRUNCATE_REPLICATED = True
    """DMS User Guide, "Limitations on using Oracle as a source for AWS DMS": "AWS DMS doesn't replicate data
    changes that result from partition or subpartition operations (ADD, DROP, EXCHANGE, and TRUNCATE)". A
    TRUNCATE of a whole table is not listed, so DMS applies it; Debezium's LogMiner adapter emits it as a
    truncate event, and a partition truncate (an ALTER TABLE) as a schema change only, as DMS does."""

    TARGET_KIND = TargetKind.JDBC
    JDBC_URL_TEMPLATE = "jdbc:oracle:thin:@//{host}:{port}/{database}"
    TARGET_CASE = "upper"

    SOURCE_DRIVER_ARTIFACTS = (OJDBC11,)
    SINK_DRIVER_ARTIFACTS = (OJDBC11,)

    REHEARSAL_SERVICE = RehearsalService(
        image="container-registry.oracle.com/database/free:latest",
        port=1521,
        environment={"ORACLE_PWD": "${DB_PASSWORD}"},
        user="system",
        note="enable ARCHIVELOG and supplemental logging, and add the Oracle JDBC driver to the Connect image",
        client='sqlplus -s system/"$ORACLE_PWD"@localhost/FREEPDB1',
    )

    LOGIN_NAMES_FOLD_TO_UPPER = True

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        stored = self.catalog_user(facts.user)
        user = self.quote_identifier(stored)
        return (
            Prerequisite(
                summary=(
                    "ARCHIVELOG mode and supplemental logging: `ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;` and "
                    "`ALTER TABLE <t> ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;` (on RDS: `rdsadmin.rdsadmin_util` "
                    "procedures).",
                    "Archived logs kept long enough to cover a connector outage (RDS: `archivelog retention hours`).",
                ),
                title="Archive log mode and supplemental logging",
                commands=(
                    "exec rdsadmin.rdsadmin_util.set_configuration('archivelog retention hours', 24);",
                    "exec rdsadmin.rdsadmin_util.alter_supplemental_logging(p_action => 'ADD');",
                    "ALTER TABLE <schema>.<table> ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;  -- each captured table",
                ),
                checks=("SELECT log_mode, supplemental_log_data_min FROM v$database;  -- ARCHIVELOG, YES",),
            ),
            Prerequisite(
                summary=("The LogMiner grants of the Debezium Oracle documentation for the connector user.",),
                title=f"LogMiner grants for {facts.user}",
                commands=(
                    f"GRANT CREATE SESSION, SELECT ANY TRANSACTION, LOGMINING, SELECT_CATALOG_ROLE, "
                    f"EXECUTE_CATALOG_ROLE, FLASHBACK ANY TABLE, SELECT ANY TABLE, LOCK ANY TABLE, CREATE TABLE, "
                    f"CREATE SEQUENCE TO {user};",
                    "exec rdsadmin.rdsadmin_util.grant_sys_object("
                    f"'DBMS_LOGMNR', {self.sql_literal(stored)}, 'EXECUTE');",
                ),
                checks=(f"SELECT privilege FROM dba_sys_privs WHERE grantee = {self.sql_literal(stored)};",),
                notes=self.catalog_user_notes(stored),
            ),
        )

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # Only a primary key counts: whether this connector also keys a table by a unique index could not
        # be checked here (no server or jar of it in this project), and a false alarm costs a look where a
        # missed table would cost duplicate rows in the overlap.
        # ORACLE_MAINTAINED (12c and later) names the system users; '' is NULL in Oracle, still an empty cell.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, t.owner AS table_schema, t.table_name AS table_name FROM all_tables t "
            "WHERE t.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y') "
            "AND t.owner <> 'RDSADMIN' AND t.temporary = 'N' AND t.nested = 'NO' AND t.dropped = 'NO' "
            "AND NOT EXISTS (SELECT 1 FROM all_constraints c WHERE c.owner = t.owner "
            "AND c.table_name = t.table_name AND c.constraint_type = 'P') "
            f"UNION ALL SELECT {label}, '', '' FROM dual ORDER BY 2, 3;"
        )

    def case_clash_columns_query(self, task_identifier: str) -> str | None:
        # Quoted identifiers keep their case ("Id" beside ID); the system users are left out as in the key query.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, c.owner AS table_schema, c.table_name AS table_name, "
            "UPPER(c.column_name) AS column_name FROM all_tab_columns c "
            "WHERE c.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y') "
            "AND c.owner <> 'RDSADMIN' "
            "GROUP BY c.owner, c.table_name, UPPER(c.column_name) HAVING COUNT(*) > 1 "
            f"UNION ALL SELECT {label}, '', '', '' FROM dual ORDER BY 2, 3, 4;"
        )

    def connection_properties(self, ctx: EngineContext) -> dict[str, str]:
        config = super().connection_properties(ctx)
        ctx.notes.info(
            "endpoint.oracle.driver",
            "the Oracle JDBC driver is not in Debezium's Oracle connector archive (licensing); "
            + driver_sentence(self.SOURCE_DRIVER_ARTIFACTS, self.source_plugin or "source plugin"),
            hint="building offline: put the jar (and its .sha1) into the folder passed to --from; for a container "
            "database also set database.pdb.name to the pluggable database",
            where=ctx.where,
        )
        return config

    def ssl_properties(self, ctx: EngineContext) -> dict[str, str]:
        mode = (ctx.endpoint.ssl_mode or "none").lower()
        if mode != "none":
            ctx.notes.warning(
                "endpoint.oracle.ssl",
                f"SslMode {mode}: Oracle TLS needs a TCPS listener and a wallet; dms2msk cannot carry it over",
                hint="set database.url to a jdbc:oracle:thin:@tcps://... URL and bundle the wallet in the plugin",
                where=f"{ctx.where} SslMode",
            )
        return {}

    def cdc_lob_update_difference(self, ctx: EngineContext) -> str | None:
        # DMS User Guide, Oracle source limitations, "When you use Oracle LogMiner ...": "For all Oracle
        # versions, AWS DMS doesn't replicate the result of UPDATE operations on XMLTYPE and LOB columns."
        # Debezium's LogMiner adapter with lob.enabled does replicate them. Binary Reader does (its table).
        if self._binary_reader(ctx):
            return None
        return (
            "DMS with LogMiner (its default reader) does not replicate UPDATEs of LOB and XMLTYPE columns, so its "
            "target kept their old values; the pipeline writes the new ones into the LOB and XMLTYPE columns of "
            "every selected table"
        )

    def _binary_reader(self, ctx: EngineContext) -> bool:
        """Whether the DMS endpoint read the redo logs with Binary Reader rather than LogMiner."""
        settings = self.engine_settings(ctx.endpoint)
        return bool(settings.get("UseBFile")) or settings.get("UseLogminerReader") is False

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} OracleSettings"
        binary_reader = self._binary_reader(ctx)
        config = {"database.connection.adapter": "logminer"}
        if binary_reader:
            ctx.notes.warning(
                "endpoint.oracle.binary-reader",
                "DMS Binary Reader (UseBFile / UseLogminerReader=false) has no Debezium equivalent; LogMiner is used",
                became="database.connection.adapter=logminer",
                hint="grant the LogMiner privileges to the connector user (Debezium Oracle docs, 'Preparing the "
                "database'); OpenLogReplicator (olr) is the closest reader to Binary Reader",
                where=f"{where}.UseBFile",
            )
        else:
            ctx.notes.info(
                "endpoint.oracle.logminer",
                "DMS LogMiner reader carried over",
                became="database.connection.adapter=logminer",
                where=f"{where}.UseLogminerReader",
            )
        if settings.get("ArchivedLogsOnly"):
            config["log.mining.archive.log.only.mode"] = "true"
            ctx.notes.info(
                "endpoint.oracle.archived-logs-only",
                "ArchivedLogsOnly carried over",
                became="log.mining.archive.log.only.mode=true",
                where=f"{where}.ArchivedLogsOnly",
            )
        if settings.get("AddSupplementalLogging"):
            ctx.notes.warning(
                "endpoint.oracle.supplemental-logging",
                "AddSupplementalLogging: Debezium does not enable supplemental logging itself",
                hint="ALTER DATABASE ADD SUPPLEMENTAL LOG DATA and ALTER TABLE ... ADD SUPPLEMENTAL LOG DATA "
                "(ALL) COLUMNS for each captured table",
                where=f"{where}.AddSupplementalLogging",
            )
        for asm in ("AsmServer", "AsmUser", "SecretsManagerOracleAsmSecretId"):
            if settings.get(asm):
                ctx.notes.info(
                    "endpoint.setting.not-applicable",
                    f"{asm}: LogMiner reads ASM-stored logs through the database; no ASM login is needed",
                    where=f"{where}.{asm}",
                )
        return config
