"""PostgreSQL and Aurora PostgreSQL.

Source: ``io.debezium.connector.postgresql.PostgresConnector`` with the
``pgoutput`` plugin. A DMS replication slot cannot be reused (DMS uses
``test_decoding``/``pglogical``, and a slot has one consumer), so each pipeline
gets a new slot and a publication that Debezium keeps to the captured tables
(``publication.autocreate.mode=filtered``). Target: the JDBC sink with the
PostgreSQL dialect.
"""

from __future__ import annotations

from typing import ClassVar

from .engine import (
    RESELECT_UNAVAILABLE_VALUES,
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    Placeholder,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    placeholder_of,
)

PG_IDENTIFIER_MAX = 63


class Postgres(Engine):
    name = EngineName.POSTGRES
    DISPLAY_NAME = "PostgreSQL"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector"
    SOURCE_PLUGIN_KIND = "postgres"
    SOURCE_DATABASE_PROPERTY = "database.dbname"
    SNAPSHOT_FAMILY = "postgres"
    USES_SCHEMA_HISTORY = False
    SETTINGS_OBJECTS = ("PostgreSQLSettings",)
    DEFAULT_PORT = 5432
    IDENTIFIER_STYLE = IdentifierStyle("postgres")

    SSL_MODE_PROPERTY = "database.sslmode"
    SSL_MODES: ClassVar[dict[str, str]] = {
        "none": "disable",
        "require": "require",
        "verify-ca": "verify-ca",
        "verify-full": "verify-full",
    }

    SOURCE_DEFAULTS: ClassVar[dict[str, str]] = {
        "plugin.name": "pgoutput",
        "publication.autocreate.mode": "filtered",
        # An UPDATE that leaves a TOASTed column alone carries no value for it under the default replica
        # identity; Debezium would emit `__debezium_unavailable_value` and the sink would write that over the
        # real value, where DMS keeps it.
        **RESELECT_UNAVAILABLE_VALUES,
    }
    """``pgoutput`` is built into PostgreSQL 10+ and is the only plugin RDS and Aurora offer Debezium."""

    CDC_TRUNCATE_REPLICATED = False
    """DMS User Guide, PostgreSQL source limitations: DMS does not process TRUNCATE during CDC."""

    TARGET_KIND = TargetKind.JDBC
    JDBC_URL_TEMPLATE = "jdbc:postgresql://{host}:{port}/{database}"
    JDBC_DATABASE_ENCODING = "percent"  # pgjdbc URL-decodes the database (org.postgresql.util.URLCoder)
    TARGET_CASE = "lower"

    PARAMETER_GROUP_KIND: ClassVar[str] = "db-parameter-group"
    """The RDS parameter group that holds ``rds.logical_replication`` (``aws rds modify-<kind>``)."""

    REHEARSAL_SERVICE = RehearsalService(
        image="postgres:16",
        port=5432,
        environment={"POSTGRES_USER": "dms2msk", "POSTGRES_PASSWORD": "${DB_PASSWORD}", "POSTGRES_DB": "app"},
        command=("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10"),
        client='PGPASSWORD="$POSTGRES_PASSWORD" psql -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
        database_env="POSTGRES_DB",
    )

    TABLE_ROW_COUNT_QUERY = (
        "select table_schema, table_name from information_schema.tables where table_schema not in "
        "('pg_catalog','information_schema') order by 1, 2;"
    )

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        group = self.PARAMETER_GROUP_KIND
        slot = facts.config.get("slot.name", "debezium")
        publication = facts.config.get("publication.name", "dbz_publication")
        publication_name = self.quote_identifier(publication)
        tables = ", ".join(self.qualified_name(s, t) for s, t in facts.tables) or "<schema.table, ...>"
        user = self.quote_identifier(facts.user)
        return (
            Prerequisite(
                summary=(
                    "Logical decoding: `wal_level = logical` (on RDS/Aurora: `rds.logical_replication = 1` in the "
                    "parameter group, then reboot).",
                ),
                title=f"Logical replication on {facts.host}",
                commands=(
                    f"aws rds modify-{group} --{group}-name {placeholder_of('parameter group of', facts.host)} "
                    f"--region {facts.region} "
                    '--parameters "ParameterName=rds.logical_replication,ParameterValue=1,ApplyMethod=pending-reboot"',
                ),
                checks=("SHOW wal_level;  -- logical", "SELECT slot_name, plugin, active FROM pg_replication_slots;"),
                notes=("rds.logical_replication needs a reboot; DMS usually set it already.",),
            ),
            Prerequisite(
                summary=(
                    "Room for one replication slot per connector: `max_replication_slots` and `max_wal_senders` above "
                    "the slots in use. An idle slot keeps WAL: watch `pg_replication_slots` and set "
                    "`max_slot_wal_keep_size`.",
                    "A publication for the captured tables, or `publication.autocreate.mode` allowed to create it "
                    "(needs table ownership).",
                ),
                title=f"Replica identity, slot `{slot}` and publication `{publication}`",
                commands=(
                    "ALTER TABLE <each captured table without a primary key> REPLICA IDENTITY FULL;",
                    f"CREATE PUBLICATION {publication_name} FOR TABLE {tables};",
                    f"SELECT pg_create_logical_replication_slot({self.sql_literal(slot)}, 'pgoutput');",
                ),
                checks=(
                    "SELECT relname, relreplident FROM pg_class WHERE relkind = 'r';  -- d (default) or f (full)",
                    f"SELECT * FROM pg_publication_tables WHERE pubname = {self.sql_literal(publication)};",
                ),
                notes=(
                    "Creating the slot before the cut-over pins the WAL from that point: the connector streams "
                    "from the slot, so nothing between slot creation and connector start is lost. Watch the "
                    "slot's retained WAL until the connector is running.",
                ),
            ),
            Prerequisite(
                summary=(
                    "Grants: `GRANT rds_replication TO <user>;` on RDS/Aurora (elsewhere `ALTER ROLE <user> "
                    "REPLICATION;`), plus `SELECT` on the captured tables.",
                ),
                title=f"Grants for {facts.user}",
                commands=(
                    f"GRANT rds_replication TO {user};",
                    *(
                        f"GRANT USAGE ON SCHEMA {s} TO {user}; GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {user};"
                        for s in (self.quote_identifier(name) for name in facts.schemas or (Placeholder("<schema>"),))
                    ),
                ),
                checks=(
                    f"SELECT rolname FROM pg_roles WHERE pg_has_role({self.sql_literal(facts.user)}, oid, 'member');",
                ),
            ),
        )

    def slot_name(self, pipeline_key: str) -> str:
        """A new slot per pipeline: lower-case letters, digits and underscores, at most 63 characters."""
        return f"dbz_{pipeline_key}"[:PG_IDENTIFIER_MAX]

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        # What primary.key.mode=record_key needs from a PostgreSQL table (Debezium 2.7 and 3.x; read in the
        # 3.6.3 jars): the record key is the primary key, else the first unique index by name
        # (JdbcConnection.readPrimaryKeyOrUniqueIndexNames, expression indexes skipped), and a delete event
        # carries it only as far as the REPLICA IDENTITY does. Once a table is in the connector's publication,
        # PostgreSQL also rejects UPDATE and DELETE on it without a replica identity. So a table counts as
        # keyed with a primary key (identity DEFAULT or FULL), or with REPLICA IDENTITY USING INDEX on its
        # only unique index; every other one is listed, a unique index alone included (Debezium keys by it,
        # but the source's updates fail until the identity is set).
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, n.nspname::text AS table_schema, c.relname::text AS table_name "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND NOT ((c.relreplident IN ('d', 'f') "
            "AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)) "
            "OR (c.relreplident = 'i' "
            "AND (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique) = 1)) "
            f"UNION ALL SELECT {label}, '', '' ORDER BY 2, 3;"
        )

    def case_clash_columns_query(self, task_identifier: str) -> str | None:
        # Quoted identifiers keep their case, so "Id" and id are two columns of one table.
        label = self.sql_literal(task_identifier)
        return (
            f"SELECT {label} AS dms_task, n.nspname::text AS table_schema, c.relname::text AS table_name, "
            "lower(a.attname::text) AS column_name "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "GROUP BY n.nspname, c.relname, lower(a.attname::text) HAVING count(*) > 1 "
            f"UNION ALL SELECT {label}, '', '', '' ORDER BY 2, 3, 4;"
        )

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} PostgreSQLSettings"
        slot = self.slot_name(ctx.pipeline_key or "pipeline")
        config = {"slot.name": slot, "publication.name": slot}
        dms_slot = settings.get("SlotName")
        if dms_slot:
            ctx.notes.warning(
                "endpoint.postgres.slot",
                f"DMS slot {dms_slot!r} cannot be reused; the connector creates slot {slot!r} (pgoutput)",
                became=f"slot.name={slot}",
                hint=f"after cut-over, drop the DMS slot (SELECT pg_drop_replication_slot('{dms_slot}')) "
                "so that it stops holding WAL",
                where=f"{where}.SlotName",
            )
        else:
            ctx.notes.info(
                "endpoint.postgres.slot",
                f"the connector creates replication slot {slot!r} with pgoutput and a filtered publication",
                became=f"slot.name={slot}, publication.autocreate.mode=filtered",
                hint="the connector user needs the rds_replication role (RDS/Aurora) and rds.logical_replication=1",
                where=where,
            )
        ctx.notes.info(
            "endpoint.postgres.toast",
            "an UPDATE that leaves a TOASTed (large) column alone carries no value for it; the connector reads "
            "the current value back from the table (as DMS writes the real value), so under a quick second "
            "change the target may get the newer value early",
            became="post.processors=reselector (ReselectColumnsPostProcessor)",
            hint="the connector user needs SELECT on the captured tables (see the grants prerequisite)",
            where=where,
        )
        plugin = settings.get("PluginName")
        if plugin and str(plugin) not in ("no-preference",):
            ctx.notes.info(
                "endpoint.postgres.plugin",
                f"PluginName {plugin} has no Debezium equivalent; pgoutput is used",
                became="plugin.name=pgoutput",
                where=f"{where}.PluginName",
            )
        if settings.get("HeartbeatEnable"):
            schema = settings.get("HeartbeatSchema") or "public"
            ctx.notes.warning(
                "endpoint.postgres.heartbeat",
                "DMS WAL heartbeat carried over as Debezium heartbeats; on a quiet database the slot also needs "
                "writes to advance",
                became="heartbeat.interval.ms",
                hint=f"create {schema}.dbz_heartbeat (id int primary key, ts timestamptz) and set "
                f"heartbeat.action.query to an upsert into it",
                where=f"{where}.HeartbeatEnable",
            )
        if settings.get("CaptureDdls"):
            ctx.notes.info(
                "endpoint.postgres.capture-ddls",
                "CaptureDdls: pgoutput carries no DDL; column changes reach the sink as new record schemas",
                became="schema.evolution on the sink",
                where=f"{where}.CaptureDdls",
            )
        if str(settings.get("DatabaseMode", "default")) == "babelfish":
            ctx.notes.warning(
                "endpoint.postgres.babelfish-mode",
                "DatabaseMode babelfish: the connector reads the PostgreSQL side of the Babelfish cluster",
                where=f"{where}.DatabaseMode",
            )
        if str(settings.get("AuthenticationMethod", "password")).lower() == "iam":
            ctx.notes.blocker(
                "endpoint.postgres.iam-auth",
                f"{ctx.where} authenticates with IAM database tokens; the Debezium connector needs a password",
                hint="create a database user with a password, store it in the endpoint's secret",
                where=f"{where}.AuthenticationMethod",
            )
        return config


class AuroraPostgres(Postgres):
    """Aurora PostgreSQL: same connector; logical replication needs ``rds.logical_replication=1`` on the cluster."""

    name = EngineName.AURORA_POSTGRESQL
    DISPLAY_NAME = "Aurora PostgreSQL"
    PARAMETER_GROUP_KIND = "db-cluster-parameter-group"


class AuroraPostgresServerless(AuroraPostgres):
    """Aurora PostgreSQL Serverless; DMS uses it as a target, and the JDBC sink writes to it like any PostgreSQL."""

    name = EngineName.AURORA_POSTGRESQL_SERVERLESS
    DISPLAY_NAME = "Aurora PostgreSQL Serverless"
