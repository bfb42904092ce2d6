"""Unit tests (no JVM) of the DMS expectation model and the embedded-engine property rewrite."""

from __future__ import annotations

import pytest

from dms2msk.errors import ToolError
from dms2msk.verify.engine import embedded_properties
from dms2msk.verify.expect import SourceTable, dms_pattern, expected_tables

from .estate import include, transform


@pytest.mark.parametrize(
    ("pattern", "name", "hit"),
    [
        ("sales%", "sales_eu", True),
        ("log_", "log1", True),
        ("log_", "log12", False),
        ("tmp[_]%", "tmp_x", True),
        ("tmp[_]%", "tmpx", False),
        ("a.b", "aXb", False),  # regex metacharacters are literal
        ("Orders", "orders", False),  # DMS names are case-sensitive
    ],
)
def test_dms_wildcards(pattern: str, name: str, hit: bool) -> None:
    assert bool(dms_pattern(pattern).fullmatch(name)) is hit


TABLES = [
    SourceTable("shop", "customer", ("id", "fname", "card", "note"), ("id",)),
    SourceTable("shop", "tmp_load", ("id",), ("id",)),
    SourceTable("hr", "staff", ("id",), ("id",)),
]


def test_selection_transformations_one_action_per_object() -> None:
    rules = [
        include(1, "shop", "%"),
        include(2, "shop", "tmp%", action="exclude"),
        transform(3, "table", "rename", value="clients", schema="shop", table="customer"),
        transform(4, "table", "add-prefix", value="X_", schema="shop", table="%"),  # loses to rule 3 on customer
        transform(5, "column", "remove-column", schema="shop", table="customer", column="card"),
        transform(6, "column", "convert-uppercase", schema="shop", table="customer", column="fname"),
        transform(7, "schema", "rename", value="dw", schema="shop"),
    ]
    [customer] = expected_tables({"rules": rules}, TABLES)
    assert (customer.target_schema, customer.target_table) == ("dw", "clients")
    assert customer.columns == ("id", "FNAME", "note")
    assert customer.key == ("id",)


def test_include_column_and_filters() -> None:
    selection = include(
        1,
        "shop",
        "customer",
        action="explicit",
        filters=[
            {
                "filter-type": "source",
                "column-name": "id",
                "filter-conditions": [
                    {"filter-operator": "between", "start-value": "2", "end-value": "4"},
                    {"filter-operator": "eq", "value": "9"},
                ],
            }
        ],
    )
    rules = [
        selection,
        transform(2, "column", "include-column", schema="shop", table="customer", column="id"),
        transform(3, "column", "include-column", schema="shop", table="customer", column="note"),
    ]
    [customer] = expected_tables({"rules": rules}, TABLES)
    assert customer.columns == ("id", "note")
    assert [i for i in range(1, 11) if customer.keeps_row({"id": i})] == [2, 3, 4, 9]


def test_embedded_properties_swap_kafka_only_settings() -> None:
    config = {
        "connector.class": "io.debezium.connector.mysql.MySqlConnector",
        "database.user": "${secretsmanager:dms/src:username}",
        "database.password": "${secretsmanager:dms/src:password}",
        "schema.history.internal.kafka.bootstrap.servers": "${bootstrap_servers}",
        "schema.history.internal.producer.sasl.mechanism": "AWS_MSK_IAM",
        "producer.override.security.protocol": "SASL_SSL",
        "topic.creation.default.partitions": "-1",
        "signal.enabled.channels": "source,kafka",
    }
    props = embedded_properties(config, credentials={"username": "u", "password": "p"})
    assert props["database.user"] == "u" and props["database.password"] == "p"
    assert props["schema.history.internal"] == "io.debezium.relational.history.MemorySchemaHistory"
    assert props["offset.storage"] == "org.apache.kafka.connect.storage.MemoryOffsetBackingStore"
    assert props["signal.enabled.channels"] == "source"
    assert not any(
        k.startswith(
            ("schema.history.internal.kafka", "producer.", "topic.creation", "schema.history.internal.producer")
        )
        for k in props
    )
    with pytest.raises(ToolError, match="password"):
        embedded_properties(config, credentials={"username": "u"})
