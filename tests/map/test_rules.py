"""Parser: every malformed input becomes a finding naming the task, rule-id and rule-name; good rules survive."""

from __future__ import annotations

import json

from dms2msk.findings import finding_text
from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.model import Severity


def _doc(*rules: dict) -> str:
    return json.dumps({"rules": list(rules)})


SELECT_ALL = {
    "rule-type": "selection",
    "rule-id": "1",
    "rule-name": "all",
    "object-locator": {"schema-name": "s", "table-name": "%"},
    "rule-action": "include",
}


def test_invalid_json_is_a_blocker_with_line_and_column() -> None:
    parsed = parse_table_mappings('{"rules": [\n  {"rule-type": "selection",}\n]}', task="t1")
    assert not parsed.valid
    (finding,) = parsed.findings
    assert finding.severity is Severity.BLOCKER
    assert finding.code == "table-mappings.invalid-json"
    assert finding.task == "t1"
    assert finding.where == "TableMappings line 2 column 29"


def test_empty_and_non_object_documents() -> None:
    assert parse_table_mappings("", task="t").findings[0].code == "table-mappings.empty"
    assert parse_table_mappings("42", task="t").findings[0].code == "table-mappings.not-an-object"
    assert parse_table_mappings("{}", task="t").findings[0].code == "table-mappings.no-rules"


def test_unknown_rule_type_and_action_are_reported_and_good_rules_kept() -> None:
    parsed = parse_table_mappings(
        _doc(
            SELECT_ALL,
            {"rule-type": "magic", "rule-id": "2", "rule-name": "m"},
            {
                "rule-type": "transformation",
                "rule-id": "3",
                "rule-name": "bad",
                "rule-target": "table",
                "rule-action": "explode",
                "object-locator": {"schema-name": "s", "table-name": "t"},
            },
            {
                "rule-type": "selection",
                "rule-id": "4",
                "rule-name": "weird",
                "rule-action": "maybe",
                "object-locator": {"schema-name": "s", "table-name": "t"},
            },
        ),
        task="t1",
    )
    assert [r.rule_id for r in parsed.selections] == ["1"]
    by_code = {f.code: f for f in parsed.findings}
    assert by_code["table-mappings.unknown-rule-type"].rule_id == "2"
    assert by_code["transformation.unknown-action"].rule_name == "bad"
    # The rule is in the finding's fields, and in the text for people, not in the message itself.
    assert not by_code["transformation.unknown-action"].message.startswith("rule ")
    assert finding_text(by_code["transformation.unknown-action"]).startswith("rule 3 (bad): transformation rule-action")
    assert by_code["selection.unknown-action"].rule_id == "4"
    assert all(f.task == "t1" for f in parsed.findings)


def test_rules_are_ordered_by_numeric_rule_id_and_integer_ids_are_text() -> None:
    rules = [dict(SELECT_ALL, **{"rule-id": i, "rule-name": f"r{i}"}) for i in (10, 9, "01")]
    parsed = parse_table_mappings(_doc(*rules), task="t")
    assert [r.rule_id for r in parsed.selections] == ["01", "9", "10"]


def test_duplicate_rule_ids_and_missing_fields() -> None:
    parsed = parse_table_mappings(
        _doc(
            SELECT_ALL,
            dict(SELECT_ALL, **{"rule-name": "again"}),
            {"rule-type": "selection", "rule-id": "5", "rule-name": "nolocator", "rule-action": "include"},
            {
                "rule-type": "selection",
                "rule-id": "6",
                "rule-name": "notable",
                "rule-action": "include",
                "object-locator": {"schema-name": "s"},
            },
        ),
        task="t",
    )
    codes = [(f.code, f.rule_id) for f in parsed.findings]
    assert ("table-mappings.duplicate-rule-id", "1") in codes
    assert ("table-mappings.missing-field", "5") in codes
    assert ("table-mappings.missing-field", "6") in codes
    assert len(parsed.selections) == 2


def test_no_selection_rule_is_a_blocker() -> None:
    parsed = parse_table_mappings('{"rules": []}', task="t")
    assert [f.code for f in parsed.findings] == ["table-mappings.no-selection"]
    assert parsed.findings[0].severity is Severity.BLOCKER


def test_forbidden_wildcards() -> None:
    parsed = parse_table_mappings(
        _doc(
            SELECT_ALL,
            {
                "rule-type": "selection",
                "rule-id": "2",
                "rule-name": "exp",
                "rule-action": "explicit",
                "object-locator": {"schema-name": "s", "table-name": "t%"},
            },
            {
                "rule-type": "table-settings",
                "rule-id": "3",
                "rule-name": "ts",
                "object-locator": {"schema-name": "s", "table-name": "%"},
                "parallel-load": {"type": "partitions-auto"},
            },
            {
                "rule-type": "transformation",
                "rule-id": "4",
                "rule-name": "pk",
                "rule-target": "table",
                "rule-action": "define-primary-key",
                "object-locator": {"schema-name": "s", "table-name": "%"},
                "primary-key-def": {"name": "pk", "columns": ["id"]},
            },
        ),
        task="t",
    )
    codes = {f.code: f.rule_id for f in parsed.findings}
    assert codes["selection.wildcard-in-explicit"] == "2"
    assert codes["table-settings.wildcard-forbidden"] == "3"
    assert codes["transformation.wildcard-forbidden"] == "4"
    assert parsed.table_settings == () and parsed.transformations == ()


def test_filters_are_parsed_and_bad_operators_reported() -> None:
    rule = dict(
        SELECT_ALL,
        **{
            "object-locator": {"schema-name": "s", "table-name": "t"},
            "filters": [
                {
                    "filter-type": "source",
                    "column-name": "id",
                    "filter-conditions": [
                        {"filter-operator": "ste", "value": "10"},
                        {"filter-operator": "between", "start-value": "20", "end-value": "30"},
                        {"filter-operator": "like", "value": "x%"},
                    ],
                },
                {
                    "filter-type": "source",
                    "column-name": "c",
                    "filter-conditions": [{"filter-operator": "noteq", "value": "a"}, {"filter-operator": "notnull"}],
                },
            ],
        },
    )
    parsed = parse_table_mappings(_doc(rule), task="t")
    (selection,) = parsed.selections
    assert [c.operator for c in selection.filters[0].conditions] == ["lte", "between"]
    codes = [f.code for f in parsed.findings]
    assert "selection.filter-unknown-operator" in codes
    assert "selection.filter-contradiction" in codes  # two negative conditions in one filter


def test_other_rule_types_are_reported_not_compiled() -> None:
    parsed = parse_table_mappings(
        _doc(
            SELECT_ALL,
            {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "om", "rule-action": "map-record-to-record"},
        ),
        task="t",
    )
    assert parsed.others[0].rule_type == "object-mapping"
    assert any(f.code == "table-mappings.object-mapping" and f.rule_id == "2" for f in parsed.findings)


def test_column_only_actions_need_the_column_target() -> None:
    parsed = parse_table_mappings(
        _doc(
            SELECT_ALL,
            {
                "rule-type": "transformation",
                "rule-id": "2",
                "rule-name": "rc",
                "rule-target": "table",
                "rule-action": "remove-column",
                "object-locator": {"schema-name": "s", "table-name": "t"},
            },
        ),
        task="t",
    )
    assert [f.code for f in parsed.findings] == ["transformation.wrong-target"]
