"""Every emitted config is clean against the version catalog: no key or value the chosen Debezium rejects."""

from __future__ import annotations

import pytest

from dms2msk.catalog import check_properties, errors_only
from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from tests.support.mapping import estate_inventory, make_inventory

SOURCES = ["mysql", "aurora", "mariadb", "postgres", "aurora-postgresql", "sqlserver", "oracle", "db2", "mongodb"]
TARGETS = ["mysql", "mariadb", "postgres", "sqlserver", "oracle", "db2", "kafka", "s3"]
SETTINGS = {
    "TargetMetadata": {"BatchApplyEnabled": True, "FullLobMode": True},
    "ChangeProcessingTuning": {"BatchSplitSize": 1000},
    "ErrorBehavior": {"DataErrorPolicy": "LOG_ERROR", "RecoverableErrorCount": 5},
    "FullLoadSettings": {"MaxFullLoadSubTasks": 8, "TargetTablePrepMode": "DO_NOTHING"},
}


@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("target", TARGETS)
def test_emitted_configs_are_catalog_clean(version: str, source: str, target: str) -> None:
    inventory = make_inventory(
        source_engine=source,
        target_engine=target,
        task_settings=SETTINGS,
        source={"ssl_mode": "require"},
        target={"ssl_mode": "require"},
    )
    (pipeline,) = map_inventory(inventory, Settings(debezium_version=version)).pipelines
    for connector in pipeline.connectors:
        problems = errors_only(check_properties(connector.connector_class, connector.config, version))
        assert problems == [], [p.message for p in problems]


@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
def test_example_estate_is_catalog_clean(version: str) -> None:
    result = map_inventory(estate_inventory(), Settings(debezium_version=version))
    for pipeline in result.pipelines:
        for connector in pipeline.connectors:
            assert errors_only(check_properties(connector.connector_class, connector.config, version)) == []
    # nothing of the example estate had to be dropped
    assert not [f for f in result.findings if f.code == "catalog.unknown-property"]
