"""The Kafka target kind: no sink connector; the source routes every record to the endpoint's topic."""

from __future__ import annotations

from dms2msk.engines import find_engine
from dms2msk.model import Severity
from dms2msk.plan.migration import stays_on_dms, target_sink
from dms2msk.sinks import sink_for
from dms2msk.sinks.kafka import KafkaTarget
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task

RENAME = {
    "rule-type": "transformation",
    "rule-id": "3",
    "rule-name": "ren",
    "rule-target": "table",
    "rule-action": "rename",
    "object-locator": {"schema-name": "shop", "table-name": "orders"},
    "value": "ORD",
}


def _pipeline():  # type: ignore[no-untyped-def]
    source = endpoint("s", "source", "postgres")
    target = endpoint("k", "target", "kafka", host="b-1", port=9092, settings={"KafkaSettings": {"Topic": "cdc-all"}})
    rules = [include(1, "shop", "orders", action="explicit"), RENAME]
    return pipeline_for(mapped(inventory([task("kt", source, target, rules)], [source, target])), "kt")


def test_a_kafka_target_has_no_sink_and_routes_the_source_to_its_topic() -> None:
    assert isinstance(sink_for(find_engine("kafka")), KafkaTarget)
    pipeline = _pipeline()
    assert pipeline.sink is None
    config = pipeline.source.config
    route = next(
        name for name in config["transforms"].split(",") if config[f"transforms.{name}.type"].endswith("RegexRouter")
    )
    assert config[f"transforms.{route}.replacement"] == "cdc-all"
    assert "cdc-all" in pipeline.source.writes_topics  # the source's role may write the routed topic
    assert any(f.code == "target.kafka" for f in pipeline.findings)


def test_a_kafka_target_is_cut_over_not_kept_on_dms() -> None:
    pipeline = _pipeline()
    assert isinstance(target_sink(pipeline), KafkaTarget) and not stays_on_dms(pipeline)


def test_a_target_side_rule_is_reported_as_not_carried_over() -> None:
    rename = next(f for f in _pipeline().findings if f.rule_id == "3")
    assert rename.severity is Severity.WARNING and rename.became is None
    assert "a Kafka target has no sink connector to apply it" in rename.message
