"""A scan that could not read every page carries its gaps through render, advise, cost and plan.

A fault-injecting proxy sits between dms2msk and the moto server (tests/support/fault_proxy.py); the
second page of DescribeReplicationTasks fails, so the scan reads 100 of 105 tasks that all share one
replication instance, one subnet group and two endpoints. The unread tasks still use them: no later
stage may propose deleting them, and the rendered tasks the scan could not see are not "stale".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.errors import EXIT_OK, EXIT_PARTIAL
from dms2msk.estate import SeededEstate, seed_estate
from dms2msk.model import load_inventory
from tests.support.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.real

REGION = "ap-northeast-2"
TASKS = 105  # one page of 100, then a second page the proxy fails


def shared_estate() -> dict[str, Any]:
    mappings = {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "orders", "rule-action": "include",
                           "object-locator": {"schema-name": "shop", "table-name": "orders"}}]}  # fmt: skip
    return {
        "region": REGION,
        "vpc": {
            "cidr_block": "10.30.0.0/16",
            "subnets": [
                {"cidr_block": "10.30.1.0/24", "availability_zone": "ap-northeast-2a"},
                {"cidr_block": "10.30.2.0/24", "availability_zone": "ap-northeast-2b"},
            ],
            "security_groups": [{"name": "dms", "description": "dms"}],
        },
        "replication_subnet_groups": [{"identifier": "shared-subnets", "subnets": "all"}],
        "replication_instances": [
            {
                "identifier": "shared-ri",
                "instance_class": "dms.r5.large",
                "subnet_group": "shared-subnets",
                "security_groups": ["dms"],
            }
        ],
        "endpoints": [
            {
                "identifier": "shop-aurora",
                "type": "source",
                "engine": "aurora",
                "server_name": "shop.example",
                "port": 3306,
                "username": "dms",
                "password": "pw-source-demo",
            },
            {
                "identifier": "analytics-pg",
                "type": "target",
                "engine": "postgres",
                "server_name": "pg.example",
                "port": 5432,
                "database_name": "analytics",
                "username": "loader",
                "password": "pw-target-demo",
            },
        ],
        "tasks": [
            {
                "identifier": f"orders-{i:03d}",
                "migration_type": "cdc",
                "source": "shop-aurora",
                "target": "analytics-pg",
                "replication_instance": "shared-ri",
                "table_mappings": mappings,
            }
            for i in range(TASKS)
        ],
    }


def run(*arguments: str) -> Any:
    return CliRunner().invoke(cli, list(arguments))


def network_config(seeded: SeededEstate, folder: Path) -> Path:
    """moto answers every subnet group with a canned one-subnet group: name the seeded VPC's subnets."""
    path = folder / "settings.toml"
    subnets = ", ".join(f'"{s}"' for s in seeded.subnet_ids)
    groups = ", ".join(f'"{g}"' for g in seeded.security_group_ids.values())
    path.write_text(
        f'[network]\nvpc_id = "{seeded.vpc_id}"\nsubnet_ids = [{subnets}]\nsecurity_group_ids = [{groups}]\n',
        encoding="utf-8",
    )
    return path


def scan(proxy: FaultProxy, output: Path) -> Any:
    return run("scan", "--region", REGION, "--endpoint-url", proxy.url, "--max-attempts", "2", "-o", str(output))


def fail_second_task_page(proxy: FaultProxy) -> None:
    proxy.add(Fault("5xx", region=REGION, operation="DescribeReplicationTasks", skip=1))


def test_a_failed_task_page_is_recorded_per_region_and_kind(fault_proxy: FaultProxy, tmp_path: Path) -> None:
    seed_estate(shared_estate(), fault_proxy.url)
    fail_second_task_page(fault_proxy)
    inventory_path = tmp_path / "inventory.json"

    scanned = scan(fault_proxy, inventory_path)

    assert scanned.exit_code == EXIT_PARTIAL, scanned.output
    (region,) = load_inventory(inventory_path).regions
    assert len(region.tasks) == 100
    assert "replication-tasks" in region.unread
    assert "replication-instances" not in region.unread and "endpoints" not in region.unread
    assert region.users_unknown == ("replication-tasks",)


def test_render_advise_and_cost_of_a_partial_inventory_exit_3_and_say_so(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    config = network_config(seed_estate(shared_estate(), fault_proxy.url), tmp_path)
    fail_second_task_page(fault_proxy)
    inventory = tmp_path / "inventory.json"
    assert scan(fault_proxy, inventory).exit_code == EXIT_PARTIAL
    out = tmp_path / "out"

    rendered = run("render", str(out), "-i", str(inventory), "--config", str(config), "--format", "json")
    advised = run("advise", "-i", str(inventory), "--config", str(config), "--format", "json")
    costed = run("cost", "-i", str(inventory), "--config", str(config), "--format", "json")
    planned = run("plan", str(out), "--format", "json")  # the manifest alone: no inventory passed

    assert rendered.exit_code == EXIT_PARTIAL, rendered.output
    summary = json.loads(rendered.stdout)
    assert summary["partial"] is True and "replication-tasks" in summary["unread"][REGION]
    assert "inventory of ap-northeast-2 is incomplete" in rendered.stderr
    manifest = json.loads((out / "dms2msk.json").read_text(encoding="utf-8"))
    assert "replication-tasks" in manifest["inventory_unread"][REGION]
    assert json.loads((out / "findings.json").read_text(encoding="utf-8"))["partial"] is True
    assert advised.exit_code == EXIT_PARTIAL, advised.output
    assert json.loads(advised.stdout)["partial"] is True
    assert costed.exit_code == EXIT_PARTIAL, costed.output
    assert "inventory of ap-northeast-2 is incomplete" in costed.stderr
    assert planned.exit_code == EXIT_PARTIAL, planned.output
    assert any(p["source"] == "inventory" and p["where"] == REGION for p in json.loads(planned.stdout)["problems"])


def test_plan_never_decommissions_what_unread_tasks_may_use(fault_proxy: FaultProxy, tmp_path: Path) -> None:
    config = network_config(seed_estate(shared_estate(), fault_proxy.url), tmp_path)
    complete, partial, out = tmp_path / "complete.json", tmp_path / "partial.json", tmp_path / "out"
    assert scan(fault_proxy, complete).exit_code == EXIT_OK
    assert run("render", str(out), "-i", str(complete), "--config", str(config)).exit_code == EXIT_OK
    fail_second_task_page(fault_proxy)
    assert scan(fault_proxy, partial).exit_code == EXIT_PARTIAL

    planned = run("plan", str(out), "-i", str(partial), "--format", "json")

    assert planned.exit_code == EXIT_PARTIAL, planned.output
    plan = json.loads(planned.stdout)
    deleted = {item["kind"] for item in plan["decommission"]}
    assert deleted == {"replication-task"}  # each migrated task itself: nothing else uses a task
    assert not any("delete-endpoint" in i["command"] or "delete-replication-instance" in i["command"]
                   or "delete-replication-subnet-group" in i["command"] for i in plan["decommission"])  # fmt: skip
    kept = {(item["kind"], item["identifier"]): item["reason"] for item in plan["retained"]}
    assert set(kept) == {
        ("endpoint", "shop-aurora"),
        ("endpoint", "analytics-pg"),
        ("replication-instance", "shared-ri"),
        ("subnet-group", "shared-subnets"),
    }
    assert all("could not list every replication-tasks of ap-northeast-2" in reason for reason in kept.values())
    assert not [b for b in plan["blockers"] if b["code"] == "render.stale"]  # unread is not stale
    problem = next(p for p in plan["problems"] if p["source"] == "inventory")
    assert "no endpoint, replication instance or subnet group of ap-northeast-2 is proposed" in problem["message"]
    assert f"dms2msk scan --region {REGION}" in problem["hint"]
