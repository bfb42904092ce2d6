"""SQL Server, Azure SQL Database and Azure SQL Managed Instance.

Source: ``io.debezium.connector.sqlserver.SqlServerConnector``, which reads
SQL Server's CDC change tables (CDC must be enabled on the database and the
tables). DMS reads the transaction log through MS-Replication or its own
safeguard; that part has no equivalent and becomes a finding. Topics include
the database name: ``<prefix>.<database>.<schema>.<table>``.
"""

from __future__ import annotations

from typing import ClassVar

from .engine import (
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    Placeholder,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    debezium_topic,
)


class SqlServer(Engine):
    name = EngineName.SQLSERVER
    DISPLAY_NAME = "SQL Server"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.sqlserver.SqlServerConnector"
    SOURCE_PLUGIN_KIND = "sqlserver"
    SOURCE_DATABASE_PROPERTY = "database.names"
    SNAPSHOT_FAMILY = "sqlserver"
    USES_SCHEMA_HISTORY = True
    SETTINGS_OBJECTS = ("MicrosoftSQLServerSettings",)
    DEFAULT_PORT = 1433
    # SQL Server, Oracle and Db2 exclude schema.include.list from their ConfigDefs (checked against the jars):
    # table.include.list, whose regexes name schema and table, carries the whole selection.
    IDENTIFIER_STYLE = IdentifierStyle("sqlserver", schema_list_key=None, topic_parts_before_schema=1)

    CDC_TRUNCATE_REPLICATED = False
    """DMS User Guide, "Limitations on using SQL Server as a source for AWS DMS": "AWS DMS doesn't capture truncate
    commands." (and, without MS-Replication or MS-CDC, "UPDATE and TRUNCATE TABLE events are ignored")."""

    TARGET_KIND = TargetKind.JDBC
    JDBC_URL_TEMPLATE = (
        "jdbc:sqlserver://{host}:{port};databaseName={database};encrypt=true;trustServerCertificate=true"
    )
    JDBC_DATABASE_ENCODING = "braces"  # mssql-jdbc reads {...} as one value, "}}" as a brace

    SSL_TO_DRIVER: ClassVar[dict[str, dict[str, str]]] = {
        "none": {"driver.encrypt": "false"},
        "require": {"driver.encrypt": "true", "driver.trustServerCertificate": "true"},
        "verify-ca": {"driver.encrypt": "true", "driver.trustServerCertificate": "false"},
        "verify-full": {"driver.encrypt": "true", "driver.trustServerCertificate": "false"},
    }
    """DMS ``SslMode`` → SQL Server driver pass-through properties (``driver.*``)."""

    REHEARSAL_SERVICE = RehearsalService(
        image="mcr.microsoft.com/mssql/server:2022-latest",
        port=1433,
        environment={"ACCEPT_EULA": "Y", "MSSQL_AGENT_ENABLED": "true", "MSSQL_SA_PASSWORD": "${DB_PASSWORD}"},
        user="sa",
        note="enable CDC on the database and tables: EXEC sys.sp_cdc_enable_db; EXEC sys.sp_cdc_enable_table ...",
        client='/opt/mssql-tools18/bin/sqlcmd -C -U sa -P "$MSSQL_SA_PASSWORD"',
    )

    IDENTIFIER_QUOTES: ClassVar[tuple[str, str]] = ("[", "]")

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        database = facts.config.get("database.names") or Placeholder("<database>")
        database_literal = "'<db>'" if isinstance(database, Placeholder) else self.sql_literal(database)
        user = self.quote_identifier(facts.user)
        user_shown = f"[{facts.user}]" if isinstance(facts.user, Placeholder) else user
        return (
            Prerequisite(
                summary=(
                    "CDC on the database: `EXEC msdb.dbo.rds_cdc_enable_db '<db>';` on RDS (elsewhere "
                    "`sys.sp_cdc_enable_db`).",
                    "CDC on each captured table: `EXEC sys.sp_cdc_enable_table @source_schema = '<schema>', "
                    "@source_name = '<table>', @role_name = NULL;`.",
                    "SQL Server Agent running; CDC retention (`sys.sp_cdc_change_job @job_type = 'cleanup', "
                    "@retention = ...`) longer than a connector outage.",
                ),
                title=f"CDC enabled on {database} and its captured tables",
                commands=(
                    f"EXEC msdb.dbo.rds_cdc_enable_db {database_literal};",
                    "EXEC sys.sp_cdc_enable_table @source_schema = N'<schema>', @source_name = N'<table>', "
                    "@role_name = NULL, @supports_net_changes = 0;",
                ),
                checks=(
                    f"SELECT name, is_cdc_enabled FROM sys.databases WHERE name = {database_literal};  -- 1",
                    "EXEC sys.sp_cdc_help_change_data_capture;",
                    "SQL Server Agent is running (the CDC capture job needs it).",
                ),
            ),
            Prerequisite(
                summary=("Grants: `SELECT` on the captured tables and the `cdc` schema, `VIEW DATABASE STATE`.",),
                title=f"Grants for {facts.user}",
                commands=(
                    f"ALTER ROLE db_datareader ADD MEMBER {user_shown};",
                    f"GRANT VIEW DATABASE STATE TO {user_shown};",
                ),
                checks=("EXEC sp_helprolemember 'db_datareader';  -- lists the connector user",),
            ),
        )

    def topic_name(self, prefix: str, schema: str, table: str, database: str | None = None) -> str:
        return debezium_topic(prefix, database, schema, table)

    def topic_regex_parts(self, database: str | None = None) -> int:
        return 3 if database else 2

    def ssl_properties(self, ctx: EngineContext) -> dict[str, str]:
        if ctx.endpoint.ssl_mode is None:
            return {}
        mode = ctx.endpoint.ssl_mode.lower()
        config = self.SSL_TO_DRIVER.get(mode, {})
        if config:
            ctx.notes.info(
                "endpoint.ssl-mode",
                f"SslMode {mode} of {ctx.where} carried over",
                became=", ".join(f"{k}={v}" for k, v in config.items()),
                where=f"{ctx.where} SslMode",
            )
        return dict(config)

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # Only a primary key counts: whether this connector also keys a table by a unique index could not
        # be checked here (no server or jar of it in this project), and a false alarm costs a look where a
        # missed table would cost duplicate rows in the overlap.
        # Run it in the task's source database.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, s.name AS table_schema, t.name AS table_name "
            "FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id "
            "WHERE t.is_ms_shipped = 0 AND s.name NOT IN ('sys', 'cdc', 'INFORMATION_SCHEMA') "
            "AND NOT EXISTS (SELECT 1 FROM sys.key_constraints k WHERE k.parent_object_id = t.object_id "
            "AND k.type = 'PK') "
            f"UNION ALL SELECT {label}, '', '' ORDER BY 2, 3;"
        )

    def case_clash_columns_query(self, task_identifier: str) -> str | None:
        # Only a case-sensitive collation lets "Id" and id live in one table; run it in the source database.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, s.name AS table_schema, t.name AS table_name, "
            "LOWER(c.name) AS column_name FROM sys.columns c JOIN sys.tables t ON t.object_id = c.object_id "
            "JOIN sys.schemas s ON s.schema_id = t.schema_id "
            "WHERE t.is_ms_shipped = 0 AND s.name NOT IN ('sys', 'cdc', 'INFORMATION_SCHEMA') "
            "GROUP BY s.name, t.name, LOWER(c.name) HAVING COUNT(*) > 1 "
            f"UNION ALL SELECT {label}, '', '', '' ORDER BY 2, 3, 4;"
        )

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} MicrosoftSQLServerSettings"
        policy = settings.get("SafeguardPolicy")
        ctx.notes.warning(
            "endpoint.sqlserver.cdc",
            "Debezium reads SQL Server CDC change tables"
            + (f"; SafeguardPolicy {policy} (DMS log truncation guard) has no equivalent" if policy else ""),
            hint="enable CDC: EXEC msdb.dbo.rds_cdc_enable_db '<db>' (RDS) or sys.sp_cdc_enable_db, then "
            "sys.sp_cdc_enable_table for each captured table",
            where=f"{where}.SafeguardPolicy" if policy else where,
        )
        for ignored in ("TlogAccessMode", "ReadBackupOnly", "UseThirdPartyBackupDevice", "UseBcpFullLoad"):
            if ignored in settings:
                ctx.notes.info(
                    "endpoint.setting.not-applicable",
                    f"{ignored} controls how DMS reads the log; Debezium reads CDC tables instead",
                    where=f"{where}.{ignored}",
                )
        if settings.get("QuerySingleAlwaysOnNode"):
            ctx.notes.info(
                "endpoint.sqlserver.always-on",
                "QuerySingleAlwaysOnNode: point the connector at the primary replica (or a readable secondary)",
                where=f"{where}.QuerySingleAlwaysOnNode",
            )
        return {}


class AzureDb(SqlServer):
    """Azure SQL Database: the SQL Server connector; Debezium's support for it is not documented."""

    name = EngineName.AZUREDB
    DISPLAY_NAME = "Azure SQL Database"
    NO_PREREQUISITES_REASON = (
        "Azure SQL enables CDC with sys.sp_cdc_enable_db, not with the RDS procedure msdb.dbo.rds_cdc_enable_db "
        "that the SQL Server steps run"
    )

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        return ()

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        ctx.notes.warning(
            "endpoint.azure-sql.unconfirmed",
            "Debezium documents SQL Server, not Azure SQL Database; CDC works on S3 tier and above",
            hint="test the connector against the database before cut-over (dms2msk verify)",
            where=ctx.where,
        )
        return super().settings_properties(ctx)


class AzureSqlManagedInstance(AzureDb):
    """Azure SQL Managed Instance: SQL Server CDC is available; the SQL Server connector reads it."""

    name = EngineName.AZURE_SQL_MANAGED_INSTANCE
    DISPLAY_NAME = "Azure SQL Managed Instance"
    REHEARSAL_SERVICE = None
    NO_REHEARSAL_REASON = (
        "dms2msk offers no local image for Azure SQL Managed Instance; rehearse with a sqlserver endpoint copy "
        "(the SQL Server 2022 image) if its CDC behaviour is close enough"
    )
