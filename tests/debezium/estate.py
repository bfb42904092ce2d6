"""Build small inventories for the Debezium proofs: one task per DMS rule set, real mapper output."""

from __future__ import annotations

import json
from typing import Any

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import Endpoint, Inventory, MappingResult, Pipeline, RegionInventory, ReplicationTask

REGION = "us-east-1"
ACCOUNT = "111111111111"
SETTINGS_3X = Settings(debezium_version="3.6.3.Final")


def endpoint(
    identifier: str,
    role: str,
    engine: str,
    *,
    host: str = "db.internal",
    port: int = 5432,
    database: str | None = "app",
    **extra: Any,
) -> Endpoint:
    return Endpoint(
        arn=f"arn:aws:dms:{REGION}:{ACCOUNT}:endpoint:{identifier}",
        identifier=identifier,
        endpoint_type=role,
        engine=engine,
        server_name=host,
        port=port,
        database_name=database,
        username="dms_user",
        secrets_manager_secret_id=f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:dms/{identifier}-AbCdEf",
        **extra,
    )


def task(
    identifier: str,
    source: Endpoint,
    target: Endpoint,
    rules: list[dict[str, Any]],
    *,
    migration_type: str = "full-load-and-cdc",
) -> ReplicationTask:
    return ReplicationTask(
        arn=f"arn:aws:dms:{REGION}:{ACCOUNT}:task:{identifier}",
        identifier=identifier,
        migration_type=migration_type,
        source_endpoint_arn=source.arn,
        target_endpoint_arn=target.arn,
        table_mappings=json.dumps({"rules": rules}),
    )


def inventory(tasks: list[ReplicationTask], endpoints: list[Endpoint]) -> Inventory:
    unique = {e.arn: e for e in endpoints}
    return Inventory(
        scanned_at="2026-01-01T00:00:00Z",
        regions=(
            RegionInventory(region=REGION, account_id=ACCOUNT, endpoints=tuple(unique.values()), tasks=tuple(tasks)),
        ),
    )


def mapped(inv: Inventory, settings: Settings = SETTINGS_3X) -> MappingResult:
    return map_inventory(inv, settings)


def pipeline_for(result: MappingResult, task_identifier: str) -> Pipeline:
    return next(p for p in result.pipelines if p.task_identifier == task_identifier)


def include(rule_id: int, schema: str, table: str, *, action: str = "include", **extra: Any) -> dict[str, Any]:
    return {
        "rule-type": "selection",
        "rule-id": str(rule_id),
        "rule-name": f"sel{rule_id}",
        "object-locator": {"schema-name": schema, "table-name": table},
        "rule-action": action,
        **extra,
    }


def transform(
    rule_id: int, target: str, action: str, *, value: str | None = None, old_value: str | None = None, **locator: str
) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "rule-type": "transformation",
        "rule-id": str(rule_id),
        "rule-name": f"tr{rule_id}",
        "rule-target": target,
        "rule-action": action,
        "object-locator": {f"{k}-name": v for k, v in locator.items()},
    }
    if value is not None:
        rule["value"] = value
    if old_value is not None:
        rule["old-value"] = old_value
    return rule
