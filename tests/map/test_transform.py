"""Transformation compiler: one test per DMS action, plus the seed's pipeline and the target naming scheme."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection, java_compatible_match
from dms2msk.mapping.transform import (
    TransformPlan,
    _dms_match,
    apply_name_action,
    compile_transformations,
    table_name_format_key,
)
from dms2msk.model import Severity


def sel(rule_id: int, schema: str, table: str, action: str = "include") -> dict:
    return {
        "rule-type": "selection",
        "rule-id": str(rule_id),
        "rule-name": f"s{rule_id}",
        "object-locator": {"schema-name": schema, "table-name": table},
        "rule-action": action,
    }


def tr(rule_id: int, target: str, action: str, locator: dict, **extra: object) -> dict:
    return {
        "rule-type": "transformation",
        "rule-id": str(rule_id),
        "rule-name": f"t{rule_id}",
        "rule-target": target,
        "object-locator": locator,
        "rule-action": action,
        **extra,
    }


def compile_all(
    *rules: dict,
    style: str = "postgres",
    version: str = "3.6.3.Final",
    prefix: str = "app",
    in_name: bool = True,
    target_schema: str | None = None,
) -> TransformPlan:
    parsed = parse_table_mappings(json.dumps({"rules": list(rules)}), task="t1")
    assert not [f for f in parsed.findings if f.severity is not Severity.INFO], parsed.findings
    selection = compile_selection(parsed.selections, style=STYLES[style], task="t1", topic_prefix=prefix)
    return compile_transformations(
        parsed.transformations,
        selection,
        style=STYLES[style],
        debezium_version=version,
        task="t1",
        topic_prefix=prefix,
        table_settings=parsed.table_settings,
        target_schema=target_schema,
        schema_in_table_name=in_name,
    )


def route(plan: TransformPlan, topic: str) -> str:
    """Apply the plan's RegexRouter steps to a topic as Kafka's RegexRouter does (matches(), replaceFirst)."""
    return _routed(plan, topic)


def target_of(plan: TransformPlan, schema: str, table: str, prefix: str = "app") -> str:
    table_name = route(plan, f"{prefix}.{schema}.{table}")
    fmt = plan.sink_properties[next(k for k in plan.sink_properties if k.endswith("name.format"))]
    resolved = fmt.replace("${topic}", table_name.replace(".", "_")).replace("${source.schema}", schema)
    return resolved.replace("${source.table}", table)


def codes(plan: TransformPlan) -> dict[str, list[str | None]]:
    result: dict[str, list[str | None]] = {}
    for f in plan.findings:
        result.setdefault(f.code, []).append(f.rule_id)
    return result


def test_seed_pipeline_mysql_demosrc_products_to_demosink_productinfo() -> None:
    plan = compile_all(
        sel(1, "demosrc", "products"),
        tr(2, "column", "remove-column", {"schema-name": "demosrc", "table-name": "products", "column-name": "image"}),
        tr(3, "schema", "rename", {"schema-name": "demosrc"}, value="demosink"),
        tr(4, "table", "rename", {"schema-name": "demosrc", "table-name": "products"}, value="productinfo"),
        style="mysql",
        version="2.7.3.Final",
        prefix="simply",
        in_name=False,
    )
    assert plan.source_properties == {"column.exclude.list": r"(?-i:demosrc\.products\.image)"}
    assert plan.target_tables == {"demosrc.products": "demosink.productinfo"}
    assert plan.target_database == "demosink"
    assert plan.sink_properties == {"table.name.format": "${topic}"}
    assert target_of(plan, "demosrc", "products", "simply") == "productinfo"
    assert {f.rule_id for f in plan.findings if f.became} >= {"2", "3", "4"}


def test_table_name_format_key_follows_the_version() -> None:
    assert table_name_format_key("2.7.3.Final") == "table.name.format"
    assert table_name_format_key("3.0.8.Final") == "table.name.format"
    assert table_name_format_key("3.1.0.Final") == "collection.name.format"


def test_schema_rename_selects_the_target_schema_with_a_literal_dot() -> None:
    plan = compile_all(sel(1, "shop", "%"), tr(2, "schema", "rename", {"schema-name": "shop"}, value="raw_shop"))
    # No table is renamed: the sink takes the name from the record's source (keeps what a topic cannot hold).
    assert plan.sink_properties == {"collection.name.format": "raw_shop.${source.table}"}
    assert target_of(plan, "shop", "orders") == "raw_shop.orders"


def test_target_schema_setting_applies_without_schema_rules() -> None:
    plan = compile_all(sel(1, "shop", "orders"), target_schema="landing")
    assert target_of(plan, "shop", "orders") == "landing.orders"


def test_wildcard_schemas_keep_their_names_on_3x_through_the_source_block() -> None:
    plan = compile_all(sel(1, "%", "orders"))
    assert plan.sink_properties == {"collection.name.format": "${source.schema}.${source.table}"}
    assert target_of(plan, "eu", "orders") == "eu.orders"
    plan = compile_all(sel(1, "%", "orders"), version="2.7.3.Final")
    assert "transformation.target-schema" in codes(plan)


@pytest.mark.parametrize(
    ("action", "value", "old", "table", "expected"),
    [
        ("add-prefix", "DMS_", None, "orders", "DMS_orders"),
        ("add-suffix", "_v2", None, "orders", "orders_v2"),
        ("remove-prefix", "tmp_", None, "tmp_orders", "orders"),
        ("remove-prefix", "tmp_", None, "orders", "orders"),
        ("remove-suffix", "_DMS", None, "orders_DMS", "orders"),
        ("replace-prefix", "NewPre_", "Pre_", "Pre_orders", "NewPre_orders"),
        ("replace-suffix", "_new", "_old", "orders_old", "orders_new"),
    ],
)
def test_table_prefix_and_suffix_actions_on_wildcard_tables_become_regex_routers(
    action: str, value: str, old: str | None, table: str, expected: str
) -> None:
    extra = {"value": value} | ({"old-value": old} if old else {})
    plan = compile_all(sel(1, "s", "%"), tr(2, "table", action, {"schema-name": "s", "table-name": "%"}, **extra))
    assert target_of(plan, "s", table) == f"s.{expected}"
    # The same result as DMS's action on the name itself.
    rule = parse_table_mappings(json.dumps({"rules": [sel(1, "s", "%"), tr(2, "table", action, {"schema-name": "s",
        "table-name": "%"}, **extra)]}), task="t").transformations[0]  # fmt: skip
    assert apply_name_action(rule, table) == expected
    assert any(f.became and "RegexRouter" in f.became for f in plan.findings)


def test_case_conversion_of_named_tables_is_computed_and_of_wildcards_needs_3_2() -> None:
    plan = compile_all(
        sel(1, "S", "Orders", "explicit"), tr(2, "table", "convert-lowercase", {"schema-name": "%", "table-name": "%"})
    )
    assert target_of(plan, "S", "Orders") == "S.orders"
    plan = compile_all(sel(1, "s", "%"), tr(2, "table", "convert-uppercase", {"schema-name": "s", "table-name": "%"}))
    assert "io.debezium.connector.jdbc.transforms.CollectionNameTransformation" in {
        t.type for t in plan.sink_transforms.transforms
    }
    plan = compile_all(
        sel(1, "s", "%"),
        tr(2, "table", "convert-uppercase", {"schema-name": "s", "table-name": "%"}),
        version="2.7.3.Final",
    )
    assert codes(plan)["transformation.table-name"] == ["2"]
    # Rule 1's wildcard tables are named from the topic on 2.7 (a possible '_').
    assert codes(plan)["transformation.topic-sanitized-name"] == ["1"]
    assert not any(t.type.endswith("CollectionNameTransformation") for t in plan.sink_transforms.transforms)


def test_only_the_lowest_rule_id_applies_per_object() -> None:
    plan = compile_all(
        sel(1, "s", "orders"),
        tr(2, "table", "rename", {"schema-name": "s", "table-name": "orders"}, value="first"),
        tr(3, "table", "add-prefix", {"schema-name": "s", "table-name": "%"}, value="x_"),
    )
    assert target_of(plan, "s", "orders") == "s.first"
    assert codes(plan)["transformation.duplicate"] == ["3"]


def test_remove_and_include_column_fold_into_one_column_list() -> None:
    plan = compile_all(
        sel(1, "s", "%"),
        tr(2, "column", "include-column", {"schema-name": "s", "table-name": "a", "column-name": "id"}),
        tr(3, "column", "include-column", {"schema-name": "s", "table-name": "a", "column-name": "secret"}),
        tr(4, "column", "remove-column", {"schema-name": "s", "table-name": "a", "column-name": "secret"}),
        tr(5, "column", "remove-column", {"schema-name": "s", "table-name": "b", "column-name": "blob%"}),
    )
    props = plan.source_properties
    assert "column.exclude.list" not in props
    entries = props["column.include.list"].split(",")

    def kept(column: str) -> bool:
        return any(java_compatible_match(e, column) for e in entries)

    # DMS applies one action per column: include-column (rule 3) wins over remove-column (rule 4).
    assert kept("s.a.id") and kept("s.a.secret") and not kept("s.a.other")
    assert kept("s.b.id") and not kept("s.b.blob1") and kept("s.c.anything")
    assert codes(plan)["transformation.duplicate"] == ["4"]


def test_include_column_rules_share_one_remove_column_lookahead() -> None:
    """The removes' lookahead is written once for all include-column rules, not once per rule (size was
    includes x removes), and the list still keeps exactly what DMS keeps."""
    count = 40
    includes = [
        tr(100 + i, "column", "include-column", {"schema-name": "s", "table-name": f"t{i}", "column-name": "c%"})
        for i in range(count)
    ]
    removes = [
        tr(2 + i, "column", "remove-column", {"schema-name": "s", "table-name": f"t{i}", "column-name": "cx%"})
        for i in range(count)
    ]
    value = compile_all(sel(1, "s", "%"), *includes, *removes).source_properties["column.include.list"]
    # Once in the shared include entry, once in the catch-all entry for tables without include-column rules.
    assert value.count(r"s\.t7\.cx") == 2
    assert len(value) < 80 * count  # linear: folding gave about 14 * count * count
    entries = value.split(",")

    def kept(column: str) -> bool:
        return any(java_compatible_match(e, column) for e in entries)

    assert kept("s.t7.c1") and not kept("s.t7.cx1") and not kept("s.t7.d1") and kept("s.other.x")


def test_define_primary_key_becomes_message_key_columns() -> None:
    plan = compile_all(
        sel(1, "s", "orders"),
        tr(
            2,
            "table",
            "define-primary-key",
            {"schema-name": "s", "table-name": "orders"},
            **{"primary-key-def": {"name": "pk", "columns": ["tenant", "id"]}},
        ),
    )
    # (?-i): Debezium matches the entry case-insensitively, a DMS key definition names its table exactly.
    assert plan.source_properties["message.key.columns"] == r"(?-i)s\.orders:tenant,id"


def test_define_primary_key_with_whitespace_and_separators_is_written_exactly() -> None:
    """Debezium splits message.key.columns on ';', ':' and ',' and trims its parts (proved on the real engine in
    tests/debezium/test_source_divergence_postgres.py): such characters and whitespace become hex escapes."""
    key = tr(2, "table", "define-primary-key", {"schema-name": "k w", "table-name": "o:d;"},
             **{"primary-key-def": {"name": "pk", "columns": ["tenant id", "tid ", "a,b", "x\u3000"]}})  # fmt: skip
    plan = compile_all(sel(1, "k w", "o:d;"), key)
    assert not [f for f in plan.findings if f.severity is not Severity.INFO]
    assert plan.source_properties["message.key.columns"] == (
        r"(?-i)k\x20w\.o\x3Ad\x3B:tenant\x20id,tid\x20,a\x2Cb,x\u3000"
    )


def test_define_primary_key_columns_are_quoted_for_debeziums_regex() -> None:
    """Debezium reads each key column as a regex: 'amt$' would match no column and 'a.b' also 'aXb'."""
    key = tr(2, "table", "define-primary-key", {"schema-name": "s", "table-name": "orders"},
             **{"primary-key-def": {"name": "pk", "columns": ["amt$", "a.b"]}})  # fmt: skip
    plan = compile_all(sel(1, "s", "orders"), key)
    assert plan.source_properties["message.key.columns"] == r"(?-i)s\.orders:amt\$,a\.b"


def test_column_rename_and_prefix_become_replacefield_after_unwrap_scoped_by_topic() -> None:
    plan = compile_all(
        sel(1, "s", "%"),
        tr(2, "column", "rename", {"schema-name": "s", "table-name": "orders", "column-name": "amt"}, value="amount"),
        tr(3, "column", "add-prefix", {"schema-name": "s", "table-name": "users", "column-name": "mail"}, value="e_"),
    )
    props = plan.sink_properties_all
    names = props["transforms"].split(",")
    assert names[0] == "dmsunwrap" and names[-1] == "dmstablename"
    assert props["transforms.dmsunwrap.type"] == "io.debezium.transforms.ExtractNewRecordState"
    assert props["transforms.dmscolumn2.renames"] == "amt:amount"
    assert props["transforms.dmscolumn3.renames"] == "mail:e_mail"
    predicate = props["transforms.dmscolumn2.predicate"]
    assert props[f"predicates.{predicate}.pattern"] == r"app\.s\.orders"
    assert set(props["predicates"].split(",")) == {predicate, props["transforms.dmscolumn3.predicate"]}


def test_wildcard_column_case_uses_field_name_transformation_on_3_2_only() -> None:
    rules = (sel(1, "%", "%"), tr(2, "column", "convert-lowercase", {"schema-name": "%", "table-name": "%",
             "column-name": "%"}))  # fmt: skip
    plan = compile_all(*rules)
    assert any(t.type.endswith("FieldNameTransformation") for t in plan.sink_transforms.transforms)
    plan = compile_all(*rules, version="2.7.3.Final")
    assert codes(plan)["transformation.column-name"] == ["2"]


def test_change_data_type_to_a_primitive_becomes_cast_else_a_warning() -> None:
    plan = compile_all(
        sel(1, "s", "t"),
        tr(2, "column", "change-data-type", {"schema-name": "s", "table-name": "t", "column-name": "n"},
           **{"data-type": {"type": "int8"}}),
        tr(3, "column", "change-data-type", {"schema-name": "s", "table-name": "t", "column-name": "d"},
           **{"data-type": {"type": "datetime"}}),
    )  # fmt: skip
    props = plan.sink_properties_all
    assert props["transforms.dmscast2.spec"] == "n:int64"
    assert "dmscast3" not in props["transforms"]
    assert [f.severity for f in plan.findings if f.rule_id == "3"] == [Severity.WARNING]


def test_add_column_static_header_and_expression() -> None:
    plan = compile_all(
        sel(1, "%", "%"),
        tr(2, "column", "add-column", {"schema-name": "%", "table-name": "%"}, value="source_system",
           expression="'crm'", **{"data-type": {"type": "string", "length": 10}}),
        tr(3, "column", "add-column", {"schema-name": "%", "table-name": "%"}, value="operation",
           expression="$AR_H_OPERATION", **{"data-type": {"type": "string", "length": 10}}),
        tr(4, "column", "add-column", {"schema-name": "%", "table-name": "%"}, value="full",
           expression="$FIRST||' '||$LAST", **{"data-type": {"type": "string", "length": 50}}),
    )  # fmt: skip
    props = plan.sink_properties_all
    assert props["transforms.dmsaddcol2.type"] == "org.apache.kafka.connect.transforms.InsertField$Value"
    assert (props["transforms.dmsaddcol2.static.field"], props["transforms.dmsaddcol2.static.value"]) == (
        "source_system",
        "crm",
    )
    assert props["transforms.dmsunwrap.add.fields"] == "op"
    assert props["transforms.dmsheader3.renames"] == "__op:operation"
    severities = {f.rule_id: f.severity for f in plan.findings if f.code == "transformation.add-column"}
    assert severities == {"2": Severity.INFO, "3": Severity.WARNING, "4": Severity.BLOCKER}


def test_masking_becomes_column_mask_properties_with_warnings() -> None:
    plan = compile_all(
        sel(1, "s", "t"),
        tr(2, "column", "data-masking-hash-mask", {"schema-name": "s", "table-name": "t", "column-name": "ssn"}),
        tr(3, "column", "data-masking-digits-mask", {"schema-name": "s", "table-name": "t", "column-name": "card"},
           value="#"),
    )  # fmt: skip
    props = plan.source_properties
    assert props["column.mask.hash.SHA-256.with.salt.dms2msk-t1"] == r"(?-i:s\.t\.ssn)"
    assert props["column.mask.with.8.chars"] == r"(?-i:s\.t\.card)"
    assert {f.severity for f in plan.findings if f.code == "transformation.masking"} == {Severity.WARNING}


def test_before_image_and_tablespace_are_reported() -> None:
    plan = compile_all(
        sel(1, "s", "t"),
        tr(2, "column", "add-before-image-columns", {"schema-name": "s", "table-name": "t"},
           **{"before-image-def": {"column-prefix": "BI_", "column-filter": "pk-only"}}),
        tr(3, "table-tablespace", "rename", {"schema-name": "s", "table-name": "t", "table-tablespace-name": "%"},
           value="TS2"),
    )  # fmt: skip
    assert codes(plan)["transformation.before-image"] == ["2"]
    assert codes(plan)["transformation.tablespace"] == ["3"]


def test_table_settings_lob_and_parallel_load() -> None:
    table_settings = {
        "rule-type": "table-settings",
        "rule-id": "9",
        "rule-name": "ts",
        "object-locator": {"schema-name": "S", "table-name": "T"},
        "parallel-load": {"type": "partitions-auto"},
        "lob-settings": {"mode": "limited", "bulk-max-size": "16"},
    }
    plan = compile_all(sel(1, "S", "T"), table_settings, style="oracle")
    assert plan.source_properties["lob.enabled"] == "true"
    assert sorted(codes(plan)["table-settings.lob"] + codes(plan)["table-settings.parallel-load"]) == ["9", "9"]


def test_filter_on_a_removed_column_is_reported() -> None:
    rule = sel(1, "s", "t")
    rule["filters"] = [
        {"filter-type": "source", "column-name": "c", "filter-conditions": [{"filter-operator": "eq", "value": "1"}]}
    ]
    parsed = parse_table_mappings(
        json.dumps({"rules": [rule, tr(2, "column", "remove-column", {"schema-name": "s", "table-name": "t",
                                                                        "column-name": "c"})]}),
        task="t1",
    )  # fmt: skip
    selection = compile_selection(parsed.selections, style=STYLES["postgres"], task="t1", scripting_smt_enabled=True)
    plan = compile_transformations(parsed.transformations, selection, style=STYLES["postgres"],
                                   debezium_version="3.6.3.Final", task="t1")  # fmt: skip
    assert codes(plan)["transformation.filter-on-removed-column"] == ["2"]


def test_every_value_is_a_string_and_names_are_unique() -> None:
    plan = compile_all(
        sel(1, "s", "%"),
        tr(2, "column", "rename", {"schema-name": "s", "table-name": "a", "column-name": "x"}, value="y"),
        tr(3, "column", "rename", {"schema-name": "s", "table-name": "a", "column-name": "z"}, value="w"),
        tr(4, "table", "add-prefix", {"schema-name": "s", "table-name": "%"}, value="p_"),
    )
    props = plan.sink_properties_all
    assert all(isinstance(v, str) for v in props.values())
    names = props["transforms"].split(",")
    assert len(names) == len(set(names))
    # Both renames on table a share one predicate.
    assert props["transforms.dmscolumn2.predicate"] == props["transforms.dmscolumn3.predicate"]


def test_mongodb_field_exclude_list_takes_literal_names() -> None:
    plan = compile_all(
        sel(1, "shop", "%"),
        tr(2, "column", "remove-column", {"schema-name": "shop", "table-name": "users", "column-name": "pass_hash"}),
        tr(3, "column", "remove-column", {"schema-name": "%", "table-name": "%", "column-name": "secret"}),
        tr(4, "column", "remove-column", {"schema-name": "shop", "table-name": "users", "column-name": "tmp%"}),
        tr(5, "column", "include-column", {"schema-name": "shop", "table-name": "orders", "column-name": "id"}),
        style="mongodb",
    )
    assert plan.source_properties == {"field.exclude.list": "shop.users.pass_hash,*.*.secret"}
    severities = {f.rule_id: f.severity for f in plan.findings if f.code.startswith("transformation.")}
    assert severities["4"] is Severity.WARNING and severities["5"] is Severity.WARNING


def _java_replace(regex: str, replacement: str, text: str) -> str:
    """Matcher.replaceFirst semantics on a full match: '\\x' is a literal x, '$n' a group."""
    import re

    match = re.fullmatch(regex, text)
    assert match is not None
    out, i = [], 0
    while i < len(replacement):
        char = replacement[i]
        if char == "\\":
            out.append(replacement[i + 1])
            i += 2
        elif char == "$":
            out.append(match.group(int(replacement[i + 1])) or "")
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _routed(plan: TransformPlan, topic: str) -> str:
    import re

    for smt in plan.sink_transforms.transforms:
        if smt.type.endswith("RegexRouter") and re.fullmatch(smt.config["regex"], topic):
            topic = _java_replace(smt.config["regex"], smt.config["replacement"], topic)
    return topic


@settings(max_examples=300, deadline=None)
@given(
    action=st.sampled_from(
        ["add-prefix", "add-suffix", "remove-prefix", "remove-suffix", "replace-prefix", "replace-suffix"]
    ),
    value=st.text(alphabet="ab_$\\.", min_size=1, max_size=3),
    old=st.text(alphabet="ab_", min_size=1, max_size=2),
    table_pattern=st.sampled_from(["%", "a%", "%b", "_%"]),
    tables=st.lists(st.text(alphabet="ab_", min_size=1, max_size=5), min_size=1, max_size=6),
)
def test_wildcard_table_routers_do_what_dms_does_to_each_name(
    action: str, value: str, old: str, table_pattern: str, tables: list[str]
) -> None:
    extra = {"value": value} | ({"old-value": old} if action.startswith("replace") else {})
    rules = [sel(1, "s", "%"), tr(2, "table", action, {"schema-name": "s", "table-name": table_pattern}, **extra)]
    plan = compile_all(*rules)
    rule = parse_table_mappings(json.dumps({"rules": rules}), task="t").transformations[0]
    for table in tables:
        expected = apply_name_action(rule, table) if _dms_match(table_pattern, table) else table
        assert _routed(plan, f"app.s.{table}") == expected


def test_several_target_schemas_use_pass_through_naming_on_3_1() -> None:
    rules = (
        sel(1, "sales", "orders"),
        sel(2, "hr", "%"),
        tr(3, "schema", "rename", {"schema-name": "sales"}, value="dw_sales"),
        tr(4, "schema", "rename", {"schema-name": "hr"}, value="dw_hr"),
    )
    plan = compile_all(*rules)
    assert plan.sink_properties == {
        "collection.name.format": "${topic}",
        "collection.naming.strategy": "io.debezium.sink.naming.PassthroughCollectionNamingStrategy",
    }
    assert route(plan, "app.sales.orders") == "dw_sales.orders"
    assert route(plan, "app.hr.people") == "dw_hr.people"
    # 2.7 has no pass-through strategy: a warning instead.
    plan = compile_all(*rules, version="2.7.3.Final")
    assert "collection.naming.strategy" not in plan.sink_properties
    assert any(f.code == "transformation.target-schema" and f.severity is Severity.WARNING for f in plan.findings)


def test_change_data_type_reports_sizes_and_integer_rounding() -> None:
    locator = {"schema-name": "s", "table-name": "t", "column-name": "c"}
    plan = compile_all(
        sel(1, "s", "t"),
        tr(2, "column", "change-data-type", locator, **{"data-type": {"type": "string", "length": 50}}),
        tr(3, "column", "change-data-type", dict(locator, **{"column-name": "n"}),
           **{"data-type": {"type": "numeric", "precision": 10, "scale": 2}}),
        tr(4, "column", "change-data-type", dict(locator, **{"column-name": "i"}), **{"data-type": {"type": "int4"}}),
        tr(5, "column", "change-data-type", dict(locator, **{"column-name": "b"}), **{"data-type": {"type": "real8"}}),
    )  # fmt: skip
    by_rule = {f.rule_id: f for f in plan.findings if f.code == "transformation.change-data-type"}
    assert by_rule["2"].severity is Severity.WARNING and "length 50 is not carried" in by_rule["2"].message
    assert by_rule["3"].severity is Severity.WARNING and "numeric(10,2)" in by_rule["3"].message
    assert by_rule["4"].severity is Severity.WARNING and "2.7 -> 2, -2.7 -> -2" in by_rule["4"].message
    assert by_rule["5"].severity is Severity.INFO


def test_wildcard_tables_named_from_the_topic_carry_the_sanitized_name_warning() -> None:
    """Debezium 3.x's sink keeps "Order Details" (from the record's source) only while no rule renames tables;
    an add-prefix router makes it name tables from the topic, which holds Order_Details."""
    exact = compile_all(sel(1, "shop", "%"))
    assert "transformation.topic-sanitized-name" not in codes(exact)
    renamed = compile_all(
        sel(1, "shop", "%"), tr(2, "table", "add-prefix", {"schema-name": "shop", "table-name": "%"}, value="x_")
    )
    (warning,) = [f for f in renamed.findings if f.code == "transformation.topic-sanitized-name"]
    assert warning.rule_id == "1"
    assert warning.severity is Severity.WARNING
    assert "shop.%" in warning.message and "Order_Details" in warning.message
    # A literal character a topic cannot hold makes it certain for every table the pattern selects.
    certain = compile_all(
        sel(1, "shop", "Order %"), tr(2, "table", "add-prefix", {"schema-name": "shop", "table-name": "%"}, value="x_")
    )
    (warning,) = [f for f in certain.findings if f.code == "transformation.topic-sanitized-name"]
    assert "every table shop.Order % selects holds ' '" in warning.message


def test_a_wildcard_rename_locator_with_a_space_matches_the_topic_debezium_writes() -> None:
    """A locator "Order %" must still rename "Order Details", whose topic is app.shop.Order_Details."""
    import re

    plan = compile_all(
        sel(1, "shop", "%"),
        tr(2, "table", "add-prefix", {"schema-name": "shop", "table-name": "Order %"}, value="x_"),
    )
    (router,) = [t for t in plan.sink_transforms.transforms if t.name == "dmsroute1"]
    regex = router.config["regex"]
    assert java_compatible_match(regex, "app.shop.Order_Details")
    assert not java_compatible_match(regex, "app.shop.OrderXDetails")
    assert not java_compatible_match(regex, "app.shop.plain")
    java_replacement = router.config["replacement"].replace("$1", r"\1")
    assert re.sub(regex, java_replacement, "app.shop.Order_Details") == "x_Order_Details"


@pytest.mark.parametrize(
    ("action", "extra", "text"),
    [
        ("remove-prefix", {"value": "pre "}, "'pre '"),
        ("replace-suffix", {"value": "_new", "old-value": "\u00e9t\u00e9"}, "'\u00e9t\u00e9'"),
    ],
)
def test_wildcard_prefix_rule_looking_for_text_a_topic_cannot_hold_is_a_warning(
    action: str, extra: dict, text: str
) -> None:
    """The router reads Debezium's topic, where ' ' or 'é' is '_': it would rename no table DMS renames."""
    plan = compile_all(sel(1, "s", "%"), tr(2, "table", action, {"schema-name": "s", "table-name": "%"}, **extra))
    warnings = [f.message for f in plan.findings if f.rule_id == "2" and f.severity is Severity.WARNING]
    assert len(warnings) == 1 and "s.%" in warnings[0] and text in warnings[0], warnings
    assert not [f for f in plan.findings if f.rule_id == "2" and f.became]
    assert not any(t.type.endswith("RegexRouter") and "dmsroute" in t.name for t in plan.sink_transforms.transforms)


def test_wildcard_prefix_rule_writing_a_space_keeps_its_router() -> None:
    """Text a rule only writes reaches the target table name as written (proved in test_dms_divergence)."""
    plan = compile_all(sel(1, "s", "%"), tr(2, "table", "add-prefix", {"schema-name": "s", "table-name": "%"},
                                            value="x "))  # fmt: skip
    assert [f for f in plan.findings if f.rule_id == "2" and f.became]
    assert not [f for f in plan.findings if f.rule_id == "2" and f.severity is Severity.WARNING]
