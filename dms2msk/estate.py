"""Create a DMS estate in an AWS emulator from a description file.

Used by ``dms2msk demo`` (examples/estate.json), by the tests, and by the
benchmark (which generates a large description). The description names things
by identifier; this module creates the VPC, subnets, security groups, subnet
groups, secrets, replication instances, endpoints and tasks with the real AWS
API calls, in that order, so the emulator holds exactly what a real account
would after the same calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from .engines import get_engine
from .errors import InputError
from .resources import examples_dir

DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
"""Credentials for an emulator: never real ones, so nothing can reach a real account."""


def secret_settings_object(engine_name: str) -> str:
    """The settings object that carries ``SecretsManagerSecretId`` for a DMS engine (the engine module's first)."""
    objects = get_engine(engine_name).SETTINGS_OBJECTS
    if not objects:
        raise InputError(
            f"DMS engine {engine_name!r} takes no settings object, so an endpoint of it cannot name a secret",
            hint="give the endpoint username and password instead of secret in the estate description",
        )
    return objects[0]


def default_estate_path() -> Path:
    return examples_dir() / "estate.json"


def load_estate(path: str | Path | None = None) -> dict[str, Any]:
    return json.loads(Path(path or default_estate_path()).read_text(encoding="utf-8"))


@dataclass
class SeededEstate:
    """ARNs and ids of what was created, by the identifiers of the description."""

    region: str
    vpc_id: str | None = None
    subnet_ids: list[str] = field(default_factory=list)
    security_group_ids: dict[str, str] = field(default_factory=dict)
    secret_arns: dict[str, str] = field(default_factory=dict)
    instance_arns: dict[str, str] = field(default_factory=dict)
    endpoint_arns: dict[str, str] = field(default_factory=dict)
    task_arns: dict[str, str] = field(default_factory=dict)
    passwords: list[str] = field(default_factory=list)
    """Every password the description gave the emulator, so tests can prove none leaks."""


def emulator_client(service: str, region: str, endpoint_url: str) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url, **DUMMY_CREDENTIALS)


def seed_estate(
    estate: dict[str, Any],
    endpoint_url: str,
    *,
    region: str | None = None,
    client_factory: Callable[[str, str, str], Any] = emulator_client,
) -> SeededEstate:
    """Create ``estate`` in the emulator at ``endpoint_url``; return what was created."""
    region = region or estate["region"]
    ec2 = client_factory("ec2", region, endpoint_url)
    dms = client_factory("dms", region, endpoint_url)
    secrets = client_factory("secretsmanager", region, endpoint_url)
    seeded = SeededEstate(region=region)

    vpc_spec = estate.get("vpc") or {}
    if vpc_spec:
        vpc_id = ec2.create_vpc(CidrBlock=vpc_spec["cidr_block"])["Vpc"]["VpcId"]
        seeded.vpc_id = vpc_id
        for subnet in vpc_spec.get("subnets", []):
            created = ec2.create_subnet(
                VpcId=vpc_id, CidrBlock=subnet["cidr_block"], AvailabilityZone=subnet["availability_zone"]
            )
            seeded.subnet_ids.append(created["Subnet"]["SubnetId"])
        for group in vpc_spec.get("security_groups", []):
            created = ec2.create_security_group(
                GroupName=group["name"], Description=group.get("description", group["name"]), VpcId=vpc_id
            )
            seeded.security_group_ids[group["name"]] = created["GroupId"]

    for group in estate.get("replication_subnet_groups", []):
        subnets = seeded.subnet_ids if group.get("subnets", "all") == "all" else group["subnets"]
        dms.create_replication_subnet_group(
            ReplicationSubnetGroupIdentifier=group["identifier"],
            ReplicationSubnetGroupDescription=group.get("description", group["identifier"]),
            SubnetIds=subnets,
        )

    for secret in estate.get("secrets", []):
        value = secret["value"]
        if "password" in value:
            seeded.passwords.append(str(value["password"]))
        created = secrets.create_secret(
            Name=secret["name"], Description=secret.get("description", ""), SecretString=json.dumps(value)
        )
        seeded.secret_arns[secret["name"]] = created["ARN"]

    for instance in estate.get("replication_instances", []):
        kwargs: dict[str, Any] = {
            "ReplicationInstanceIdentifier": instance["identifier"],
            "ReplicationInstanceClass": instance["instance_class"],
            "AllocatedStorage": instance.get("allocated_storage_gb", 50),
            "MultiAZ": instance.get("multi_az", False),
            "PubliclyAccessible": instance.get("publicly_accessible", False),
            "Tags": _tags(instance.get("tags")),
        }
        if instance.get("subnet_group"):
            kwargs["ReplicationSubnetGroupIdentifier"] = instance["subnet_group"]
        if instance.get("security_groups"):
            kwargs["VpcSecurityGroupIds"] = [seeded.security_group_ids[g] for g in instance["security_groups"]]
        if instance.get("engine_version"):
            kwargs["EngineVersion"] = instance["engine_version"]
        created = dms.create_replication_instance(**kwargs)
        seeded.instance_arns[instance["identifier"]] = created["ReplicationInstance"]["ReplicationInstanceArn"]

    for endpoint in estate.get("endpoints", []):
        kwargs = {
            "EndpointIdentifier": endpoint["identifier"],
            "EndpointType": endpoint["type"],
            "EngineName": endpoint["engine"],
            "Tags": _tags(endpoint.get("tags")),
        }
        for spec_key, api_key in (
            ("server_name", "ServerName"),
            ("port", "Port"),
            ("database_name", "DatabaseName"),
            ("username", "Username"),
            ("password", "Password"),
            ("ssl_mode", "SslMode"),
            ("extra_connection_attributes", "ExtraConnectionAttributes"),
        ):
            if endpoint.get(spec_key) is not None:
                kwargs[api_key] = endpoint[spec_key]
        if endpoint.get("password"):
            seeded.passwords.append(str(endpoint["password"]))
        settings = {name: dict(value) for name, value in (endpoint.get("settings") or {}).items()}
        if endpoint.get("secret"):
            # DMS takes the secret inside the engine's settings object, not at the top level.
            settings_name = secret_settings_object(endpoint["engine"])
            settings.setdefault(settings_name, {}).update(
                SecretsManagerSecretId=seeded.secret_arns.get(endpoint["secret"], endpoint["secret"]),
                SecretsManagerAccessRoleArn=endpoint.get(
                    "secret_access_role_arn", "arn:aws:iam::123456789012:role/dms-secrets-access"
                ),
            )
        kwargs.update(settings)
        created = dms.create_endpoint(**kwargs)
        seeded.endpoint_arns[endpoint["identifier"]] = created["Endpoint"]["EndpointArn"]

    for task in estate.get("tasks", []):
        mappings = task["table_mappings"]
        settings = task.get("task_settings")
        kwargs = {
            "ReplicationTaskIdentifier": task["identifier"],
            "SourceEndpointArn": seeded.endpoint_arns[task["source"]],
            "TargetEndpointArn": seeded.endpoint_arns[task["target"]],
            "ReplicationInstanceArn": seeded.instance_arns[task["replication_instance"]],
            "MigrationType": task["migration_type"],
            # A string is passed through as it is, so malformed mappings can be seeded on purpose.
            "TableMappings": mappings if isinstance(mappings, str) else json.dumps(mappings),
            "Tags": _tags(task.get("tags")),
        }
        if settings is not None:
            kwargs["ReplicationTaskSettings"] = settings if isinstance(settings, str) else json.dumps(settings)
        if task.get("cdc_start_position"):
            kwargs["CdcStartPosition"] = task["cdc_start_position"]
        created = dms.create_replication_task(**kwargs)
        seeded.task_arns[task["identifier"]] = created["ReplicationTask"]["ReplicationTaskArn"]
    return seeded


def _tags(tags: dict[str, str] | None) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted((tags or {}).items())]
