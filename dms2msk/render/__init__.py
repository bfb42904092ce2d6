"""The render stage: a MappingResult becomes a self-contained Terraform root in OUT.

Everything is computed here in Python (names, defaults, ordering, escaping);
the Jinja2 templates in ``templates/`` only lay the values out. The same input
gives byte-identical files, and OUT is replaced all at once (see ``atomic``).

OUT layout::

    versions.tf providers.tf variables.tf main.tf outputs.tf README.md
    dms2msk.json        manifest: tool version, scan time, settings, mapping result
    findings.json       every finding and skipped task, machine-readable
    connectors/<name>.json   each connector's config as MSK Connect gets it
    modules/<name>/     the Terraform modules the root calls
    plugins/            (not written here) ZIPs from `dms2msk plugins build OUT`
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..config import NetworkSettings, Settings
from ..errors import ConfigError
from ..findings import FindingCode, finding_text
from ..model import (
    Connector,
    Finding,
    Inventory,
    MappingResult,
    Pipeline,
    SecretRef,
    Severity,
    SkippedTask,
    WorkerConfiguration,
    dumps,
    to_jsonable,
)
from ..outdir import BOOTSTRAP_PLACEHOLDER, FINDINGS_NAME, MANIFEST_NAME, Manifest, plugin_key
from ..resources import modules_dir, templates_dir
from . import atomic, checks, hcl, iam, markdown, prerequisites, worker
from .hcl import Expression

ROOT_TEMPLATES = ("versions.tf", "providers.tf", "variables.tf", "main.tf", "outputs.tf", "README.md")
MODULES_USED = ("kms", "msk-cluster", "network", "connect-plugin", "worker-config", "secrets", "connector")


@dataclass(frozen=True)
class RenderReport:
    """What ``render`` wrote."""

    out_dir: Path
    pipelines: tuple[str, ...] = ()  # pipeline keys
    connectors: tuple[str, ...] = ()  # connector names
    skipped: tuple[SkippedTask, ...] = ()
    findings: tuple[Finding, ...] = ()
    files: tuple[str, ...] = ()  # relative paths, sorted
    region: str = ""
    unread: dict[str, tuple[str, ...]] | None = None  # region -> kinds the scan could not read completely
    replaced: tuple[str, ...] = ()  # files dms2msk did not write that --force replaced
    recovered: tuple[str, ...] = ()  # what an interrupted earlier render left, and what became of it

    @property
    def partial(self) -> bool:
        return bool(self.skipped or self.unread)

    @property
    def findings_path(self) -> Path:
        return self.out_dir / FINDINGS_NAME


# --------------------------------------------------------------------------- #
# Entry point                                                                  #
# --------------------------------------------------------------------------- #


def render(
    result: MappingResult,
    settings: Settings | None = None,
    out_dir: str | Path = "out",
    *,
    inventory: Inventory | None = None,
    force: bool = False,
    config_file: str = "--config FILE",
) -> RenderReport:
    """Write the Terraform root for ``result`` into ``out_dir``, all at once.

    Raises ConfigError (nothing written) for settings AWS would reject, and
    InputError when ``out_dir`` holds files dms2msk did not write (unless ``force``).
    """
    (report,) = render_each([(result, inventory, Path(out_dir))], settings, force=force, config_file=config_file)
    return report


def render_each(
    jobs: Sequence[tuple[MappingResult, Inventory | None, Path]],
    settings: Settings | None = None,
    *,
    force: bool = False,
    config_file: str = "--config FILE",
) -> tuple[RenderReport, ...]:
    """Render several roots (one per region): every root is computed and checked before any is written.

    Each root is then swapped in atomically, so a folder is always either the old one or the new one.
    """
    settings = settings or Settings()
    if len(jobs) > 1:
        regions = [_main_region(result.pipelines, inventory) for result, inventory, _out in jobs]
        checks.check_regional_network(settings.network, regions, config_file=config_file)
    for _result, _inventory, out in jobs:
        atomic.check_destination(out, force=force)
    built = [
        (out, *build_files(result, settings, inventory=inventory, config_file=config_file))
        for result, inventory, out in jobs
    ]
    for out, files, _fields in built:
        atomic.refuse_conflicts(out, atomic.sort_existing(out, files), force=force)
    reports = []
    for out, files, report_fields in built:
        swap = atomic.write_root(out, files, force=force)
        reports.append(
            RenderReport(
                out_dir=out,
                files=tuple(sorted(files)),
                replaced=swap.replaced,
                recovered=swap.recovered,
                **report_fields,
            )
        )
    return tuple(reports)


def build_files(
    result: MappingResult,
    settings: Settings,
    *,
    inventory: Inventory | None = None,
    config_file: str = "--config FILE",
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of OUT (relative path -> bytes), computed in memory; nothing touches the disk."""
    pipelines = tuple(sorted(result.pipelines, key=lambda p: p.key))
    region = _main_region(pipelines, inventory)
    # Network IDs are regional: this root gets its region's [network.regions.<region>], else [network].
    settings = dataclasses.replace(settings, network=settings.network.for_region(region))
    extra_findings: list[Finding] = []
    skipped = list(result.skipped)
    kept: list[Pipeline] = []
    for pipeline in pipelines:
        if pipeline.region != region:
            # One root configures one region's cluster; other regions need their own render.
            reason = f"task is in {pipeline.region}; this render targets {region} (one cluster per region)"
            skipped.append(SkippedTask(pipeline.task_identifier, pipeline.region, reason))
            extra_findings.append(
                Finding(
                    severity=Severity.BLOCKER,
                    code=FindingCode.RENDER_OTHER_REGION,
                    message=reason,
                    task=pipeline.task_identifier,
                    region=pipeline.region,
                    hint="render each region into its own root: dms2msk render OUT --all-regions (or --region REGION)",
                )
            )
        else:
            kept.append(pipeline)
    for pipeline in kept:
        for connector in pipeline.connectors:
            for secret in connector.secrets:
                alias = secret.kms_key_id or ""
                if secret.existing and "alias/" in alias and not alias.endswith("alias/aws/secretsmanager"):
                    extra_findings.append(
                        Finding(
                            severity=Severity.WARNING,
                            code=FindingCode.RENDER_SECRET_KMS_ALIAS,
                            message=f"secret {secret.name} is encrypted with KMS alias {alias}; the execution role "
                            f"of {connector.name} gets no kms:Decrypt on it",
                            task=pipeline.task_identifier,
                            region=pipeline.region,
                            hint="add the key ARN behind the alias to the connector module's secret_kms_key_arns",
                        )
                    )
    network = _network(kept, settings, inventory)
    checks.check_settings(settings, network["subnet_ids"], config_file=config_file)
    checks.check_subnet_zones(settings, network["subnet_ids"], network["subnet_zones"], network["vpc_id"], config_file)
    account_id = _account_id(kept, inventory, region)
    bucket = settings.plugin_bucket or f"{settings.name_prefix}-plugins-{account_id}-{region}"
    if settings.plugin_bucket is None and checks.bucket_name_problem(bucket):
        raise ConfigError(
            f"the default plugin bucket name {bucket!r} is not a valid S3 bucket name",
            hint=f"set `plugin_bucket` to an existing or new bucket name in {config_file}",
        )

    findings = tuple(result.findings) + tuple(extra_findings)
    workers = worker.worker_configuration(settings, region, config_file=config_file)
    context = _context(
        kept, settings, region, account_id, bucket, network, tuple(skipped), findings, inventory, workers
    )
    environment = _environment()
    files: dict[str, bytes] = {}
    for name in ROOT_TEMPLATES:
        files[name] = environment.get_template(f"{name}.jinja").render(**context).encode("utf-8")

    manifest_mapping = MappingResult(
        pipelines=tuple(kept),
        skipped=tuple(skipped),
        findings=findings,
        debezium_version=result.debezium_version or settings.debezium_version,
        kafkaconnect_version=result.kafkaconnect_version or settings.effective_kafkaconnect_version,
        worker_configuration=workers,  # what `dms2msk plan` diffs against the existing worker configuration
    )
    unread = inventory_unread(inventory)
    files[FINDINGS_NAME] = dumps(
        {"partial": bool(skipped or unread), "findings": findings, "skipped": tuple(skipped), "unread": unread}
    ).encode("utf-8")
    for pipeline in kept:
        for connector in pipeline.connectors:
            document = {"name": connector.name, "config": _config_with_placeholder(connector)}
            files[f"connectors/{connector.name}.json"] = dumps(document).encode("utf-8")
    files.update(_module_files())
    files[MANIFEST_NAME] = Manifest(
        settings=settings,
        mapping=manifest_mapping,
        tool_version=__version__,
        inventory_scanned_at=inventory.scanned_at if inventory else None,
        inventory_unread=unread,  # plan reads it: no decommission in these regions
        # What this render wrote, so the next one replaces only these and keeps every other file in OUT.
        files={path: atomic.digest(data) for path, data in files.items() if path != MANIFEST_NAME},
    ).to_bytes()
    report_fields = {
        "pipelines": tuple(p.key for p in kept),
        "connectors": tuple(c.name for p in kept for c in p.connectors),
        "skipped": tuple(skipped),
        "findings": findings,
        "region": region,
        "unread": unread,
    }
    return files, report_fields


def inventory_unread(inventory: Inventory | None) -> dict[str, tuple[str, ...]]:
    """Region -> what its scan could not read completely (empty when the inventory is complete)."""
    if inventory is None:
        return {}
    return {
        r.region: r.incomplete_kinds or tuple(sorted({p.operation for p in r.problems}))
        for r in inventory.regions
        if r.problems or r.unread
    }


# --------------------------------------------------------------------------- #
# Values                                                                       #
# --------------------------------------------------------------------------- #


def _main_region(pipelines: Iterable[Pipeline], inventory: Inventory | None) -> str:
    counts = Counter(p.region for p in pipelines)
    if counts:
        # Most pipelines win; ties go to the alphabetically first region, for determinism.
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
    if inventory and inventory.regions:
        return sorted(r.region for r in inventory.regions)[0]
    return "us-east-1"


def _account_id(pipelines: Iterable[Pipeline], inventory: Inventory | None, region: str) -> str:
    if inventory:
        for region_inventory in inventory.regions:
            if region_inventory.region == region and region_inventory.account_id:
                return region_inventory.account_id
    for pipeline in pipelines:
        parts = pipeline.task_arn.split(":")
        if len(parts) > 4 and re.fullmatch(r"\d{12}", parts[4]):
            return parts[4]
    raise ConfigError(
        "the AWS account id is unknown (no inventory account and no account in the task ARNs)",
        hint="render from an inventory written by `dms2msk scan`",
    )


def _network(pipelines: list[Pipeline], settings: Settings, inventory: Inventory | None) -> dict[str, Any]:
    """Subnets and security groups: the settings' overrides, else those of the DMS replication instances."""
    overrides = settings.network
    vpc_id = overrides.vpc_id
    subnets: set[str] = set(overrides.subnet_ids)
    groups: set[str] = set(overrides.security_group_ids)
    sources: list[str] = []
    zones: dict[str, str] = {}  # subnet -> availability zone, where the scan read it
    if not vpc_id:
        vpcs = sorted({p.network.vpc_id for p in pipelines if p.network.vpc_id})
        vpc_id = vpcs[0] if vpcs else None
    if not overrides.subnet_ids or not overrides.security_group_ids:
        for pipeline in pipelines:
            if vpc_id and pipeline.network.vpc_id not in (None, vpc_id):
                continue  # another VPC's subnets cannot host this cluster
            if not overrides.subnet_ids:
                subnets.update(pipeline.network.subnet_ids)
            if not overrides.security_group_ids:
                groups.update(pipeline.network.security_group_ids)
            if pipeline.network.source:
                sources.append(pipeline.network.source)
    for pipeline in pipelines:
        zones.update(pipeline.network.subnet_zones)
    if not subnets and inventory:
        for region_inventory in inventory.regions:
            for instance in region_inventory.replication_instances:
                if vpc_id is None or instance.vpc_id == vpc_id:
                    vpc_id = vpc_id or instance.vpc_id
                    subnets.update(instance.subnet_ids)
                    groups.update(instance.security_group_ids)
                    zones.update(instance.subnet_zones)
                    sources.append(f"replication instance {instance.identifier}")
    return {
        "vpc_id": vpc_id,
        "subnet_ids": sorted(subnets),
        "security_group_ids": sorted(groups),
        "source": _network_provenance(sources, overrides),
        "subnet_zones": {subnet: zones[subnet] for subnet in sorted(subnets) if subnet in zones},
    }


def _network_provenance(sources: Iterable[str], overrides: NetworkSettings) -> str:
    """Where the network values came from, as one phrase: ``replication instances a and b``, the settings, or both."""
    instance_prefix = "replication instance "
    # The mapping says "settings file [network] over <source>"; the settings are named once, below.
    distinct = sorted({s.removeprefix("settings file [network]").removeprefix(" over ") for s in sources} - {""})
    instances = [s.removeprefix(instance_prefix) for s in distinct if s.startswith(instance_prefix)]
    parts = [s for s in distinct if not s.startswith(instance_prefix)]
    if instances:
        noun = "replication instance" if len(instances) == 1 else "replication instances"
        parts.insert(0, f"{noun} {_joined(instances)}")
    overridden = [name for name in ("vpc_id", "subnet_ids", "security_group_ids") if getattr(overrides, name)]
    if overridden:
        parts.insert(0, f"the [network] settings ({', '.join(overridden)})")
    return _joined(parts) or "the [network] settings"


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + (f" and {items[-1]}" if items else "")


def _config_with_placeholder(connector: Connector) -> dict[str, str]:
    config = dict(connector.config)
    for key in connector.cluster_config_keys:
        config[key] = BOOTSTRAP_PLACEHOLDER
    return dict(sorted(config.items()))


def _plugin_key(pipeline: Pipeline, connector: Connector, settings: Settings) -> str:
    return plugin_key(connector.plugin, pipeline.debezium_version or settings.debezium_version)


def _context(
    pipelines: list[Pipeline],
    settings: Settings,
    region: str,
    account_id: str,
    bucket: str,
    network: dict[str, Any],
    skipped: tuple[SkippedTask, ...],
    findings: tuple[Finding, ...],
    inventory: Inventory | None,
    workers: WorkerConfiguration,
) -> dict[str, Any]:
    cluster = settings.cluster
    subnet_ids = network["subnet_ids"]
    tags = {"managed-by": "dms2msk", **settings.tags}

    # -- variables.tf: every environment-specific value, defaulted from the scan and settings
    variables = [
        _variable("region", "AWS region of the cluster and connectors (from the scanned DMS tasks).", "string", region),
        _variable("account_id", "AWS account of the DMS estate; IAM conditions and ARNs use it.", "string", account_id),
        _variable("name_prefix", "Prefix of every name this configuration creates.", "string", settings.name_prefix),
        _variable("tags", "Tags for every resource (also the provider's default_tags).", "map(string)", tags),
        _variable(
            "vpc_id",
            f"VPC of the cluster and connectors (default from {network['source']}).",
            "string",
            network["vpc_id"],
        ),
        _variable(
            "subnet_ids",
            "Subnets of the brokers and connector workers, one per availability zone "
            f"(default from {network['source']}).",
            "list(string)",
            subnet_ids,
        ),
        _variable(
            "database_security_group_ids",
            "Security groups that already reach the databases (the DMS replication instances'); "
            "the connectors join them.",
            "list(string)",
            network["security_group_ids"],
        ),
        _variable("cluster_mode", "`provisioned`, `serverless` or `existing`.", "string", cluster.mode),
        _variable("cluster_name", "Name of the MSK cluster.", "string", cluster.name),
        _variable(
            "existing_cluster_arn",
            "ARN of an existing cluster (cluster_mode = existing).",
            "string",
            cluster.existing_cluster_arn,
        ),
        _variable(
            "existing_bootstrap_brokers_sasl_iam",
            "IAM bootstrap brokers of the existing cluster (cluster_mode = existing); null: read from AWS.",
            "string",
            None,
        ),
        _variable(
            "existing_broker_security_group_ids",
            "Broker security groups of the existing cluster (cluster_mode = existing); null: read from AWS.",
            "list(string)",
            None,
        ),
        _variable("kafka_version", "Kafka version of a provisioned cluster.", "string", cluster.kafka_version),
        _variable("broker_instance_type", "Broker instance type.", "string", cluster.broker_instance_type),
        _variable(
            "broker_count",
            "Number of brokers; a multiple of the number of subnets.",
            "number",
            checks.effective_broker_count(settings, subnet_ids),
        ),
        _variable("broker_ebs_volume_size", "EBS storage per broker in GiB.", "number", cluster.ebs_volume_size_gb),
        _variable(
            "scram_enabled",
            "Also allow SASL/SCRAM client authentication (IAM is always on).",
            "bool",
            cluster.scram_enabled,
        ),
        _variable(
            "kafkaconnect_version",
            "Kafka Connect version of MSK Connect (2.7.1 for Debezium 2.x, 3.7.x for 3.x).",
            "string",
            settings.effective_kafkaconnect_version,
        ),
        _variable(
            "connector_mcu_count",
            "MSK Connect units per worker (1, 2, 4 or 8).",
            "number",
            settings.connectors.mcu_count,
        ),
        _variable(
            "connector_worker_count", "Workers per connector (1-10).", "number", settings.connectors.worker_count
        ),
        _variable(
            "log_retention_in_days",
            "Retention of the broker and connector log groups (0 or at least 365).",
            "number",
            settings.connectors.log_retention_days,
        ),
        _variable(
            "create_plugin_bucket",
            "Create the versioned plugin bucket (false: upload into the existing `plugin_bucket_name`).",
            "bool",
            settings.plugin_bucket is None,
        ),
        _variable("plugin_bucket_name", "S3 bucket of the custom plugin ZIPs.", "string", bucket),
    ]

    # -- main.tf modules
    plugin_keys = sorted({_plugin_key(p, c, settings) for p in pipelines for c in p.connectors})
    new_secrets: dict[str, dict[str, Any]] = {}
    existing_secrets: dict[str, str] = {}
    for pipeline in pipelines:
        for connector in pipeline.connectors:
            for secret in connector.secrets:
                if secret.existing:
                    existing_secrets[secret.key] = secret.arn or secret.name
                else:
                    new_secrets[secret.key] = {
                        "name": secret.name,
                        "description": secret.description or f"{connector.name}: database credentials",
                        "fields": list(secret.fields or ("username", "password")),
                    }
    databases: dict[str, dict[str, Any]] = {}
    for pipeline in pipelines:
        for connector in pipeline.connectors:
            if connector.database and connector.database.port:
                databases[f"{pipeline.key}_{connector.role}"] = {
                    "description": f"{connector.name} to {connector.database.endpoint_identifier}",
                    "port": connector.database.port,
                }

    role_scope = iam.RoleScope.of(settings, region, account_id, bucket, worker.offsets_topic(settings))
    pipeline_blocks = [_pipeline_block(pipeline, settings, region, account_id, role_scope) for pipeline in pipelines]
    e = Expression
    modules = {
        "locals": {
            # The connector group (egress to the databases and brokers) plus the groups the DMS
            # replication instances use, which the databases already admit; MSK Connect takes at most 5.
            "connector_security_group_ids": e(
                "slice(concat([module.network.security_group_id], var.database_security_group_ids), 0, "
                "min(5, 1 + length(var.database_security_group_ids)))"
            ),
        },
        "kms": {
            "name": e('"${var.name_prefix}-msk"'),
            "account_id": e("var.account_id"),
            # The log groups the key encrypts: the brokers' and each connector's (modules/connector names
            # it /aws/mskconnect/<connector name>), not every log group of the account.
            "log_group_names": [
                e('"/aws/msk/cluster/${var.cluster_name}"'),
                *sorted(f"/aws/mskconnect/{c.name}" for p in pipelines for c in p.connectors),
            ],
        },
        "msk_cluster": {
            "mode": e("var.cluster_mode"),
            "name": e("var.cluster_name"),
            "kafka_version": e("var.kafka_version"),
            "client_subnets": e("var.subnet_ids"),
            "vpc_id": e("var.vpc_id"),
            "broker_instance_type": e("var.broker_instance_type"),
            "number_of_broker_nodes": e("var.broker_count"),
            "ebs_volume_size": e("var.broker_ebs_volume_size"),
            "scram_enabled": e("var.scram_enabled"),
            "existing_cluster_arn": e("var.existing_cluster_arn"),
            "existing_bootstrap_brokers_sasl_iam": e("var.existing_bootstrap_brokers_sasl_iam"),
            "existing_broker_security_group_ids": e("var.existing_broker_security_group_ids"),
            "encryption_at_rest_kms_key_arn": e("module.kms.key_arn"),
            "cloudwatch_log_group_kms_key_arn": e("module.kms.key_arn"),
            "cloudwatch_log_group_retention_in_days": e("var.log_retention_in_days"),
        },
        "network_module": {
            "name": e('"${var.name_prefix}-connectors"'),
            "vpc_id": e("var.vpc_id"),
            "broker_security_group_ids": e("module.msk_cluster.broker_security_group_ids"),
            "databases": e(
                "{ for key, database in local.databases : "
                "key => merge(database, { cidr_blocks = var.database_cidr_blocks }) }"
            ),
        },
        "plugins_module": {
            "create_bucket": e("var.create_plugin_bucket"),
            "bucket_name": e("var.plugin_bucket_name"),
            "kms_key_arn": e("module.kms.key_arn"),
            "name_prefix": e('"${var.name_prefix}-"'),
            "plugins": {key: {"zip_path": e(f'"${{path.module}}/plugins/{key}.zip"')} for key in plugin_keys},
        },
        "worker_config": worker.module_arguments(workers, settings, region),
        "secrets_module": {
            "kms_key_arn": e("module.kms.key_arn"),
            "secrets": dict(sorted(new_secrets.items())),
            "existing_secret_arns": dict(sorted(existing_secrets.items())),
        },
    }
    modules["locals"]["databases"] = dict(sorted(databases.items()))
    variables.append(
        _variable(
            "database_cidr_blocks",
            "CIDR blocks of the source and target databases; the connectors may reach their ports there "
            "(default: the private address ranges).",
            "list(string)",
            ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
        )
    )
    connector_arns = {
        item["connector"].name: e(f"module.{item['module']}.arn")
        for block in pipeline_blocks
        for item in block["connectors"]
    }
    return {
        **modules,
        "connector_output": {
            "description": "ARN of every connector, by name.",
            "value": dict(sorted(connector_arns.items())),
        },
        "tool_version": __version__,
        "region": region,
        "variables": variables,
        "tags": tags,
        "plugin_keys": plugin_keys,
        "new_secrets": dict(sorted(new_secrets.items())),
        "existing_secrets": dict(sorted(existing_secrets.items())),
        "databases": dict(sorted(databases.items())),
        "pipelines": pipeline_blocks,
        "skipped": skipped,
        "findings": findings,
        "blockers": [f for f in findings if f.severity == Severity.BLOCKER],
        "warnings": [f for f in findings if f.severity == Severity.WARNING],
        "settings": settings,
        "inventory_scanned_at": inventory.scanned_at if inventory else None,
        "network": network,
        "debezium_version": settings.debezium_version,
    }


def _variable(name: str, description: str, type_: str, default: Any) -> dict[str, Any]:
    return {"name": name, "body": {"description": description, "type": Expression(type_), "default": default}}


def _secret_kms_key_arn(secret: SecretRef, region: str, account_id: str) -> str | None:
    """The ARN of the CMK that encrypts an existing secret, for the role's kms:Decrypt; None: AWS managed key.

    DescribeSecret gives the key as an ARN or a bare key id; a bare id lives in the secret's own
    region and account. The AWS managed key (aws/secretsmanager) already admits Secrets Manager
    callers of the account, so it needs no statement.
    """
    key = secret.kms_key_id
    if not key or key in ("alias/aws/secretsmanager",) or key.endswith(":alias/aws/secretsmanager"):
        return None
    if key.startswith("arn:"):
        return key
    parts = (secret.arn or "").split(":")
    secret_region, secret_account = (
        (parts[3], parts[4]) if len(parts) > 4 and parts[0] == "arn" else (region, account_id)
    )
    partition = parts[1] if len(parts) > 4 and parts[0] == "arn" else "aws"
    # IAM matches kms:Decrypt on the key ARN, so an alias would grant nothing; build_files warns instead.
    if key.startswith("alias/"):
        return None
    return f"arn:{partition}:kms:{secret_region}:{secret_account}:key/{key}"


def _pipeline_block(
    pipeline: Pipeline, settings: Settings, region: str, account_id: str, role_scope: iam.RoleScope
) -> dict[str, Any]:
    """The module arguments of a pipeline's connectors, plus what the README says about it."""
    connectors = []
    for connector in pipeline.connectors:
        iam.check_connector_name(pipeline, connector)
        key = _plugin_key(pipeline, connector, settings)
        # One map literal, sorted, with the bootstrap keys bound to the cluster's IAM brokers. (A merge()
        # with the unknown brokers would make the whole map unknown in the plan and hide every value.)
        configuration: dict[str, Any] = {
            k: Expression("module.msk_cluster.bootstrap_brokers_sasl_iam") if k in connector.cluster_config_keys else v
            for k, v in sorted({**connector.config, **dict.fromkeys(connector.cluster_config_keys, "")}.items())
        }
        secret_arns = [
            Expression(f"module.secrets.secret_arns[{hcl.quote(secret.key)}]") for secret in connector.secrets
        ]
        # Only the keys of this connector's own secrets: the tool's CMK for new ones, the DMS secrets' CMKs.
        secret_kms_key_arns: list[Any] = []
        if any(not secret.existing for secret in connector.secrets):
            secret_kms_key_arns.append(Expression("module.kms.key_arn"))
        secret_kms_key_arns.extend(
            sorted(
                {
                    arn
                    for secret in connector.secrets
                    if secret.existing and (arn := _secret_kms_key_arn(secret, region, account_id))
                }
            )
        )
        arguments: dict[str, Any] = {
            "name": connector.name,
            "description": f"{connector.role} of DMS task {pipeline.task_identifier}",
            "role": connector.role,
            "kafkaconnect_version": Expression("var.kafkaconnect_version"),
            "account_id": Expression("var.account_id"),
            "cluster_arn": Expression("module.msk_cluster.arn"),
            "bootstrap_servers": Expression("module.msk_cluster.bootstrap_brokers_sasl_iam"),
            "subnet_ids": Expression("var.subnet_ids"),
            "security_group_ids": Expression("local.connector_security_group_ids"),
            "plugin_arn": Expression(f"module.plugins.plugins[{hcl.quote(key)}].arn"),
            "plugin_revision": Expression(f"module.plugins.plugins[{hcl.quote(key)}].revision"),
            "plugin_object_arn": Expression(f"module.plugins.plugins[{hcl.quote(key)}].object_arn"),
            "worker_configuration_arn": Expression("module.worker_config.arn"),
            "worker_configuration_revision": Expression("module.worker_config.latest_revision"),
            "max_tasks": connector.tasks_max,
            "mcu_count": Expression("var.connector_mcu_count"),
            "worker_count": Expression("var.connector_worker_count"),
            "log_retention_in_days": Expression("var.log_retention_in_days"),
            "log_kms_key_arn": Expression("module.kms.key_arn"),
            **iam.checked_topic_arguments(pipeline, connector, role_scope),
            "secret_arns": secret_arns,
            "secret_kms_key_arns": secret_kms_key_arns,
            "connector_configuration": configuration,
            "tags": {"dms2msk-task": pipeline.task_identifier},
        }
        connectors.append(
            {
                "module": f"{pipeline.key}_{connector.role}",
                "connector": connector,
                "plugin_key": key,
                "arguments": arguments,
            }
        )
    return {
        "pipeline": pipeline,
        "connectors": connectors,
        "prerequisites": prerequisites.for_source(pipeline.source_engine),
        "sink_prerequisites": prerequisites.for_sink(pipeline.sink.connector_class) if pipeline.sink else (),
        "findings": pipeline.findings,
    }


# --------------------------------------------------------------------------- #
# Templates and modules                                                        #
# --------------------------------------------------------------------------- #


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["hcl"] = hcl.value
    environment.filters["hcl_attributes"] = hcl.attributes
    environment.filters["hcl_escape"] = hcl.escape_template
    environment.filters["hcl_quote"] = hcl.quote
    environment.filters["hcl_comment"] = hcl.comment
    environment.filters["finding_text"] = finding_text  # a rule finding opens with its rule
    environment.filters["md"] = markdown.text
    environment.filters["md_line"] = markdown.line
    environment.filters["md_code"] = markdown.code
    environment.filters["md_cell_code"] = markdown.cell_code
    environment.filters["sh"] = markdown.shell_word
    environment.filters["json"] = lambda value: json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False)
    return environment


def _module_files() -> dict[str, bytes]:
    """The modules the root calls, copied byte for byte (sorted; caches and local state left out)."""
    files: dict[str, bytes] = {}
    root = modules_dir()
    for name in MODULES_USED:
        module = root / name
        if not module.is_dir():
            raise ConfigError(
                f"the Terraform module {name!r} is missing from {root}",
                hint="reinstall dms2msk; the rendered root calls this module",
            )
        for path in sorted(module.rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files[f"modules/{relative.as_posix()}"] = path.read_bytes()
    return files


def connector_documents(out_dir: str | Path) -> Mapping[str, dict[str, Any]]:
    """The connectors/*.json documents of a rendered folder, by connector name."""
    folder = Path(out_dir) / "connectors"
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


__all__ = ["BOOTSTRAP_PLACEHOLDER", "RenderReport", "build_files", "connector_documents", "render", "render_each"]
