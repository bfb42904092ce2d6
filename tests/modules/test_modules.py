"""The Terraform modules, proved with the real terraform + hashicorp/aws 5.100.0, checkov and a moto server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from python_terraform import IsFlagged

from dms2msk import terraform as tf
from dms2msk.errors import ToolError
from tests.modules.roots import MODULES, assemble, hcl_vars, iam_problems
from tests.support.checkov import Checkov

pytestmark = pytest.mark.real

REGION = "ap-northeast-2"
ACCOUNT = "123456789012"
EXISTING_CLUSTER = f"arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/prod-msk/0f1e2d3c-aaaa-bbbb-cccc-000000000000-2"
EXISTING_BROKERS = "b-1.prod-msk.abc.c2.kafka.ap-northeast-2.amazonaws.com:9098"

CONNECTOR_PARTS = [
    "aws_cloudwatch_log_group.this[0]",
    "aws_iam_role.this[0]",
    "aws_iam_role_policy.this[0]",
    "aws_mskconnect_connector.this[0]",
]
SHARED = [
    "module.kms.aws_kms_alias.this[0]",
    "module.kms.aws_kms_key.this[0]",
    "module.network.aws_security_group.this[0]",
    'module.network.aws_security_group_rule.broker_sg_egress["0"]',
    'module.network.aws_security_group_rule.broker_sg_ingress["0"]',
    'module.network.aws_security_group_rule.database_cidr_egress["demosrc_pg"]',
    'module.network.aws_security_group_rule.database_sg_egress["demosrc_mysql"]',
    'module.network.aws_security_group_rule.database_sg_ingress["demosrc_mysql"]',
    "module.network.aws_security_group_rule.https_egress[0]",
    'module.plugins.aws_mskconnect_custom_plugin.this["debezium-connector-jdbc-2.7.3.Final"]',
    'module.plugins.aws_mskconnect_custom_plugin.this["debezium-connector-mysql-2.7.3.Final"]',
    "module.plugins.aws_s3_bucket.this[0]",
    "module.plugins.aws_s3_bucket_lifecycle_configuration.this[0]",
    "module.plugins.aws_s3_bucket_public_access_block.this[0]",
    "module.plugins.aws_s3_bucket_server_side_encryption_configuration.this[0]",
    "module.plugins.aws_s3_bucket_versioning.this[0]",
    'module.plugins.aws_s3_object.this["debezium-connector-jdbc-2.7.3.Final"]',
    'module.plugins.aws_s3_object.this["debezium-connector-mysql-2.7.3.Final"]',
    'module.secrets.aws_secretsmanager_secret.this["demosrc_sink"]',
    "module.worker_config.aws_mskconnect_worker_configuration.this[0]",
    *[f"module.demosrc_{role}.{part}" for role in ("source", "sink") for part in CONNECTOR_PARTS],
]
PROVISIONED_CLUSTER = [
    "module.cluster.aws_cloudwatch_log_group.this[0]",
    "module.cluster.aws_msk_cluster.this[0]",
    "module.cluster.aws_msk_configuration.this[0]",
    "module.cluster.aws_security_group.this[0]",
]
EXISTING_VARS = {
    "cluster_mode": "existing",
    "existing_cluster_arn": EXISTING_CLUSTER,
    "existing_bootstrap_brokers_sasl_iam": EXISTING_BROKERS,
    "existing_broker_security_group_ids": ["sg-0ccccccccccccccc1"],
}


def offline_plan(root: Path, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    check = tf.offline_check(root, variables=hcl_vars(variables or {}), require_valid=True)
    assert check.unformatted == (), f"terraform fmt -check would change {check.unformatted}"
    assert check.plan is not None
    return check.plan


def resource_after(plan: dict[str, Any], address: str) -> dict[str, Any]:
    change = next(c for c in plan["resource_changes"] if c["address"] == address)
    return change["change"]["after"]


def test_modules_are_formatted() -> None:
    assert tf.fmt_check_dir(MODULES) == []


@pytest.mark.parametrize("module", sorted(p.name for p in MODULES.iterdir() if p.is_dir()))
def test_each_module_validates_on_its_own(module: str) -> None:
    result = tf.validate_dir(MODULES / module)
    assert result.valid, result.diagnostics
    assert (MODULES / module / "README.md").read_text().count("## Usage") == 1


def test_provisioned_root_plans_exactly_the_expected_resources(tmp_path: Path) -> None:
    plan = offline_plan(assemble("complete", tmp_path / "root"))

    assert tf.created_addresses(plan) == sorted(SHARED + PROVISIONED_CLUSTER)
    cluster = resource_after(plan, "module.cluster.aws_msk_cluster.this[0]")
    assert cluster["kafka_version"] == "3.7.x.kraft"
    assert cluster["number_of_broker_nodes"] == 3
    assert cluster["client_authentication"][0]["sasl"][0]["iam"] is True
    assert cluster["encryption_info"][0]["encryption_in_transit"][0]["client_broker"] == "TLS"
    assert resource_after(plan, "module.cluster.aws_cloudwatch_log_group.this[0]")["retention_in_days"] == 365
    sink = resource_after(plan, "module.demosrc_sink.aws_mskconnect_connector.this[0]")
    assert sink["capacity"][0]["autoscaling"][0]["max_worker_count"] == 2
    source = resource_after(plan, "module.demosrc_source.aws_mskconnect_connector.this[0]")
    assert source["capacity"][0]["provisioned_capacity"][0]["worker_count"] == 1
    assert source["kafka_cluster_client_authentication"][0]["authentication_type"] == "IAM"
    assert source["kafka_cluster_encryption_in_transit"][0]["encryption_type"] == "TLS"
    worker = resource_after(plan, "module.worker_config.aws_mskconnect_worker_configuration.this[0]")
    assert "config.providers.secretsmanager.param.region=ap-northeast-2\n" in worker["properties_file_content"]
    assert "value.converter.schemas.enable=true\n" in worker["properties_file_content"]
    # The plugin ZIPs are not built: plan still works, and the check block says what to run.
    problems = [
        problem["message"]
        for check in plan.get("checks", ())
        if check["address"]["to_display"] == "module.plugins.check.plugin_zips_built"
        for instance in check.get("instances", ())
        for problem in instance.get("problems", ())
    ]
    assert problems and "Run `dms2msk plugins build " in problems[0]


def test_no_secret_value_is_planned(tmp_path: Path) -> None:
    plan = offline_plan(assemble("complete", tmp_path / "root"))
    types = {c["type"] for c in plan["resource_changes"]}
    assert "aws_secretsmanager_secret_version" not in types
    text = json.dumps(plan)
    assert "${secretsmanager:" in text  # credentials are provider references only


def test_serverless_root_plans_a_serverless_cluster(tmp_path: Path) -> None:
    plan = offline_plan(assemble("complete", tmp_path / "root"), {"cluster_mode": "serverless"})
    created = tf.created_addresses(plan)
    assert "module.cluster.aws_msk_serverless_cluster.this[0]" in created
    assert not [a for a in created if "aws_msk_cluster" in a or "aws_msk_configuration" in a]


def test_existing_cluster_creates_no_cluster_and_scopes_iam_to_it(tmp_path: Path) -> None:
    plan = offline_plan(assemble("complete", tmp_path / "root"), EXISTING_VARS)

    assert tf.created_addresses(plan) == sorted(SHARED)
    source = resource_after(plan, "module.demosrc_source.aws_mskconnect_connector.this[0]")
    assert source["kafka_cluster"][0]["apache_kafka_cluster"][0]["bootstrap_servers"] == EXISTING_BROKERS
    trust = json.loads(resource_after(plan, "module.demosrc_source.aws_iam_role.this[0]")["assume_role_policy"])
    condition = trust["Statement"][0]["Condition"]
    assert condition["StringEquals"]["aws:SourceAccount"] == ACCOUNT
    assert (
        condition["ArnLike"]["aws:SourceArn"] == f"arn:aws:kafkaconnect:{REGION}:{ACCOUNT}:connector/demosrc-source/*"
    )


def test_iam_check_catches_a_broad_policy() -> None:
    broad = json.dumps(
        {
            "Statement": [
                {
                    "Sid": "X",
                    "Effect": "Allow",
                    "Action": ["kafka-cluster:*", "ec2:CreateNetworkInterface"],
                    "Resource": "*",
                }
            ]
        }
    )
    problems = iam_problems("source", broad)
    assert any("wildcard action" in p for p in problems)
    assert any("ec2:CreateNetworkInterface" in p for p in problems)
    assert any("not scoped" in p for p in problems)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"number_of_broker_nodes": 4}, "multiple of the number of client_subnets"),
        ({"kafka_version": "3.7"}, "kafka_version must look like"),
        ({"broker_instance_type": "express.m7g.large"}, "broker_instance_type must be"),
        ({"cloudwatch_log_group_retention_in_days": 30}, "retention_in_days must be 0 or"),
    ],
)
def test_cluster_rejects_bad_values_with_the_rule(variables: dict[str, Any], message: str) -> None:
    base = {"name": "c", "client_subnets": ["subnet-1", "subnet-2", "subnet-3"], "vpc_id": "vpc-1"}
    with tf.working_copy(MODULES / "msk-cluster") as copy:
        runner = tf.Terraform(copy)
        runner.init()
        with pytest.raises(ToolError) as caught:
            runner.plan(variables=hcl_vars({**base, **variables}))
    assert message in " ".join(str(caught.value).split())


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"kafkaconnect_version": "3.8.0"}, "kafkaconnect_version must be 2.7.1 or 3.7.x"),
        ({"mcu_count": 3}, "mcu_count must be 1, 2, 4 or 8"),
        ({"worker_count": 11}, "worker_count must be a whole number from 1 to 10"),
        ({"capacity_mode": "autoscaling"}, "needs max_tasks > 1"),
        ({"write_topics": ["*"]}, "'*' alone is not allowed"),
        ({"read_topics": ["*"]}, "'*' alone is not allowed"),
        ({"write_topics": []}, "set read_topics or write_topics"),
    ],
)
def test_connector_rejects_bad_values_with_the_rule(variables: dict[str, Any], message: str) -> None:
    base = {
        "name": "orders-source",
        "role": "source",
        "connector_configuration": {"connector.class": "io.debezium.connector.mysql.MySqlConnector"},
        "bootstrap_servers": "b-1:9098",
        "subnet_ids": ["subnet-1"],
        "security_group_ids": ["sg-1"],
        "plugin_arn": "arn:aws:kafkaconnect:us-east-1:123456789012:custom-plugin/p/x",
        "cluster_arn": "arn:aws:kafka:us-east-1:123456789012:cluster/c/u",
        "write_topics": ["orders.*"],
        "log_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
    }
    with tf.working_copy(MODULES / "connector") as copy:
        runner = tf.Terraform(copy)
        runner.init()
        with pytest.raises(ToolError) as caught:
            runner.plan(variables=hcl_vars({**base, **variables}))
    assert message in " ".join(str(caught.value).split())


def test_checkov_finds_no_failed_check(checkov: Checkov, tmp_path: Path) -> None:
    for directory in (MODULES, assemble("complete", tmp_path / "root")):
        result = checkov.scan(directory)
        assert result.passed > 50, f"checkov evaluated too little in {directory}"
        assert result.failed == (), "\n".join(str(f) for f in result.failed)
        # Every skip carries its reason next to the resource.
        assert all((skip.get("check_result") or {}).get("suppress_comment") for skip in result.skipped)


# --------------------------------------------------------------------------- #
# Applied for real against a moto server                                       #
# --------------------------------------------------------------------------- #

MOTO_SERVICES = ("ec2", "iam", "kafka", "kms", "logs", "s3", "secretsmanager", "sts")


def moto_override(endpoint: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in MOTO_SERVICES)
    return f"""provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}
}}
"""


def emulator_network(endpoint: str) -> dict[str, Any]:
    """The VPC, subnets and security groups that exist before dms2msk (DMS and MSK already run there)."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate("abc", start=1)
    ]
    database = ec2.create_security_group(GroupName="mysql", Description="source database", VpcId=vpc)["GroupId"]
    brokers = ec2.create_security_group(GroupName="brokers", Description="msk brokers", VpcId=vpc)["GroupId"]
    return {
        "vpc_id": vpc,
        "subnet_ids": subnets,
        "source_db_security_group_id": database,
        "existing_broker_security_group_ids": [brokers],
    }


def test_apply_on_moto_then_plan_shows_no_changes(moto_endpoint: str, tmp_path: Path) -> None:
    root = assemble("complete", tmp_path / "root")
    (root / "zz_moto_override.tf").write_text(moto_override(moto_endpoint), encoding="utf-8")
    plugins = root / "plugins"
    plugins.mkdir()
    for name in ("debezium-connector-mysql-2.7.3.Final.zip", "debezium-connector-jdbc-2.7.3.Final.zip"):
        (plugins / name).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP archive
    boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_endpoint).create_secret(
        Name="dms/demosrc", SecretString=json.dumps({"username": "u", "password": "never-in-terraform"})
    )
    source_secret = boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_endpoint).describe_secret(
        SecretId="dms/demosrc"
    )["ARN"]
    variables = hcl_vars(
        {
            **EXISTING_VARS,
            **emulator_network(moto_endpoint),
            "emulator": True,
            "source_secret_arn": source_secret,
        }
    )
    runner = tf.Terraform(root)
    runner.init()
    runner.run("apply", auto_approve=IsFlagged, input=False, lock=False, var=variables)

    again = runner.run(
        "plan", input=False, lock=False, var=variables, detailed_exitcode=IsFlagged, ok_codes=(0,), must_succeed=False
    )
    assert again.return_code == 0, f"plan after apply is not clean:\n{again.stdout[-4000:]}{again.stderr[-2000:]}"

    state = json.loads(runner.run("show", json=IsFlagged).stdout)
    resources = tf.planned_resources({"planned_values": state["values"]})
    applied = {r["address"] for r in resources if r["mode"] == "managed"}
    assert 'module.secrets.aws_secretsmanager_secret.this["demosrc_sink"]' in applied
    assert not [a for a in applied if "mskconnect" in a or "aws_msk_" in a]
    policies = {r["address"]: r["values"]["policy"] for r in resources if r["type"] == "aws_iam_role_policy"}
    assert len(policies) == 2
    for address, policy in policies.items():
        role = "source" if "demosrc_source" in address else "sink"
        assert iam_problems(role, policy) == [], address
    source_policy = policies["module.demosrc_source.aws_iam_role_policy.this[0]"]
    assert source_secret in source_policy
    assert (
        f"arn:aws:kafka:{REGION}:{ACCOUNT}:topic/prod-msk/0f1e2d3c-aaaa-bbbb-cccc-000000000000-2/demosrc.*"
        in source_policy
    )
    # The DMS secret's value never reached the state.
    assert "never-in-terraform" not in json.dumps(state)
    log_groups = [r["values"] for r in resources if r["type"] == "aws_cloudwatch_log_group"]
    assert log_groups and all(g["kms_key_id"] and g["retention_in_days"] == 365 for g in log_groups)
