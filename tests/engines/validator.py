"""``EngineValidator``: map a one-task inventory for one engine and compare configs with expectations.

A ``test_<engine>.py`` subclasses it, sets ``engine = "<DMS EngineName>"`` and
calls :meth:`validate_source` / :meth:`validate_sink` with endpoint fields and
the properties the connector config must contain (``None``: must be absent).
"""

from __future__ import annotations

from typing import Any, ClassVar

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import MappingResult, Pipeline
from tests.support.mapping import make_inventory


class EngineValidator:
    engine: ClassVar[str] = ""
    partner: ClassVar[str] = "postgres"
    """The other side of the task: the target when testing a source, the source when testing a target."""

    def map(self, *, as_target: bool = False, version: str = "2.7.3.Final", **kw: Any) -> MappingResult:
        if as_target:
            kw.setdefault("source_engine", "mysql")
            kw.setdefault("target_engine", self.engine)
        else:
            kw.setdefault("source_engine", self.engine)
            kw.setdefault("target_engine", self.partner)
        return map_inventory(make_inventory(**kw), Settings(debezium_version=version))

    def pipeline(self, **kw: Any) -> Pipeline:
        result = self.map(**kw)
        assert not result.skipped, [f.message for f in result.findings if f.severity.value == "blocker"]
        (pipeline,) = result.pipelines
        return pipeline

    @staticmethod
    def _compare(config: dict[str, str], expected: dict[str, str | None]) -> None:
        for key, value in expected.items():
            if value is None:
                assert key not in config, f"{key} should be absent, is {config[key]!r}"
            else:
                assert config.get(key) == value, f"{key}: expected {value!r}, got {config.get(key)!r}"

    def validate_source(self, expected: dict[str, str | None], **kw: Any) -> Pipeline:
        pipeline = self.pipeline(**kw)
        self._compare(pipeline.source.config, expected)
        return pipeline

    def validate_sink(self, expected: dict[str, str | None], **kw: Any) -> Pipeline:
        pipeline = self.pipeline(as_target=True, **kw)
        assert pipeline.sink is not None, "no sink connector"
        self._compare(pipeline.sink.config, expected)
        return pipeline

    @staticmethod
    def codes(pipeline_or_result: Pipeline | MappingResult) -> set[str]:
        return {f.code for f in pipeline_or_result.findings}
