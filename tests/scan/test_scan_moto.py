"""scan against a real moto server process, seeded with real DMS/EC2/Secrets Manager calls."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from dms2msk.estate import emulator_client, load_estate, seed_estate
from dms2msk.model import Inventory, dumps, from_jsonable
from dms2msk.scan import ScanProgress, scan, scan_with_stats

pytestmark = pytest.mark.real

REGION = "ap-northeast-2"
EXTRA_PASSWORDS = ["kafka-sasl-demo-password", "oracle-asm-demo-password", "eca-demo-password"]


def dms(endpoint_url: str, region: str = REGION) -> Any:
    return emulator_client("dms", region, endpoint_url)


def seed_extras(endpoint_url: str) -> dict[str, str]:
    """Endpoints whose settings objects hold passwords, and a second instance with a KMS key."""
    client = dms(endpoint_url)
    oracle = client.create_endpoint(
        EndpointIdentifier="erp-oracle",
        EndpointType="source",
        EngineName="oracle",
        ServerName="erp.example.internal",
        Port=1521,
        DatabaseName="ERP",
        Username="dms_reader",
        Password="oracle-login-demo-password",
        SslMode="verify-full",
        ExtraConnectionAttributes=f"useLogminerReader=N;asm_password={EXTRA_PASSWORDS[2]};useBfile=Y",
        OracleSettings={"AsmUser": "asmuser", "AsmPassword": EXTRA_PASSWORDS[1], "ArchivedLogDestId": 1},
        Tags=[{"Key": "owner", "Value": "erp"}],
    )["Endpoint"]
    kafka = client.create_endpoint(
        EndpointIdentifier="events-kafka",
        EndpointType="target",
        EngineName="kafka",
        KafkaSettings={
            "Broker": "b-1.example:9096",
            "Topic": "dms",
            "SaslUsername": "u",
            "SaslPassword": EXTRA_PASSWORDS[0],
        },
    )["Endpoint"]
    instance = client.create_replication_instance(
        ReplicationInstanceIdentifier="erp-ri",
        ReplicationInstanceClass="dms.c5.xlarge",
        AllocatedStorage=250,
        MultiAZ=False,
        EngineVersion="3.5.3",
        KmsKeyId="arn:aws:kms:ap-northeast-2:123456789012:key/11111111-2222-3333-4444-555555555555",
        PubliclyAccessible=True,
    )["ReplicationInstance"]
    task = client.create_replication_task(
        ReplicationTaskIdentifier="erp-orders",
        SourceEndpointArn=oracle["EndpointArn"],
        TargetEndpointArn=kafka["EndpointArn"],
        ReplicationInstanceArn=instance["ReplicationInstanceArn"],
        MigrationType="cdc",
        TableMappings='{"rules": [{"rule-type": "selection", "rule-id": "1"',  # malformed on purpose: kept raw
        Tags=[{"Key": "owner", "Value": "erp"}, {"Key": "tier", "Value": "gold"}],
    )["ReplicationTask"]
    return {"oracle": oracle["EndpointArn"], "kafka": kafka["EndpointArn"], "task": task["ReplicationTaskArn"]}


def region_of(inventory: Inventory, name: str) -> Any:
    return next(r for r in inventory.regions if r.region == name)


def test_every_field_of_the_example_estate_round_trips(moto_endpoint: str) -> None:
    estate = load_estate()
    seeded = seed_estate(estate, moto_endpoint)
    extras = seed_extras(moto_endpoint)
    # Ground truth for what moto stores about subnet groups (moto keeps canned subnet ids).
    truth_groups = {
        g["ReplicationSubnetGroupIdentifier"]: g
        for g in dms(moto_endpoint).describe_replication_subnet_groups()["ReplicationSubnetGroups"]
    }

    inventory = scan([REGION], endpoint_url=moto_endpoint)

    region = region_of(inventory, REGION)
    assert region.problems == ()
    assert region.account_id == "123456789012"

    instances = {i.identifier: i for i in region.replication_instances}
    assert set(instances) == {"simplydemo-ri", "erp-ri"}
    for spec in estate["replication_instances"]:
        instance = instances[spec["identifier"]]
        assert instance.arn == seeded.instance_arns[spec["identifier"]]
        assert instance.instance_class == spec["instance_class"]
        assert instance.multi_az is spec.get("multi_az", False)
        assert instance.allocated_storage_gb == spec.get("allocated_storage_gb", 50)
        assert instance.subnet_group == spec["subnet_group"]
        group = truth_groups[spec["subnet_group"]]
        assert instance.vpc_id == group["VpcId"]
        assert instance.subnet_ids == tuple(s["SubnetIdentifier"] for s in group["Subnets"])
        assert instance.security_group_ids == tuple(seeded.security_group_ids[g] for g in spec["security_groups"])
        assert instance.tags == spec.get("tags", {})
    erp = instances["erp-ri"]
    assert erp.kms_key_arn and erp.kms_key_arn.endswith("555555555555")
    assert (erp.instance_class, erp.allocated_storage_gb, erp.engine_version, erp.publicly_accessible) == (
        "dms.c5.xlarge",
        250,
        "3.5.3",
        True,
    )

    endpoints = {e.identifier: e for e in region.endpoints}
    for spec in estate["endpoints"]:
        endpoint = endpoints[spec["identifier"]]
        assert endpoint.arn == seeded.endpoint_arns[spec["identifier"]]
        assert endpoint.endpoint_type == spec["type"]
        assert endpoint.engine == spec["engine"]
        assert endpoint.server_name == spec.get("server_name")
        assert endpoint.port == spec.get("port")
        assert endpoint.database_name == spec.get("database_name")
        assert endpoint.username == spec.get("username")
        for name, values in (spec.get("settings") or {}).items():
            assert values.items() <= endpoint.settings[name].items()
        assert endpoint.tags == spec.get("tags", {})
        if spec.get("secret"):
            secret_arn = seeded.secret_arns[spec["secret"]]
            assert endpoint.secrets_manager_secret_id == secret_arn
            assert endpoint.secrets_manager_access_role_arn
            assert endpoint.secret is not None
            assert (endpoint.secret.arn, endpoint.secret.name) == (secret_arn, spec["secret"])
        else:
            assert endpoint.secret is None and endpoint.secrets_manager_secret_id is None

    oracle = endpoints["erp-oracle"]
    assert (oracle.ssl_mode, oracle.port, oracle.database_name) == ("verify-full", 1521, "ERP")
    assert oracle.settings["OracleSettings"] == {"AsmUser": "asmuser", "ArchivedLogDestId": 1}
    assert oracle.extra_connection_attributes == "useLogminerReader=N;useBfile=Y"
    assert oracle.tags == {"owner": "erp"}
    assert endpoints["events-kafka"].settings["KafkaSettings"] == {
        "Broker": "b-1.example:9096",
        "Topic": "dms",
        "SaslUsername": "u",
    }

    tasks = {t.identifier: t for t in region.tasks}
    assert set(tasks) == {t["identifier"] for t in estate["tasks"]} | {"erp-orders"}
    for spec in estate["tasks"]:
        task = tasks[spec["identifier"]]
        assert task.arn == seeded.task_arns[spec["identifier"]]
        assert task.migration_type == spec["migration_type"]
        assert task.source_endpoint_arn == seeded.endpoint_arns[spec["source"]]
        assert task.target_endpoint_arn == seeded.endpoint_arns[spec["target"]]
        assert task.replication_instance_arn == seeded.instance_arns[spec["replication_instance"]]
        assert json.loads(task.table_mappings) == spec["table_mappings"]
        if spec.get("task_settings") is not None:
            assert json.loads(task.task_settings) == spec["task_settings"]
        assert task.cdc_start_position == spec.get("cdc_start_position")
        assert task.tags == spec.get("tags", {})
        assert task.serverless is None
    erp_task = tasks["erp-orders"]
    assert erp_task.arn == extras["task"]
    assert erp_task.table_mappings == '{"rules": [{"rule-type": "selection", "rule-id": "1"'
    # moto does not keep CdcStartPosition/RecoveryCheckpoint: test_scan_stubbed covers them with the real shapes.
    assert erp_task.tags == {"owner": "erp", "tier": "gold"}
    assert erp_task.status

    # The inventory file reads back into the same objects.
    assert from_jsonable(Inventory, json.loads(dumps(inventory))) == inventory


def test_no_password_given_to_the_emulator_reaches_the_inventory(moto_endpoint: str) -> None:
    seeded = seed_estate(load_estate(), moto_endpoint)
    seed_extras(moto_endpoint)
    passwords = [*seeded.passwords, *EXTRA_PASSWORDS, "oracle-login-demo-password"]
    assert len(passwords) >= 6

    text = dumps(scan([REGION], endpoint_url=moto_endpoint))

    assert [p for p in passwords if p in text] == []
    assert "Password" not in text and "asm_password" not in text


def test_several_regions_are_scanned_and_kept_apart(moto_endpoint: str) -> None:
    estate = load_estate()
    seed_estate(estate, moto_endpoint, region="eu-west-1")
    seed_estate(estate, moto_endpoint, region="us-east-1")
    dms(moto_endpoint, "us-east-1").create_endpoint(
        EndpointIdentifier="only-here", EndpointType="source", EngineName="postgres"
    )
    seen: list[ScanProgress] = []

    result = scan_with_stats(
        ["eu-west-1", "us-east-1", "ap-southeast-1"], endpoint_url=moto_endpoint, progress=seen.append
    )

    inventory = result.inventory
    assert [r.region for r in inventory.regions] == ["eu-west-1", "us-east-1", "ap-southeast-1"]
    expected_tasks = sorted(t["identifier"] for t in estate["tasks"])
    for name in ("eu-west-1", "us-east-1"):
        region = region_of(inventory, name)
        assert sorted(t.identifier for t in region.tasks) == expected_tasks
        assert all(f":{name}:" in t.arn for t in region.tasks)
    assert len(region_of(inventory, "us-east-1").endpoints) == len(estate["endpoints"]) + 1
    empty = region_of(inventory, "ap-southeast-1")
    assert (empty.replication_instances, empty.endpoints, empty.tasks, empty.problems) == ((), (), (), ())
    assert not inventory.partial
    assert {e.region for e in seen if e.step == "done"} == {"eu-west-1", "us-east-1", "ap-southeast-1"}
    assert set(result.stats.regions) == {"eu-west-1", "us-east-1", "ap-southeast-1"}


def test_an_unreachable_region_is_reported_and_the_others_still_scanned(moto_endpoint: str) -> None:
    seed_estate(load_estate(), moto_endpoint)
    closed_port_url = "http://127.0.0.1:9"  # the discard port: nothing listens there

    def factory_for(region: str) -> Any:
        url = closed_port_url if region == "eu-central-1" else moto_endpoint

        def make(service: str, name: str) -> Any:
            from botocore.config import Config

            return boto3.client(
                service,
                region_name=name,
                endpoint_url=url,
                config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
            )

        return make

    inventory = scan([REGION, "eu-central-1"], endpoint_url=moto_endpoint, client_factory=factory_for)

    good, bad = region_of(inventory, REGION), region_of(inventory, "eu-central-1")
    assert good.problems == () and len(good.tasks) == 2
    assert len(bad.problems) == 1  # one report, not one per call
    assert bad.problems[0].code == "EndpointConnectionError"
    assert bad.problems[0].operation == "DescribeReplicationInstances"
    assert inventory.partial


def test_table_statistics_on_an_emulator_without_the_api_is_not_a_problem(moto_endpoint: str) -> None:
    seed_estate(load_estate(), moto_endpoint)

    result = scan_with_stats([REGION], endpoint_url=moto_endpoint, include_table_statistics=True)

    region = region_of(result.inventory, REGION)
    assert region.problems == ()
    assert all(t.table_statistics == () for t in region.tasks)
    # moto answers HTTP 500: one attempt only, not retried as a transient error
    assert result.stats.regions[REGION].by_operation["DescribeTableStatistics"] == 1
    assert result.stats.retries == 0
