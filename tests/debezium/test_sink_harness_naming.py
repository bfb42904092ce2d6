"""The harness's model of the JDBC sink's naming equals the naming classes in the debezium-sink 3.6.3 jar."""

from __future__ import annotations

from typing import Any

import pytest

from dms2msk.verify.engine import CapturedRecord

from .sink_harness import PASSTHROUGH, collection_name

pytestmark = pytest.mark.real

FORMATS = ["${topic}", "sales.${topic}", "${source.schema}.${topic}", "${source.schema}.${source.table}", "x_${topic}"]
TOPICS = ["t1.sales.orders", "Order Details", "sales.Order_Details", "plain"]


def _real_name(strategy_class: str, topic: str, name_format: str, schema: str, table: str) -> str:
    import jpype

    schema_builder = jpype.JClass("org.apache.kafka.connect.data.SchemaBuilder")
    struct = jpype.JClass("org.apache.kafka.connect.data.Struct")
    string = jpype.JClass("org.apache.kafka.connect.data.Schema").STRING_SCHEMA
    source_schema = schema_builder.struct().name("io.debezium.connector.postgresql.Source")
    source_schema = source_schema.field("schema", string).field("table", string).build()
    row_schema = schema_builder.struct().name("row").field("id", string).build()
    envelope_schema = (
        schema_builder.struct()
        .name("t.Envelope")
        .field("before", schema_builder.struct().name("before").field("id", string).optional().build())
        .field("after", row_schema)
        .field("source", source_schema)
        .field("op", string)
        .build()
    )
    value = struct(envelope_schema)
    value.put("after", struct(row_schema).put("id", "1"))
    value.put("source", struct(source_schema).put("schema", schema).put("table", table))
    value.put("op", "c")
    sink_record = jpype.JClass("org.apache.kafka.connect.sink.SinkRecord")(
        topic, 0, None, None, envelope_schema, value, 0
    )
    record = jpype.JClass("io.debezium.bindings.kafka.KafkaDebeziumSinkRecord")(sink_record, None)
    return str(jpype.JClass(strategy_class)().resolveCollectionName(record, name_format))


def _captured(topic: str, schema: str, table: str) -> CapturedRecord:
    value: dict[str, Any] = {
        "before": None,
        "after": {"id": "1"},
        "source": {"schema": schema, "table": table},
        "op": "c",
    }
    return CapturedRecord(topic, topic, None, value)


@pytest.mark.parametrize(
    "strategy", ["io.debezium.sink.naming.DefaultCollectionNamingStrategy", PASSTHROUGH], ids=["default", "passthrough"]
)
def test_modelled_naming_equals_the_jar(jvm: Any, strategy: str) -> None:
    for name_format in FORMATS:
        for topic in TOPICS:
            config = {"collection.name.format": name_format}
            if strategy == PASSTHROUGH:
                if "${source." in name_format:
                    continue  # the pass-through strategy is used only with ${topic}
                config["collection.naming.strategy"] = PASSTHROUGH
            want = _real_name(strategy, topic, name_format, "Sales", "Order Details")
            assert collection_name(config, _captured(topic, "Sales", "Order Details")) == want, (name_format, topic)
