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
the format makes the JDBC sink pick the schema; ``${topic}`` itself has its dots turned into ``_``);
when the tables' target schemas are known only at run time (schemas selected by wildcard, Debezium 3.x)
``${source.<schema field>}.${topic}``; when they land in several known schemas (Debezium 3.1+) each topic is
routed to ``<schema>.<table>`` and ``collection.naming.strategy`` is the pass-through strategy, which keeps the
dot; otherwise ``${topic}`` with a warning. On 3.x, when no rule renames a table, ``${topic}`` is replaced by
``${source.table}``: the record's source keeps the characters Debezium's topic naming turns into ``_``. Flattened
records (column SMTs) have no source block: on 3.1+ the last router then keeps ``<schema>.<table>`` and the
pass-through strategy keeps the dot.

Column SMTs need flat records, so when there are any, the chain starts with ``ExtractNewRecordState``
(``delete.tombstone.handling.mode=tombstone``: deletes reach the sink as tombstones).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..engines import Engine, find_source_engine
from ..engines.engine import topic_part
from ..engines.include_lists import case_sensitive, case_sensitive_key_entry
from ..findings import FindingCode, Notes
from ..model import Finding, Severity
from .rules import DATA_MASKING_ACTIONS, TableSettingsRule, TransformationRule, has_wildcard
from .selection import (
    IdentifierStyle,
    SelectedPattern,
    SelectionPlan,
    fq_regex,
    named_object,
    topic_sanitized_findings,
    wildcard_regex,
)
from .smt import Predicate, Smt, SmtChain

__all__ = ["NAME_ACTIONS", "TransformPlan", "apply_name_action", "compile_transformations", "table_name_format_key"]


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


_SMT_RENAME = "org.apache.kafka.connect.transforms.ReplaceField$Value"
_SMT_ROUTER = "org.apache.kafka.connect.transforms.RegexRouter"
_SMT_CAST = "org.apache.kafka.connect.transforms.Cast$Value"
_SMT_INSERT = "org.apache.kafka.connect.transforms.InsertField$Value"
_SMT_UNWRAP = "io.debezium.transforms.ExtractNewRecordState"
_PREDICATE_TOPIC = "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"
_JDBC_COLLECTION_NAMING = "io.debezium.connector.jdbc.transforms.CollectionNameTransformation"
_JDBC_FIELD_NAMING = "io.debezium.connector.jdbc.transforms.FieldNameTransformation"
_PASSTHROUGH_NAMING = "io.debezium.sink.naming.PassthroughCollectionNamingStrategy"

# DMS data types that Kafka Connect's Cast SMT can produce (Cast handles primitive types only).
_CAST_TYPES = {
    "int1": "int8",
    "int2": "int16",
    "int4": "int32",
    "int8": "int64",
    "uint1": "int16",
    "uint2": "int32",
    "uint4": "int64",
    "real4": "float32",
    "real8": "float64",
    "boolean": "boolean",
    "string": "string",
    "wstring": "string",
}
_INTEGER_CASTS = frozenset({"int8", "int16", "int32", "int64"})


def _dms_type_text(data_type: dict[str, object]) -> str:
    """``numeric(10,2)``, ``string(50)`` or ``int8``: the DMS type with the sizes the rule gives."""
    name = str(data_type.get("type", "")).lower()
    sizes = [str(data_type[k]) for k in ("precision", "scale") if data_type.get(k) not in (None, "")]
    if not sizes and data_type.get("length") not in (None, ""):
        sizes = [str(data_type["length"])]
    return f"{name}({','.join(sizes)})" if sizes else name


def _cast_differences(data_type: dict[str, object], cast: str) -> list[str]:
    """What a Cast to ``cast`` does differently from DMS's ``data-type`` (empty: nothing known)."""
    differences = []
    for key in ("length", "precision", "scale"):
        if data_type.get(key) not in (None, ""):
            differences.append(
                f"{key} {data_type[key]} is not carried: Cast has no sizes, the sink creates the column with its "
                "default type for the value"
            )
    if cast in _INTEGER_CASTS:
        # Measured on Kafka Connect 4.3's Cast$Value (tests/map/test_transform_java.py): a decimal or floating
        # value loses its fraction toward zero, and a decimal beyond the integer range wraps around.
        differences.append(
            f"Cast to {cast} drops the fraction toward zero (2.7 -> 2, -2.7 -> -2) and wraps a decimal beyond the "
            f"{cast} range; DMS does not document its rounding, so rows with fractions may differ"
        )
    return differences


# DMS header/metadata variables Debezium's ExtractNewRecordState can add (add.fields names).
_HEADER_FIELDS = {"$AR_H_OPERATION": "op", "$AR_M_SOURCE_TABLE_NAME": "table"}
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


def _version(debezium_version: str) -> tuple[int, int]:
    parts = debezium_version.split(".")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _dms_match(pattern: str | None, name: str) -> bool:
    """DMS's own (case-sensitive) wildcard match of one name."""
    if pattern is None:
        return False
    return re.fullmatch(wildcard_regex(pattern, segment=False), name, re.ASCII | re.DOTALL) is not None


def apply_name_action(rule: TransformationRule, name: str) -> str:
    """What a DMS naming action makes of ``name`` (DMS Transformations page)."""
    value, old = rule.value or "", rule.old_value or ""
    match rule.action:
        case "rename":
            return value
        case "convert-lowercase":
            return name.lower()
        case "convert-uppercase":
            return name.upper()
        case "add-prefix":
            return value + name
        case "add-suffix":
            return name + value
        case "remove-prefix":
            return name[len(value) :] if value and name.startswith(value) else name
        case "remove-suffix":
            return name[: -len(value)] if value and name.endswith(value) else name
        case "replace-prefix":
            return value + name[len(old) :] if name.startswith(old) else name
        case "replace-suffix":
            return name[: -len(old)] + value if old and name.endswith(old) else name
    return name


def java_replacement(text: str) -> str:
    """A literal for a Java Matcher replacement string ($ and \\ are special there)."""
    return text.replace("\\", "\\\\").replace("$", "\\$")


def _locator_text(rule: TransformationRule) -> str:
    loc = rule.locator
    parts = [loc.schema_name or ""]
    if rule.target in ("table", "column"):
        parts.append(loc.table_name or "")
    if rule.target == "column":
        parts.append(loc.column_name or f"<columns of type {loc.data_type}>")
    return ".".join(parts)


@dataclass
class _State:
    """What the phases of :func:`compile_transformations` share: the inputs, then what each phase adds.

    The phases run in a fixed order (see ``_PHASES``); each reads what earlier phases wrote and adds its own
    part, so findings come out in the same order as the rules and objects they are about.
    """

    # ---- inputs ----
    rules: list[TransformationRule]  # every transformation rule, in rule-id order
    selection: SelectionPlan
    style: IdentifierStyle
    debezium_version: str
    version: tuple[int, int]
    task: str | None
    table_settings: Sequence[TableSettingsRule]
    target_schema: str | None
    schema_in_table_name: bool
    lob_properties: dict[str, str]
    prefix_regex: str  # the topic prefix part of a topic regex
    database_part: str  # the database parts of a topic name that come before the schema
    notes: Notes
    # ---- rules: one action per object ----
    active: list[TransformationRule] = field(default_factory=list)
    schema_rules: list[TransformationRule] = field(default_factory=list)
    table_rules: list[TransformationRule] = field(default_factory=list)
    # ---- target names ----
    exact_tables: list[tuple[str, str]] = field(default_factory=list)
    wildcard_includes: list[SelectedPattern] = field(default_factory=list)
    target_tables: dict[str, str] = field(default_factory=dict)
    target_schemas: set[str] = field(default_factory=set)
    unknown_schema: bool = False
    named_schemas: list[str] = field(default_factory=list)
    wildcard_schema_patterns: list[str] = field(default_factory=list)
    # ---- column actions ----
    source: dict[str, str] = field(default_factory=dict)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    transforms: list[Smt] = field(default_factory=list)  # all-columns naming SMTs
    column_smts: list[Smt] = field(default_factory=list)
    needs_unwrap: bool = False
    unwrap_fields: list[str] = field(default_factory=list)
    renamed_header_fields: list[tuple[TransformationRule, str]] = field(default_factory=list)
    removes: list[TransformationRule] = field(default_factory=list)
    includes_col: list[TransformationRule] = field(default_factory=list)
    key_columns: list[str] = field(default_factory=list)
    mask_hash: list[str] = field(default_factory=list)
    mask_chars: list[str] = field(default_factory=list)
    # ---- routers and the chain ----
    passthrough: bool = False
    routers: list[Smt] = field(default_factory=list)
    collection_naming: list[Smt] = field(default_factory=list)
    chain: SmtChain = field(default_factory=SmtChain)
    # ---- table name format ----
    sink: dict[str, str] = field(default_factory=dict)
    format_key: str = ""
    target_database: str | None = None

    def topic_regex(self, schema_pattern: str, table_pattern: str, literal: bool = False) -> str:
        return (
            self.prefix_regex
            + r"\."
            + self.database_part
            + fq_regex((schema_pattern, literal), (table_pattern, literal))
        )

    def schema_rule_of(self, schema: str) -> TransformationRule | None:
        """The schema rule DMS applies to ``schema``: the lowest rule-id that matches."""
        return next((r for r in self.schema_rules if _dms_match(r.locator.schema_name, schema)), None)

    def table_rule_of(self, schema: str, table: str) -> TransformationRule | None:
        return next(
            (
                r
                for r in self.table_rules
                if _dms_match(r.locator.schema_name, schema) and _dms_match(r.locator.table_name, table)
            ),
            None,
        )

    def target_schema_of(self, schema: str) -> str:
        rule = self.schema_rule_of(schema)
        return apply_name_action(rule, schema) if rule else (self.target_schema or schema)

    def target_table_of(self, schema: str, table: str) -> str:
        rule = self.table_rule_of(schema, table)
        return apply_name_action(rule, table) if rule else table

    def predicate_for(self, rule: TransformationRule) -> str:
        """The name of the topic predicate selecting the rule's tables (one per distinct topic regex)."""
        regex = self.topic_regex(rule.locator.schema_name or "", rule.locator.table_name or "")
        for name, predicate in self.predicates.items():
            if predicate.config["pattern"] == regex:
                return name
        name = f"dmstable{len(self.predicates) + 1}"
        self.predicates[name] = Predicate(name, _PREDICATE_TOPIC, {"pattern": regex})
        return name


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
    source_engine: Engine | None = None,
) -> TransformPlan:
    """Compile transformation rules (in rule-id order) against a compiled selection.

    ``target_schema``: DMS TargetMetadata.TargetSchema (empty: the source schema).
    ``schema_in_table_name``: the sink target qualifies tables by schema (PostgreSQL, SQL Server,
    Oracle, Db2); False for MySQL/MariaDB, whose database is the one in the JDBC URL
    (:attr:`TransformPlan.target_database`).
    ``source_engine``: says which source properties a ``lob-settings`` rule turns on; when not given, the
    registered source engine of ``style``.
    """
    engine = source_engine or find_source_engine(style=style)
    state = _State(
        rules=sorted(rules, key=lambda r: r.order_key),
        selection=selection,
        style=style,
        debezium_version=debezium_version,
        version=_version(debezium_version),
        task=task,
        table_settings=table_settings,
        target_schema=target_schema,
        schema_in_table_name=schema_in_table_name,
        lob_properties=dict(engine.LOB_PROPERTIES) if engine else {},
        prefix_regex=fq_regex((topic_prefix, True)) if topic_prefix else r"[^.]+(?:\.[^.]+)*",
        database_part=r"[^.]+\." * style.topic_parts_before_schema,
        notes=Notes(task, None),  # map_task fills in the region
    )
    for phase in _PHASES:
        phase(state)
    return TransformPlan(
        source_properties=state.source,
        sink_transforms=state.chain,
        sink_properties=state.sink,
        target_tables=state.target_tables,
        target_database=state.target_database,
        findings=tuple(state.notes.items),
    )


# --------------------------------------------------------------------------- #
# Phase: rules (one action per object)                                         #
# --------------------------------------------------------------------------- #


def _keep_first_rule_per_object(st: _State) -> None:
    """A later rule on the same object is ignored: DMS applies only the lowest rule-id."""
    seen: dict[tuple[str, str, str | None, str | None, str | None, bool], TransformationRule] = {}
    for rule in st.rules:
        loc = rule.locator
        masking = rule.action in DATA_MASKING_ACTIONS or rule.action in ("add-column", "change-data-type")
        key = (rule.target, loc.schema_name or "", loc.table_name, loc.column_name, loc.data_type, masking)
        if rule.action not in ("add-column", "define-primary-key") and key in seen:
            first = seen[key]
            st.notes.add(
                Severity.WARNING,
                FindingCode.TRANSFORMATION_DUPLICATE,
                f"{rule.action} on {_locator_text(rule)} is ignored: rule {first.rule_id} ({first.action}) already "
                "transforms this object and DMS applies only the lowest rule-id",
                rule,
                hint="merge the two rules",
            )
            continue
        seen.setdefault(key, rule)
        st.active.append(rule)
    st.schema_rules = [r for r in st.active if r.target == "schema" and r.action in NAME_ACTIONS]
    st.table_rules = [r for r in st.active if r.target == "table" and r.action in NAME_ACTIONS]


# --------------------------------------------------------------------------- #
# Phase: target names of tables and schemas                                    #
# --------------------------------------------------------------------------- #


def _resolve_target_tables(st: _State) -> None:
    """Target names of the tables selected by exact name."""
    for p in st.selection.includes:
        if p.exact_schema is not None and p.exact_table is not None:
            st.exact_tables.append((p.exact_schema, p.exact_table))
        else:
            st.wildcard_includes.append(p)
    for schema, table in st.exact_tables:
        st.target_tables[f"{schema}.{table}"] = f"{st.target_schema_of(schema)}.{st.target_table_of(schema, table)}"


def _resolve_target_schemas(st: _State) -> None:
    """Where the tables land: the target schemas known now, and whether some are known only at run time."""
    st.target_schemas = {t.split(".", 1)[0] for t in st.target_tables.values()}
    for pattern in st.wildcard_includes:
        if pattern.exact_schema is not None:
            st.target_schemas.add(st.target_schema_of(pattern.exact_schema))
        elif any(r.action == "rename" and r.locator.schema_name == "%" for r in st.schema_rules[:1]):
            st.target_schemas.add(st.schema_rules[0].value or "")
        elif st.target_schema and not st.schema_rules:
            st.target_schemas.add(st.target_schema)
        else:
            st.unknown_schema = True
    st.named_schemas = sorted({p.exact_schema for p in st.selection.includes if p.exact_schema is not None})
    st.wildcard_schema_patterns = [p.schema_pattern for p in st.selection.includes if p.exact_schema is None]


def _report_schema_rules(st: _State) -> None:
    for rule in st.schema_rules:
        became = "the sink's target schema (table name format)" if st.schema_in_table_name else "the target database"
        applied = [s for s in st.named_schemas if st.schema_rule_of(s) is rule]
        shadowed = [s for s in st.named_schemas if s not in applied and _dms_match(rule.locator.schema_name, s)]
        rename_all = rule.action == "rename" and rule.locator.schema_name == "%" and st.schema_rules[0] is rule
        missed = [] if rename_all else st.wildcard_schema_patterns
        if applied or rename_all:
            names = ", ".join(f"{s} → {st.target_schema_of(s)}" for s in applied) or f"every schema → {rule.value}"
            st.notes.add(
                Severity.WARNING if missed else Severity.INFO,
                FindingCode.TRANSFORMATION_SCHEMA,
                f"{rule.action} on schema {rule.locator.schema_name} became {became} ({names})"
                + (f"; not applied to schemas selected by wildcard ({', '.join(missed)})" if missed else ""),
                rule,
                became=became,
            )
        elif shadowed:
            st.notes.add(
                Severity.WARNING,
                FindingCode.TRANSFORMATION_DUPLICATE,
                f"{rule.action} on schema {rule.locator.schema_name} is ignored for {', '.join(shadowed)}: a rule "
                "with a lower rule-id already transforms it and DMS applies only one",
                rule,
                hint="merge the rules",
            )
        elif missed:
            st.notes.add(
                Severity.WARNING,
                FindingCode.TRANSFORMATION_SCHEMA,
                f"{rule.action} on schemas {rule.locator.schema_name} cannot be applied to schemas selected by "
                f"wildcard ({', '.join(missed)})",
                rule,
                hint="select the schemas by name so their target names can be computed",
            )
        else:
            st.notes.add(
                Severity.INFO,
                FindingCode.TRANSFORMATION_SCHEMA,
                f"{rule.action} on schema {rule.locator.schema_name} matches no selected schema; nothing to carry over",
                rule,
            )


# --------------------------------------------------------------------------- #
# Phase: column actions (source properties and column SMTs on source topics)   #
# --------------------------------------------------------------------------- #


def _compile_column_actions(st: _State) -> None:
    for rule in st.active:
        action = _column_action_of(rule)
        if action is not None:
            action(st, rule)


def _column_action_of(rule: TransformationRule) -> Callable[[_State, TransformationRule], None] | None:
    """The phase step for one rule; None for schema and table naming rules (the router phase does them)."""
    loc = rule.locator
    if rule.target in ("table-tablespace", "index-tablespace"):
        return _report_tablespace
    if (
        rule.target == "column"
        and loc.data_type
        and (not loc.column_name or loc.column_name == "%")
        and rule.action != "change-data-type"
    ):
        return _report_by_data_type
    if rule.action in DATA_MASKING_ACTIONS:
        return _mask_column
    if rule.target == "column" and rule.action in NAME_ACTIONS:
        return _rename_column
    return _COLUMN_ACTIONS.get(rule.action)


def _report_tablespace(st: _State, rule: TransformationRule) -> None:
    st.notes.add(
        Severity.INFO,
        FindingCode.TRANSFORMATION_TABLESPACE,
        f"{rule.action} of an Oracle {rule.target} is target DDL; the JDBC sink creates tables in the "
        "default tablespace",
        rule,
        hint="pre-create the target tables in the wanted tablespaces",
    )


def _report_by_data_type(st: _State, rule: TransformationRule) -> None:
    st.notes.add(
        Severity.WARNING,
        FindingCode.TRANSFORMATION_BY_DATA_TYPE,
        f"{rule.action} on columns of data type {rule.locator.data_type} is not carried over: Debezium selects "
        "columns by name only",
        rule,
        hint="list the columns by name",
    )


def _collect_remove_column(st: _State, rule: TransformationRule) -> None:
    st.removes.append(rule)


def _collect_include_column(st: _State, rule: TransformationRule) -> None:
    st.includes_col.append(rule)


def _key_literal(name: str) -> str:
    """``name`` as a regex for ``message.key.columns``, where Debezium reads every table and column as a regex.

    Debezium splits the property on ';', ':' and ',' and trims the parts (a trailing escaped space loses its
    space), so those characters and whitespace are written as hex escapes, which Java and Python both read.
    """
    out = []
    for char in name:
        if char in ",;:" or char.isspace():
            out.append(f"\\x{ord(char):02X}" if ord(char) < 0x100 else f"\\u{ord(char):04X}")
        else:
            out.append(wildcard_regex(char, segment=False, literal=True))
    return "".join(out)


def _define_primary_key(st: _State, rule: TransformationRule) -> None:
    loc = rule.locator
    columns = [str(c) for c in (rule.primary_key_def or {}).get("columns", [])]
    table_regex = rf"{_key_literal(loc.schema_name or '')}\.{_key_literal(loc.table_name or '')}"
    # DMS key definitions are exact: the entry keeps letter case and quotes every character.
    st.key_columns.append(case_sensitive_key_entry(table_regex, [_key_literal(c) for c in columns]))
    origin = (rule.primary_key_def or {}).get("origin", "primary-key")
    st.notes.add(
        Severity.INFO if origin != "unique-index" else Severity.WARNING,
        FindingCode.TRANSFORMATION_PRIMARY_KEY,
        f"define-primary-key {_locator_text(rule)} ({', '.join(columns)}) became message.key.columns; "
        "the sink upserts and deletes by this key (primary.key.mode=record_key)"
        + ("; a unique index is not created in the target (origin unique-index)" if origin == "unique-index" else ""),
        rule,
        became="message.key.columns",
    )


def _report_before_image(st: _State, rule: TransformationRule) -> None:
    st.notes.add(
        Severity.WARNING,
        FindingCode.TRANSFORMATION_BEFORE_IMAGE,
        "add-before-image-columns is not carried over: the JDBC sink writes the row's after image; the "
        "before image stays in the Kafka change events (field 'before')",
        rule,
        hint="consume the topic for before images; full images need REPLICA IDENTITY FULL (PostgreSQL) "
        "or binlog_row_image=FULL (MySQL)",
    )


def _mask_column(st: _State, rule: TransformationRule) -> None:
    regex = _column_regex(rule)
    if rule.action == "data-masking-hash-mask":
        st.mask_hash.append(regex)
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_MASKING,
            f"{rule.action} on {_locator_text(rule)} became column.mask.hash.SHA-256.with.salt.*: a salted "
            "SHA-256 hash, whose values differ from DMS's hash",
            rule,
            became="column.mask.hash.SHA-256.with.salt.<salt>",
            hint="change the salt in the generated config to a value of your own",
        )
        return
    st.mask_chars.append(regex)
    st.notes.add(
        Severity.WARNING,
        FindingCode.TRANSFORMATION_MASKING,
        f"{rule.action} on {_locator_text(rule)} became column.mask.with.8.chars: Debezium replaces the "
        "whole value with asterisks instead of masking or randomizing each digit (more is hidden, "
        "not less)",
        rule,
        became="column.mask.with.8.chars",
    )


def _change_data_type(st: _State, rule: TransformationRule) -> None:
    loc = rule.locator
    dms_type = str((rule.data_type or {}).get("type", "")).lower()
    cast = _CAST_TYPES.get(dms_type)
    if cast is None or not loc.column_name or has_wildcard(loc.column_name):
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_CHANGE_DATA_TYPE,
            f"change-data-type of {_locator_text(rule)} to {_dms_type_text(rule.data_type or {})} is not "
            "carried over: "
            + (
                "Kafka Connect's Cast SMT converts only primitive types"
                if cast is None
                else "Cast needs an exact column name"
            ),
            rule,
            hint="pre-create the target table with the wanted column type (the JDBC sink keeps it)",
        )
        return
    st.needs_unwrap = True
    name = f"dmscast{rule.rule_id}"
    st.column_smts.append(Smt(name, _SMT_CAST, {"spec": f"{loc.column_name}:{cast}"}, predicate=st.predicate_for(rule)))
    lost = _cast_differences(rule.data_type or {}, cast)
    st.notes.add(
        Severity.WARNING if lost else Severity.INFO,
        FindingCode.TRANSFORMATION_CHANGE_DATA_TYPE,
        f"change-data-type of {_locator_text(rule)} to {dms_type} became sink SMT transforms.{name} "
        f"(Cast {cast})" + "".join(f"; {difference}" for difference in lost),
        rule,
        became=f"transforms.{name}",
        hint="pre-create the target column with the type DMS would create (the JDBC sink keeps it)" if lost else None,
    )


def _add_column(st: _State, rule: TransformationRule) -> None:
    expression = (rule.expression or "").strip()
    literal = _static_literal(expression)
    column = rule.value or ""
    if literal is not None:
        st.needs_unwrap = True
        name = f"dmsaddcol{rule.rule_id}"
        config = {"static.field": column, "static.value": literal}
        st.column_smts.append(Smt(name, _SMT_INSERT, config, predicate=st.predicate_for(rule)))
        st.notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_ADD_COLUMN,
            f"add-column {column} with a static value became sink SMT transforms.{name} (InsertField)",
            rule,
            became=f"transforms.{name}",
        )
    elif expression in _HEADER_FIELDS:
        st.needs_unwrap = True
        field_name = _HEADER_FIELDS[expression]
        if field_name not in st.unwrap_fields:
            st.unwrap_fields.append(field_name)
        st.renamed_header_fields.append((rule, field_name))
        st.notes.add(
            Severity.WARNING if expression == "$AR_H_OPERATION" else Severity.INFO,
            FindingCode.TRANSFORMATION_ADD_COLUMN,
            f"add-column {column} = {expression} became ExtractNewRecordState add.fields={field_name} "
            f"renamed to {column}"
            + (" (values are Debezium's c/u/d/r, not INSERT/UPDATE/DELETE)" if field_name == "op" else ""),
            rule,
            became=f"add.fields={field_name}",
        )
    else:
        st.notes.add(
            Severity.BLOCKER,
            FindingCode.TRANSFORMATION_ADD_COLUMN,
            f"add-column {column} with expression {expression!r} is not carried over: Kafka Connect has no "
            "SQLite expression SMT",
            rule,
            hint="add a generated column in the target table, or write a custom SMT",
        )


def _rename_column(st: _State, rule: TransformationRule) -> None:
    column = rule.locator.column_name or ""
    # A name whose only wildcard is '_' (first_name) names one column in practice: ReplaceField
    # renames that column; DMS would also rename first?name, which the finding says.
    named_column = named_object(column)
    if named_column is not None:
        st.needs_unwrap = True
        new_name = apply_name_action(rule, named_column)
        name = f"dmscolumn{rule.rule_id}"
        config = {"renames": f"{named_column}:{new_name}"}
        st.column_smts.append(Smt(name, _SMT_RENAME, config, predicate=st.predicate_for(rule)))
        st.notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_COLUMN_NAME,
            f"{rule.action} of column {_locator_text(rule)} → {new_name} became sink SMT transforms.{name} "
            "(ReplaceField renames)"
            + (
                f"; DMS reads '_' in {column} as any one character, the SMT renames the column named "
                f"{named_column} only"
                if has_wildcard(column)
                else ""
            ),
            rule,
            became=f"transforms.{name}",
        )
    elif (
        st.version >= (3, 2)
        and rule.action in ("convert-lowercase", "convert-uppercase", "add-prefix", "add-suffix")
        and column == "%"
        and _covers_all(rule, st.selection)
    ):
        name = f"dmscolumns{rule.rule_id}"
        st.transforms.append(Smt(name, _JDBC_FIELD_NAMING, _naming_config("column", rule)))
        st.notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_COLUMN_NAME,
            f"{rule.action} of all columns became sink SMT transforms.{name} (FieldNameTransformation)",
            rule,
            became=f"transforms.{name}",
        )
    else:
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_COLUMN_NAME,
            f"{rule.action} of columns {_locator_text(rule)} is not carried over: column names matched by "
            "wildcard can be renamed only for all columns of all tables (Debezium 3.2+ FieldNameTransformation"
            ", for lower/upper case and added prefixes or suffixes)",
            rule,
            hint="write one rule per column, or pre-create the target tables with the wanted names",
        )


_COLUMN_ACTIONS: dict[str, Callable[[_State, TransformationRule], None]] = {
    "remove-column": _collect_remove_column,
    "include-column": _collect_include_column,
    "define-primary-key": _define_primary_key,
    "add-before-image-columns": _report_before_image,
    "change-data-type": _change_data_type,
    "add-column": _add_column,
}


def _emit_source_column_properties(st: _State) -> None:
    """Column lists, message key columns and masks: the source connector's part of the column actions."""
    st.source.update(_column_lists(st.removes, st.includes_col, st.style, st.notes))
    if st.key_columns:
        st.source["message.key.columns"] = ";".join(st.key_columns)
    if st.mask_hash:
        salt = f"dms2msk-{st.task or 'task'}"
        st.source[f"column.mask.hash.SHA-256.with.salt.{salt}"] = ",".join(case_sensitive(r) for r in st.mask_hash)
    if st.mask_chars:
        st.source["column.mask.with.8.chars"] = ",".join(case_sensitive(r) for r in st.mask_chars)


def _report_filters_on_removed_columns(st: _State) -> None:
    """DMS filters on the source row, Debezium as well (snapshot SELECT), but the streaming filter sees only
    the columns left in the event."""
    for compiled in st.selection.filters:
        for f in compiled.rule.filters:
            for rule in st.removes:
                if (
                    _dms_match(rule.locator.schema_name, compiled.schema)
                    and _dms_match(rule.locator.table_name, compiled.table)
                    and _dms_match(rule.locator.column_name, f.column_name)
                ):
                    st.notes.add(
                        Severity.WARNING,
                        FindingCode.TRANSFORMATION_FILTER_ON_REMOVED_COLUMN,
                        f"removes column {f.column_name} of {compiled.schema}.{compiled.table}, which selection rule "
                        f"{compiled.rule.rule_id} filters on; the streaming filter cannot see a removed column",
                        rule,
                        hint="filter on a column that is kept, or keep the column",
                    )


# --------------------------------------------------------------------------- #
# Phase: routers (table names on the sink)                                     #
# --------------------------------------------------------------------------- #


def _decide_passthrough(st: _State) -> None:
    """Several target schemas, all known: on 3.1+ each topic is routed to "<schema>.<table>" and the
    pass-through naming strategy keeps that dot, which the JDBC sink reads as the schema separator."""
    st.passthrough = (
        st.schema_in_table_name
        and st.version >= (3, 1)
        and not st.unknown_schema
        and len(st.target_schemas) > 1
        and all(p.exact_schema is not None for p in st.selection.includes)
        and not any(
            _patterns_may_meet(r.locator.schema_name or "", p.schema_pattern)
            and _patterns_may_meet(r.locator.table_name or "", p.table_pattern)
            for r in st.table_rules
            for p in st.wildcard_includes
        )
    )


def _report_shared_topics(st: _State) -> None:
    _report_topic_clashes(st.exact_tables, st.notes)


def _route_exact_tables(st: _State) -> None:
    for source_name, target_name in st.target_tables.items():
        schema, table = source_name.split(".", 1)
        new_table = target_name.split(".", 1)[1]
        # Debezium writes a name with characters a topic cannot hold with '_' ("Order Details" ->
        # Order_Details): route the topic it really writes to the name DMS gives the table.
        if new_table != topic_part(table) or st.passthrough:
            config = {
                "regex": st.topic_regex(topic_part(schema), topic_part(table), literal=True),
                "replacement": java_replacement(target_name if st.passthrough else new_table),
            }
            st.routers.append(Smt(f"dmsroute{len(st.routers) + 1}", _SMT_ROUTER, config))
        if "." in new_table and not st.passthrough:
            st.notes.add(
                Severity.WARNING,
                FindingCode.TRANSFORMATION_TABLE_NAME,
                f"table {source_name}: DMS writes it as {new_table!r}, but the JDBC sink's naming turns the '.' of "
                f"a topic into '_' ({new_table.replace('.', '_')!r})",
                hint="rename the table with a DMS rule to a name without '.', or pre-create it and route by hand",
            )
    if not st.passthrough:
        return
    for schema in sorted({p.exact_schema for p in st.wildcard_includes if p.exact_schema is not None}):
        config = {
            "regex": st.prefix_regex + r"\." + st.database_part + fq_regex((topic_part(schema), True)) + r"\.(.*)",
            "replacement": java_replacement(st.target_schema_of(schema) + ".") + "$1",
        }
        st.routers.append(Smt(f"dmsroute{len(st.routers) + 1}", _SMT_ROUTER, config))


def _route_table_rules(st: _State) -> None:
    for rule in st.table_rules:
        _route_table_rule(st, rule)


def _route_table_rule(st: _State, rule: TransformationRule) -> None:
    hits, shadowed = _tables_of_rule(st, rule)
    if shadowed:
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_DUPLICATE,
            f"{rule.action} of tables {_locator_text(rule)} is ignored for {', '.join(shadowed)}: a rule with a "
            "lower rule-id already transforms them and DMS applies only one",
            rule,
            hint="merge the rules",
        )
    wild = [
        p
        for p in st.wildcard_includes
        if _patterns_may_meet(rule.locator.schema_name or "", p.schema_pattern)
        and _patterns_may_meet(rule.locator.table_name or "", p.table_pattern)
    ]
    parts: list[str] = []
    if hits:
        parts.append(f"table name(s) {', '.join(st.target_tables[h].split('.', 1)[1] for h in hits)} (RegexRouter)")
    if wild:
        parts.extend(_route_wildcard_tables(st, rule))
    if parts:
        st.notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_TABLE_NAME,
            f"{rule.action} of tables {_locator_text(rule)} became " + " and ".join(parts),
            rule,
            became=" and ".join(parts),
        )
    elif not wild and not shadowed:
        st.notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_TABLE_NAME,
            f"{rule.action} of tables {_locator_text(rule)} matches no selected table; nothing to carry over",
            rule,
        )


def _tables_of_rule(st: _State, rule: TransformationRule) -> tuple[list[str], list[str]]:
    """The exact tables a table rule renames, and those it matches but a lower rule-id renames instead."""
    hits = [f"{s}.{t}" for s, t in st.exact_tables if s and t and st.table_rule_of(s, t) is rule]
    shadowed = [
        f"{s}.{t}"
        for s, t in st.exact_tables
        if s
        and t
        and f"{s}.{t}" not in hits
        and _dms_match(rule.locator.schema_name, s)
        and _dms_match(rule.locator.table_name, t)
    ]
    return hits, shadowed


def _route_wildcard_tables(st: _State, rule: TransformationRule) -> list[str]:
    """The SMT that renames the tables a rule matches among tables selected by wildcard (what it became)."""
    if _compares_untopicable_text(st, rule):
        return []
    router = _wildcard_router(rule, st.topic_regex, f"dmsroute{len(st.routers) + 1}")
    if router is not None:
        st.routers.append(router)
        return [f"sink SMT transforms.{router.name} (RegexRouter)"]
    if (
        st.version >= (3, 2)
        and rule.action in ("convert-lowercase", "convert-uppercase")
        and _covers_all(rule, st.selection)
    ):
        smt = Smt(f"dmstables{rule.rule_id}", _JDBC_COLLECTION_NAMING, _naming_config("collection", rule))
        st.collection_naming.append(smt)
        return [f"sink SMT transforms.{smt.name} (CollectionNameTransformation)"]
    st.notes.add(
        Severity.WARNING,
        FindingCode.TRANSFORMATION_TABLE_NAME,
        f"{rule.action} of tables {_locator_text(rule)} is not carried over for tables selected by "
        "wildcard"
        + (
            ": DMS forbids renaming several tables to one name"
            if rule.action == "rename"
            else (
                " (letter case needs Debezium 3.2+ CollectionNameTransformation and a rule on all selected tables)"
                if rule.action in ("convert-lowercase", "convert-uppercase")
                else ""
            )
        ),
        rule,
        # The sink quotes names (DMS keeps the source's case), so the target does not fold them either.
        hint="select the tables by name so that their target names can be computed, or use Debezium "
        "3.2+ with the rule on every selected table",
    )
    return []


_COMPARED_VALUE = {"remove-prefix": "value", "remove-suffix": "value", "replace-prefix": "old_value",
                   "replace-suffix": "old_value"}  # fmt: skip


def _compares_untopicable_text(st: _State, rule: TransformationRule) -> bool:
    """A warning when the text a prefix/suffix rule looks for holds a character a topic cannot hold.

    The router reads Debezium's topic, where that character is '_': it would find the text in no table
    ("pre orders" is pre_orders in the topic) and, matched as '_', it would also strip tables DMS leaves alone.
    """
    attribute = _COMPARED_VALUE.get(rule.action)
    compared = str(getattr(rule, attribute) or "") if attribute else ""
    odd = sorted({c for c in compared if topic_part(c) != c})
    if not odd:
        return False
    where = "start" if rule.action.endswith("prefix") else "end"
    st.notes.add(
        Severity.WARNING,
        FindingCode.TRANSFORMATION_TABLE_NAME,
        f"{rule.action} of tables {_locator_text(rule)} is not carried over for tables selected by wildcard: "
        f"its text {compared!r} holds {', '.join(repr(c) for c in odd)}, which Debezium's topic names hold as "
        f"'_', so no table is renamed, where DMS renames the tables whose names {where} with {compared!r}",
        rule,
        hint="select such tables by name so that their target names can be computed",
    )
    return True


def _route_remaining_tables(st: _State) -> None:
    """Whatever is still in source form loses <prefix>.<schema>. (the schema goes into the name format)."""
    if st.passthrough:
        return
    config = {"regex": st.prefix_regex + r"\." + st.database_part + r"[^.]+\.(.*)", "replacement": "$1"}
    st.routers.append(Smt("dmstablename", _SMT_ROUTER, config, note="target table name = source table name"))


# --------------------------------------------------------------------------- #
# Phase: the SMT chain                                                         #
# --------------------------------------------------------------------------- #


def _emit_chain(st: _State) -> None:
    """Unwrap (when column SMTs need flat records), column SMTs, header renames, naming SMTs, routers."""
    # The header renames add their predicates, so the chain's predicates are read after them.
    head = [_unwrap(st), *st.column_smts, *_header_smts(st)] if st.needs_unwrap else st.column_smts
    chain_list = [*head, *st.transforms, *st.routers, *st.collection_naming]
    st.chain = SmtChain(tuple(chain_list), tuple(st.predicates.values()))


def _unwrap(st: _State) -> Smt:
    unwrap_config = {"delete.tombstone.handling.mode": "tombstone"}
    if st.unwrap_fields:
        unwrap_config["add.fields"] = ",".join(st.unwrap_fields)
    return Smt("dmsunwrap", _SMT_UNWRAP, unwrap_config)


def _header_smts(st: _State) -> list[Smt]:
    """Header fields from ExtractNewRecordState, renamed per rule."""
    header_smts = [
        Smt(
            f"dmsheader{rule.rule_id}",
            _SMT_RENAME,
            {"renames": f"__{field_name}:{rule.value}"},
            predicate=st.predicate_for(rule),
        )
        for rule, field_name in st.renamed_header_fields
    ]
    if st.unwrap_fields:
        # Tables no rule asked for the field: drop it again.
        header_smts.append(Smt("dmsheaderdrop", _SMT_RENAME, {"exclude": ",".join(f"__{f}" for f in st.unwrap_fields)}))
    return header_smts


# --------------------------------------------------------------------------- #
# Phase: table name format                                                     #
# --------------------------------------------------------------------------- #


def _resolve_target_database(st: _State) -> None:
    st.format_key = table_name_format_key(st.debezium_version)
    if len(st.target_schemas) == 1 and not st.unknown_schema:
        st.target_database = next(iter(st.target_schemas))
    if st.target_database is not None and "$" in st.target_database:
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_TARGET_SCHEMA,
            f"target schema {st.target_database} contains '$', which the table name format cannot hold",
            hint="rename the target schema",
        )
        st.target_database = None


def _emit_table_name_format(st: _State) -> None:
    if st.passthrough:
        _format_passthrough(st)
    elif st.schema_in_table_name and st.target_database is not None:
        # A literal dot in the format selects the schema; ${topic} itself has its dots turned into '_'.
        st.sink[st.format_key] = st.target_database + ".${topic}"
    elif _wildcard_schemas_keep_names(st) and not st.needs_unwrap and st.version >= (3, 0):
        _format_from_source_schema(st)
    elif (
        _wildcard_schemas_keep_names(st)
        and st.version >= (3, 1)
        and all(r.name == "dmstablename" for r in st.routers)
        and not st.collection_naming
    ):
        _format_routed_schemas(st)
    else:
        _format_default_schema(st)


def _wildcard_schemas_keep_names(st: _State) -> bool:
    """Tables selected by wildcard schemas, and no schema rule renames any of those schemas."""
    return (
        st.schema_in_table_name
        and st.unknown_schema
        and not any(
            _patterns_may_meet(r.locator.schema_name or "", p)
            for r in st.schema_rules
            for p in st.wildcard_schema_patterns
        )
        and (not st.target_schemas or st.target_schemas <= set(st.named_schemas))
    )


def _format_passthrough(st: _State) -> None:
    st.sink[st.format_key] = "${topic}"
    st.sink["collection.naming.strategy"] = _PASSTHROUGH_NAMING
    st.notes.add(
        Severity.INFO,
        FindingCode.TRANSFORMATION_TARGET_SCHEMA,
        f"the tables land in {len(st.target_schemas)} target schemas ({', '.join(sorted(st.target_schemas))}): "
        "each topic is routed to <schema>.<table> and collection.naming.strategy keeps the dot",
        became="collection.naming.strategy",
    )


def _format_from_source_schema(st: _State) -> None:
    """Schemas selected by wildcard keep their names: the sink reads each record's source schema."""
    st.sink[st.format_key] = "${source." + st.style.source_schema_field + "}.${topic}"
    st.notes.add(
        Severity.INFO,
        FindingCode.TRANSFORMATION_TARGET_SCHEMA,
        f"tables selected by wildcard schemas keep their schema: {st.format_key}={st.sink[st.format_key]}",
        became=st.format_key,
    )


def _format_routed_schemas(st: _State) -> None:
    """Flattened records (column SMTs) have no source block to read the schema from: the last router keeps
    "<schema>.<table>" in the topic instead, and the pass-through strategy keeps that dot."""
    schema_router = Smt(
        "dmstablename",
        _SMT_ROUTER,
        {"regex": st.prefix_regex + r"\." + st.database_part + r"([^.]+)\.(.*)", "replacement": "$1.$2"},
        note="target schema.table = source schema.table",
    )
    chain_list = [schema_router if smt.name == "dmstablename" else smt for smt in st.chain.transforms]
    st.chain = SmtChain(tuple(chain_list), tuple(st.predicates.values()))
    st.passthrough = True
    st.sink[st.format_key] = "${topic}"
    st.sink["collection.naming.strategy"] = _PASSTHROUGH_NAMING
    st.notes.add(
        Severity.INFO,
        FindingCode.TRANSFORMATION_TARGET_SCHEMA,
        "tables selected by wildcard schemas keep their schema: each topic is routed to <schema>.<table> and "
        "collection.naming.strategy keeps the dot",
        became="collection.naming.strategy",
    )


def _format_default_schema(st: _State) -> None:
    st.sink[st.format_key] = "${topic}"
    if st.schema_in_table_name and (len(st.target_schemas) > 1 or st.unknown_schema):
        st.notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_TARGET_SCHEMA,
            "the selected tables land in "
            + (
                f"several target schemas ({', '.join(sorted(st.target_schemas))})"
                if not st.unknown_schema
                else "target schemas known only at run time (schemas selected by wildcard)"
            )
            + "; the JDBC sink writes them all into the connection's default schema",
            hint="split the task per target schema, rename the schemas to one target schema"
            + ("" if st.version >= (3, 0) else ", or use Debezium 3.x, whose sink can read the source schema"),
        )


def _name_tables_from_source(st: _State) -> None:
    """On 3.x, when no rule renames a table, the sink names it from the record's source: Debezium's topic has
    '_' for characters a topic cannot hold ("Order Details", "주문"), the source field keeps them."""
    if (
        st.version >= (3, 0)
        and not st.passthrough
        and not st.needs_unwrap
        and not st.collection_naming
        and all(r.name == "dmstablename" for r in st.routers)
    ):
        st.sink[st.format_key] = st.sink[st.format_key].replace("${topic}", "${source.table}")
    elif st.wildcard_includes:
        why = "this sink names tables from the topic (" + (
            "Debezium 2.x" if st.version < (3, 0) else "a table rule's router, a column rule or several target schemas"
        )
        st.notes.items.extend(topic_sanitized_findings(st.wildcard_includes, st.task, why + ")"))
    _report_merged_tables(st.target_tables, st.sink[st.format_key], st.passthrough, st.target_database, st.notes)


# --------------------------------------------------------------------------- #
# Phase: table settings and the column-list report                             #
# --------------------------------------------------------------------------- #


def _compile_table_settings(st: _State) -> None:
    for ts in st.table_settings:
        if ts.parallel_load:
            st.notes.add(
                Severity.INFO,
                FindingCode.TABLE_SETTINGS_PARALLEL_LOAD,
                f"parallel-load ({ts.parallel_load.get('type')}) of {ts.locator.schema_name}.{ts.locator.table_name} "
                "is not carried over: Debezium snapshots each table in one query (snapshot.max.threads runs tables "
                "in parallel)",
                ts,
                hint="raise snapshot.max.threads for many tables, or use an incremental snapshot for large ones",
            )
        if ts.lob_settings:
            _compile_lob_settings(st, ts)
        if not ts.parallel_load and not ts.lob_settings:
            st.notes.add(
                Severity.INFO, FindingCode.TABLE_SETTINGS_EMPTY, "table-settings rule sets nothing Debezium uses", ts
            )


def _compile_lob_settings(st: _State, ts: TableSettingsRule) -> None:
    mode = str(ts.lob_settings.get("mode", "limited"))
    if st.lob_properties and mode != "none":
        st.source.update(st.lob_properties)
        became = ", ".join(f"{key}={value}" for key, value in sorted(st.lob_properties.items()))
    else:
        became = None
    st.notes.add(
        Severity.INFO if mode == "unlimited" else Severity.WARNING,
        FindingCode.TABLE_SETTINGS_LOB,
        f"lob-settings mode {mode} of {ts.locator.schema_name}.{ts.locator.table_name}: Debezium sends LOBs "
        "whole (no truncation at bulk-max-size); size limits are the Kafka message size settings"
        + (f"; became {became}" if became else ""),
        ts,
        became=became,
        hint="raise producer.override.max.request.size and the topic's max.message.bytes for large LOBs",
    )


def _report_column_lists(st: _State) -> None:
    """What each remove-column / include-column rule became, unless an earlier phase already said so."""
    column_key = (
        st.style.column_exclude_key if st.style.column_exclude_key in st.source else st.style.column_include_key
    )
    reported = {
        f.rule_id
        for f in st.notes.items
        if f.code in (FindingCode.TRANSFORMATION_REMOVE_COLUMN, FindingCode.TRANSFORMATION_INCLUDE_COLUMN)
    }
    for rule in st.rules:
        if rule.rule_id in reported or (column_key or "") not in st.source:
            continue
        if rule.action == "remove-column":
            st.notes.add(
                Severity.INFO,
                FindingCode.TRANSFORMATION_REMOVE_COLUMN,
                f"remove-column {_locator_text(rule)} became {column_key}",
                rule,
                became=column_key,
            )
        elif rule.action == "include-column":
            st.notes.add(
                Severity.INFO,
                FindingCode.TRANSFORMATION_INCLUDE_COLUMN,
                f"include-column {_locator_text(rule)} became {st.style.column_include_key}",
                rule,
                became=st.style.column_include_key,
            )


_PHASES: tuple[Callable[[_State], None], ...] = (
    _keep_first_rule_per_object,
    _resolve_target_tables,
    _resolve_target_schemas,
    _report_schema_rules,
    _compile_column_actions,
    _emit_source_column_properties,
    _report_filters_on_removed_columns,
    _decide_passthrough,
    _report_shared_topics,
    _route_exact_tables,
    _route_table_rules,
    _route_remaining_tables,
    _emit_chain,
    _resolve_target_database,
    _emit_table_name_format,
    _name_tables_from_source,
    _compile_table_settings,
    _report_column_lists,
)
"""The phases of :func:`compile_transformations`, in the order they run."""


def _column_regex(rule: TransformationRule) -> str:
    """The regex of the columns a column rule's locator names (``schema.table.column``)."""
    loc = rule.locator
    return fq_regex((loc.schema_name or "", False), (loc.table_name or "", False), (loc.column_name or "", False))


def _static_literal(expression: str) -> str | None:
    """The value of a SQLite literal expression ('text', 42, 4.2), or None for anything else."""
    if (
        len(expression) >= 2
        and expression[0] == expression[-1] == "'"
        and "'" not in expression[1:-1].replace("''", "")
    ):
        return expression[1:-1].replace("''", "'")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", expression):
        return expression
    return None


def _report_merged_tables(
    target_tables: dict[str, str], name_format: str, passthrough: bool, target_database: str | None, notes: Notes
) -> None:
    """A blocker when the sink writes two source tables into one table that DMS keeps apart.

    Where a table lands: with the pass-through strategy the routed ``<schema>.<table>``; with a literal
    schema in the format that schema; with ``${source.<schema>}`` its own schema; with a bare ``${topic}``
    the connection's default schema, whatever DMS's target schema was.
    """
    landed: dict[str, list[str]] = {}
    for source_name, target_name in target_tables.items():
        table = target_name.split(".", 1)[1]
        if passthrough or name_format.startswith("${source."):
            where = target_name if passthrough else f"{source_name.split('.', 1)[0]}.{table}"
        elif target_database is not None and name_format.startswith(target_database + "."):
            where = f"{target_database}.{table}"
        else:
            where = f"<the connection's default schema>.{table}"
        landed.setdefault(where, []).append(source_name)
    for where, sources in sorted(landed.items()):
        if len({target_tables[s] for s in sources}) > 1:
            notes.add(
                Severity.BLOCKER,
                FindingCode.TRANSFORMATION_TABLES_MERGE,
                f"tables {' and '.join(sorted(sources))} are written into one target table {where}, where DMS writes "
                f"{' and '.join(sorted({target_tables[s] for s in sources}))}: their rows would merge",
                hint='use Debezium 3.x (debezium_version = "3.6.3.Final"), whose sink keeps each table\'s schema, '
                "or split the task per target schema",
            )


def _report_topic_clashes(tables: Sequence[tuple[str | None, str | None]], notes: Notes) -> None:
    """A blocker when Debezium writes two selected tables into one topic (their names differ only in
    characters a topic cannot hold): the sink cannot tell their records apart, so their rows would merge."""
    by_topic: dict[tuple[str, str], list[str]] = {}
    for schema, table in tables:
        if schema is not None and table is not None:
            by_topic.setdefault((topic_part(schema), topic_part(table)), []).append(f"{schema}.{table}")
    for (schema, table), names in sorted(by_topic.items()):
        if len(names) > 1:
            notes.add(
                Severity.BLOCKER,
                FindingCode.TRANSFORMATION_TOPIC_CLASH,
                f"tables {' and '.join(names)} share the Debezium topic <prefix>.{schema}.{table}: their rows would "
                "be written into one target table, where DMS keeps them apart",
                hint="rename one of the source tables, or move one of them to a task of its own",
            )


def _patterns_may_meet(a: str, b: str) -> bool:
    if has_wildcard(a) or has_wildcard(b):
        return True
    return a == b


def _covers_all(rule: TransformationRule, selection: SelectionPlan) -> bool:
    """True when the rule's locator covers every selection pattern (so an all-tables SMT is exact)."""
    loc = rule.locator
    return all(
        loc.schema_name in ("%", p.schema_pattern) and loc.table_name in (None, "%", p.table_pattern)
        for p in selection.includes
    )


def _naming_config(kind: str, rule: TransformationRule) -> dict[str, str]:
    if rule.action == "convert-lowercase":
        return {f"{kind}.naming.style": "lower_case"}
    if rule.action == "convert-uppercase":
        return {f"{kind}.naming.style": "upper_case"}
    if rule.action == "add-prefix":
        return {f"{kind}.naming.prefix": rule.value or ""}
    return {f"{kind}.naming.suffix": rule.value or ""}


def _wildcard_router(rule: TransformationRule, topic_regex: object, name: str) -> Smt | None:
    """A RegexRouter doing a prefix/suffix action for every table the rule's locator matches."""
    assert callable(topic_regex)
    loc = rule.locator
    schema_part: str = topic_regex(loc.schema_name or "", "%").rsplit(r"\.", 1)[0]
    # The router reads the topic, where a character a topic cannot hold is '_' ("Order %" matches Order_Details).
    table_check = wildcard_regex(_topic_form(loc.table_name or ""), segment=False)
    value, old = rule.value or "", rule.old_value or ""
    lit = lambda text: fq_regex((text, True))  # noqa: E731 - a regex for a literal name part
    match rule.action:
        case "add-prefix":
            regex, replacement = rf"{schema_part}\.({table_check})", java_replacement(value) + "$1"
        case "add-suffix":
            regex, replacement = rf"{schema_part}\.({table_check})", "$1" + java_replacement(value)
        case "remove-prefix":
            regex, replacement = rf"{schema_part}\.(?={table_check}$){lit(value)}(.*)", "$1"
        case "remove-suffix":
            regex, replacement = rf"{schema_part}\.(?={table_check}$)(.*){lit(value)}", "$1"
        case "replace-prefix":
            regex, replacement = rf"{schema_part}\.(?={table_check}$){lit(old)}(.*)", java_replacement(value) + "$1"
        case "replace-suffix":
            regex, replacement = rf"{schema_part}\.(?={table_check}$)(.*){lit(old)}", "$1" + java_replacement(value)
        case "rename" if named_object(loc.schema_name or "") is not None and named_object(loc.table_name or ""):
            # One named table among tables selected by wildcard ('_' still matches one character, as in DMS).
            regex, replacement = rf"{schema_part}\.{table_check}", java_replacement(value)
        case "convert-lowercase" | "convert-uppercase" if named_object(loc.schema_name or "") is not None and (
            table := named_object(loc.table_name or "")
        ):
            # One named table: its new name is known, so a router can write it (a regex cannot change case).
            regex = rf"{schema_part}\.{lit(topic_part(table))}"
            replacement = java_replacement(apply_name_action(rule, table))
        case _:
            return None
    return Smt(name, _SMT_ROUTER, {"regex": regex, "replacement": replacement})


def _topic_form(pattern: str) -> str:
    """A DMS name pattern as it matches Debezium's topic: each literal character a topic cannot hold becomes the
    literal ``[_]`` (two for a character outside the BMP), as :func:`topic_part` writes it; wildcards stay."""
    return "".join(c if c in "%_[]" else topic_part(c).replace("_", "[_]") for c in pattern)


def _column_lists(
    removes: Sequence[TransformationRule],
    includes: Sequence[TransformationRule],
    style: IdentifierStyle,
    notes: Notes,
) -> dict[str, str]:
    if style.column_lists_literal:
        return _literal_column_lists(removes, includes, style, notes)
    remove_regexes = [_column_regex(r) for r in removes]
    # Debezium compiles column lists case-insensitively too; DMS names are case-sensitive (a remove-column of
    # C% keeps city), so every entry turns the flag off.
    if not includes:
        return {style.column_exclude_key: ",".join(case_sensitive(r) for r in remove_regexes)} if remove_regexes else {}
    # Debezium forbids column include and exclude lists together, and its include list applies to every table:
    # tables without include-column rules keep all columns through a catch-all entry.
    # The remove-column lookahead is written once for all include-column rules (as table selection shares its
    # excludes): folding it into each entry grew the list with includes x removes.
    lookahead = f"(?!(?:{'|'.join(dict.fromkeys(remove_regexes))})$)" if remove_regexes else ""
    include_regexes = list(dict.fromkeys(_column_regex(r) for r in includes))
    if lookahead:
        entries = [case_sensitive(f"{lookahead}(?:{'|'.join(include_regexes)})")]
    else:
        entries = [case_sensitive(r) for r in include_regexes]
    tables = sorted(
        {
            wildcard_regex(r.locator.schema_name or "", segment=True)
            + r"\."
            + wildcard_regex(r.locator.table_name or "", segment=True)
            for r in includes
        }
    )
    entries.append(case_sensitive(f"(?!(?:{'|'.join(tables)})\\.){lookahead}[^.]+\\.[^.]+\\..*"))
    if removes:
        notes.add(
            Severity.INFO,
            FindingCode.TRANSFORMATION_COLUMN_LISTS,
            "remove-column rules were folded into column.include.list (Debezium forbids both column lists)",
        )
    return {style.column_include_key: ",".join(dict.fromkeys(entries))} if style.column_include_key else {}


def _literal_column_lists(
    removes: Sequence[TransformationRule],
    includes: Sequence[TransformationRule],
    style: IdentifierStyle,
    notes: Notes,
) -> dict[str, str]:
    """MongoDB's field.exclude.list: literal ``db.collection.field`` names, ``*`` for any database or collection."""
    names: list[str] = []
    for rule in removes:
        loc = rule.locator
        parts = []
        for part in (loc.schema_name or "", loc.table_name or ""):
            parts.append("*" if part == "%" else named_object(part))
        column = named_object(loc.column_name or "")
        if None in parts or not column or any("," in (p or "") for p in [*parts, column]):
            notes.add(
                Severity.WARNING,
                FindingCode.TRANSFORMATION_REMOVE_COLUMN,
                f"remove-column {_locator_text(rule)} is not carried over: {style.column_exclude_key} takes exact "
                "field names ('*' only for a whole database or collection name)",
                rule,
                hint="write one remove-column rule per field",
            )
            continue
        names.append(".".join([*(p or "" for p in parts), column]))
    for rule in includes:
        notes.add(
            Severity.WARNING,
            FindingCode.TRANSFORMATION_INCLUDE_COLUMN,
            f"include-column {_locator_text(rule)} is not carried over: the {style.name} connector has no field "
            "include list",
            rule,
            hint="remove the other fields with remove-column rules",
        )
    return {style.column_exclude_key: ",".join(dict.fromkeys(names))} if names else {}
