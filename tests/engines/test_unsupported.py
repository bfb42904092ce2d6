"""Engines without a Debezium connector or sink: blocker findings, never a crash."""

from __future__ import annotations

import pytest

from tests.engines.validator import EngineValidator

NO_SINK_TARGETS = [
    "s3",
    "redshift",
    "redshift-serverless",
    "kinesis",
    "dynamodb",
    "opensearch",
    "elasticsearch",
    "neptune",
    "redis",
    "dms-transfer",
    "sybase",
    "babelfish",
    "docdb",
    "mongodb",
]
NO_SOURCE = [
    "sybase",
    "babelfish",
    "s3",
    "redshift",
    "kinesis",
    "dynamodb",
    "opensearch",
    "neptune",
    "redis",
    "dms-transfer",
    "kafka",
]


class TestUnsupported(EngineValidator):
    @pytest.mark.parametrize("target", NO_SINK_TARGETS)
    def test_target_without_sink_keeps_the_source(self, target: str) -> None:
        result = self.map(source_engine="mysql", target_engine=target)
        (pipeline,) = result.pipelines
        assert pipeline.sink is None and pipeline.source.config["connector.class"]
        blocker = next(f for f in pipeline.findings if f.code == "target.unsupported")
        assert blocker.severity.value == "blocker" and blocker.hint

    @pytest.mark.parametrize("source", NO_SOURCE)
    def test_source_without_connector_is_skipped(self, source: str) -> None:
        result = self.map(source_engine=source, target_engine="postgres")
        assert not result.pipelines and result.skipped[0].task_identifier == "t1"
        (finding,) = [f for f in result.findings if f.code == "engine.source.unsupported"]
        assert finding.severity.value == "blocker" and finding.task == "t1" and finding.hint

    def test_unknown_engine_name(self) -> None:
        result = self.map(source_engine="informix", target_engine="postgres")
        assert result.skipped and "engine.unknown" in self.codes(result)
        result = self.map(source_engine="mysql", target_engine="informix")
        assert result.pipelines[0].sink is None and "engine.unknown" in self.codes(result)
