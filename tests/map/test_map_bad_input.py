"""Bad tasks are skipped with findings naming the task and the place; the other tasks still map."""

from __future__ import annotations

import dataclasses

import pytest

from dms2msk.config import Settings
from dms2msk.errors import ConfigError
from dms2msk.mapping import map_inventory
from dms2msk.mapping.naming import EstateNames, terraform_key
from dms2msk.model import Inventory, RegionInventory
from tests.support.mapping import estate_inventory, make_inventory


def with_task(inventory: Inventory, **changes: object) -> Inventory:
    """The example estate with its first task changed."""
    region = inventory.regions[0]
    first = dataclasses.replace(region.tasks[0], **changes)
    return dataclasses.replace(inventory, regions=(dataclasses.replace(region, tasks=(first, *region.tasks[1:])),))


def test_invalid_table_mappings_json_skips_only_that_task() -> None:
    inventory = with_task(estate_inventory(), table_mappings='{"rules": [ {"rule-type": "selection",, } ]}')
    result = map_inventory(inventory)
    assert result.partial
    assert [s.task_identifier for s in result.skipped] == ["simplydemo-products"]
    assert [p.task_identifier for p in result.pipelines] == ["shop-orders-to-analytics"]
    finding = next(f for f in result.findings if f.task == "simplydemo-products" and f.severity.value == "blocker")
    assert "line 1" in (finding.where or "") and finding.region == "ap-northeast-2"


def test_missing_endpoint() -> None:
    inventory = with_task(estate_inventory(), target_endpoint_arn="arn:aws:dms:ap-northeast-2:1:endpoint:gone")
    result = map_inventory(inventory)
    (skipped,) = result.skipped
    assert skipped.task_identifier == "simplydemo-products" and "endpoint" in skipped.reason
    finding = next(f for f in result.findings if f.code == "task.endpoint.missing")
    assert "gone" in finding.message and finding.where == "TargetEndpointArn"
    assert len(result.pipelines) == 1


def test_unsupported_source_engine() -> None:
    result = map_inventory(make_inventory(source_engine="sybase"))
    assert result.skipped and not result.pipelines
    finding = next(f for f in result.findings if f.code == "engine.source.unsupported")
    assert "SAP ASE" in finding.message and finding.task == "t1"


def test_nothing_selected() -> None:
    result = map_inventory(make_inventory(table_mappings={"rules": []}))
    assert result.skipped and "selection.empty" in {f.code for f in result.findings}


@pytest.mark.parametrize("version", ["3.3.0.Final", "2.5.0.Final", "nonsense"])
def test_version_without_catalog_is_a_config_error(version: str) -> None:
    with pytest.raises(ConfigError):
        map_inventory(make_inventory(), Settings(debezium_version=version))


def test_malformed_task_settings_still_maps() -> None:
    result = map_inventory(make_inventory(task_settings='{"TargetMetadata": {'))
    (pipeline,) = result.pipelines
    finding = next(f for f in pipeline.findings if f.code == "task-settings.invalid-json")
    assert finding.where and finding.where.startswith("ReplicationTaskSettings line 1")


def test_same_task_name_in_two_regions_gets_distinct_names() -> None:
    a = make_inventory(region="eu-west-1").regions[0]
    b = make_inventory(region="us-east-1").regions[0]
    result = map_inventory(Inventory(scanned_at="x", regions=(a, b)))
    keys = {p.key for p in result.pipelines}
    prefixes = {p.topic_prefix for p in result.pipelines}
    ids = {p.source.config["database.server.id"] for p in result.pipelines}
    assert len(keys) == len(prefixes) == len(ids) == 2
    assert prefixes == {"eu-west-1.t1", "us-east-1.t1"}
    assert all(k.startswith("t1_") for k in keys)


def test_terraform_keys() -> None:
    assert terraform_key("Simply-Demo.Products") == "simply_demo_products"
    assert terraform_key("9lives") == "t_9lives"
    names = EstateNames([("r", "a-b"), ("r", "a_b")])
    assert {names.key("r", "a-b"), names.key("r", "a_b")} == {"a_b", "a_b_2"}


def test_missing_replication_instance_gives_empty_network() -> None:
    inventory = make_inventory(task={"replication_instance_arn": "arn:aws:dms:eu-west-1:1:rep:gone"})
    (pipeline,) = map_inventory(inventory).pipelines
    assert pipeline.network.subnet_ids == () and "not in the inventory" in pipeline.network.source


def test_empty_inventory() -> None:
    result = map_inventory(Inventory(scanned_at="x", regions=(RegionInventory(region="eu-west-1"),)))
    assert result.pipelines == () and result.skipped == () and not result.partial
