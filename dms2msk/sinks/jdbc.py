"""The Debezium JDBC sink: a relational DMS target (MySQL family, PostgreSQL, Oracle, SQL Server, Db2).

The target engine supplies what differs per database (``connection.url`` shape, dialect defaults, the case it
folds unquoted names to, drivers); this module owns the rest: the connector and its plugin, DMS's write
semantics, which topics the sink reads and how it names the target tables.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from ..engines.engine import Engine, EngineContext, Notes, TargetKind
from ..mapping import naming
from ..mapping.rules import ParsedMappings
from ..mapping.transform import NAME_ACTIONS
from ..model import Connector, DatabaseAccess, Endpoint
from .sink import Sink, SinkConnection, SinkRequest

if TYPE_CHECKING:
    from ..mapping.selection import SelectionPlan
    from ..mapping.transform import TransformPlan


class JdbcSink(Sink):
    KIND = TargetKind.JDBC
    CONNECTOR_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector"
    PLUGIN = "debezium-connector-jdbc"
    DEFAULTS: ClassVar[dict[str, str]] = {
        "insert.mode": "upsert",
        "delete.enabled": "true",
        "primary.key.mode": "record_key",
    }
    """What DMS does on a relational target: write by primary key, apply deletes."""
    # The sink always runs with schema.evolution=basic (mapping.task_settings): Debezium's JDBC sink then
    # creates missing tables and adds new columns (CREATE TABLE and ADD COLUMN only), as DMS creates them.
    PREREQUISITES = (
        "A target table that exists has a primary key matching the source key, for upserts and deletes; a missing "
        "one is created and new source columns are added by the sink (`schema.evolution=basic`: CREATE TABLE and "
        "ADD COLUMN only, never a type change or a drop), so pre-create tables whose column types must differ from "
        "its choice.",
        "Grants for the sink user: `SELECT, INSERT, UPDATE, DELETE` on the target tables, and the right to create "
        "tables in the target schema and alter the ones it creates.",
    )
    PASS_THROUGH_PREFIXES = ("hibernate.",)  # the JDBC sink hands these to Hibernate
    IDEMPOTENT_OVERLAP = True  # upserts by primary key: a change applied by DMS and by the sink lands once

    def schema_in_table_name(self, target: Engine, endpoint_database: str | None) -> bool:
        # PostgreSQL, Oracle, Db2, SQL Server targets qualify tables by schema; a MySQL-family target writes into
        # the database of connection.url, unless the endpoint names none (TargetDbType multiple-databases).
        return target.SINK_QUALIFIES_BY_SCHEMA or endpoint_database is None

    def endpoint_database(self, request: SinkRequest, ctx: EngineContext | None) -> str | None:
        assert ctx is not None, "a JDBC sink always has its connection context"
        return request.target_engine.target_database(ctx)

    def build(
        self, request: SinkRequest, transform: TransformPlan, connection: SinkConnection | None
    ) -> Connector | None:
        assert connection is not None, "a JDBC sink always has its connection"
        ctx, secret = connection.ctx, connection.secret
        target, endpoint, notes = request.target_engine, request.target_endpoint, request.notes
        url_database = _url_database(target, endpoint, connection.endpoint_database, transform, notes)
        config: dict[str, str] = {"connector.class": self.CONNECTOR_CLASS or "", "tasks.max": "1"}
        topics = _sink_topics(request.source_engine, request.source_ctx, request.selection, request.prefix)
        config.update(topics)
        config.update(target.sink_properties(ctx, url_database))
        config.update(self.DEFAULTS)
        config.update(request.mapped_settings.sink)
        config.update(transform.sink_properties_all)
        config.update(_identifier_quoting(request.source_engine, target, request.parsed, config, notes))
        config = request.checked(self.CONNECTOR_CLASS or "", config)
        topic_values = tuple(v for k, v in sorted(topics.items()) for v in (v.split(",") if k == "topics" else [v]))
        sink_writes = tuple(request.mapped_settings.sink_writes)
        sink = Connector(
            name=naming.connector_name(request.task_identifier, "sink"),
            role="sink",
            connector_class=self.CONNECTOR_CLASS or "",
            plugin=self.PLUGIN or "",
            config=dict(sorted(config.items())),
            tasks_max=1,
            secrets=(secret,),
            database=DatabaseAccess.of(endpoint, target.DEFAULT_PORT, url_database),
            topics=topic_values + sink_writes,
            # An exact topic list is what the sink reads; a topics.regex stays inside the source's prefix.
            reads_topics=topic_values if "topics" in topics else (f"{request.prefix}.*",),
            writes_topics=sink_writes,
            cluster_config_keys=(),
            plugin_requirements=(),
        )
        notes.info(
            "target.jdbc-sink",
            f"{target.DISPLAY_NAME} target {endpoint.identifier} is written by the Debezium JDBC sink",
            became=f"{sink.name}: insert.mode=upsert, delete.enabled=true, primary.key.mode=record_key",
            where=f"endpoint {endpoint.identifier}",
        )
        return sink


def _sink_topics(engine: Engine, ctx: EngineContext, selection: SelectionPlan, prefix: str) -> dict[str, str]:
    """``topics`` when every selected table is named exactly, else an anchored ``topics.regex``."""
    includes = getattr(selection, "includes", ())
    excludes = getattr(selection, "excludes", ())
    database = None
    source_database = getattr(engine, "source_database", None)
    if callable(source_database):
        database = source_database(ctx)
    exact = [(p.exact_schema, p.exact_table) for p in includes]
    if exact and not excludes and all(s and t for s, t in exact):
        names = sorted({engine.topic_name(prefix, s, t, database) for s, t in exact})  # type: ignore[arg-type]
        return {"topics": ",".join(names)}
    db_part = f"{re.escape(database)}\\." if database and engine.topic_regex_parts(database) == 3 else ""
    alternatives = "|".join(f"(?:{r})" for r in getattr(selection, "table_include_regexes", ()))
    # The entries match with letter case ((?-i:...)); (?i) only keeps the prefix and separators lenient.
    return {"topics.regex": f"(?i){re.escape(prefix)}\\.{db_part}(?:{alternatives})"}


_FOLD_RULE = {"lower": "convert-lowercase", "upper": "convert-uppercase"}


def _identifier_quoting(
    source: Engine, target: Engine, parsed: ParsedMappings, sink_config: dict[str, str], notes: Notes
) -> dict[str, str]:
    """``quote.identifiers=true`` wherever the target folds unquoted names, unless folding is exactly DMS's result.

    DMS creates the objects it writes with the names it computed, quoted: ``"Sales"."OrderLines"("LineId")``
    stays mixed case on PostgreSQL, whatever the source engine. A case rule changes only its own rule-target
    (a table rule leaves schema and column names as they are), so unquoted names are exact only when rules
    convert every schema, table and column to the case the target folds to.
    """
    if "quote.identifiers" in sink_config or target.TARGET_CASE not in _FOLD_RULE:
        return {}
    if _everything_folded(parsed, _FOLD_RULE[target.TARGET_CASE]):
        return {}
    notes.info(
        "target.quote-identifiers",
        f"{target.DISPLAY_NAME} folds unquoted names to {target.TARGET_CASE} case; DMS created its target objects "
        f"with the names it computed (quoted), so the sink quotes them too ({source.DISPLAY_NAME} names keep their "
        "case unless a case rule changes them)",
        became="quote.identifiers=true",
    )
    return {"quote.identifiers": "true"}


def _everything_folded(parsed: ParsedMappings, fold_action: str) -> bool:
    """True when the first naming rule of every schema, table and column is a case rule to the target's case."""
    renames = [r for r in sorted(parsed.transformations, key=lambda r: r.order_key) if r.action in NAME_ACTIONS]
    levels = ("schema", "table", "column")
    for depth, level in enumerate(levels, start=1):
        first = next((r for r in renames if r.target == level), None)
        if first is None or first.action != fold_action:
            return False
        locator = (first.locator.schema_name, first.locator.table_name, first.locator.column_name)[:depth]
        if any(name != "%" for name in locator):
            return False
    return True


def _url_database(
    engine: Engine, endpoint: Endpoint, endpoint_database: str | None, transform: TransformPlan, notes: Notes
) -> str | None:
    """The database in ``connection.url``: the endpoint's, or (MySQL family without one) where the rules send all."""
    if engine.SINK_QUALIFIES_BY_SCHEMA:
        return endpoint_database
    if endpoint_database is None:
        return transform.target_database
    if transform.target_database and transform.target_database != endpoint_database:
        notes.warning(
            "target.mysql.database",
            f"the rules send the tables to database {transform.target_database!r}, but endpoint "
            f"{endpoint.identifier} writes every table into {endpoint_database!r} (TargetDbType specific-database), "
            "as DMS did",
            became=f"connection.url database {endpoint_database}",
            hint="set TargetDbType multiple-databases on the endpoint to write into the renamed database",
            where=f"endpoint {endpoint.identifier} DatabaseName",
        )
    return endpoint_database
