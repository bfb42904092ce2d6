"""Sink subscriptions use the topic names Debezium really gives: the mirror equals the 3.6.3 jar on many names."""

from __future__ import annotations

import random
from typing import Any

import pytest

from dms2msk.engines.engine import debezium_topic

pytestmark = pytest.mark.real

NAMES = [
    "orders",
    "Order Details",
    "a,b",
    "Straße",
    "注文",
    "naïve-table",
    "tab\tle",
    "x.y",
    "émoji😀",
    "dash-and_under.score",
    "$weird#name",
    "'quoted'",
    '"dq"',
    "",
    "a" * 300,
]


def _jar_topic(prefix: str, schema: str, table: str) -> str:
    """What the PostgreSQL connector's default strategy (SchemaTopicNamingStrategy) names the topic."""
    import jpype

    properties = jpype.JClass("java.util.Properties")()
    properties.setProperty("topic.prefix", prefix)
    strategy = jpype.JClass("io.debezium.schema.SchemaTopicNamingStrategy")(properties)
    table_id = jpype.JClass("io.debezium.relational.TableId")(None, schema, table)
    return str(strategy.dataChangeTopic(table_id))


def test_topic_names_equal_debeziums_own(jvm: Any) -> None:
    rng = random.Random(13)
    alphabet = "aZ09._- ,;:/\\'\"$%&()[]{}|äöüßéçñ中文😀\u00a0\u200b"
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    pairs = [(s, t) for s in ["public", "Sales Dept", "dbo"] for t in NAMES] + list(
        zip(generated[::2], generated[1::2], strict=True)
    )
    for schema, table in pairs:
        if not schema or not table:
            continue
        assert debezium_topic("task-1", schema, table) == _jar_topic("task-1", schema, table), (schema, table)
