"""A generated estate of 54 DMS tasks over six source and three target engines, rendered and planned for real.

One ``terraform init`` and one offline ``plan`` cover the whole estate: fmt and validate are clean,
and the plan creates exactly the shared resources plus four per connector, two connectors per
pipeline, and each connector's execution role carries the permissions its wiring asks for.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dms2msk import terraform
from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import (
    Endpoint,
    Inventory,
    MappingResult,
    RegionInventory,
    ReplicationInstance,
    ReplicationTask,
    SecretMetadata,
)
from dms2msk.render import render
from dms2msk.render.worker import offsets_topic

from .test_render_terraform import SHARED_ROOT_RESOURCES

pytestmark = pytest.mark.real

REGION = "eu-west-1"
ACCOUNT = "123456789012"
SOURCE_ENGINES = ("mysql", "aurora", "mariadb", "postgres", "sqlserver", "oracle")
TARGET_ENGINES = ("mysql", "postgres", "sqlserver")
TASKS_PER_PAIR = 3  # 6 x 3 x 3 = 54 tasks
DMS_SECRET_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
PORTS = {"mysql": 3306, "aurora": 3306, "mariadb": 3306, "postgres": 5432, "sqlserver": 1433, "oracle": 1521}
SCHEMAS = {"mysql": "shop", "aurora": "shop", "mariadb": "shop", "postgres": "public", "sqlserver": "dbo"}

PER_CONNECTOR = (
    "aws_cloudwatch_log_group.this[0]",
    "aws_iam_role.this[0]",
    "aws_iam_role_policy.this[0]",
    "aws_mskconnect_connector.this[0]",
)


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:dms:{REGION}:{ACCOUNT}:{kind}:{name}"


def _mappings(engine: str, index: int) -> str:
    schema = SCHEMAS.get(engine, "SHOP")  # Oracle keeps upper-case owner names
    rules = [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "orders",
            "object-locator": {"schema-name": schema, "table-name": f"orders_{index}"},
            "rule-action": "include",
        },
        {
            "rule-type": "selection",
            "rule-id": "2",
            "rule-name": "customers",
            "object-locator": {"schema-name": schema, "table-name": "customers"},
            "rule-action": "include",
        },
    ]
    return json.dumps({"rules": rules})


def generated_inventory() -> Inventory:
    """54 tasks, each with its own source and target endpoint; every other source uses a CMK-encrypted DMS secret."""
    instance = ReplicationInstance(
        arn=_arn("rep", "ri-large"),
        identifier="ri-large",
        instance_class="dms.r5.large",
        vpc_id="vpc-large",
        subnet_ids=("subnet-a1", "subnet-b2", "subnet-c3"),
        security_group_ids=("sg-dms",),
    )
    endpoints: list[Endpoint] = []
    tasks: list[ReplicationTask] = []
    number = 0
    for source_engine in SOURCE_ENGINES:
        for target_engine in TARGET_ENGINES:
            for _ in range(TASKS_PER_PAIR):
                number += 1
                identifier = f"{source_engine}-to-{target_engine}-{number:02d}"
                secret = None
                if number % 2 == 0:
                    name = f"dms/{identifier}/source"
                    secret = SecretMetadata(
                        arn=f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-Ab12Cd",
                        name=name,
                        kms_key_id=DMS_SECRET_KEY,
                    )
                source = Endpoint(
                    arn=_arn("endpoint", f"{identifier}-src"),
                    identifier=f"{identifier}-src",
                    endpoint_type="source",
                    engine=source_engine,
                    server_name=f"{identifier}-src.example.internal",
                    port=PORTS[source_engine],
                    database_name="ORCL" if source_engine == "oracle" else "shop",
                    username=None if secret else "cdc_reader",
                    secrets_manager_secret_id=secret.arn if secret else None,
                    secret=secret,
                )
                target = Endpoint(
                    arn=_arn("endpoint", f"{identifier}-tgt"),
                    identifier=f"{identifier}-tgt",
                    endpoint_type="target",
                    engine=target_engine,
                    server_name=f"{identifier}-tgt.example.internal",
                    port=PORTS[target_engine],
                    database_name="warehouse",
                    username="sink_writer",
                )
                endpoints.extend((source, target))
                tasks.append(
                    ReplicationTask(
                        arn=_arn("task", identifier),
                        identifier=identifier,
                        migration_type=("full-load-and-cdc", "cdc")[number % 2],
                        source_endpoint_arn=source.arn,
                        target_endpoint_arn=target.arn,
                        replication_instance_arn=instance.arn,
                        table_mappings=_mappings(source_engine, number),
                        task_settings="",
                    )
                )
    return Inventory(
        scanned_at="2026-01-01T00:00:00Z",
        regions=(
            RegionInventory(
                region=REGION,
                account_id=ACCOUNT,
                replication_instances=(instance,),
                endpoints=tuple(endpoints),
                tasks=tuple(tasks),
            ),
        ),
    )


def expected_addresses(result: MappingResult, settings: Settings) -> set[str]:
    expected = set(SHARED_ROOT_RESOURCES)
    for pipeline in result.pipelines:
        version = pipeline.debezium_version or settings.debezium_version
        for connector in pipeline.connectors:
            module = f"{pipeline.key}_{connector.role}"
            key = f"{connector.plugin}-{version}"
            expected.add(f'module.plugins.aws_mskconnect_custom_plugin.this["{key}"]')
            expected.add(f'module.plugins.aws_s3_object.this["{key}"]')
            expected.add(f'module.network.aws_security_group_rule.database_cidr_egress["{module}"]')
            expected.update(f"module.{module}.{resource}" for resource in PER_CONNECTOR)
            for secret in connector.secrets:
                if not secret.existing:
                    expected.add(f'module.secrets.aws_secretsmanager_secret.this["{secret.key}"]')
    return expected


def _module_arguments(plan: dict, module: str) -> dict[str, dict]:
    """The arguments the root passes to a connector module, as the plan's configuration records them.

    The role policy itself is unknown until apply (it names the cluster ARN), so the wiring is read here.
    """
    calls = plan["configuration"]["root_module"]["module_calls"]
    return calls[module]["expressions"]


def test_large_generated_estate_renders_validates_and_plans(tmp_path: Path) -> None:
    settings = Settings()
    inventory = generated_inventory()
    result = map_inventory(inventory, settings)
    assert not result.skipped, [s.reason for s in result.skipped]
    assert len(result.pipelines) == len(SOURCE_ENGINES) * len(TARGET_ENGINES) * TASKS_PER_PAIR >= 50
    assert {p.source_engine for p in result.pipelines} == set(SOURCE_ENGINES)
    assert {p.target_engine for p in result.pipelines} == set(TARGET_ENGINES)
    for pipeline in result.pipelines:
        assert sorted(c.role for c in pipeline.connectors) == ["sink", "source"], pipeline.task_identifier

    out = tmp_path / "out"
    render(result, settings, out, inventory=inventory)

    check = terraform.offline_check(out)
    assert check.unformatted == (), check.unformatted
    assert check.validate.valid, check.validate.errors
    assert check.plan is not None
    created = terraform.created_addresses(check.plan)
    assert len(created) == len(set(created))
    assert set(created) == expected_addresses(result, settings)

    # Per pipeline: two connectors, each with its log group, role, policy and connector.
    per_pipeline = Counter(
        address.split(".")[1].rsplit("_", 1)[0]
        for address in created
        if address.startswith("module.") and address.split(".")[1].endswith(("_source", "_sink"))
    )
    assert per_pipeline == {p.key: 2 * len(PER_CONNECTOR) for p in result.pipelines}

    # The wiring each role depends on: schema history read-back and group, plugin object, the secrets' CMKs.
    for pipeline in result.pipelines:
        for connector in pipeline.connectors:
            arguments = _module_arguments(check.plan, f"{pipeline.key}_{connector.role}")
            history_topic = connector.config.get("schema.history.internal.kafka.topic")
            # Every worker also reads the worker configuration's pinned offsets topic; only sources write it.
            offsets = offsets_topic(settings)
            if connector.role == "source" and history_topic:
                assert arguments["read_topics"]["constant_value"] == sorted([history_topic, offsets])
                assert offsets in arguments["write_topics"]["constant_value"]
                assert history_topic in arguments["write_topics"]["constant_value"]
                assert arguments["consumer_groups"]["constant_value"] == [
                    f"{connector.config['topic.prefix']}-schemahistory"
                ]
            elif connector.role == "source":
                assert arguments["read_topics"]["constant_value"] == [offsets]
                assert arguments["consumer_groups"]["constant_value"] == []
            else:
                # A sink reads its topics and writes its dead-letter topic (DMS's default LOG_ERROR policy).
                assert arguments["read_topics"]["constant_value"]
                assert arguments["write_topics"]["constant_value"] == list(connector.writes_topics)
                assert offsets in arguments["read_topics"]["constant_value"]
                assert arguments["consumer_groups"]["constant_value"] == []
            assert any("object_arn" in ref for ref in arguments["plugin_object_arn"]["references"])
            kms = arguments["secret_kms_key_arns"]
            references = kms.get("references", [])
            literal = [v for v in json.dumps(kms).split('"') if v.startswith("arn:aws:kms:")]
            assert ("module.kms.key_arn" in references) == any(not s.existing for s in connector.secrets)
            assert (DMS_SECRET_KEY in literal) == any(s.existing for s in connector.secrets)
            assert any(s.existing for s in connector.secrets) == (
                pipeline.task_identifier.endswith(tuple(f"{n:02d}" for n in range(2, 60, 2)))
                and connector.role == "source"
            )
