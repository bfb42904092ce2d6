"""An expectation model of what an AWS DMS task writes into a relational target, for tests only.

Written from the DMS User Guide (Selection rules and actions, Wildcards in table mapping,
Transformation rules and actions; summarised with sources in /work/shared/reference/dms_mapping.md).
It deliberately shares no code with ``dms2msk.mapping`` or ``dms2msk.verify``: a test compares the
generated pipeline with this model, so a compromise in the generator cannot hide in its own expectation.

What the guide says and this model does:

* selection: ``explicit`` names one table exactly; ``include``/``exclude`` take wildcards (``%`` any run of
  characters, ``_`` exactly one, ``[...]`` a character class, so ``[_]`` is a literal underscore); names are
  compared case-sensitively; when include and exclude overlap, exclude wins;
* transformations: the rule-target says what a rule renames (``schema``, ``table`` or ``column``); a rule
  changes only its own target, so a table rule leaves schema and column names alone; only one action
  applies per object and the lowest rule-id wins;
* target names: DMS creates the target objects with the names it computed (quoted), so a target that folds
  unquoted names (PostgreSQL, Oracle) still holds the source's case; with no schema rule a table lands in a
  schema named like its source schema;
* no two source tables may map to one target table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_RENAMES = (
    "rename",
    "convert-lowercase",
    "convert-uppercase",
    "add-prefix",
    "remove-prefix",
    "replace-prefix",
    "add-suffix",
    "remove-suffix",
    "replace-suffix",
)


@dataclass(frozen=True)
class CatalogTable:
    """A source table: schema, name and columns exactly as the source database stores them."""

    schema: str
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class DmsTarget:
    """Where DMS writes one source table: exact target schema, table and column names."""

    schema: str
    table: str
    columns: tuple[str, ...]  # target names, in source column order
    column_of: Mapping[str, str]  # source column -> target column


def locator_matches(pattern: str | None, name: str) -> bool:
    """DMS's wildcard match of one object-locator value (case-sensitive; absent means any)."""
    if pattern is None:
        return True
    regex: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        close = pattern.find("]", i + 1) if char == "[" else -1
        if char == "%":
            regex.append(".*")
        elif char == "_":
            regex.append(".")
        elif close > i + 1:
            regex.append("[" + re.escape(pattern[i + 1 : close]) + "]")
            i = close
        else:
            regex.append(re.escape(char))
        i += 1
    return re.fullmatch("".join(regex), name, re.DOTALL) is not None


def _new_name(rule: Mapping[str, Any], name: str) -> str:
    """The guide's definition of each naming action."""
    action, value, old = rule["rule-action"], rule.get("value") or "", rule.get("old-value") or ""
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
        return name[len(value) :] if name.startswith(value) else name
    if action == "remove-suffix":
        return name[: len(name) - len(value)] if value and name.endswith(value) else name
    if action == "replace-prefix":
        return value + name[len(old) :] if name.startswith(old) else name
    if action == "replace-suffix":
        return name[: len(name) - len(old)] + value if old and name.endswith(old) else name
    return name


class DmsTask:
    """The target DMS produces for a task's table mappings over a source catalog."""

    def __init__(self, rules: Sequence[Mapping[str, Any]]) -> None:
        ordered = sorted(rules, key=lambda r: int(r["rule-id"]))
        self.selections = [r for r in ordered if r["rule-type"] == "selection"]
        self.transformations = [r for r in ordered if r["rule-type"] == "transformation"]

    def selects(self, table: CatalogTable) -> bool:
        included = excluded = False
        for rule in self.selections:
            locator = rule["object-locator"]
            if rule["rule-action"] == "explicit":
                hit = locator["schema-name"] == table.schema and locator["table-name"] == table.name
            else:
                hit = locator_matches(locator["schema-name"], table.schema) and locator_matches(
                    locator["table-name"], table.name
                )
            if hit and rule["rule-action"] == "exclude":
                excluded = True
            elif hit:
                included = True
        return included and not excluded

    def _first_rename(self, target: str, **names: str) -> Mapping[str, Any] | None:
        """The lowest rule-id naming rule whose target and locator match this object."""
        for rule in self.transformations:
            if rule["rule-target"] != target or rule["rule-action"] not in _RENAMES:
                continue
            locator = rule["object-locator"]
            if all(locator_matches(locator.get(f"{kind}-name"), value) for kind, value in names.items()):
                return rule
        return None

    def _renamed(self, target: str, name: str, **names: str) -> str:
        rule = self._first_rename(target, **names)
        return _new_name(rule, name) if rule else name

    def target_of(self, table: CatalogTable) -> DmsTarget:
        schema = self._renamed("schema", table.schema, schema=table.schema)
        name = self._renamed("table", table.name, schema=table.schema, table=table.name)
        column_of = {
            column: self._renamed("column", column, schema=table.schema, table=table.name, column=column)
            for column in table.columns
        }
        return DmsTarget(schema, name, tuple(column_of.values()), column_of)

    def targets(self, catalog: Iterable[CatalogTable]) -> dict[tuple[str, str], DmsTarget]:
        """``{(source schema, source table): target}`` for every table the task replicates."""
        return {(t.schema, t.name): self.target_of(t) for t in catalog if self.selects(t)}
