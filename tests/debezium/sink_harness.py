"""Replay captured change records into a real PostgreSQL the way the generated JDBC sink would, for tests only.

There is no JDBC sink connector jar here, so this harness models only what the Debezium JDBC sink documents
(jdbc.adoc; the naming part is checked against ``io.debezium.sink.naming.DefaultCollectionNamingStrategy`` in
the debezium-sink 3.6.3 jar):

* subscription: ``topics`` is Kafka Connect's comma-separated list (items trimmed), ``topics.regex`` a Java
  regex that must match the whole topic (evaluated with ``java.util.regex.Pattern``);
* the SMT chain was already applied by :class:`dms2msk.verify.engine.EmbeddedRun` with the real classes;
* naming: ``collection.name.format`` (3.1+) or ``table.name.format`` (default ``${topic}``); the default naming
  strategy puts the topic with its dots turned into ``_`` in place of ``${topic}`` and the record's
  ``source.<field>`` in place of ``${source.<field>}`` (a record without a Debezium envelope cannot resolve those
  and is skipped); ``PassthroughCollectionNamingStrategy`` keeps the topic as it is; literal dots in the result
  separate schema and table; an unqualified name lands in the connection's default schema (``public``);
* ``quote.identifiers``: quoted names keep their case; unquoted ones are sent as they are and PostgreSQL folds
  them (a name that is not a plain identifier makes the unquoted SQL fail);
* upsert by the record key, delete on a ``d`` event or a tombstone. Column types are not modelled (text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dms2msk.verify.engine import CapturedRecord

PASSTHROUGH = "io.debezium.sink.naming.PassthroughCollectionNamingStrategy"
_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_SOURCE_FIELD = re.compile(r"\$\{source\.(.*?)}")


class SinkFailure(Exception):
    """What the real sink would fail on for a record (the connector task would stop)."""


@dataclass
class ReplayOutcome:
    unsubscribed: list[str] = field(default_factory=list)  # source topics the sink never reads
    skipped: list[str] = field(default_factory=list)  # records the naming strategy ignores
    failures: list[str] = field(default_factory=list)


def subscribes(sink_config: Mapping[str, str], topic: str) -> bool:
    """Whether a sink with this config consumes ``topic`` (Kafka Connect's own semantics)."""
    if "topics" in sink_config:
        return topic in [item.strip() for item in sink_config["topics"].split(",") if item.strip()]
    from dms2msk.jvm import ensure_jvm

    ensure_jvm()
    import jpype

    pattern = jpype.JClass("java.util.regex.Pattern").compile(sink_config["topics.regex"])
    return bool(pattern.matcher(topic).matches())


def collection_name(sink_config: Mapping[str, str], record: CapturedRecord) -> str | None:
    """The name the sink's naming strategy resolves for a record, or None when it skips the record."""
    name_format = sink_config.get("collection.name.format") or sink_config.get("table.name.format") or "${topic}"
    if sink_config.get("collection.naming.strategy") == PASSTHROUGH:
        return name_format.replace("${topic}", record.topic)
    name = name_format.replace("${topic}", record.topic.replace(".", "_"))
    if "${source." not in name:
        return name
    if not record.envelope:
        return None
    source = record.source
    return _SOURCE_FIELD.sub(lambda m: str(source.get(m.group(1))), name)


def _identifier(name: str, quote: bool) -> str:
    if quote:
        return '"' + name.replace('"', '""') + '"'
    if not _PLAIN_IDENTIFIER.fullmatch(name):
        raise SinkFailure(f"unquoted identifier {name!r} is not valid SQL")
    return name


def replay(
    sink_config: Mapping[str, str], records: Iterable[CapturedRecord], target: Any, *, ignore: str = "__debezium"
) -> ReplayOutcome:
    """Write ``records`` into the ``target`` connection (psycopg, autocommit) as the sink would."""
    outcome = ReplayOutcome()
    quote = sink_config.get("quote.identifiers", "false").lower() == "true"
    for record in records:
        if record.source_topic.startswith(ignore):
            continue
        if not subscribes(sink_config, record.source_topic):
            outcome.unsubscribed.append(record.source_topic)
            continue
        if record.dropped:
            continue
        name = collection_name(sink_config, record)
        if name is None:
            outcome.skipped.append(record.topic)
            continue
        *schema_parts, table = name.split(".")
        schema = schema_parts[-1] if schema_parts else "public"
        try:
            _apply(target, record, _identifier(schema, quote), _identifier(table, quote), quote)
        except SinkFailure as exc:
            outcome.failures.append(f"{record.source_topic}: {exc}")
    return outcome


def _apply(target: Any, record: CapturedRecord, schema: str, table: str, quote: bool) -> None:
    key = record.key or {}
    qualified = f"{schema}.{table}"
    keys = [_identifier(k, quote) for k in key]
    delete = record.value is None or record.op == "d"
    if delete:
        if key:
            where = " and ".join(f"{k} = %s" for k in keys)
            _execute(
                target, f"delete from {qualified} where {where}", [_text(v) for v in key.values()], missing_ok=True
            )
        return
    row = record.row or {}
    columns = [_identifier(c, quote) for c in row]
    _execute(target, f"create schema if not exists {schema}", [])
    definition = ", ".join(f"{c} text" for c in columns)
    primary = f", primary key ({', '.join(keys)})" if keys else ""
    _execute(target, f"create table if not exists {qualified} ({definition}{primary})", [])
    for column in columns:
        _execute(target, f"alter table {qualified} add column if not exists {column} text", [])
    placeholders = ", ".join(["%s"] * len(columns))
    upsert = f"insert into {qualified} ({', '.join(columns)}) values ({placeholders})"
    if keys:
        updates = (
            ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys) or f"{keys[0]} = excluded.{keys[0]}"
        )
        upsert += f" on conflict ({', '.join(keys)}) do update set {updates}"
    _execute(target, upsert, [_text(v) for v in row.values()])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _execute(target: Any, sql: str, params: list[Any], *, missing_ok: bool = False) -> None:
    import psycopg

    try:
        target.execute(sql, params)
    except psycopg.errors.UndefinedTable:
        if not missing_ok:
            raise
    except psycopg.Error as exc:
        raise SinkFailure(f"{type(exc).__name__}: {exc}".splitlines()[0]) from None


def target_catalog(target: Any) -> dict[tuple[str, str], tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """``{(schema, table): (columns in order, rows sorted)}`` of every user table in the target database."""
    tables = target.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2"
    ).fetchall()
    result: dict[tuple[str, str], tuple[tuple[str, ...], list[dict[str, Any]]]] = {}
    for schema, table in tables:
        columns = tuple(
            row[0]
            for row in target.execute(
                "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                "order by ordinal_position",
                (schema, table),
            ).fetchall()
        )
        quoted = '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'
        rows = [dict(zip(columns, r, strict=True)) for r in target.execute(f"select * from {quoted}").fetchall()]
        result[(schema, table)] = (columns, sorted(rows, key=lambda r: [str(v) for v in r.values()]))
    return result
