"""Small estates and catalogs built by hand for the cost tests (no mapping stage needed)."""

from __future__ import annotations

from decimal import Decimal

from dms2msk.cost.catalog import IncludedStorage, PriceCatalog, PriceFigure
from dms2msk.model import (
    Connector,
    Inventory,
    MappingResult,
    NetworkDefaults,
    Pipeline,
    RegionInventory,
    ReplicationInstance,
    ReplicationTask,
    SecretRef,
    ServerlessCompute,
)


def instance(identifier: str, instance_class: str, *, multi_az: bool = False, storage: int = 50) -> ReplicationInstance:
    return ReplicationInstance(
        arn=f"arn:aws:dms:us-east-1:111122223333:rep:{identifier}",
        identifier=identifier,
        instance_class=instance_class,
        multi_az=multi_az,
        allocated_storage_gb=storage,
    )


def task(
    identifier: str,
    ri: ReplicationInstance | None = None,
    *,
    serverless: ServerlessCompute | None = None,
    task_settings: str = "",
) -> ReplicationTask:
    return ReplicationTask(
        arn=f"arn:aws:dms:us-east-1:111122223333:task:{identifier}",
        identifier=identifier,
        migration_type="cdc",
        source_endpoint_arn="arn:src",
        target_endpoint_arn="arn:tgt",
        replication_instance_arn=ri.arn if ri else None,
        serverless=serverless,
        task_settings=task_settings,
    )


def inventory(region: str, instances: tuple[ReplicationInstance, ...], tasks: tuple[ReplicationTask, ...]) -> Inventory:
    return Inventory(
        scanned_at="2026-12-01T00:00:00Z",
        regions=(RegionInventory(region=region, replication_instances=instances, tasks=tasks),),
    )


def connector(name: str, role: str, secrets: tuple[SecretRef, ...] = ()) -> Connector:
    return Connector(
        name=name,
        role=role,
        connector_class="io.debezium.connector.mysql.MySqlConnector" if role == "source" else "jdbc",
        plugin="debezium-connector-mysql" if role == "source" else "debezium-connector-jdbc",
        config={"table.include.list": "shop.orders,shop.items"} if role == "source" else {},
        secrets=secrets,
    )


def pipeline(
    identifier: str,
    region: str = "us-east-1",
    *,
    sink: bool = True,
    new_secret: bool = False,
    subnets: tuple[str, ...] = ("subnet-a", "subnet-b", "subnet-c"),
) -> Pipeline:
    secrets = (
        (SecretRef(key=f"{identifier}_source", name=f"dms2msk/{identifier}/source", existing=False),)
        if new_secret
        else (SecretRef(key="dms_secret", name="arn:aws:secretsmanager:x", existing=True, arn="arn:x"),)
    )
    return Pipeline(
        key=identifier.replace("-", "_"),
        task_identifier=identifier,
        task_arn=f"arn:aws:dms:{region}:111122223333:task:{identifier}",
        region=region,
        migration_type="cdc",
        source_engine="mysql",
        target_engine="mysql",
        source=connector(f"{identifier}-source", "source", secrets),
        sink=connector(f"{identifier}-sink", "sink") if sink else None,
        topic_prefix=identifier,
        network=NetworkDefaults(subnet_ids=subnets),
    )


def mapping(*pipelines: Pipeline) -> MappingResult:
    return MappingResult(pipelines=pipelines)


def figure(region: str, key: str, unit: str, price: str | None) -> PriceFigure:
    return PriceFigure(region, key, unit, None if price is None else Decimal(price), "test", "2026-12-01", True)


def catalog(region: str = "us-east-1", extra: dict[str, str | None] | None = None) -> PriceCatalog:
    """A catalog with round test prices (independent of the bundled file)."""
    prices: dict[str, str | None] = {
        "dms.instance:dms.r5.large:single-az": "0.192",
        "dms.instance:dms.r5.large:multi-az": "0.384",
        "dms.instance:dms.t3.medium:single-az": "0.073",
        "dms.storage:single-az": "0.115",
        "dms.storage:multi-az": "0.23",
        "msk.broker:kafka.m5.large": "0.21",
        "msk.storage": "0.10",
        "mskconnect.mcu": "0.11",
        "secretsmanager.secret": "0.40",
        "logs.ingestion": "0.50",
        "logs.storage": "0.03",
        "msk.serverless.cluster": "0.75",
        "msk.serverless.partition": "0.0015",
        "msk.serverless.storage": "0.10",
        "msk.serverless.data-in": "0.10",
        "msk.serverless.data-out": "0.05",
        **(extra or {}),
    }
    figures = {(region, k): figure(region, k, "unit", v) for k, v in prices.items()}
    included = {f: IncludedStorage(f, gb, "test", True) for f, gb in (("t3", 50), ("r5", 100))}
    return PriceCatalog(name="test", read_on="2026-12-01", figures=figures, included_storage=included)
