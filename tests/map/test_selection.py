"""Selection compiler: wildcards, include/exclude folding, views, filters, case findings."""

from __future__ import annotations

import json

import pytest

from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection, java_compatible_match, wildcard_regex
from dms2msk.model import Severity


def _rule(rule_id: int, action: str, schema: str, table: str, **extra: object) -> dict:
    return {
        "rule-type": "selection",
        "rule-id": str(rule_id),
        "rule-name": f"r{rule_id}",
        "object-locator": {"schema-name": schema, "table-name": table, **extra.pop("locator", {})},
        "rule-action": action,
        **extra,
    }


def _plan(*rules: dict, style: str = "postgres", **kw: object):
    parsed = parse_table_mappings(json.dumps({"rules": list(rules)}), task="t1")
    return compile_selection(parsed.selections, style=STYLES[style], task="t1", **kw)


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("order_items", "order_items", True),
        ("order_items", "orderXitems", True),  # '_' is one character in DMS
        ("order[_]items", "orderXitems", False),  # '[_]' is a literal underscore
        ("order[_]items", "order_items", True),
        ("order\\_items", "orderXitems", False),  # '\_' read literally too
        ("tmp%", "tmp", True),
        ("tmp%", "tmpfoo", True),
        ("tmp%", "xtmp", False),
        ("[a-c]x", "bx", True),
        ("[a-c]x", "dx", False),
        ("a.b", "aXb", False),  # a dot is literal
        ("a$b(c)", "a$b(c)", True),
        ("a,b", "a,b", True),
    ],
)
def test_wildcards(pattern: str, name: str, matches: bool) -> None:
    regex = wildcard_regex(pattern, segment=False)
    assert "," not in regex  # Debezium splits its lists on commas
    assert java_compatible_match(regex, name) is matches


def test_schema_wildcards_never_cross_the_dot() -> None:
    plan = _plan(_rule(1, "include", "a%", "t"))
    assert plan.selects("abc", "t")
    assert not any(java_compatible_match(r, "ax.y.t") for r in plan.table_include_regexes)


def test_include_and_exclude_fold_into_one_include_list() -> None:
    plan = _plan(_rule(1, "include", "Test", "%"), _rule(2, "exclude", "Test", "DMS%"))
    props = plan.source_properties
    assert "table.exclude.list" not in props and "schema.exclude.list" not in props
    assert props["schema.include.list"] == "(?-i:Test)"
    assert props["table.include.list"] == r"(?-i:(?!(?:Test\.DMS.*)$)(?:Test\..*))"
    assert plan.selects("Test", "orders")
    assert not plan.selects("Test", "DMS_log")
    assert any(f.code == "selection.exclude" and f.became for f in plan.findings)


def test_mysql_uses_database_include_list_and_whole_schema_excludes() -> None:
    plan = _plan(_rule(1, "include", "%", "%"), _rule(2, "exclude", "tmp%", "%"), style="mysql")
    props = plan.source_properties
    assert props["database.include.list"] == r"(?-i:(?!(?:tmp[^.]*)$)(?:[^.]*))"
    assert plan.selects("shop", "orders")
    assert not plan.selects("tmp1", "orders")


def test_explicit_rules_are_literal() -> None:
    plan = _plan(_rule(1, "explicit", "s", "order_items"))
    assert plan.selects("s", "order_items")
    assert not plan.selects("s", "orderXitems")


def test_views_are_blockers_and_all_is_a_warning() -> None:
    plan = _plan(
        _rule(1, "include", "s", "view_%", locator={"table-type": "view"}),
        _rule(2, "include", "s", "t", locator={"table-type": "all"}),
    )
    severities = {f.rule_id: f.severity for f in plan.findings if f.code == "selection.view"}
    assert severities == {"1": Severity.BLOCKER, "2": Severity.WARNING}
    assert not plan.selects("s", "view_x") and plan.selects("s", "t")


def test_only_views_gives_an_empty_selection_blocker() -> None:
    plan = _plan(_rule(1, "include", "s", "v", locator={"table-type": "view"}))
    assert plan.empty and plan.source_properties == {}
    assert any(f.code == "selection.empty" and f.severity is Severity.BLOCKER for f in plan.findings)


FILTERED = _rule(
    1,
    "include",
    "public",
    "orders",
    filters=[
        {
            "filter-type": "source",
            "column-name": "id",
            "filter-conditions": [
                {"filter-operator": "lte", "value": "10"},
                {"filter-operator": "gte", "value": "100"},
            ],
        },
        {
            "filter-type": "source",
            "column-name": "status",
            "filter-conditions": [{"filter-operator": "noteq", "value": "it's"}],
        },
    ],
)


def test_filters_become_snapshot_overrides_and_a_warning_without_scripting() -> None:
    plan = _plan(FILTERED)
    props = plan.source_properties
    assert props["snapshot.select.statement.overrides"] == "public.orders"
    assert props["snapshot.select.statement.overrides.public.orders"] == (
        """SELECT * FROM "public"."orders" WHERE ("id" <= '10' OR "id" >= '100') AND ("status" <> 'it''s')"""
    )
    assert not plan.source_transforms and plan.plugin_requirements == ()
    assert any(f.code == "selection.filter-streaming" and f.severity is Severity.WARNING for f in plan.findings)


def test_filters_become_a_groovy_filter_smt_when_scripting_is_allowed() -> None:
    plan = _plan(FILTERED, topic_prefix="app", scripting_smt_enabled=True)
    props = plan.source_transforms.properties()
    assert props["transforms"] == "dmsfilter1"
    assert props["transforms.dmsfilter1.type"] == "io.debezium.transforms.Filter"
    assert props["transforms.dmsfilter1.language"] == "jsr223.groovy"
    assert props["transforms.dmsfilter1.topic.regex"] == r"app\.public\.orders"
    assert "dmsCompare(dmsValue('id'), '10') <= 0" in props["transforms.dmsfilter1.condition"]
    assert "debezium-scripting" in plan.plugin_requirements


def test_mysql_filters_quote_with_backticks() -> None:
    rule = dict(FILTERED, **{"object-locator": {"schema-name": "shop", "table-name": "orders"}})
    plan = _plan(rule, style="mysql")
    assert plan.source_properties["snapshot.select.statement.overrides.shop.orders"].startswith(
        "SELECT * FROM `shop`.`orders` WHERE"
    )


def test_filters_on_wildcard_tables_are_not_carried_over() -> None:
    rule = dict(FILTERED, **{"object-locator": {"schema-name": "public", "table-name": "ord%"}})
    plan = _plan(rule)
    assert "snapshot.select.statement.overrides" not in plan.source_properties
    assert any(f.code == "selection.filter-wildcard" for f in plan.findings)


def test_selection_is_case_sensitive_as_in_dms() -> None:
    """DMS matches names with their letter case: an exclude of sales.% leaves Sales.% selected."""
    plan = _plan(_rule(1, "include", "Sales", "%"), _rule(2, "exclude", "sales", "%"))
    assert plan.selects("Sales", "orders") and plan.dms_selects("Sales", "orders")
    assert not plan.selects("sales", "orders") and not plan.selects("SALES", "orders")
    assert not any(f.code == "selection.case-insensitive" for f in plan.findings)


def test_catalog_finds_no_case_only_neighbour_captured() -> None:
    plan = _plan(_rule(1, "include", "s", "Orders"), catalog=[("s", "Orders"), ("s", "orders"), ("s", "x")])
    assert plan.selects("s", "Orders") and not plan.selects("s", "orders")
    assert not any(f.code == "selection.case-insensitive" for f in plan.findings)


def test_an_exclude_of_views_does_not_drop_tables() -> None:
    exclude = _rule(2, "exclude", "s", "v%")
    exclude["object-locator"]["table-type"] = "view"
    plan = _plan(_rule(1, "include", "s", "%"), exclude)
    assert plan.selects("s", "vendors")
    assert any(f.code == "selection.view" and f.rule_id == "2" for f in plan.findings)
    # table-type all applies to tables too.
    exclude["object-locator"]["table-type"] = "all"
    assert not _plan(_rule(1, "include", "s", "%"), exclude).selects("s", "vendors")


def _many_wildcard_rules(pairs: int) -> list[dict]:
    rules = []
    for index in range(pairs):
        rules.append(_rule(2 * index + 1, "include", f"app_{index}", "orders%"))
        rules.append(_rule(2 * index + 2, "exclude", f"app_{index}", "orders_tmp%"))
    return rules


def test_excludes_share_one_lookahead_so_the_list_grows_linearly() -> None:
    small = _plan(*_many_wildcard_rules(100))
    large = _plan(*_many_wildcard_rules(200))
    small_size = len(small.source_properties["table.include.list"])
    large_size = len(large.source_properties["table.include.list"])
    # Twice the rules, about twice the text (folded into every include it was four times: 200 x 200 lookaheads).
    assert large_size < 2.2 * small_size
    assert large.selects("app_7", "orders_eu") and not large.selects("app_7", "orders_tmp1")
    assert not large.selects("app_7", "invoices")
    for name in ("orders_eu", "orders_tmp1", "invoices"):
        assert large.selects("app_150", name) is large.dms_selects("app_150", name)


def test_a_plain_name_no_exclude_matches_keeps_an_entry_of_its_own() -> None:
    plan = _plan(
        _rule(1, "explicit", "shop", "orders"), _rule(2, "include", "app", "%"), _rule(3, "exclude", "app", "tmp%")
    )
    entries = plan.source_properties["table.include.list"].split(",")
    assert entries[0] == r"(?-i:shop\.orders)"
    assert plan.selects("shop", "orders") and plan.selects("app", "x") and not plan.selects("app", "tmp1")


def test_escaped_underscore_gives_an_info_finding() -> None:
    plan = _plan(_rule(1, "include", "shop", "tmp\\_%"))
    assert plan.selects("shop", "tmp_1") and not plan.selects("shop", "tmpX1")
    assert any(f.code == "selection.escape" for f in plan.findings)
