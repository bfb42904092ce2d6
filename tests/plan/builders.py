"""Hand-built inventories and rendered folders for the plan tests (the OUT layout of `dms2msk render`)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from dms2msk.config import Settings
from dms2msk.model import (
    Connector,
    DatabaseAccess,
    Endpoint,
    Inventory,
    MappingResult,
    NetworkDefaults,
    Pipeline,
    RegionInventory,
    ReplicationInstance,
    ReplicationTask,
    SecretRef,
    to_jsonable,
)
from dms2msk.render.worker import worker_configuration

REGION = "ap-northeast-2"
ACCOUNT = "123456789012"
BOOTSTRAP_KEYS = ("schema.history.internal.kafka.bootstrap.servers",)


def arn(kind: str, name: str) -> str:
    return f"arn:aws:dms:{REGION}:{ACCOUNT}:{kind}:{name.upper()}"


def task(
    identifier: str, instance: str, source: str, target: str, migration_type: str = "cdc", mappings: dict | None = None
) -> ReplicationTask:
    return ReplicationTask(
        arn=arn("task", identifier),
        identifier=identifier,
        migration_type=migration_type,
        source_endpoint_arn=arn("endpoint", source),
        target_endpoint_arn=arn("endpoint", target),
        replication_instance_arn=arn("rep", instance),
        table_mappings=json.dumps(mappings or {"rules": []}),
        status="running",
    )


def inventory(*tasks: ReplicationTask, scanned_at: str = "2025-06-01T00:00:00Z") -> Inventory:
    endpoints = sorted({a for t in tasks for a in (t.source_endpoint_arn, t.target_endpoint_arn)})
    instances = sorted({t.replication_instance_arn for t in tasks if t.replication_instance_arn})
    return Inventory(
        scanned_at=scanned_at,
        regions=(
            RegionInventory(
                region=REGION,
                account_id=ACCOUNT,
                replication_instances=tuple(
                    ReplicationInstance(
                        arn=a,
                        identifier=a.rsplit(":", 1)[1].lower(),
                        instance_class="dms.r5.large",
                        subnet_group="dms-subnets",
                    )
                    for a in instances
                ),
                endpoints=tuple(
                    Endpoint(
                        arn=a,
                        identifier=a.rsplit(":", 1)[1].lower(),
                        endpoint_type="source" if "SRC" in a else "target",
                        engine="mysql",
                    )
                    for a in endpoints
                ),
                tasks=tasks,
            ),
        ),
    )


def pipeline(
    identifier: str,
    tables: str = "shop.orders",
    debezium_version: str = "2.7.3.Final",
    migration_type: str = "cdc",
    snapshot_mode: str = "no_data",
) -> Pipeline:
    key = identifier.replace("-", "_")
    secret = f"dms2msk/{identifier}/source"
    source = Connector(
        name=f"{identifier}-source",
        role="source",
        connector_class="io.debezium.connector.mysql.MySqlConnector",
        plugin="debezium-connector-mysql",
        config={
            "connector.class": "io.debezium.connector.mysql.MySqlConnector",
            "tasks.max": "1",
            "database.hostname": "shop.cluster-def.ap-northeast-2.rds.amazonaws.com",
            "database.port": "3306",
            "database.user": f"${{secretsmanager:{secret}:username}}",
            "database.password": f"${{secretsmanager:{secret}:password}}",
            "database.server.id": "184054",
            "topic.prefix": key,
            "table.include.list": tables,
            "snapshot.mode": snapshot_mode,
            "schema.history.internal.kafka.topic": f"schema-changes.{key}",
        },
        secrets=(SecretRef(key=f"{key}_source", name=secret, existing=False, fields=("username", "password")),),
        database=DatabaseAccess("src-mysql", "mysql", "shop.cluster-def.ap-northeast-2.rds.amazonaws.com", 3306),
        writes_topics=(f"{key}.*", key, f"schema-changes.{key}"),
        reads_topics=(f"schema-changes.{key}",),
        consumer_groups=(f"{key}-schemahistory",),
        cluster_config_keys=BOOTSTRAP_KEYS,
    )
    sink = Connector(
        name=f"{identifier}-sink",
        role="sink",
        connector_class="io.debezium.connector.jdbc.JdbcSinkConnector",
        plugin="debezium-connector-jdbc",
        config={
            "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
            "tasks.max": "1",
            "connection.url": "jdbc:postgresql://analytics:5432/analytics",
            "connection.username": f"${{secretsmanager:dms2msk/{identifier}/sink:username}}",
            "connection.password": f"${{secretsmanager:dms2msk/{identifier}/sink:password}}",
            "insert.mode": "upsert",
            "primary.key.mode": "record_key",
            "topics.regex": f"{key}\\..*",
        },
        database=DatabaseAccess("tgt-postgres", "postgres", "analytics", 5432),
        reads_topics=(f"{key}.*",),
    )
    return Pipeline(
        key=key,
        task_identifier=identifier,
        task_arn=arn("task", identifier),
        region=REGION,
        migration_type=migration_type,
        source_engine="mysql",
        target_engine="postgres",
        source=source,
        sink=sink,
        topic_prefix=key,
        network=NetworkDefaults(subnet_ids=("subnet-1", "subnet-2")),
        debezium_version=debezium_version,
    )


def write_out(out: Path, *pipelines: Pipeline, settings: Settings | None = None, record_workers: bool = True) -> Path:
    """Write the manifest and connector files the way render does (bootstrap placeholder included).

    ``record_workers=False`` writes a manifest of an older dms2msk, without the worker configuration.
    """
    settings = settings or Settings(debezium_version="2.7.3.Final")  # the states here were written by 2.7.3
    out.mkdir(parents=True, exist_ok=True)
    result = MappingResult(
        pipelines=pipelines,
        debezium_version=settings.debezium_version,
        kafkaconnect_version=settings.effective_kafkaconnect_version,
        worker_configuration=worker_configuration(settings, REGION) if record_workers else None,
    )
    manifest = {
        "tool_version": "0.1.0",
        "inventory_scanned_at": "2025-06-01T00:00:00Z",
        "settings": {k: v for k, v in to_jsonable(settings).items() if record_workers or k != "workers"},
        "mapping": to_jsonable(result),
    }
    if not record_workers:
        del manifest["mapping"]["worker_configuration"]  # older manifests do not have the key at all
    (out / "dms2msk.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    connectors = out / "connectors"
    connectors.mkdir(exist_ok=True)
    for old in connectors.glob("*.json"):
        old.unlink()
    for p in pipelines:
        for c in p.connectors:
            config = dict(c.config)
            for k in c.cluster_config_keys:
                config[k] = "${bootstrap_servers}"
            (connectors / f"{c.name}.json").write_text(
                json.dumps({"name": c.name, "config": config}, indent=2), encoding="utf-8"
            )
    return out


def with_tables(p: Pipeline, tables: str) -> Pipeline:
    return replace(p, source=replace(p.source, config={**p.source.config, "table.include.list": tables}))
