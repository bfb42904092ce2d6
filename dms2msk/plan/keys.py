"""Which captured tables lack a key the sink can upsert by, from the user's answer to the plan's query.

DMS's API does not say which tables have a primary key, so the plan prints one SQL
query per task (:meth:`dms2msk.engines.Engine.no_primary_key_query`); the user
runs it on the source database and passes its output back with
``dms2msk plan OUT --primary-key-report FILE``. Every row the query returns is
``(dms_task, table_schema, table_name)``: a table without a usable key, or the
``(task, '', '')`` row that marks the task as checked. The plan then keeps the
tables the source connector captures (its own include regexes, evaluated as
Debezium does), so wildcard selections are covered too.

Accepted files: CSV, TSV or ``|``-separated text, header optional (``psql -A -F, -t``,
``psql --csv``, ``mysql -B``, ``sqlcmd -s, -W``, a spreadsheet's CSV export), or JSON
(``[{"dms_task": ..., "schema": ..., "table": ...}]``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engines.include_lists import key_entry_table_regex, without_case_guard
from ..errors import InputError
from ..mapping.rules import has_wildcard
from ..mapping.selection import java_compatible_match
from ..model import Connector, Pipeline, ReplicationTask
from .types import PrimaryKeyCheck

NO_PK_FINDING_CODES = ("table.no-primary-key", "table.primary-key.missing")
PK_FINDING_CODES = ("table.primary-key", "transformation.define-primary-key")
"""Mapper finding codes that tell the plan a table has (or lacks) a primary key; ``where`` names the table."""

REPORT_HEADERS = (("dms_task", "table_schema", "table_name"), ("dms_task", "schema", "table"))
JSON_ALIASES = {"schema": ("schema", "table_schema"), "table": ("table", "table_name")}
_FOOTER = re.compile(r"^\(\d+ rows?( affected)?\)$", re.IGNORECASE)  # psql and sqlcmd row counts
_DELIMITERS = ("\t", ",", "|", ";")

REPORT_HINT = (
    "write the output of the query `dms2msk plan` prints for the task: psql -A -F, -t -c '<query>' > FILE, "
    'mysql -B -e \'<query>\' > FILE, a CSV export, or JSON [{"dms_task": ..., "schema": ..., "table": ...}]'
)


# --------------------------------------------------------------------------- #
# Report files                                                                 #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ReportRow:
    """One row of a report: a table without a usable key, or (empty schema and table) the checked marker."""

    task: str
    schema: str
    table: str
    source: str  # file name
    line: int

    @property
    def is_marker(self) -> bool:
        return not self.schema and not self.table

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class PrimaryKeyReport:
    """The rows of every ``--primary-key-report`` file, by DMS task (task names compare case-insensitively)."""

    rows: tuple[ReportRow, ...] = ()
    sources: tuple[str, ...] = ()

    def tasks(self) -> set[str]:
        return {row.task.lower() for row in self.rows}

    def covers(self, label: str) -> bool:
        return label.lower() in self.tasks()

    def rows_for(self, label: str) -> list[ReportRow]:
        return [row for row in self.rows if row.task.lower() == label.lower() and not row.is_marker]

    def sources_for(self, label: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.source for row in self.rows if row.task.lower() == label.lower()))


def _bad(source: str, line: int | None, what: str, hint: str = REPORT_HINT) -> InputError:
    where = f"{source}:{line}" if line is not None else source
    return InputError(f"primary-key report {where}: {what}", hint=hint)


def _row(task: object, schema: object, table: object, source: str, line: int) -> ReportRow:
    values = []
    for name, value in (("dms_task", task), ("schema", schema), ("table", table)):
        if value is None:
            value = ""
        if not isinstance(value, str | int):
            raise _bad(source, line, f"{name} is {type(value).__name__}, expected a string")
        values.append(str(value).strip())
    task_name, schema_name, table_name = values
    if not task_name:
        raise _bad(source, line, "dms_task is empty")
    if bool(schema_name) != bool(table_name):
        raise _bad(
            source,
            line,
            f"schema {schema_name!r} and table {table_name!r}: both are set for a table without a key, "
            "both are empty for the row that marks the task as checked",
        )
    return ReportRow(task_name, schema_name, table_name, source, line)


def _parse_json(text: str, source: str) -> list[ReportRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(source, exc.lineno, f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(data, list):
        raise _bad(source, 1, f"JSON must be a list of rows, not {type(data).__name__}")
    rows = []
    for index, item in enumerate(data):
        # JSON rows carry no line number of their own; the item number is given as the "line".
        if not isinstance(item, dict):
            raise _bad(source, None, f"item {index + 1} is {type(item).__name__}, expected an object")
        found = {}
        for field, names in (("dms_task", ("dms_task",)), *JSON_ALIASES.items()):
            present = [n for n in names if n in item]
            if not present:
                raise _bad(source, None, f"item {index + 1} has no {' or '.join(names)}")
            found[field] = item[present[0]]
        rows.append(_row(found["dms_task"], found["schema"], found["table"], source, index + 1))
    return rows


def _delimiter(first_line: str) -> str | None:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    for delimiter in _DELIMITERS:  # a tab wins: MySQL names may hold commas, rarely tabs
        if counts[delimiter] == 2:
            return delimiter
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


def _parse_delimited(text: str, source: str) -> list[ReportRow]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not _FOOTER.match(line.strip())), None)
    if first is None:
        return []
    delimiter = _delimiter(first)
    if delimiter is None:
        raise _bad(source, lines.index(first) + 1, "1 column, expected 3 (dms_task, schema, table)")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[ReportRow] = []
    header_seen = False
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _bad(source, reader.line_num, f"not readable as delimited text ({exc})") from None
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) == 1 and _FOOTER.match(fields[0].strip()):
            continue
        if len(fields) != 3:
            raise _bad(source, line, f"{len(fields)} columns, expected 3 (dms_task, schema, table)")
        normalized = tuple(f.strip().lower() for f in fields)
        if normalized in REPORT_HEADERS:
            if header_seen or rows:
                continue  # concatenated outputs repeat their headers
            header_seen = True
            continue
        rows.append(_row(*fields, source=source, line=line))
    return rows


def parse_primary_key_report(text: str, source: str) -> list[ReportRow]:
    """The rows of one report; raises :class:`~dms2msk.errors.InputError` naming ``source`` and the line."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _parse_json(text, source)
    return _parse_delimited(text, source)


def load_primary_key_reports(paths: Iterable[str | Path]) -> PrimaryKeyReport:
    rows: list[ReportRow] = []
    sources: list[str] = []
    for path in paths:
        source = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise _bad(source, None, f"cannot be read ({exc.strerror or exc})", "check the path") from None
        try:
            text = data.decode("utf-8-sig")  # a spreadsheet's UTF-8 export starts with a byte-order mark
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _bad(source, line, "is not UTF-8 text", "save the query output as UTF-8 text") from None
        rows += parse_primary_key_report(text, source)
        sources.append(source)
    return PrimaryKeyReport(tuple(rows), tuple(sources))


# --------------------------------------------------------------------------- #
# Matching against the connector's selection                                   #
# --------------------------------------------------------------------------- #


def _entries(value: str | None) -> list[str]:
    # The mapper writes a comma inside a name as \x2C, so a comma always separates entries.
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _names(value: str | None) -> list[str]:
    """The entries of an include list without the mapper's case-sensitivity wrapper (for naming, not matching)."""
    return [without_case_guard(entry) for entry in _entries(value)]


SCHEMA_LIST_KEYS = ("database.include.list", "schema.include.list")
TABLE_LIST_KEYS = ("table.include.list", "collection.include.list")


def _table_list(config: dict[str, str]) -> str | None:
    """The connector's table (or collection) include list, if it has one."""
    return next((config[k] for k in TABLE_LIST_KEYS if config.get(k)), None)


def captures(config: dict[str, str], schema: str, table: str) -> bool:
    """Whether a source connector with ``config`` captures ``schema.table``, as Debezium decides it.

    A schema (database) include list must match the schema, a table include list the
    ``schema.table`` name; entries are anchored Java regexes compiled case-insensitively (the mapper's own
    entries turn that off with ``(?-i:...)``).
    """
    schema_list = next((config[k] for k in SCHEMA_LIST_KEYS if config.get(k)), None)
    table_list = _table_list(config)
    if schema_list is not None and not any(java_compatible_match(r, schema) for r in _entries(schema_list)):
        return False
    for key in ("schema.exclude.list", "database.exclude.list"):
        if any(java_compatible_match(r, schema) for r in _entries(config.get(key))):
            return False
    name = f"{schema}.{table}"
    if any(java_compatible_match(r, name) for r in _entries(config.get("table.exclude.list"))):
        return False
    if table_list is None:
        return True  # no table list: every table of the included schemas (or of the database)
    return any(java_compatible_match(r, name) for r in _entries(table_list))


_LITERAL_ENTRY = re.compile(r"(?:[^\\.^$*+?()\[\]{}|]|\\x[0-9A-Fa-f]{2}|\\[^A-Za-z0-9])+")


def _unescaped(entry: str) -> str:
    """The name a literal include-list entry stands for: ``sales\\.order\\x2Citems`` is ``sales.order,items``."""
    return re.sub(r"\\x([0-9A-Fa-f]{2})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], entry)


def literal_tables(config: dict[str, str]) -> list[str] | None:
    """The tables the include list names one by one, or None when an entry is a pattern (wildcard, lookahead)."""
    entries = _names(_table_list(config))
    if not entries or not all(_LITERAL_ENTRY.fullmatch(e) for e in entries):
        return None
    return entries


# --------------------------------------------------------------------------- #
# What the plan knows without a report                                         #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class PrimaryKeyStatus:
    with_key: tuple[str, ...]  # tables known to have one (define-primary-key rule, message.key.columns, finding)
    without_key: tuple[str, ...]  # tables the mapper says have none
    unverified: tuple[str, ...]  # captured tables (or patterns) nobody confirmed


def _define_pk_tables(task: ReplicationTask | None) -> set[str]:
    if task is None or not task.table_mappings:
        return set()
    try:
        rules = json.loads(task.table_mappings).get("rules") or []
    except (json.JSONDecodeError, AttributeError):
        return set()
    tables = set()
    for rule in rules:
        if isinstance(rule, dict) and rule.get("rule-action") == "define-primary-key":
            locator = rule.get("object-locator") or {}
            tables.add(f"{locator.get('schema-name')}.{locator.get('table-name')}")
    return tables


def _message_key_regexes(pipeline: Pipeline) -> list[str]:
    """``message.key.columns`` entries are ``<fully-qualified table regex>:<columns>``, separated by ``;``."""
    value = pipeline.source.config.get("message.key.columns", "")
    return [key_entry_table_regex(part.split(":", 1)[0].strip()) for part in value.split(";") if ":" in part]


def _dms_selection(source: Connector) -> list[tuple[str, str]]:
    """``(name, text)`` per captured table or include rule: the name a key rule would name, the text to print.

    Exact names when the rules name each table, else each include rule's own DMS pattern with its rule and the
    exclude rules that narrow it, so messages never show the generated Debezium regex.
    """
    if source.captured_tables:
        return [(f"{schema}.{table}",) * 2 for schema, table in source.captured_tables]
    includes = [p for p in source.selection if p.action != "exclude"]
    excludes = ", ".join(str(p) for p in source.selection if p.action == "exclude")
    entries = []
    for pattern in includes:
        wildcard = pattern.action != "explicit" and has_wildcard(pattern.name)
        narrowed = f" except {excludes}" if excludes and wildcard else ""
        entries.append((pattern.name, f"{pattern}{narrowed}"))
    return entries


_PLAIN_ENTRY = re.compile(r"[\w$#.-]+")


def _include_list_names(config: dict[str, str]) -> list[tuple[str, str]]:
    """For manifests written before the DMS rules were recorded: entries that name one table by that name.

    A pattern entry (wildcard, lookahead) is not shown as the regex it is: one line says how many there are.
    """
    entries = _names(_table_list(config))
    names = [
        _unescaped(e) if _LITERAL_ENTRY.fullmatch(e) else e
        for e in entries
        if _LITERAL_ENTRY.fullmatch(e) or _PLAIN_ENTRY.fullmatch(e)
    ]
    named = [(name, name) for name in dict.fromkeys(names)]
    patterns = len(entries) - len(names)
    if patterns:
        what = f"the tables matched by {patterns} include-list pattern{'s' if patterns != 1 else ''}"
        named.append(("", f"{what} (render again with this dms2msk to name their DMS rules)"))
    return named or [("", "(all captured tables)")]


def primary_key_status(pipeline: Pipeline, task: ReplicationTask | None) -> PrimaryKeyStatus:
    captured = _dms_selection(pipeline.source) or _include_list_names(pipeline.source.config)
    with_key = _define_pk_tables(task)
    without_key: set[str] = set()
    for finding in pipeline.findings:
        table = finding.where or finding.became or ""
        if finding.code in NO_PK_FINDING_CODES:
            without_key.add(table)
        elif finding.code in PK_FINDING_CODES:
            with_key.add(table)
    with_key |= {without_case_guard(regex).replace("\\.", ".") for regex in _message_key_regexes(pipeline)}

    unverified = [text for name, text in captured if not name or (name not in with_key and name not in without_key)]
    return PrimaryKeyStatus(tuple(sorted(with_key)), tuple(sorted(without_key)), tuple(unverified))


def keyed_by_rule(pipeline: Pipeline, task: ReplicationTask | None) -> Callable[[str, str], bool]:
    """Whether a define-primary-key rule or ``message.key.columns`` gives ``schema.table`` a record key anyway.

    The task's rules are read once; the returned test runs per report row.
    """
    message_key_regexes = _message_key_regexes(pipeline)
    define_pk = {t.lower() for t in _define_pk_tables(task)}

    def keyed(schema: str, table: str) -> bool:
        name = f"{schema}.{table}"
        return any(java_compatible_match(regex, name) for regex in message_key_regexes) or name.lower() in define_pk

    return keyed


# --------------------------------------------------------------------------- #
# The check per task                                                           #
# --------------------------------------------------------------------------- #


def task_label(pipeline: Pipeline, pipelines: Sequence[Pipeline]) -> str:
    """The ``dms_task`` value of the task's query rows: its identifier, region-qualified if not unique."""
    same = [p for p in pipelines if p.task_identifier.lower() == pipeline.task_identifier.lower()]
    return pipeline.task_identifier if len(same) <= 1 else f"{pipeline.region}/{pipeline.task_identifier}"


def check_primary_keys(
    pipeline: Pipeline,
    task: ReplicationTask | None,
    report: PrimaryKeyReport | None,
    *,
    label: str | None = None,
) -> PrimaryKeyCheck:
    from ..engines import find_engine

    label = label or pipeline.task_identifier
    config = pipeline.source.config
    if pipeline.sink is None:
        # No sink upserts anything (a Kafka target, or none generated): there is no overlap to make idempotent.
        return PrimaryKeyCheck("not-needed", label, None)
    engine = find_engine(pipeline.source_engine)
    query = engine.no_primary_key_query(label) if engine is not None else None
    status = primary_key_status(pipeline, task)
    literal = literal_tables(config)
    captured = tuple(_unescaped(e) for e in literal) if literal is not None else None
    patterns = len(_entries(_table_list(config)))
    if engine is not None and query is None:
        return PrimaryKeyCheck("not-needed", label, None, captured_tables=captured, include_patterns=patterns)
    if not status.without_key and not status.unverified:
        # Every captured entry is keyed by a define-primary-key rule or message.key.columns: nothing to ask.
        return PrimaryKeyCheck(
            "confirmed",
            label,
            query,
            sources=("the task's key rules (define-primary-key, message.key.columns)",),
            captured_tables=captured,
            include_patterns=patterns,
        )
    if report is None or not report.covers(label) or query is None:
        return PrimaryKeyCheck(
            "missing" if status.without_key else "unverified",
            label,
            query,
            without_key=status.without_key,
            unverified=status.unverified,
            captured_tables=captured,
            include_patterns=patterns,
        )
    listed: list[str] = list(status.without_key)
    by_rule: list[str] = []
    outside = 0
    keyed = keyed_by_rule(pipeline, task)
    for row in report.rows_for(label):
        if not captures(config, row.schema, row.table):
            outside += 1
        elif keyed(row.schema, row.table):
            by_rule.append(row.name)
        elif row.name not in listed:
            listed.append(row.name)
    return PrimaryKeyCheck(
        "missing" if listed else "confirmed",
        label,
        query,
        without_key=tuple(sorted(listed)),
        keyed_by_rule=tuple(sorted(by_rule)),
        outside_selection=outside,
        sources=report.sources_for(label),
        captured_tables=captured,
        include_patterns=patterns,
    )


__all__ = [
    "PrimaryKeyCheck",
    "PrimaryKeyReport",
    "PrimaryKeyStatus",
    "ReportRow",
    "captures",
    "check_primary_keys",
    "load_primary_key_reports",
    "parse_primary_key_report",
    "primary_key_status",
    "task_label",
]
