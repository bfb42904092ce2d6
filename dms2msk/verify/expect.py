"""What a DMS task would replicate from a given database, by DMS's documented rules.

This is an independent reading of the DMS table-mapping semantics (it does not
use the mapper's compilers), so comparing its answer with what Debezium really
captured proves the generated connectors against DMS itself:

* selection: a table is replicated when an ``include``/``explicit`` rule matches
  it and no ``exclude`` rule does (exclude wins); ``%`` is any run of
  characters, ``_`` exactly one, ``[...]`` a character set (``[_]`` is a
  literal underscore); names are case-sensitive;
* transformations: only one action applies per object (schema, table, column),
  the lowest rule-id wins; ``include-column`` switches a table to "only the
  included columns";
* source filters: conditions of one filter are ORed, filters of a rule ANDed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NAME_ACTIONS = frozenset(
    {
        "rename",
        "convert-lowercase",
        "convert-uppercase",
        "add-prefix",
        "remove-prefix",
        "replace-prefix",
        "add-suffix",
        "remove-suffix",
        "replace-suffix",
    }
)
COLUMN_ACTIONS = NAME_ACTIONS | {"remove-column", "include-column"}


def dms_pattern(name: str) -> re.Pattern[str]:
    """An anchored, case-sensitive regex for a DMS object-locator name with wildcards."""
    out: list[str] = []
    i = 0
    while i < len(name):
        char = name[i]
        if char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "[":
            end = name.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = name[i + 1 : end]
                out.append("[" + "".join("\\" + c if c in "\\^]" else c for c in body) + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def _matches(pattern: str | None, value: str) -> bool:
    return pattern is None or bool(dms_pattern(pattern).fullmatch(value))


@dataclass(frozen=True)
class SourceTable:
    """A table in the source database: its columns in order and its primary key."""

    schema: str
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectedTable:
    source_schema: str
    source_table: str
    target_schema: str
    target_table: str
    columns: tuple[str, ...]  # target column names, in source order
    key: tuple[str, ...]  # target names of the key columns
    column_names: dict[str, str] = field(default_factory=dict)  # source column -> target column
    filters: tuple[dict[str, Any], ...] = ()  # the DMS filters of the selecting rule(s)

    @property
    def source_name(self) -> str:
        return f"{self.source_schema}.{self.source_table}"

    def keeps_row(self, row: Mapping[str, Any]) -> bool:
        """Whether DMS's source filters keep ``row`` (source column names, values as text or numbers)."""
        return all(_filter_keeps(f, row) for f in self.filters)


def _compare(value: Any, other: str) -> int:
    try:
        left, right = float(value), float(other)
    except (TypeError, ValueError):
        left, right = str(value), other  # type: ignore[assignment]
    return (left > right) - (left < right)


def _condition_keeps(condition: Mapping[str, Any], value: Any) -> bool:
    operator = condition.get("filter-operator")
    if operator == "null":
        return value is None
    if operator == "notnull":
        return value is not None
    if value is None:
        return False
    if operator in ("lte", "ste"):
        return _compare(value, str(condition.get("value"))) <= 0
    if operator == "gte":
        return _compare(value, str(condition.get("value"))) >= 0
    if operator == "eq":
        return _compare(value, str(condition.get("value"))) == 0
    if operator == "noteq":
        return _compare(value, str(condition.get("value"))) != 0
    start, end = str(condition.get("start-value")), str(condition.get("end-value"))
    inside = _compare(value, start) >= 0 and _compare(value, end) <= 0
    if operator == "between":
        return inside
    if operator == "notbetween":
        return not inside
    return True


def _filter_keeps(source_filter: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    value = row.get(str(source_filter.get("column-name")))
    conditions = source_filter.get("filter-conditions") or []
    return any(_condition_keeps(c, value) for c in conditions) if conditions else True


def _rules(table_mappings: str | Mapping[str, Any]) -> list[dict[str, Any]]:
    document = json.loads(table_mappings) if isinstance(table_mappings, str) else table_mappings
    rules = document.get("rules", []) if isinstance(document, dict) else document
    return [r for r in rules if isinstance(r, dict)]


def _rule_order(rule: Mapping[str, Any]) -> tuple[int, str]:
    try:
        return (int(str(rule.get("rule-id"))), "")
    except ValueError:
        return (2**63, str(rule.get("rule-id")))


def _rename(action: str, name: str, rule: Mapping[str, Any]) -> str:
    value = str(rule.get("value") or "")
    old = str(rule.get("old-value") or "")
    if action == "rename":
        return value
    if action == "convert-lowercase":
        return name.lower()
    if action == "convert-uppercase":
        return name.upper()
    if action == "add-prefix":
        return value + name
    if action == "add-suffix":
        return name + value
    if action == "remove-prefix":
        return name[len(value) :] if value and name.startswith(value) else name
    if action == "remove-suffix":
        return name[: -len(value)] if value and name.endswith(value) else name
    if action == "replace-prefix":
        return value + name[len(old) :] if old and name.startswith(old) else name
    if action == "replace-suffix":
        return name[: -len(old)] + value if old and name.endswith(old) else name
    return name


def _first(rules: Iterable[dict[str, Any]], target: str, actions: frozenset[str], **names: str) -> dict | None:
    """The lowest-rule-id transformation for this object (DMS applies one action per object)."""
    for rule in rules:
        if rule.get("rule-target") != target or rule.get("rule-action") not in actions:
            continue
        locator = rule.get("object-locator") or {}
        if all(_matches(locator.get(f"{kind}-name"), value) for kind, value in names.items()):
            return rule
    return None


def expected_tables(table_mappings: str | Mapping[str, Any], tables: Iterable[SourceTable]) -> list[ExpectedTable]:
    """The tables DMS would replicate from ``tables`` under ``table_mappings``, with their target shape."""
    rules = sorted(_rules(table_mappings), key=_rule_order)
    selections = [r for r in rules if r.get("rule-type") == "selection"]
    transformations = [r for r in rules if r.get("rule-type") == "transformation"]
    result: list[ExpectedTable] = []
    for table in sorted(tables, key=lambda t: (t.schema, t.name)):
        included: list[dict[str, Any]] = []
        excluded = False
        for rule in selections:
            locator = rule.get("object-locator") or {}
            if (locator.get("table-type") or "table") not in ("table", "all"):
                continue
            action = rule.get("rule-action")
            if action == "explicit":
                hit = locator.get("schema-name") == table.schema and locator.get("table-name") == table.name
            else:
                hit = _matches(locator.get("schema-name"), table.schema) and _matches(
                    locator.get("table-name"), table.name
                )
            if not hit:
                continue
            if action == "exclude":
                excluded = True
            elif action in ("include", "explicit"):
                included.append(rule)
        if excluded or not included:
            continue
        schema_rule = _first(transformations, "schema", NAME_ACTIONS, schema=table.schema)
        target_schema = _rename(schema_rule["rule-action"], table.schema, schema_rule) if schema_rule else table.schema
        table_rule = _first(transformations, "table", NAME_ACTIONS, schema=table.schema, table=table.name)
        target_table = _rename(table_rule["rule-action"], table.name, table_rule) if table_rule else table.name
        include_mode = any(
            r.get("rule-target") == "column"
            and r.get("rule-action") == "include-column"
            and _matches((r.get("object-locator") or {}).get("schema-name"), table.schema)
            and _matches((r.get("object-locator") or {}).get("table-name"), table.name)
            for r in transformations
        )
        column_names: dict[str, str] = {}
        for column in table.columns:
            rule = _first(
                transformations, "column", COLUMN_ACTIONS, schema=table.schema, table=table.name, column=column
            )
            action = rule.get("rule-action") if rule else None
            if action == "remove-column" or (include_mode and action != "include-column"):
                continue
            column_names[column] = _rename(action, column, rule) if rule and action in NAME_ACTIONS else column
        key_rule = _first(
            transformations, "table", frozenset({"define-primary-key"}), schema=table.schema, table=table.name
        )
        key_source = (
            tuple((key_rule.get("primary-key-def") or {}).get("columns") or ()) if key_rule else table.primary_key
        )
        filters = tuple(f for r in included for f in (r.get("filters") or []) if isinstance(f, dict))
        result.append(
            ExpectedTable(
                source_schema=table.schema,
                source_table=table.name,
                target_schema=target_schema,
                target_table=target_table,
                columns=tuple(column_names.values()),
                key=tuple(column_names.get(c, c) for c in key_source),
                column_names=column_names,
                filters=filters,
            )
        )
    return result
