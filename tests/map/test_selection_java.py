"""The compiled lists and SMT chains, run through the real Debezium 3.6.3 / Kafka Connect 4.3 classes.

* Selection: the connector's own table filter (``PostgresConnectorConfig`` / ``MySqlConnectorConfig``
  ``getTableFilters().dataCollectionFilter()``) built from the generated properties must select exactly
  what DMS's documented rules select (reference evaluator of test_selection_properties).
* Sink naming: the generated sink SMT chain is applied with the real transformation and predicate
  classes to a Debezium change event, and the real ``DefaultCollectionNamingStrategy`` resolves the
  target table from the generated name format.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection
from dms2msk.mapping.transform import compile_transformations

from .test_selection_properties import dms_selected, rules_and_catalog
from .test_transform import sel, tr

pytestmark = pytest.mark.real


def _java():
    from jpype import JClass

    return JClass


def _table_filter(style: str, props: dict[str, str]):
    JClass = _java()
    hash_map = JClass("java.util.HashMap")()
    hash_map.put("topic.prefix", "app")
    hash_map.put("database.dbname", "db")
    for key, value in props.items():
        hash_map.put(key, value)
    config = JClass("io.debezium.config.Configuration").from_(hash_map)
    cls = {
        "postgres": "io.debezium.connector.postgresql.PostgresConnectorConfig",
        "mysql": "io.debezium.connector.mysql.MySqlConnectorConfig",
    }[style]
    return JClass(cls)(config).getTableFilters().dataCollectionFilter()


def _table_id(style: str, schema: str, table: str):
    table_id = _java()("io.debezium.relational.TableId")
    # MySQL names a table by catalog (database) and table; PostgreSQL by schema and table.
    return table_id(schema, None, table) if style == "mysql" else table_id(None, schema, table)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rules_and_catalog())
def test_debezium_table_filter_selects_what_dms_selects(jvm: None, data) -> None:
    rules, catalog = data
    parsed = parse_table_mappings(json.dumps({"rules": rules}), task="java")
    for style in ("postgres", "mysql"):
        plan = compile_selection(parsed.selections, style=STYLES[style], task="java")
        if plan.empty:
            continue
        table_filter = _table_filter(style, plan.source_properties)
        for schema, table in catalog:
            expected = dms_selected(rules, schema, table)
            assert bool(table_filter.isIncluded(_table_id(style, schema, table))) == expected, (
                style,
                schema,
                table,
                plan.source_properties,
            )


def test_debezium_filter_on_the_documented_examples(jvm: None) -> None:
    rules = [
        sel(1, "Test", "%"),
        sel(2, "Test", "DMS%", "exclude"),
        sel(3, "shop", "order[_]items"),
        sel(4, "%", "heartbeat", "exclude"),
    ]
    parsed = parse_table_mappings(json.dumps({"rules": rules}), task="doc")
    plan = compile_selection(parsed.selections, style=STYLES["postgres"], task="doc")
    table_filter = _table_filter("postgres", plan.source_properties)
    included = {
        (s, t)
        for s, t in [
            ("Test", "orders"),
            ("Test", "DMS_x"),
            ("shop", "order_items"),
            ("shop", "orderXitems"),
            ("Test", "heartbeat"),
            ("Test", "heartbeat_log"),  # an exclude names the whole name, not a prefix
        ]
        if table_filter.isIncluded(_table_id("postgres", s, t))
    }
    assert included == {("Test", "orders"), ("shop", "order_items"), ("Test", "heartbeat_log")}


def _envelope_record(topic: str, schema: str, table: str, row: dict[str, object]):
    JClass = _java()
    schema_builder = JClass("org.apache.kafka.connect.data.SchemaBuilder")
    schemas = JClass("org.apache.kafka.connect.data.Schema")
    struct = JClass("org.apache.kafka.connect.data.Struct")
    row_builder = schema_builder.struct().name(f"{topic}.Value")
    for column in row:
        row_builder = row_builder.field(column, schemas.OPTIONAL_STRING_SCHEMA)
    row_schema = row_builder.optional().build()
    source_schema = (
        schema_builder.struct()
        .name("io.debezium.connector.postgresql.Source")
        .field("connector", schemas.STRING_SCHEMA)
        .field("schema", schemas.STRING_SCHEMA)
        .field("table", schemas.STRING_SCHEMA)
        .build()
    )
    envelope = (
        JClass("io.debezium.data.Envelope")
        .defineSchema()
        .withName(f"{topic}.Envelope")
        .withRecord(row_schema)
        .withSource(source_schema)
        .build()
    )
    after = struct(row_schema)
    for column, value in row.items():
        after.put(column, value)
    source = struct(source_schema).put("connector", "postgresql").put("schema", schema).put("table", table)
    value = envelope.create(after, source, JClass("java.time.Instant").now())
    key_schema = schema_builder.struct().field("id", schemas.STRING_SCHEMA).build()
    key = struct(key_schema).put("id", str(row.get("id", "1")))
    return JClass("org.apache.kafka.connect.sink.SinkRecord")(topic, 0, key_schema, key, envelope.schema(), value, 1)


def _apply_chain(props: dict[str, str], record):
    """Apply transforms as Kafka Connect's TransformationChain does, predicates included."""
    JClass = _java()
    if "transforms" not in props:
        return record
    for name in props["transforms"].split(","):
        prefix = f"transforms.{name}."
        smt = JClass(props[prefix + "type"])()
        conf = JClass("java.util.HashMap")()
        for key, value in props.items():
            if key.startswith(prefix) and key[len(prefix) :] not in ("type", "predicate", "negate"):
                conf.put(key[len(prefix) :], value)
        smt.configure(conf)
        predicate_name = props.get(prefix + "predicate")
        if predicate_name:
            predicate = JClass(props[f"predicates.{predicate_name}.type"])()
            p_conf = JClass("java.util.HashMap")()
            p_prefix = f"predicates.{predicate_name}."
            for key, value in props.items():
                if key.startswith(p_prefix) and key != p_prefix + "type":
                    p_conf.put(key[len(p_prefix) :], value)
            predicate.configure(p_conf)
            if bool(predicate.test(record)) == (props.get(prefix + "negate") == "true"):
                continue
        record = smt.apply(record)
        if record is None:
            return None
    return record


def _resolve_table(record, name_format: str) -> str:
    JClass = _java()
    sink_record = JClass("io.debezium.bindings.kafka.KafkaDebeziumSinkRecord")(record, None)
    return str(JClass("io.debezium.sink.naming.DefaultCollectionNamingStrategy")().resolveCollectionName(
        sink_record, name_format
    ))  # fmt: skip


def _sink(rules: list[dict], version: str = "3.6.3.Final", in_name: bool = True) -> dict[str, str]:
    parsed = parse_table_mappings(json.dumps({"rules": rules}), task="t1")
    selection = compile_selection(parsed.selections, style=STYLES["postgres"], task="t1", topic_prefix="app")
    plan = compile_transformations(
        parsed.transformations,
        selection,
        style=STYLES["postgres"],
        debezium_version=version,
        task="t1",
        topic_prefix="app",
        schema_in_table_name=in_name,
    )
    return plan.sink_properties_all


def test_seed_style_rename_and_schema_rename_resolve_to_the_target_table(jvm: None) -> None:
    props = _sink(
        [
            sel(1, "demosrc", "products"),
            sel(2, "demosrc", "orders"),
            tr(3, "schema", "rename", {"schema-name": "demosrc"}, value="demosink"),
            tr(4, "table", "rename", {"schema-name": "demosrc", "table-name": "products"}, value="productinfo"),
        ]
    )
    for table, expected in (("products", "demosink.productinfo"), ("orders", "demosink.orders")):
        record = _apply_chain(props, _envelope_record(f"app.demosrc.{table}", "demosrc", table, {"id": "1"}))
        assert _resolve_table(record, props["collection.name.format"]) == expected


def test_wildcard_prefix_suffix_routers_with_real_regex_router(jvm: None) -> None:
    props = _sink(
        [
            sel(1, "s", "%"),
            tr(2, "table", "remove-prefix", {"schema-name": "s", "table-name": "tmp%"}, value="tmp_"),
            tr(3, "table", "add-suffix", {"schema-name": "s", "table-name": "%"}, value="_v2"),
            tr(4, "schema", "rename", {"schema-name": "s"}, value="target"),
        ]
    )
    cases = {"tmp_orders": "target.orders", "users": "target.users_v2"}
    for table, expected in cases.items():
        record = _apply_chain(props, _envelope_record(f"app.s.{table}", "s", table, {"id": "1"}))
        assert _resolve_table(record, props["collection.name.format"]) == expected


def test_wildcard_schemas_keep_their_names_through_the_source_block(jvm: None) -> None:
    props = _sink([sel(1, "%", "orders")])
    record = _apply_chain(props, _envelope_record("app.eu.orders", "eu", "orders", {"id": "1"}))
    assert _resolve_table(record, props["collection.name.format"]) == "eu.orders"


def test_column_rename_static_column_and_header_field_with_real_smts(jvm: None) -> None:
    props = _sink(
        [
            sel(1, "s", "%"),
            tr(2, "column", "rename", {"schema-name": "s", "table-name": "orders", "column-name": "amt"},
               value="amount"),
            tr(3, "column", "add-column", {"schema-name": "s", "table-name": "orders"}, value="origin",
               expression="'crm'", **{"data-type": {"type": "string", "length": 5}}),
            tr(4, "column", "add-column", {"schema-name": "%", "table-name": "%"}, value="operation",
               expression="$AR_H_OPERATION", **{"data-type": {"type": "string", "length": 1}}),
        ]
    )  # fmt: skip
    orders = _apply_chain(props, _envelope_record("app.s.orders", "s", "orders", {"id": "1", "amt": "9.5"}))
    fields = sorted(str(f.name()) for f in orders.valueSchema().fields())
    assert fields == ["amount", "id", "operation", "origin"]
    assert str(orders.value().get("amount")) == "9.5" and str(orders.value().get("origin")) == "crm"
    assert str(orders.value().get("operation")) == "c"
    assert str(orders.topic()) == "orders"
    users = _apply_chain(props, _envelope_record("app.s.users", "s", "users", {"id": "2", "amt": "1"}))
    # The rename and the static column are scoped to s.orders by their predicates.
    assert sorted(str(f.name()) for f in users.valueSchema().fields()) == ["amt", "id", "operation"]


def test_several_target_schemas_resolve_with_the_real_pass_through_strategy(jvm: None) -> None:
    JClass = _java()
    props = _sink(
        [
            sel(1, "sales", "orders"),
            sel(2, "hr", "%"),
            tr(3, "schema", "rename", {"schema-name": "sales"}, value="dw_sales"),
            tr(4, "schema", "rename", {"schema-name": "hr"}, value="dw_hr"),
            tr(5, "table", "rename", {"schema-name": "sales", "table-name": "orders"}, value="fact_orders"),
        ]
    )
    strategy = JClass(props["collection.naming.strategy"])()
    for schema, table, expected in (("sales", "orders", "dw_sales.fact_orders"), ("hr", "people", "dw_hr.people")):
        record = _apply_chain(props, _envelope_record(f"app.{schema}.{table}", schema, table, {"id": "1"}))
        sink_record = JClass("io.debezium.bindings.kafka.KafkaDebeziumSinkRecord")(record, None)
        assert str(strategy.resolveCollectionName(sink_record, props["collection.name.format"])) == expected


def test_debezium_table_filter_on_many_rules_and_case_neighbours(jvm: None) -> None:
    """2,000 wildcard rules share one lookahead entry; Debezium's own filter still selects what DMS selects."""
    rules = []
    for index in range(1000):
        rules.append(
            {
                "rule-type": "selection",
                "rule-id": str(2 * index + 1),
                "rule-name": f"i{index}",
                "object-locator": {"schema-name": f"app_{index}", "table-name": "Orders%"},
                "rule-action": "include",
            }
        )
        rules.append(
            {
                "rule-type": "selection",
                "rule-id": str(2 * index + 2),
                "rule-name": f"e{index}",
                "object-locator": {"schema-name": f"app_{index}", "table-name": "Orders_tmp%"},
                "rule-action": "exclude",
            }
        )
    parsed = parse_table_mappings(json.dumps({"rules": rules}), task="java")
    plan = compile_selection(parsed.selections, style=STYLES["postgres"], task="java")
    table_filter = _table_filter("postgres", plan.source_properties)
    for schema, table, dms in [
        ("app_999", "Orders_eu", True),
        ("app_999", "Orders_tmp1", False),
        ("app_999", "orders_eu", False),  # DMS is case-sensitive: orders is not Orders
        ("APP_1", "Orders", False),
        ("app_1", "Invoices", False),
    ]:
        assert bool(table_filter.isIncluded(_table_id("postgres", schema, table))) is dms, (schema, table)
        assert dms_selected(rules, schema, table) is dms
