"""Kafka target: no sink, all tables routed to the DMS endpoint's topic."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestKafkaTarget(EngineValidator):
    engine = "kafka"

    def test_no_sink_and_dms_topic(self) -> None:
        result = self.map(
            as_target=True, target={"settings": {"KafkaSettings": {"Topic": "orders-feed", "Broker": "b-1:9092"}}}
        )
        (pipeline,) = result.pipelines
        assert pipeline.sink is None
        config = pipeline.source.config
        assert config["transforms"] == "dmsTopic"
        assert config["transforms.dmsTopic.type"] == "org.apache.kafka.connect.transforms.RegexRouter"
        assert config["transforms.dmsTopic.replacement"] == "orders-feed"
        assert {"target.kafka", "target.kafka.format", "target.kafka.broker"} <= self.codes(pipeline)

    def test_default_topic(self) -> None:
        (pipeline,) = self.map(as_target=True).pipelines
        assert pipeline.source.config["transforms.dmsTopic.replacement"] == "kafka-default-topic"

    def test_kafka_is_not_a_source(self) -> None:
        result = self.map()
        assert result.skipped and "engine.source.unsupported" in self.codes(result)
