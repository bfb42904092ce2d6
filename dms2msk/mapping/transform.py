"""Compile DMS transformation and table-settings rules into source properties and a sink SMT chain.

Public API::

    plan = compile_transformations(parsed.transformations, selection, style=STYLES["mysql"],
                                   debezium_version="2.7.3.Final", task="t1", topic_prefix="t1",
                                   table_settings=parsed.table_settings, target_schema=None,
                                   schema_in_table_name=True)
    plan.source_properties  # column.exclude.list / column.include.list, message.key.columns, column.mask.*, ...
    plan.sink_transforms    # SmtChain for the JDBC sink (ordered transforms + predicates)
    plan.sink_properties    # collection.name.format (3.1+) or table.name.format (2.x, 3.0), ...
    plan.sink_properties_all  # sink_properties plus the chain's transforms.* / predicates.* properties
    plan.target_tables      # {(source schema, source table): (target schema, target table)} for exact names
    plan.target_database    # the single target schema/database, if all tables go to one (for connection.url)
    plan.findings           # one per rule: what it became (Finding.became) or why not

Target naming scheme. Debezium topics are ``<prefix>.<schema>.<table>``. The sink chain first applies
per-table column SMTs (selected by ``TopicNameMatches`` predicates on the source topic), then one
``RegexRouter`` per table rename rule in rule-id order (DMS applies only the lowest rule-id per object);
each router matches only source-form topics and writes the dot-free target table name, and a final
router strips ``<prefix>.<schema>.`` from the rest. The table name format is then ``<target schema>.${topic}``
when every table lands in one target schema and the target qualifies names by schema (a literal dot in
the format makes the JDBC sink pick the schema; ``${topic}`` itself has its dots turned into ``_``),
otherwise ``${topic}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Finding
from .rules import TableSettingsRule, TransformationRule
from .selection import IdentifierStyle, SelectionPlan
from .smt import SmtChain

__all__ = ["TransformPlan", "compile_transformations", "table_name_format_key"]


def table_name_format_key(debezium_version: str) -> str:
    """``collection.name.format`` from Debezium 3.1 on; ``table.name.format`` before."""
    major, minor = (int(p) for p in debezium_version.split(".")[:2])
    return "collection.name.format" if (major, minor) >= (3, 1) else "table.name.format"


@dataclass(frozen=True)
class TransformPlan:
    source_properties: dict[str, str] = field(default_factory=dict)
    sink_transforms: SmtChain = field(default_factory=SmtChain)
    sink_properties: dict[str, str] = field(default_factory=dict)
    target_tables: dict[str, str] = field(default_factory=dict)  # "schema.table" -> "target_schema.target_table"
    target_database: str | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def sink_properties_all(self) -> dict[str, str]:
        return {**self.sink_properties, **self.sink_transforms.properties()}


def compile_transformations(
    rules: Sequence[TransformationRule],
    selection: SelectionPlan,
    *,
    style: IdentifierStyle,
    debezium_version: str,
    task: str | None = None,
    topic_prefix: str = "",
    table_settings: Sequence[TableSettingsRule] = (),
    target_schema: str | None = None,
    schema_in_table_name: bool = True,
) -> TransformPlan:
    """Compile transformation rules (in rule-id order) against a compiled selection."""
    raise NotImplementedError
