"""scan and table_statistics with botocore's Stubber, for the APIs and answers moto lacks.

Stubber checks every request and response against the DMS service model, so the shapes
here are the real API's (DescribeReplicationConfigs, DescribeTableStatistics, paging
markers, AccessDenied and throttling errors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from dms2msk.scan import DMS_MAX_RECORDS, scan, scan_with_stats, table_statistics

REGION = "eu-west-1"
ACCOUNT = "123456789012"
SUBNET_GROUP = {
    "ReplicationSubnetGroupIdentifier": "prod-dms",
    "ReplicationSubnetGroupDescription": "prod",
    "VpcId": "vpc-0abc",
    "SubnetGroupStatus": "Complete",
    "Subnets": [
        {"SubnetIdentifier": "subnet-0a", "SubnetAvailabilityZone": {"Name": "eu-west-1a"}, "SubnetStatus": "Active"},
        {"SubnetIdentifier": "subnet-0b", "SubnetAvailabilityZone": {"Name": "eu-west-1b"}, "SubnetStatus": "Active"},
    ],
}


def arn(kind: str, name: str) -> str:
    return f"arn:aws:dms:{REGION}:{ACCOUNT}:{kind}:{name}"


def page(**kwargs: Any) -> dict[str, Any]:
    return {"MaxRecords": DMS_MAX_RECORDS, **kwargs}


class StubbedRegion:
    """Stubbed dms and secretsmanager clients of one region, handed to scan through client_factory."""

    def __init__(self, region: str = REGION) -> None:
        config = Config(retries={"mode": "standard", "total_max_attempts": 1})
        self.clients = {
            service: boto3.client(service, region_name=region, config=config) for service in ("dms", "secretsmanager")
        }
        self.stubs = {service: Stubber(client) for service, client in self.clients.items()}

    def factory(self, region: str) -> Any:
        return lambda service, _region: self.clients[service]

    @property
    def dms(self) -> Stubber:
        return self.stubs["dms"]

    def __enter__(self) -> StubbedRegion:
        for stub in self.stubs.values():
            stub.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        for stub in self.stubs.values():
            stub.deactivate()

    def assert_all_used(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()


@pytest.fixture
def stubbed() -> Iterator[StubbedRegion]:
    with StubbedRegion() as region:
        yield region
        region.assert_all_used()


def instance(name: str, embedded_group: dict[str, Any]) -> dict[str, Any]:
    return {
        "ReplicationInstanceIdentifier": name,
        "ReplicationInstanceArn": arn("rep", name),
        "ReplicationInstanceClass": "dms.r5.large",
        "AllocatedStorage": 100,
        "MultiAZ": True,
        "ReplicationSubnetGroup": embedded_group,
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-0db", "Status": "active"}],
        "KmsKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1",
        "ReplicationInstanceStatus": "available",
    }


def test_full_estate_with_pages_serverless_configs_and_cdc_positions(stubbed: StubbedRegion) -> None:
    dms = stubbed.dms
    canned = {**SUBNET_GROUP, "VpcId": "vpc-canned", "Subnets": [{"SubnetIdentifier": "subnet-canned"}]}
    dms.add_response("describe_replication_instances", {"ReplicationInstances": [instance("ri-1", canned)]}, page())
    dms.add_response("describe_replication_subnet_groups", {"ReplicationSubnetGroups": [SUBNET_GROUP]}, page())
    endpoint = {
        "EndpointIdentifier": "src",
        "EndpointArn": arn("endpoint", "SRC"),
        "EndpointType": "SOURCE",
        "EngineName": "aurora-postgresql",
        "ServerName": "db.example",
        "Port": 5432,
        "DatabaseName": "app",
        "SslMode": "require",
        "PostgreSQLSettings": {
            "SlotName": "dms_slot",
            "PluginName": "pglogical",
            "SecretsManagerSecretId": "prod/app/src",
            "SecretsManagerAccessRoleArn": f"arn:aws:iam::{ACCOUNT}:role/dms-secrets",
            "Password": "never-returned-but-dropped",
        },
    }
    dms.add_response("describe_endpoints", {"Endpoints": [endpoint], "Marker": "m1"}, page())
    target = {
        "EndpointIdentifier": "dst",
        "EndpointArn": arn("endpoint", "DST"),
        "EndpointType": "TARGET",
        "EngineName": "postgres",
    }
    dms.add_response("describe_endpoints", {"Endpoints": [target]}, page(Marker="m1"))
    task = {
        "ReplicationTaskIdentifier": "orders",
        "ReplicationTaskArn": arn("task", "ORDERS"),
        "SourceEndpointArn": endpoint["EndpointArn"],
        "TargetEndpointArn": target["EndpointArn"],
        "ReplicationInstanceArn": arn("rep", "ri-1"),
        "MigrationType": "cdc",
        "TableMappings": '{"rules": []}',
        "ReplicationTaskSettings": '{"Logging": {"EnableLogging": true}}',
        "CdcStartPosition": "0/3A5C9F8",
        "CdcStopPosition": "server_time:2026-12-31T00:00:00",
        "RecoveryCheckpoint": "checkpoint:V1#1#0/3A5C9F8#0#0#*#0#0",
        "Status": "running",
    }
    dms.add_response("describe_replication_tasks", {"ReplicationTasks": [task]}, page())
    config = {
        "ReplicationConfigIdentifier": "billing-serverless",
        "ReplicationConfigArn": arn("replication-config", "BILLING"),
        "SourceEndpointArn": endpoint["EndpointArn"],
        "TargetEndpointArn": target["EndpointArn"],
        "ReplicationType": "full-load-and-cdc",
        "ComputeConfig": {
            "MinCapacityUnits": 2,
            "MaxCapacityUnits": 16,
            "MultiAZ": True,
            "ReplicationSubnetGroupId": "prod-dms",
            "VpcSecurityGroupIds": ["sg-0db"],
        },
        "ReplicationSettings": '{"Logging": {}}',
        "TableMappings": '{"rules": [{"rule-type": "selection"}]}',
        "ReplicationConfigCreateTime": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    }
    dms.add_response("describe_replication_configs", {"ReplicationConfigs": [config]}, page())
    all_arns = [
        arn("rep", "ri-1"),
        endpoint["EndpointArn"],
        target["EndpointArn"],
        task["ReplicationTaskArn"],
        config["ReplicationConfigArn"],
    ]
    dms.add_response(
        "list_tags_for_resource",
        {"TagList": [{"Key": "team", "Value": "billing", "ResourceArn": config["ReplicationConfigArn"]}]},
        {"ResourceArnList": all_arns},
    )
    stubbed.stubs["secretsmanager"].add_response(
        "list_secrets",
        {
            "SecretList": [
                # the name filter matches prefixes: the longer name must not be taken
                {
                    "ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/app/src-old-XyZ123",
                    "Name": "prod/app/src-old",
                },
                {
                    "ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/app/src-AbCdEf",
                    "Name": "prod/app/src",
                    "KmsKeyId": "alias/db",
                },
            ]
        },
        {"Filters": [{"Key": "name", "Values": ["prod/app/src"]}], "MaxResults": 100},
    )

    result = scan_with_stats([REGION], client_factory=stubbed.factory)

    region = result.inventory.regions[0]
    assert region.problems == ()
    ri = region.replication_instances[0]
    # the subnet-groups call wins over the copy inside the instance
    assert (ri.vpc_id, ri.subnet_ids, ri.subnet_group) == ("vpc-0abc", ("subnet-0a", "subnet-0b"), "prod-dms")
    # The zones MSK's distinct-AZ rule needs, from SubnetAvailabilityZone.
    assert ri.subnet_zones == {"subnet-0a": "eu-west-1a", "subnet-0b": "eu-west-1b"}
    assert (ri.security_group_ids, ri.kms_key_arn, ri.multi_az) == (
        ("sg-0db",),
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1",
        True,
    )
    src = next(e for e in region.endpoints if e.identifier == "src")
    assert src.endpoint_type == "source"
    assert src.settings == {
        "PostgreSQLSettings": {
            "SlotName": "dms_slot",
            "PluginName": "pglogical",
            "SecretsManagerSecretId": "prod/app/src",
            "SecretsManagerAccessRoleArn": f"arn:aws:iam::{ACCOUNT}:role/dms-secrets",
        }
    }
    assert src.secret is not None
    assert (src.secret.name, src.secret.kms_key_id) == ("prod/app/src", "alias/db")
    assert src.secret.arn.endswith(":secret:prod/app/src-AbCdEf")
    assert src.ssl_mode == "require"
    tasks = {t.identifier: t for t in region.tasks}
    orders = tasks["orders"]
    assert (orders.cdc_start_position, orders.cdc_stop_position, orders.recovery_checkpoint, orders.status) == (
        "0/3A5C9F8",
        "server_time:2026-12-31T00:00:00",
        "checkpoint:V1#1#0/3A5C9F8#0#0#*#0#0",
        "running",
    )
    serverless = tasks["billing-serverless"]
    assert serverless.serverless is not None
    assert serverless.replication_instance_arn is None
    assert serverless.migration_type == "full-load-and-cdc"
    assert serverless.task_settings == '{"Logging": {}}'
    assert serverless.table_mappings == config["TableMappings"]
    compute = serverless.serverless
    assert (compute.min_capacity_units, compute.max_capacity_units, compute.multi_az) == (2, 16, True)
    assert (compute.vpc_id, compute.subnet_ids, compute.security_group_ids) == (
        "vpc-0abc",
        ("subnet-0a", "subnet-0b"),
        ("sg-0db",),
    )
    assert serverless.tags == {"team": "billing"}
    # Stubber answers before the HTTP layer, so calls are counted and no HTTP request is made.
    assert result.stats.api_calls == 8
    assert result.stats.regions[REGION].by_operation["DescribeEndpoints"] == 2


@pytest.mark.parametrize(
    ("code", "status"),
    [("AccessDeniedFault", 400), ("AccessDeniedException", 400), ("ThrottlingException", 400)],
)
def test_a_denied_or_throttled_region_is_reported_and_another_region_still_scans(code: str, status: int) -> None:
    with StubbedRegion("eu-west-1") as denied, StubbedRegion("us-west-2") as allowed:
        denied.dms.add_client_error(
            "describe_replication_instances",
            service_error_code=code,
            service_message="not allowed",
            http_status_code=status,
        )
        for operation in (
            "describe_replication_subnet_groups",
            "describe_endpoints",
            "describe_replication_tasks",
            "describe_replication_configs",
        ):
            denied.dms.add_client_error(
                operation, service_error_code=code, service_message="not allowed", http_status_code=status
            )
        allowed.dms.add_response("describe_replication_instances", {"ReplicationInstances": []}, page())
        allowed.dms.add_response("describe_replication_subnet_groups", {"ReplicationSubnetGroups": []}, page())
        allowed.dms.add_response("describe_endpoints", {"Endpoints": []}, page())
        task = {
            "ReplicationTaskIdentifier": "t1",
            "ReplicationTaskArn": "arn:aws:dms:us-west-2:123456789012:task:T1",
            "SourceEndpointArn": "arn:aws:dms:us-west-2:123456789012:endpoint:A",
            "TargetEndpointArn": "arn:aws:dms:us-west-2:123456789012:endpoint:B",
            "MigrationType": "cdc",
        }
        allowed.dms.add_response("describe_replication_tasks", {"ReplicationTasks": [task]}, page())
        allowed.dms.add_response("describe_replication_configs", {"ReplicationConfigs": []}, page())
        allowed.dms.add_response(
            "list_tags_for_resource", {"TagList": []}, {"ResourceArnList": [task["ReplicationTaskArn"]]}
        )
        by_region = {"eu-west-1": denied, "us-west-2": allowed}

        inventory = scan(["eu-west-1", "us-west-2"], client_factory=lambda region: by_region[region].factory(region))

        denied.assert_all_used()
        allowed.assert_all_used()
    bad, good = inventory.regions
    assert [p.operation for p in bad.problems] == [
        "DescribeReplicationInstances",
        "DescribeReplicationSubnetGroups",
        "DescribeEndpoints",
        "DescribeReplicationTasks",
        "DescribeReplicationConfigs",
    ]
    assert {p.code for p in bad.problems} == {code} and all(p.region == "eu-west-1" for p in bad.problems)
    assert good.problems == () and [t.identifier for t in good.tasks] == ["t1"]
    assert inventory.partial


def test_describe_replication_configs_failing_on_aws_is_a_problem(stubbed: StubbedRegion) -> None:
    # Against AWS (no endpoint URL) a failure could hide serverless configs: it must be reported.
    dms = stubbed.dms
    for operation, key in (
        ("describe_replication_instances", "ReplicationInstances"),
        ("describe_replication_subnet_groups", "ReplicationSubnetGroups"),
        ("describe_endpoints", "Endpoints"),
        ("describe_replication_tasks", "ReplicationTasks"),
    ):
        dms.add_response(operation, {key: []}, page())
    dms.add_client_error("describe_replication_configs", service_error_code="InternalFailure", http_status_code=500)

    inventory = scan([REGION], client_factory=stubbed.factory)

    assert [(p.operation, p.code) for p in inventory.regions[0].problems] == [
        ("DescribeReplicationConfigs", "InternalFailure")
    ]


def test_table_statistics_reads_every_page() -> None:
    client = boto3.client("dms", region_name=REGION)
    task_arn = arn("task", "ORDERS")
    first = {
        "SchemaName": "shop",
        "TableName": "orders",
        "Inserts": 10,
        "Updates": 4,
        "Deletes": 1,
        "Ddls": 0,
        "FullLoadRows": 1_250_000,
        "TableState": "Table completed",
        "LastUpdateTime": dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
    }
    second = {"SchemaName": "shop", "TableName": "customers", "FullLoadRows": 42, "TableState": "Table loading"}
    with Stubber(client) as stub:
        stub.add_response(
            "describe_table_statistics",
            {"ReplicationTaskArn": task_arn, "TableStatistics": [first], "Marker": "next"},
            {"ReplicationTaskArn": task_arn, "MaxRecords": DMS_MAX_RECORDS},
        )
        stub.add_response(
            "describe_table_statistics",
            {"ReplicationTaskArn": task_arn, "TableStatistics": [second]},
            {"ReplicationTaskArn": task_arn, "MaxRecords": DMS_MAX_RECORDS, "Marker": "next"},
        )

        statistics = table_statistics(task_arn, client=client)

        stub.assert_no_pending_responses()
    assert [
        (s.schema_name, s.table_name, s.full_load_rows, s.inserts, s.updates, s.deletes, s.table_state)
        for s in statistics
    ] == [
        ("shop", "orders", 1_250_000, 10, 4, 1, "Table completed"),
        ("shop", "customers", 42, 0, 0, 0, "Table loading"),
    ]
