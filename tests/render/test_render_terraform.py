"""Rendered OUT through the real Terraform CLI and the real hashicorp/aws provider (offline plan)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dms2msk import terraform
from dms2msk.config import ClusterSettings, Settings
from dms2msk.render import render

from .seed_pipeline import SINK_SECRET_NAME, SOURCE_SECRET_ARN, seed_result

pytestmark = pytest.mark.real

# Seed passwords this test world knows about; none may appear in OUT or the plan.
SEED_PASSWORDS = ("kfc1234", "sinko1234", "kfc1234-demo-secret", "sinko1234-demo-password")

SHARED_ROOT_RESOURCES = frozenset(
    {
        "module.kms.aws_kms_alias.this[0]",
        "module.kms.aws_kms_key.this[0]",
        "module.msk_cluster.aws_cloudwatch_log_group.this[0]",
        "module.msk_cluster.aws_msk_cluster.this[0]",
        "module.msk_cluster.aws_msk_configuration.this[0]",
        "module.msk_cluster.aws_security_group.this[0]",
        "module.network.aws_security_group.this[0]",
        'module.network.aws_security_group_rule.broker_sg_egress["0"]',
        'module.network.aws_security_group_rule.broker_sg_ingress["0"]',
        "module.network.aws_security_group_rule.https_egress[0]",
        "module.plugins.aws_s3_bucket.this[0]",
        "module.plugins.aws_s3_bucket_lifecycle_configuration.this[0]",
        "module.plugins.aws_s3_bucket_public_access_block.this[0]",
        "module.plugins.aws_s3_bucket_server_side_encryption_configuration.this[0]",
        "module.plugins.aws_s3_bucket_versioning.this[0]",
        "module.worker_config.aws_mskconnect_worker_configuration.this[0]",
    }
)
"""What the root creates once, whatever the estate (kms, cluster, network, bucket, worker configuration)."""


def expected_resources(connector_modules: list[str], plugin_keys: list[str], new_secrets: list[str]) -> set[str]:
    """Every resource the offline plan may create, by address."""
    shared = set(SHARED_ROOT_RESOURCES)
    for key in plugin_keys:
        shared.add(f'module.plugins.aws_mskconnect_custom_plugin.this["{key}"]')
        shared.add(f'module.plugins.aws_s3_object.this["{key}"]')
    for key in new_secrets:
        shared.add(f'module.secrets.aws_secretsmanager_secret.this["{key}"]')
    for module in connector_modules:
        shared.add(f'module.network.aws_security_group_rule.database_cidr_egress["{module}"]')
        for resource in (
            "aws_cloudwatch_log_group.this[0]",
            "aws_iam_role.this[0]",
            "aws_iam_role_policy.this[0]",
            "aws_mskconnect_connector.this[0]",
        ):
            shared.add(f"module.{module}.{resource}")
    return shared


def connectors_by_name(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["values"]["name"]: r for r in terraform.planned_resources(plan) if r["type"] == "aws_mskconnect_connector"
    }


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "out"
    render(seed_result(), Settings(debezium_version="2.7.3.Final"), out)  # the seed pipeline is 2.7.3
    return out


EXISTING_CLUSTER = {
    "cluster_mode": "existing",
    "existing_cluster_arn": "arn:aws:kafka:ap-northeast-2:123456789012:cluster/shared/0b1c2d3e-4f50-6172",
    "existing_bootstrap_brokers_sasl_iam": "b-1.shared.kafka.ap-northeast-2.amazonaws.com:9098,"
    "b-2.shared.kafka.ap-northeast-2.amazonaws.com:9098",
    "existing_broker_security_group_ids": ["sg-0brokers"],
}


@pytest.fixture(scope="module")
def seed_plan(seed_out: Path, plan_of: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The plan of a new provisioned cluster: the brokers (and so the source config) are unknown until apply."""
    return plan_of(seed_out)


@pytest.fixture(scope="module")
def existing_cluster_plan(seed_out: Path, plan_of: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The same OUT planned against an existing cluster: every connector property is known in the plan."""
    return plan_of(seed_out, variables=EXISTING_CLUSTER)


def test_fmt_check_recursive_is_clean(seed_out: Path, terraform_bin: str) -> None:
    assert terraform.fmt_check_dir(seed_out) == []


def test_plan_creates_exactly_the_expected_resources(seed_plan: dict[str, Any]) -> None:
    expected = expected_resources(
        ["simplydemo_products_sink", "simplydemo_products_source"],
        ["debezium-connector-jdbc-2.7.3.Final", "debezium-connector-mysql-2.7.3.Final"],
        ["simplydemo_products_sink"],
    )
    assert set(terraform.created_addresses(seed_plan)) == expected


def test_connector_configuration_reaches_aws_literally(existing_cluster_plan: dict[str, Any]) -> None:
    connectors = connectors_by_name(existing_cluster_plan)
    assert set(connectors) == {"simplydemo-products-source", "simplydemo-products-sink"}

    source = connectors["simplydemo-products-source"]["values"]
    config = source["connector_configuration"]
    assert config["database.password"] == f"${{secretsmanager:{SOURCE_SECRET_ARN}:password}}"
    assert config["database.user"] == f"${{secretsmanager:{SOURCE_SECRET_ARN}:username}}"
    assert config["column.exclude.list"] == "demosrc\\.products\\.image"
    assert config["table.include.list"] == "demosrc\\.products"
    assert config["transforms.note.static.value"] == "100%{not-a-template}"
    assert config["snapshot.mode"] == "initial"
    assert source["kafkaconnect_version"] == "2.7.1"
    brokers = EXISTING_CLUSTER["existing_bootstrap_brokers_sasl_iam"]
    assert config["schema.history.internal.kafka.bootstrap.servers"] == brokers
    assert source["kafka_cluster"][0]["apache_kafka_cluster"][0]["bootstrap_servers"] == brokers

    sink = connectors["simplydemo-products-sink"]["values"]["connector_configuration"]
    assert sink["connection.password"] == f"${{secretsmanager:{SINK_SECRET_NAME}:password}}"
    assert sink["insert.mode"] == "upsert"
    assert sink["delete.enabled"] == "true"
    assert sink["primary.key.mode"] == "record_key"
    assert sink["table.name.format"] == "productinfo"
    assert not any("image" in value for value in sink.values())


def test_existing_cluster_plan_creates_no_cluster(existing_cluster_plan: dict[str, Any]) -> None:
    created = terraform.created_addresses(existing_cluster_plan)
    assert not [a for a in created if a.startswith("module.msk_cluster.")]
    assert {a for a in created if a.endswith("aws_mskconnect_connector.this[0]")} == {
        "module.simplydemo_products_source.aws_mskconnect_connector.this[0]",
        "module.simplydemo_products_sink.aws_mskconnect_connector.this[0]",
    }


def test_bootstrap_servers_are_wired_to_the_cluster(seed_plan: dict[str, Any]) -> None:
    """The bootstrap values are unknown until the cluster exists: the plan marks them as computed."""
    for change in seed_plan["resource_changes"]:
        if change["type"] != "aws_mskconnect_connector":
            continue
        unknown = change["change"]["after_unknown"]
        assert unknown["kafka_cluster"][0]["apache_kafka_cluster"][0]["bootstrap_servers"] is True
        if change["change"]["after"]["name"].endswith("-source"):
            assert unknown["connector_configuration"] is True or unknown["connector_configuration"].get(
                "schema.history.internal.kafka.bootstrap.servers"
            )
    # The reference chain in the configuration: the merge() uses the cluster module's IAM brokers.
    source_call = seed_plan["configuration"]["root_module"]["module_calls"]["simplydemo_products_source"]
    references = source_call["expressions"]["connector_configuration"]["references"]
    assert "module.msk_cluster.bootstrap_brokers_sasl_iam" in references


def test_no_password_in_out_or_plan(
    seed_out: Path, seed_plan: dict[str, Any], existing_cluster_plan: dict[str, Any]
) -> None:
    plan_text = json.dumps(seed_plan) + json.dumps(existing_cluster_plan)
    for password in SEED_PASSWORDS:
        assert password not in plan_text
        for path in seed_out.rglob("*"):
            if path.is_file():
                assert password not in path.read_text(encoding="utf-8", errors="replace"), path


def test_plan_leaves_out_untouched(seed_out: Path, seed_plan: dict[str, Any]) -> None:
    names = sorted(p.name for p in seed_out.iterdir())
    assert ".terraform" not in names and ".terraform.lock.hcl" not in names
    assert not any(n.endswith(".tfplan") or n.startswith("zz_") for n in names)


def test_debezium_3_on_connect_3_7(tmp_path: Path, plan_of: Callable[..., dict[str, Any]]) -> None:
    settings = Settings(debezium_version="3.6.3.Final", cluster=ClusterSettings(mode="provisioned"))
    out = tmp_path / "out"
    render(seed_result(with_skipped=False), settings, out)
    plan = plan_of(out)
    connectors = connectors_by_name(plan)
    assert {c["values"]["kafkaconnect_version"] for c in connectors.values()} == {"3.7.x"}
