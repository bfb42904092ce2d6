"""Settings AWS or the provider would reject later, refused at render time.

Each error names the value, the rule, and the setting that fixes it, so a user
does not learn about a bad broker count twenty minutes into ``terraform apply``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence

from ..config import NetworkSettings, RegionNetworkSettings, Settings
from ..debezium_version import DebeziumVersion
from ..errors import ConfigError

KAFKA_VERSIONS = (
    "3.6.0",
    "3.7.x",
    "3.7.x.kraft",
    "3.8.x",
    "3.8.x.kraft",
    "3.9.x",
    "3.9.x.kraft",
    "4.0.x.kraft",
    "4.1.x.kraft",
)
"""Kafka versions MSK offers for new provisioned clusters (older ones are past end of support)."""

KAFKACONNECT_VERSIONS = ("2.7.1", "3.7.x")
"""The Kafka Connect versions MSK Connect runs; the provider does not check this."""

MCU_COUNTS = (1, 2, 4, 8)
LOG_RETENTION_DAYS = (0, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
"""CloudWatch Logs retention values that are valid for AWS and that security scanners accept (0: never expire)."""
CLUSTER_MODES = ("provisioned", "serverless", "existing")

_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_CLUSTER_ARN = re.compile(r"^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster/[A-Za-z0-9-]{1,64}/[A-Za-z0-9-]+$")
_NAME_PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_BROKER_TYPE = re.compile(r"^kafka\.(t3\.small|m5\.[0-9]*x?large|m7g\.[0-9]*x?large)$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid S3 general-purpose bucket name, or None."""
    if not _BUCKET.match(name):
        return "3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit"
    if ".." in name or ".-" in name or "-." in name:
        return "no two adjacent periods and no period next to a hyphen"
    try:
        ipaddress.IPv4Address(name)
        return "not formatted as an IP address"
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            return f"must not start with {prefix!r}"
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if name.endswith(suffix):
            return f"must not end with {suffix!r}"
    return None


def check_settings(settings: Settings, subnet_ids: Sequence[str], *, config_file: str = "--config FILE") -> None:
    """Raise ConfigError for the first value AWS or the provider would reject."""

    def fail(what: str, rule: str, setting: str) -> None:
        raise ConfigError(f"{what}: {rule}", hint=f"set `{setting}` in {config_file}")

    if not _NAME_PREFIX.match(settings.name_prefix):
        fail(
            f"name_prefix {settings.name_prefix!r}",
            "must be 1-24 characters of lowercase letters, digits and '-', starting with a letter "
            "(it prefixes cluster, role, bucket and secret names)",
            "name_prefix",
        )

    version = DebeziumVersion.full_name(settings.debezium_version)
    if version is None:
        fail(
            f"debezium_version {settings.debezium_version!r}",
            "must be a Debezium release such as 2.7.3.Final or 3.6.3.Final",
            "debezium_version",
        )
    elif not version.supported:
        fail(
            f"debezium_version {settings.debezium_version!r}",
            "dms2msk has no property catalog for this version, so it cannot tell which properties are valid",
            "debezium_version",
        )

    connect_version = settings.effective_kafkaconnect_version
    if connect_version not in KAFKACONNECT_VERSIONS:
        fail(
            f"kafkaconnect_version {connect_version!r}",
            f"MSK Connect runs Kafka Connect {' or '.join(KAFKACONNECT_VERSIONS)}",
            "kafkaconnect_version",
        )
    if settings.debezium_major >= 3 and connect_version != "3.7.x":
        fail(
            f"kafkaconnect_version {connect_version!r} with Debezium {settings.debezium_version}",
            "Debezium 3.x needs Java 17, which MSK Connect runs only on Kafka Connect 3.7.x",
            "kafkaconnect_version",
        )

    cluster = settings.cluster
    if cluster.mode not in CLUSTER_MODES:
        fail(f"cluster.mode {cluster.mode!r}", f"must be one of {', '.join(CLUSTER_MODES)}", "cluster.mode")
    if cluster.mode == "existing":
        if not cluster.existing_cluster_arn or not _CLUSTER_ARN.match(cluster.existing_cluster_arn):
            fail(
                f"cluster.existing_cluster_arn {cluster.existing_cluster_arn!r}",
                "mode 'existing' needs the ARN of the MSK cluster (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID)",
                "cluster.existing_cluster_arn",
            )
    elif not _CLUSTER_NAME.match(cluster.name):
        fail(f"cluster.name {cluster.name!r}", "must be 1-64 characters of letters, digits and '-'", "cluster.name")

    if settings.network.subnet_ids and not settings.network.vpc_id:
        # The VPC would otherwise come from DMS while the subnets do not: the security groups would land in
        # a VPC the subnets may not belong to, and terraform plan would fail on a precondition.
        raise ConfigError(
            f"network.subnet_ids {list(settings.network.subnet_ids)!r} without network.vpc_id: subnets set in the "
            "settings need the VPC they belong to, or the security groups are created in the DMS VPC",
            hint=f"set `network.vpc_id` to the subnets' VPC in {config_file}",
        )
    minimum_subnets = 1 if cluster.mode == "existing" else 2
    if len(subnet_ids) < minimum_subnets:
        fail(
            f"subnets {list(subnet_ids)!r}",
            f"{'MSK Connect' if minimum_subnets == 1 else 'an MSK cluster'} needs at least {minimum_subnets} "
            f"subnet(s); {len(subnet_ids)} came from the DMS replication instances and the settings",
            "network.vpc_id` and `network.subnet_ids",  # the subnets and the VPC they are in
        )

    if cluster.mode == "provisioned":
        if cluster.kafka_version not in KAFKA_VERSIONS:
            fail(
                f"cluster.kafka_version {cluster.kafka_version!r}",
                f"MSK offers {', '.join(KAFKA_VERSIONS)} for new clusters",
                "cluster.kafka_version",
            )
        if not _BROKER_TYPE.match(cluster.broker_instance_type):
            fail(
                f"cluster.broker_instance_type {cluster.broker_instance_type!r}",
                "must be a standard MSK broker type (kafka.t3.small, kafka.m5.*, kafka.m7g.*); "
                "express brokers cannot send broker logs",
                "cluster.broker_instance_type",
            )
        broker_count = effective_broker_count(settings, subnet_ids)
        if broker_count < 1 or broker_count % len(subnet_ids) != 0:
            fail(
                f"cluster.broker_count {broker_count}",
                f"must be a positive multiple of the number of subnets ({len(subnet_ids)}: {', '.join(subnet_ids)})",
                "cluster.broker_count",
            )
        if not 1 <= cluster.ebs_volume_size_gb <= 16384:
            fail(
                f"cluster.ebs_volume_size_gb {cluster.ebs_volume_size_gb}",
                "must be between 1 and 16384 GiB",
                "cluster.ebs_volume_size_gb",
            )

    connectors = settings.connectors
    if connectors.mcu_count not in MCU_COUNTS:
        fail(
            f"connectors.mcu_count {connectors.mcu_count}",
            f"MSK Connect workers have {', '.join(map(str, MCU_COUNTS))} MCUs",
            "connectors.mcu_count",
        )
    if not 1 <= connectors.worker_count <= 10:
        fail(f"connectors.worker_count {connectors.worker_count}", "must be 1-10", "connectors.worker_count")
    if connectors.log_retention_days not in LOG_RETENTION_DAYS:
        fail(
            f"connectors.log_retention_days {connectors.log_retention_days}",
            f"CloudWatch Logs accepts {', '.join(map(str, LOG_RETENTION_DAYS))}",
            "connectors.log_retention_days",
        )

    if settings.plugin_bucket is not None:
        problem = bucket_name_problem(settings.plugin_bucket)
        if problem:
            fail(f"plugin_bucket {settings.plugin_bucket!r}", f"an S3 bucket name needs {problem}", "plugin_bucket")


def effective_broker_count(settings: Settings, subnet_ids: Sequence[str]) -> int:
    """The configured broker count, or one broker per subnet (at least 2)."""
    if settings.cluster.broker_count is not None:
        return settings.cluster.broker_count
    per_subnet = max(len(subnet_ids), 1)
    return per_subnet * 2 if per_subnet == 1 else per_subnet


def check_regional_network(network: NetworkSettings, regions: Sequence[str], *, config_file: str) -> None:
    """Several roots (``--all-regions``): VPC, subnet and security group IDs are regional, so each region
    needs its own ``[network.regions.<region>]`` and no ID may serve two regions."""
    top_level = RegionNetworkSettings(network.vpc_id, network.subnet_ids, network.security_group_ids)
    without_own = sorted(set(regions) - set(network.regions))
    if top_level.ids and len(without_own) > 1:
        raise ConfigError(
            f"[network] {', '.join(top_level.ids)} would apply to every region ({', '.join(without_own)}); "
            "VPC, subnet and security group IDs belong to one region",
            hint=f"move them under [network.regions.<region>] in {config_file}, one table per region",
        )
    owners: dict[str, str] = {}
    for region in sorted(network.regions):
        for resource_id in network.regions[region].ids:
            if owners.setdefault(resource_id, region) != region:
                raise ConfigError(
                    f"{resource_id} is set for region {owners[resource_id]} and for region {region}; "
                    "an ID belongs to one region",
                    hint=f"give each [network.regions.<region>] in {config_file} that region's own IDs",
                )


MSK_CLIENT_SUBNETS = (2, 3)
"""An MSK provisioned cluster takes two or three client subnets, each in its own availability zone."""


def check_subnet_zones(
    settings: Settings,
    subnet_ids: Sequence[str],
    zones: Mapping[str, str],
    vpc_id: str | None,
    config_file: str,
) -> None:
    """Refuse subnets a new MSK cluster would refuse: more than three, or two in one availability zone.

    The zones come from the scan (DescribeReplicationSubnetGroups' ``SubnetAvailabilityZone``); subnets
    of the settings the scan did not see have no known zone and are checked by count only.
    """
    if settings.cluster.mode == "existing":
        return  # the connectors only: MSK Connect has no such rule
    by_zone: dict[str, list[str]] = {}
    for subnet in subnet_ids:
        if subnet in zones:
            by_zone.setdefault(zones[subnet], []).append(subnet)
    shared = {zone: names for zone, names in by_zone.items() if len(names) > 1}
    too_many = settings.cluster.mode == "provisioned" and len(subnet_ids) > max(MSK_CLIENT_SUBNETS)
    if not too_many and not shared:
        return
    problem = f"{len(subnet_ids)} subnets" if too_many else "subnets in one availability zone"
    detail = "; ".join(f"{zone}: {', '.join(names)}" for zone, names in sorted(by_zone.items()))
    one_per_zone = [names[0] for _zone, names in sorted(by_zone.items())][: max(MSK_CLIENT_SUBNETS)]
    quoted = ", ".join(f'"{subnet}"' for subnet in one_per_zone)
    suggestion = (
        f' e.g. vpc_id = "{vpc_id}" and subnet_ids = [{quoted}]'
        if vpc_id and len(one_per_zone) >= min(MSK_CLIENT_SUBNETS)
        else ""
    )
    raise ConfigError(
        f"{problem} for the MSK cluster ({', '.join(subnet_ids)}{'; ' + detail if detail else ''}): an MSK "
        "cluster takes 2 or 3 client subnets, each in a different availability zone",
        hint=f"choose one subnet per availability zone under [network] in {config_file}:{suggestion}",
    )
