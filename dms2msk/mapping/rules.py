"""Parse a DMS ``TableMappings`` document into typed rules, with findings for everything wrong in it.

Public API (used by :func:`dms2msk.mapping.map_inventory`)::

    parsed = parse_table_mappings(task.table_mappings, task=task.identifier)
    parsed.selections       # SelectionRule, in rule-id order
    parsed.transformations  # TransformationRule, in rule-id order
    parsed.table_settings   # TableSettingsRule
    parsed.others           # OtherRule: object-mapping, post-processing, validation (reported, not compiled)
    parsed.findings         # Finding: malformed JSON, unknown rule types/actions, missing fields, forbidden wildcards
    parsed.valid            # False only when the document could not be read at all

The parser never raises on bad input: a malformed document gives a BLOCKER finding
``table-mappings.invalid-json`` with its line and column, a bad rule gives a finding
naming the task, rule-id and rule-name and is left out, and the good rules still
come through. Rule semantics follow the DMS User Guide (Selections, Wildcards,
Filters, Transformations and Table-settings pages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..findings import Notes
from ..model import Finding, Severity
from ..typecheck import MAX_FREE_FORM_DEPTH, nesting_depth

__all__ = [
    "DATA_MASKING_ACTIONS",
    "FILTER_OPERATORS",
    "NEGATIVE_FILTER_OPERATORS",
    "SELECTION_ACTIONS",
    "TRANSFORMATION_ACTIONS",
    "TRANSFORMATION_TARGETS",
    "FilterCondition",
    "ObjectLocator",
    "OtherRule",
    "ParsedMappings",
    "SelectionRule",
    "SourceFilter",
    "TableSettingsRule",
    "TransformationRule",
    "has_wildcard",
    "parse_table_mappings",
]

SELECTION_ACTIONS = frozenset({"include", "exclude", "explicit"})
TABLE_TYPES = frozenset({"table", "view", "all"})
TRANSFORMATION_TARGETS = frozenset({"schema", "table", "column", "table-tablespace", "index-tablespace"})
DATA_MASKING_ACTIONS = frozenset(
    {"data-masking-digits-mask", "data-masking-digits-randomize", "data-masking-hash-mask"}
)
TRANSFORMATION_ACTIONS = frozenset(
    {
        "add-column",
        "include-column",
        "remove-column",
        "rename",
        "convert-lowercase",
        "convert-uppercase",
        "add-prefix",
        "remove-prefix",
        "replace-prefix",
        "add-suffix",
        "remove-suffix",
        "replace-suffix",
        "define-primary-key",
        "change-data-type",
        "add-before-image-columns",
        *DATA_MASKING_ACTIONS,
    }
)
# Actions that only make sense on a column (DMS rejects them on other targets).
COLUMN_ONLY_ACTIONS = frozenset(
    {
        "add-column",
        "include-column",
        "remove-column",
        "change-data-type",
        "add-before-image-columns",
        *DATA_MASKING_ACTIONS,
    }
)
FILTER_OPERATORS = frozenset({"lte", "ste", "gte", "eq", "noteq", "between", "notbetween", "null", "notnull"})
NEGATIVE_FILTER_OPERATORS = frozenset({"noteq", "notbetween", "notnull"})
OTHER_RULE_TYPES = {
    "object-mapping": "object-mapping rules shape records for Kinesis, Kafka and DynamoDB targets",
    "post-processing": "post-processing rules tag objects on S3 targets",
    "validation": "validation rules override DMS data validation functions",
}


def has_wildcard(name: str | None) -> bool:
    """True when a DMS name uses a wildcard (``%``, ``_`` or ``[...]``) that is not escaped."""
    if not name:
        return False
    escaped = False
    for char in name:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "%_[":
            return True
    return False


@dataclass(frozen=True)
class ObjectLocator:
    schema_name: str | None = None
    table_name: str | None = None
    column_name: str | None = None
    table_type: str | None = None
    data_type: str | None = None
    table_tablespace_name: str | None = None
    index_tablespace_name: str | None = None


@dataclass(frozen=True)
class FilterCondition:
    operator: str
    value: str | None = None
    start_value: str | None = None
    end_value: str | None = None


@dataclass(frozen=True)
class SourceFilter:
    """One ``filters`` entry: its conditions are ORed; several filters of a rule are ANDed."""

    column_name: str
    conditions: tuple[FilterCondition, ...]
    filter_type: str = "source"


@dataclass(frozen=True)
class _RuleBase:
    rule_id: str
    rule_name: str
    position: int  # index in the rules array, for messages
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def where(self) -> str:
        return f"TableMappings rules[{self.position}]"

    @property
    def order_key(self) -> tuple[int, int]:
        """DMS applies rules in rule-id order (lower first); non-numeric ids go last, in document order."""
        try:
            return (int(self.rule_id), self.position)
        except ValueError:
            return (2**63, self.position)


@dataclass(frozen=True)
class SelectionRule(_RuleBase):
    action: str = "include"
    locator: ObjectLocator = field(default_factory=ObjectLocator)
    filters: tuple[SourceFilter, ...] = ()
    load_order: int | None = None

    @property
    def table_type(self) -> str:
        return self.locator.table_type or "table"


@dataclass(frozen=True)
class TransformationRule(_RuleBase):
    action: str = ""
    target: str = ""
    locator: ObjectLocator = field(default_factory=ObjectLocator)
    value: str | None = None
    old_value: str | None = None
    expression: str | None = None
    data_type: dict[str, Any] | None = None
    primary_key_def: dict[str, Any] | None = None
    before_image_def: dict[str, Any] | None = None


@dataclass(frozen=True)
class TableSettingsRule(_RuleBase):
    locator: ObjectLocator = field(default_factory=ObjectLocator)
    parallel_load: dict[str, Any] | None = None
    lob_settings: dict[str, Any] | None = None


@dataclass(frozen=True)
class OtherRule(_RuleBase):
    """A rule type that has no meaning for a Debezium pipeline (reported, not compiled)."""

    rule_type: str = ""
    action: str | None = None


@dataclass(frozen=True)
class ParsedMappings:
    task: str
    selections: tuple[SelectionRule, ...] = ()
    transformations: tuple[TransformationRule, ...] = ()
    table_settings: tuple[TableSettingsRule, ...] = ()
    others: tuple[OtherRule, ...] = ()
    findings: tuple[Finding, ...] = ()
    valid: bool = True  # False when the document itself could not be read


# --------------------------------------------------------------------------- #
# Parsing                                                                     #
# --------------------------------------------------------------------------- #


class _Collector:
    """Adds the raw rule's id and name (and its position) to the task's :class:`Notes`."""

    def __init__(self, task: str) -> None:
        self.notes = Notes(task, None)  # map_task fills in the region

    @property
    def findings(self) -> list[Finding]:
        return self.notes.items

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        rule: dict[str, Any] | None = None,
        position: int | None = None,
        where: str | None = None,
        hint: str | None = None,
        became: str | None = None,
    ) -> None:
        if where is None and position is not None:
            where = f"TableMappings rules[{position}]"
        self.notes.add(
            severity,
            code,
            message,
            rule_id=_text(rule.get("rule-id")) if rule else None,
            rule_name=_text(rule.get("rule-name")) if rule else None,
            where=where,
            hint=hint,
            became=became,
        )


def _text(value: Any) -> str | None:
    """DMS documents ids and names as strings; some files use numbers. Keep them as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, sort_keys=True)


_TOO_DEEP = object()


def parse_table_mappings(text: str | None, *, task: str) -> ParsedMappings:
    """Parse the raw TableMappings JSON text of ``task`` into typed rules plus findings.

    Never raises for bad input: see the module docstring.
    """
    out = _Collector(task)
    if text is None or not text.strip():
        out.add(
            Severity.BLOCKER,
            "table-mappings.empty",
            "the task has no TableMappings document",
            where="TableMappings",
            hint="add at least one selection rule to the task's table mappings",
        )
        return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        out.add(
            Severity.BLOCKER,
            "table-mappings.invalid-json",
            f"TableMappings is not valid JSON: {exc.msg}",
            where=f"TableMappings line {exc.lineno} column {exc.colno}",
            hint="fix the JSON (for example a missing comma, a trailing comma or a comment) and scan again",
        )
        return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)
    except RecursionError:  # deeper than Python's parser goes
        document = _TOO_DEEP
    if document is _TOO_DEEP or nesting_depth(document) > MAX_FREE_FORM_DEPTH:
        out.add(
            Severity.BLOCKER,
            "table-mappings.too-deep",
            f"TableMappings nests more than {MAX_FREE_FORM_DEPTH} levels deep; a DMS rules document has four",
            where="TableMappings",
            hint="write the table mappings again from the DMS documentation's rule shapes and scan again",
        )
        return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)
    if isinstance(document, list):
        # Some tools store the bare rules array; DMS itself wants {"rules": [...]}.
        out.add(
            Severity.WARNING,
            "table-mappings.bare-array",
            'TableMappings is a bare array of rules, not {"rules": [...]}; read it as the rules array',
            where="TableMappings",
            hint='wrap the rules as {"rules": [...]}; DMS rejects a bare array',
        )
        rules_value: Any = document
    elif isinstance(document, dict):
        rules_value = document.get("rules")
        if rules_value is None:
            out.add(
                Severity.BLOCKER,
                "table-mappings.no-rules",
                'TableMappings has no "rules" array',
                where="TableMappings",
                hint='the document must look like {"rules": [{"rule-type": "selection", ...}]}',
            )
            return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)
    else:
        out.add(
            Severity.BLOCKER,
            "table-mappings.not-an-object",
            f"TableMappings must be a JSON object, not {type(document).__name__}",
            where="TableMappings",
            hint='the document must look like {"rules": [...]}',
        )
        return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)
    if not isinstance(rules_value, list):
        out.add(
            Severity.BLOCKER,
            "table-mappings.rules-not-a-list",
            f'"rules" must be an array, not {type(rules_value).__name__}',
            where="TableMappings rules",
        )
        return ParsedMappings(task=task, findings=tuple(out.findings), valid=False)

    selections: list[SelectionRule] = []
    transformations: list[TransformationRule] = []
    table_settings: list[TableSettingsRule] = []
    others: list[OtherRule] = []
    seen_ids: dict[str, int] = {}
    for position, rule in enumerate(rules_value):
        if not isinstance(rule, dict):
            out.add(
                Severity.WARNING,
                "table-mappings.rule-not-an-object",
                f"rules[{position}] is a {type(rule).__name__}, not a rule object; left out",
                position=position,
            )
            continue
        rule_id = _text(rule.get("rule-id"))
        rule_name = _text(rule.get("rule-name"))
        if rule_id is None or rule_name is None:
            missing = " and ".join(k for k, v in (("rule-id", rule_id), ("rule-name", rule_name)) if v is None)
            out.add(
                Severity.WARNING,
                "table-mappings.missing-field",
                f"rules[{position}] has no {missing}; DMS requires both",
                rule=rule,
                position=position,
                hint="give every rule a unique numeric rule-id and a rule-name",
            )
            rule_id = rule_id or f"#{position}"
            rule_name = rule_name or rule_id
        elif not rule_id.isdigit():
            out.add(
                Severity.WARNING,
                "table-mappings.rule-id-not-numeric",
                f"rule-id {rule_id!r} is not a number; DMS orders rules by numeric rule-id",
                rule=rule,
                position=position,
            )
        if rule_id in seen_ids:
            out.add(
                Severity.WARNING,
                "table-mappings.duplicate-rule-id",
                f"rule-id {rule_id} is used again (first at rules[{seen_ids[rule_id]}]); DMS requires unique ids",
                rule=rule,
                position=position,
                hint="renumber the rules",
            )
        else:
            seen_ids[rule_id] = position
        rule_type = rule.get("rule-type")
        common = {"rule_id": rule_id, "rule_name": rule_name, "position": position, "raw": rule}
        if rule_type == "selection":
            parsed = _parse_selection(rule, common, out)
            if parsed is not None:
                selections.append(parsed)
        elif rule_type == "transformation":
            parsed_t = _parse_transformation(rule, common, out)
            if parsed_t is not None:
                transformations.append(parsed_t)
        elif rule_type == "table-settings":
            parsed_s = _parse_table_settings(rule, common, out)
            if parsed_s is not None:
                table_settings.append(parsed_s)
        elif rule_type in OTHER_RULE_TYPES:
            others.append(OtherRule(**common, rule_type=str(rule_type), action=_text(rule.get("rule-action"))))
            out.add(
                Severity.WARNING,
                f"table-mappings.{rule_type}",
                f"{rule_type} rule is not carried over: {OTHER_RULE_TYPES[rule_type]}, "
                "which has no meaning for a Debezium source and JDBC sink",
                rule=rule,
                position=position,
                hint="review whether the target needs an equivalent (for Kafka targets: topic routing SMTs)",
            )
        else:
            out.add(
                Severity.WARNING,
                "table-mappings.unknown-rule-type",
                f"unknown rule-type {rule_type!r}; left out",
                rule=rule,
                position=position,
                hint="known rule types: selection, transformation, table-settings, object-mapping, "
                "post-processing, validation",
            )

    if not selections:
        out.add(
            Severity.BLOCKER,
            "table-mappings.no-selection",
            "TableMappings has no usable selection rule, so no table is selected",
            where="TableMappings",
            hint="DMS requires at least one selection rule with rule-action include or explicit",
        )
    return ParsedMappings(
        task=task,
        selections=tuple(sorted(selections, key=lambda r: r.order_key)),
        transformations=tuple(sorted(transformations, key=lambda r: r.order_key)),
        table_settings=tuple(sorted(table_settings, key=lambda r: r.order_key)),
        others=tuple(others),
        findings=tuple(out.findings),
    )


_LOCATOR_NAMES = (
    "schema-name",
    "table-name",
    "column-name",
    "table-type",
    "data-type",
    "table-tablespace-name",
    "index-tablespace-name",
)


def _is_name(value: Any) -> bool:
    """A string (or a number some files use for a name); an object, a list or true/false is never a name."""
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _locator(rule: dict[str, Any], position: int, out: _Collector) -> ObjectLocator | None:
    raw = rule.get("object-locator")
    if not isinstance(raw, dict):
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            "has no object-locator object; left out",
            rule=rule,
            position=position,
            hint='add "object-locator": {"schema-name": ..., "table-name": ...}',
        )
        return None
    not_names = {key: value for key, value in raw.items() if key in _LOCATOR_NAMES and not _is_name(value)}
    if not_names:
        key, value = next(iter(not_names.items()))
        out.add(
            Severity.BLOCKER,
            "table-mappings.invalid-field",
            f"object-locator {key} is {type(value).__name__} {json.dumps(value)[:60]}, not a name; the rule is left "
            "out, so the task cannot be carried over as written",
            rule=rule,
            position=position,
            hint=f'write {key} as a string (DMS names are strings, with % as the wildcard), e.g. "{key}": "sales"',
        )
        return None
    return ObjectLocator(
        schema_name=_text(raw.get("schema-name")),
        table_name=_text(raw.get("table-name")),
        column_name=_text(raw.get("column-name")),
        table_type=_text(raw.get("table-type")),
        data_type=_text(raw.get("data-type")),
        table_tablespace_name=_text(raw.get("table-tablespace-name")),
        index_tablespace_name=_text(raw.get("index-tablespace-name")),
    )


def _parse_selection(rule: dict[str, Any], common: dict[str, Any], out: _Collector) -> SelectionRule | None:
    position = common["position"]
    action = rule.get("rule-action")
    if action not in SELECTION_ACTIONS:
        out.add(
            Severity.WARNING,
            "selection.unknown-action",
            f"selection rule-action {action!r} is not include, exclude or explicit; left out",
            rule=rule,
            position=position,
        )
        return None
    locator = _locator(rule, position, out)
    if locator is None:
        return None
    if not locator.schema_name or not locator.table_name:
        missing = "schema-name" if not locator.schema_name else "table-name"
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"selection object-locator has no {missing}; left out",
            rule=rule,
            position=position,
            hint='use "%" to mean every schema or table',
        )
        return None
    if locator.table_type is not None and locator.table_type not in TABLE_TYPES:
        out.add(
            Severity.WARNING,
            "selection.unknown-table-type",
            f"table-type {locator.table_type!r} is not table, view or all; read as table",
            rule=rule,
            position=position,
        )
        locator = ObjectLocator(schema_name=locator.schema_name, table_name=locator.table_name)
    if action == "explicit" and ("%" in locator.schema_name or "%" in locator.table_name):
        out.add(
            Severity.WARNING,
            "selection.wildcard-in-explicit",
            f"explicit rule names {locator.schema_name}.{locator.table_name} with '%'; DMS allows wildcards only "
            "in include and exclude rules, so the name is read literally",
            rule=rule,
            position=position,
            hint='use rule-action "include" for wildcard selections',
        )
    load_order = rule.get("load-order")
    if load_order is not None and not isinstance(load_order, int):
        try:
            load_order = int(str(load_order))
        except ValueError:
            load_order = None
    filters = _parse_filters(rule, action, locator, position, out)
    return SelectionRule(**common, action=action, locator=locator, filters=filters, load_order=load_order)


def _parse_filters(
    rule: dict[str, Any], action: str, locator: ObjectLocator, position: int, out: _Collector
) -> tuple[SourceFilter, ...]:
    raw_filters = rule.get("filters")
    if raw_filters in (None, []):
        return ()
    if not isinstance(raw_filters, list):
        out.add(
            Severity.WARNING,
            "selection.filter-invalid",
            "filters must be an array; ignored",
            rule=rule,
            position=position,
        )
        return ()
    if action != "include":
        out.add(
            Severity.WARNING,
            "selection.filter-not-include",
            f"filters on a rule with rule-action {action!r} have no effect in DMS (only include rules filter); ignored",
            rule=rule,
            position=position,
        )
        return ()
    result: list[SourceFilter] = []
    for index, raw in enumerate(raw_filters):
        where = f"TableMappings rules[{position}].filters[{index}]"
        if not isinstance(raw, dict) or not _text(raw.get("column-name")):
            out.add(
                Severity.WARNING,
                "selection.filter-invalid",
                f"filters[{index}] has no column-name; ignored",
                rule=rule,
                where=where,
            )
            continue
        filter_type = _text(raw.get("filter-type")) or "source"
        if filter_type != "source":
            out.add(
                Severity.WARNING,
                "selection.filter-invalid",
                f"filters[{index}] filter-type {filter_type!r} is not 'source'; ignored",
                rule=rule,
                where=where,
            )
            continue
        conditions: list[FilterCondition] = []
        raw_conditions = raw.get("filter-conditions")
        for c_index, cond in enumerate(raw_conditions if isinstance(raw_conditions, list) else []):
            c_where = f"{where}.filter-conditions[{c_index}]"
            operator = _text(cond.get("filter-operator")) if isinstance(cond, dict) else None
            if operator not in FILTER_OPERATORS:
                out.add(
                    Severity.WARNING,
                    "selection.filter-unknown-operator",
                    f"filter-operator {operator!r} is not one DMS knows; condition ignored",
                    rule=rule,
                    where=c_where,
                    hint="DMS operators: lte, ste, gte, eq, noteq, between, notbetween, null, notnull",
                )
                continue
            assert isinstance(cond, dict)
            condition = FilterCondition(
                operator="lte" if operator == "ste" else operator,
                value=_text(cond.get("value")),
                start_value=_text(cond.get("start-value")),
                end_value=_text(cond.get("end-value")),
            )
            needs_range = condition.operator in ("between", "notbetween")
            needs_value = condition.operator in ("lte", "gte", "eq", "noteq")
            if (needs_range and (condition.start_value is None or condition.end_value is None)) or (
                needs_value and condition.value is None
            ):
                out.add(
                    Severity.WARNING,
                    "selection.filter-invalid",
                    f"filter-operator {operator} needs "
                    + ("start-value and end-value" if needs_range else "a value")
                    + "; condition ignored",
                    rule=rule,
                    where=c_where,
                )
                continue
            conditions.append(condition)
        if not conditions:
            out.add(
                Severity.WARNING,
                "selection.filter-invalid",
                f"filters[{index}] on column {raw.get('column-name')} has no usable filter-conditions; ignored",
                rule=rule,
                where=where,
            )
            continue
        negatives = sum(1 for c in conditions if c.operator in NEGATIVE_FILTER_OPERATORS)
        if negatives > 1:
            out.add(
                Severity.WARNING,
                "selection.filter-contradiction",
                f"filters[{index}] has {negatives} negative conditions; DMS allows only one per filter",
                rule=rule,
                where=where,
                hint="split them into separate filters (filters are ANDed, conditions ORed)",
            )
        result.append(SourceFilter(column_name=str(_text(raw.get("column-name"))), conditions=tuple(conditions)))
    return tuple(result)


_REQUIRED_VALUE_ACTIONS = frozenset({"rename", "add-prefix", "add-suffix", "remove-prefix", "remove-suffix"})


def _parse_transformation(rule: dict[str, Any], common: dict[str, Any], out: _Collector) -> TransformationRule | None:
    position = common["position"]
    action = rule.get("rule-action")
    target = rule.get("rule-target")
    if action not in TRANSFORMATION_ACTIONS:
        out.add(
            Severity.WARNING,
            "transformation.unknown-action",
            f"transformation rule-action {action!r} is not one DMS documents; left out",
            rule=rule,
            position=position,
            hint="rule-action values are case-sensitive, e.g. rename, remove-column, convert-lowercase",
        )
        return None
    if target is None:
        # Seen in real files: DMS's console fills rule-target in; infer it from the locator.
        inferred = _infer_target(rule)
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"transformation has no rule-target; read as {inferred!r} from its object-locator",
            rule=rule,
            position=position,
        )
        target = inferred
    if target not in TRANSFORMATION_TARGETS:
        out.add(
            Severity.WARNING,
            "transformation.unknown-target",
            f"rule-target {target!r} is not schema, table, column, table-tablespace or index-tablespace; left out",
            rule=rule,
            position=position,
        )
        return None
    locator = _locator(rule, position, out)
    if locator is None:
        return None
    missing_locator = _missing_locator_key(str(target), locator, str(action))
    if missing_locator:
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"a {target} transformation needs object-locator {missing_locator}; left out",
            rule=rule,
            position=position,
        )
        return None
    if action in COLUMN_ONLY_ACTIONS and target != "column":
        out.add(
            Severity.WARNING,
            "transformation.wrong-target",
            f"{action} applies to columns, but rule-target is {target!r}; left out",
            rule=rule,
            position=position,
            hint='set "rule-target": "column"',
        )
        return None
    if action == "define-primary-key" and target != "table":
        out.add(
            Severity.WARNING,
            "transformation.wrong-target",
            f"define-primary-key uses rule-target 'table', not {target!r}; read as table",
            rule=rule,
            position=position,
        )
        target = "table"
    value = _text(rule.get("value"))
    old_value = _text(rule.get("old-value"))
    if action in _REQUIRED_VALUE_ACTIONS and value is None:
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"{action} needs a value; left out",
            rule=rule,
            position=position,
        )
        return None
    if action in ("replace-prefix", "replace-suffix") and (value is None or old_value is None):
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"{action} needs both old-value and value; left out",
            rule=rule,
            position=position,
        )
        return None
    data_type = rule.get("data-type") if isinstance(rule.get("data-type"), dict) else None
    if action in ("change-data-type", "add-column") and (data_type is None or not data_type.get("type")):
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            f"{action} needs a data-type object with a type; left out",
            rule=rule,
            position=position,
        )
        return None
    if action == "add-column" and value is None:
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            "add-column needs a value (the new column's name); left out",
            rule=rule,
            position=position,
        )
        return None
    primary_key_def = rule.get("primary-key-def") if isinstance(rule.get("primary-key-def"), dict) else None
    if action == "define-primary-key":
        columns = (primary_key_def or {}).get("columns")
        if not isinstance(columns, list) or not columns:
            out.add(
                Severity.WARNING,
                "table-mappings.missing-field",
                "define-primary-key needs primary-key-def.columns; left out",
                rule=rule,
                position=position,
            )
            return None
        if "%" in (locator.schema_name or "") or "%" in (locator.table_name or ""):
            out.add(
                Severity.WARNING,
                "transformation.wildcard-forbidden",
                "define-primary-key cannot use wildcards in schema-name or table-name (DMS rejects it); left out",
                rule=rule,
                position=position,
                hint="write one define-primary-key rule per table",
            )
            return None
    before_image_def = rule.get("before-image-def") if isinstance(rule.get("before-image-def"), dict) else None
    return TransformationRule(
        **common,
        action=str(action),
        target=str(target),
        locator=locator,
        value=value,
        old_value=old_value,
        expression=_text(rule.get("expression")),
        data_type=data_type,
        primary_key_def=primary_key_def,
        before_image_def=before_image_def,
    )


def _infer_target(rule: dict[str, Any]) -> str:
    locator = rule.get("object-locator") if isinstance(rule.get("object-locator"), dict) else {}
    if "column-name" in locator:
        return "column"
    if "table-name" in locator:
        return "table"
    return "schema"


def _missing_locator_key(target: str, locator: ObjectLocator, action: str) -> str | None:
    if not locator.schema_name:
        return "schema-name"
    if target in ("table", "column") and not locator.table_name:
        return "table-name"
    # add-column names its new column in "value"; before-image columns apply to the table's columns.
    column_optional = action in ("add-column", "add-before-image-columns")
    if target == "column" and not locator.column_name and not locator.data_type and not column_optional:
        return "column-name"
    return None


def _parse_table_settings(rule: dict[str, Any], common: dict[str, Any], out: _Collector) -> TableSettingsRule | None:
    position = common["position"]
    locator = _locator(rule, position, out)
    if locator is None:
        return None
    if not locator.schema_name or not locator.table_name:
        out.add(
            Severity.WARNING,
            "table-mappings.missing-field",
            "table-settings object-locator needs schema-name and table-name; left out",
            rule=rule,
            position=position,
        )
        return None
    if "%" in locator.schema_name or "%" in locator.table_name:
        # DMS raises an error for '%' in table-settings (Table-settings page).
        out.add(
            Severity.WARNING,
            "table-settings.wildcard-forbidden",
            f"table-settings for {locator.schema_name}.{locator.table_name} uses '%', which DMS rejects; left out",
            rule=rule,
            position=position,
            hint="write one table-settings rule per table",
        )
        return None
    parallel_load = rule.get("parallel-load") if isinstance(rule.get("parallel-load"), dict) else None
    lob_settings = rule.get("lob-settings") if isinstance(rule.get("lob-settings"), dict) else None
    return TableSettingsRule(**common, locator=locator, parallel_load=parallel_load, lob_settings=lob_settings)
