"""Target naming the mapper derives without a database: topic subscriptions and reported naming limits."""

from __future__ import annotations

from dms2msk.config import Settings
from dms2msk.model import Severity
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task

V3 = Settings(debezium_version="3.6.3.Final")


def _pipeline(rules: list[dict[str, object]], settings: Settings = V3):  # type: ignore[no-untyped-def]
    source, target = endpoint("s", "source", "postgres"), endpoint("t", "target", "postgres", host="tgt")
    return pipeline_for(mapped(inventory([task("nm", source, target, rules)], [source, target]), settings), "nm")


def test_sink_topics_are_the_names_debezium_writes() -> None:
    pipeline = _pipeline([include(1, "shop", "Order Details", action="explicit"), include(2, "shop", "a,b")])
    assert pipeline.sink is not None
    assert pipeline.sink.config["topics"].split(",") == ["nm.shop.Order_Details", "nm.shop.a_b"]


def test_two_tables_sharing_a_topic_are_a_blocker_naming_both() -> None:
    pipeline = _pipeline([include(1, "shop", "a b", action="explicit"), include(2, "shop", "a_b", action="explicit")])
    blockers = [f.message for f in pipeline.findings if f.severity is Severity.BLOCKER]
    assert any("shop.a b" in m and "shop.a_b" in m for m in blockers), blockers


def test_same_table_in_two_schemas_on_27_is_a_blocker_naming_both() -> None:
    rules = [include(1, "sales", "orders", action="explicit"), include(2, "sales_eu", "orders", action="explicit")]
    blockers = [
        f.message
        for f in _pipeline(rules, Settings(debezium_version="2.7.3.Final")).findings
        if f.severity is Severity.BLOCKER
    ]
    assert any("sales.orders" in m and "sales_eu.orders" in m for m in blockers), blockers
    # Debezium 3.x keeps them apart: no blocker.
    assert not [f for f in _pipeline(rules).findings if f.code == "transformation.tables-merge"]
