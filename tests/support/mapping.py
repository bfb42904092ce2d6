"""Inventories for map-stage tests, built directly from DMS-shaped data (no scan, no AWS).

``estate_inventory()`` turns ``examples/estate.json`` (the estate ``dms2msk demo``
seeds into the emulator) into the :class:`~dms2msk.model.Inventory` a scan of
that emulator reads back, so map tests do not depend on the scan stage.
``make_inventory()`` builds a one-task inventory for engine and settings tests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dms2msk.estate import load_estate
from dms2msk.model import (
    Endpoint,
    Inventory,
    RegionInventory,
    ReplicationInstance,
    ReplicationTask,
    SecretMetadata,
)

ACCOUNT = "123456789012"


def _arn(region: str, kind: str, name: str) -> str:
    return f"arn:aws:dms:{region}:{ACCOUNT}:{kind}:{name}"


def estate_inventory(estate: dict[str, Any] | None = None) -> Inventory:
    """The inventory of the example estate, as scan reads it (passwords are never part of it)."""
    estate = estate or load_estate()
    region = estate["region"]
    secrets = {
        s["name"]: SecretMetadata(
            arn=f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{s['name']}-AbCdEf", name=s["name"]
        )
        for s in estate.get("secrets", [])
    }
    subnets = tuple(f"subnet-0{i + 1}" for i, _ in enumerate(estate["vpc"]["subnets"]))
    groups = tuple(f"sg-{g['name']}" for g in estate["vpc"]["security_groups"])
    instances = tuple(
        ReplicationInstance(
            arn=_arn(region, "rep", ri["identifier"]),
            identifier=ri["identifier"],
            instance_class=ri["instance_class"],
            multi_az=ri.get("multi_az", False),
            allocated_storage_gb=ri.get("allocated_storage_gb", 0),
            subnet_group=ri.get("subnet_group"),
            vpc_id="vpc-estate",
            subnet_ids=subnets,
            security_group_ids=groups,
            tags=ri.get("tags", {}),
        )
        for ri in estate["replication_instances"]
    )
    endpoints = []
    for ep in estate["endpoints"]:
        secret = secrets.get(ep.get("secret", ""))
        endpoints.append(
            Endpoint(
                arn=_arn(region, "endpoint", ep["identifier"]),
                identifier=ep["identifier"],
                endpoint_type=ep["type"],
                engine=ep["engine"],
                server_name=ep.get("server_name"),
                port=ep.get("port"),
                database_name=ep.get("database_name"),
                username=ep.get("username"),
                secrets_manager_secret_id=secret.arn if secret else None,
                secret=secret,
                settings=ep.get("settings", {}),
            )
        )
    tasks = tuple(
        ReplicationTask(
            arn=_arn(region, "task", t["identifier"]),
            identifier=t["identifier"],
            migration_type=t["migration_type"],
            source_endpoint_arn=_arn(region, "endpoint", t["source"]),
            target_endpoint_arn=_arn(region, "endpoint", t["target"]),
            replication_instance_arn=_arn(region, "rep", t["replication_instance"]),
            table_mappings=t["table_mappings"]
            if isinstance(t["table_mappings"], str)
            else json.dumps(t["table_mappings"]),
            task_settings=json.dumps(t.get("task_settings", {})),
            tags=t.get("tags", {}),
        )
        for t in estate["tasks"]
    )
    return Inventory(
        scanned_at="2026-01-01T00:00:00Z",
        regions=(
            RegionInventory(
                region=region,
                account_id=ACCOUNT,
                replication_instances=instances,
                endpoints=tuple(endpoints),
                tasks=tasks,
            ),
        ),
    )


SIMPLE_MAPPINGS = {
    "rules": [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "orders",
            "object-locator": {"schema-name": "sales", "table-name": "orders"},
            "rule-action": "include",
        }
    ]
}


def make_inventory(
    *,
    source_engine: str = "mysql",
    target_engine: str = "postgres",
    source: dict[str, Any] | None = None,
    target: dict[str, Any] | None = None,
    migration_type: str = "full-load-and-cdc",
    table_mappings: str | dict[str, Any] = SIMPLE_MAPPINGS,
    task_settings: str | dict[str, Any] = "",
    task: dict[str, Any] | None = None,
    region: str = "eu-west-1",
    identifier: str = "t1",
) -> Inventory:
    """A one-task inventory; ``source``/``target``/``task`` override Endpoint/ReplicationTask fields."""
    src_fields: dict[str, Any] = {
        "server_name": "src.example.internal",
        "port": None,
        "database_name": "srcdb",
        "username": "reader",
        **(source or {}),
    }
    tgt_fields: dict[str, Any] = {
        "server_name": "tgt.example.internal",
        "port": None,
        "database_name": "tgtdb",
        "username": "writer",
        **(target or {}),
    }
    src = Endpoint(
        arn=_arn(region, "endpoint", "src"),
        identifier="src",
        endpoint_type="source",
        engine=source_engine,
        **src_fields,
    )
    tgt = Endpoint(
        arn=_arn(region, "endpoint", "tgt"),
        identifier="tgt",
        endpoint_type="target",
        engine=target_engine,
        **tgt_fields,
    )
    ri = ReplicationInstance(
        arn=_arn(region, "rep", "ri"),
        identifier="ri",
        instance_class="dms.t3.medium",
        vpc_id="vpc-1",
        subnet_ids=("subnet-a", "subnet-b"),
        security_group_ids=("sg-1",),
    )
    task_fields: dict[str, Any] = {
        "migration_type": migration_type,
        "source_endpoint_arn": src.arn,
        "target_endpoint_arn": tgt.arn,
        "replication_instance_arn": ri.arn,
        "table_mappings": table_mappings if isinstance(table_mappings, str) else json.dumps(table_mappings),
        "task_settings": task_settings if isinstance(task_settings, str) else json.dumps(task_settings),
        **(task or {}),
    }
    rt = ReplicationTask(arn=_arn(region, "task", identifier), identifier=identifier, **task_fields)
    return Inventory(
        scanned_at="2026-01-01T00:00:00Z",
        regions=(RegionInventory(region=region, replication_instances=(ri,), endpoints=(src, tgt), tasks=(rt,)),),
    )


@pytest.fixture
def example_inventory() -> Inventory:
    return estate_inventory()
