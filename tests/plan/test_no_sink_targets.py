"""Targets no sink writes: the plan neither claims a sink makes the overlap idempotent nor stops DMS for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from dms2msk.mapping import map_inventory
from dms2msk.plan import plan, to_markdown
from tests.support.mapping import make_inventory

from . import builders


def _planned(tmp_path: Path, target_engine: str) -> tuple[object, object]:
    inventory = make_inventory(target_engine=target_engine, target={"port": 5439})
    (pipeline,) = map_inventory(inventory).pipelines
    assert pipeline.sink is None
    result = plan(builders.write_out(tmp_path / "out", pipeline), inventory=inventory)
    (migration,) = result.migrations
    return result, migration


def _commands(migration: object) -> list[str]:
    return [command for step in migration.steps for command in step.commands]  # type: ignore[attr-defined]


@pytest.mark.parametrize("target_engine", ["redshift", "s3", "redis", "no-such-engine"])
def test_a_target_only_dms_writes_keeps_its_dms_task_and_endpoint(tmp_path: Path, target_engine: str) -> None:
    result, migration = _planned(tmp_path, target_engine)

    assert "upsert" not in migration.cutover and "idempotent" not in migration.cutover
    assert "keeps running and keeps feeding its target" in migration.cutover
    assert "no Debezium sink" in migration.cutover or "does not know" in migration.cutover  # the mapping's reason
    assert not any("stop-replication-task" in c or "start-replication-task" in c for c in _commands(migration))
    assert not any(b.code == "cutover.primary-key" for b in result.blockers)  # no sink upserts by key
    deleted = {(item.kind, item.identifier) for item in result.decommission}
    assert not deleted, deleted  # neither the task, its target endpoint nor its instance
    assert "keeps running and keeps feeding its target" in to_markdown(result)


def test_a_kafka_target_says_consumers_see_the_overlap_twice(tmp_path: Path) -> None:
    result, migration = _planned(tmp_path, "kafka")

    assert "upsert" not in migration.cutover.replace("No sink upserts anything", "")
    assert "consumers see them twice" in migration.cutover
    assert any("stop-replication-task" in c for c in _commands(migration))
    stop = next(s for s in migration.steps if s.phase == "cut over")
    assert not any("sink lag" in check for check in stop.checks)
    assert ("endpoint", "tgt") in {(item.kind, item.identifier) for item in result.decommission}
