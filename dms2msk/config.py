"""User settings for map and render (``--config FILE``, TOML or JSON).

Every field has a default that reproduces the reference pipeline (Debezium
2.7.3.Final on MSK Connect 2.7.1, one provisioned IAM-auth cluster). A file
only needs the values that differ, e.g.::

    debezium_version = "3.6.3.Final"

    [cluster]
    broker_instance_type = "kafka.m7g.large"

    [network]
    subnet_ids = ["subnet-0a", "subnet-0b", "subnet-0c"]
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .model import from_jsonable


@dataclass(frozen=True)
class ClusterSettings:
    mode: str = "provisioned"  # provisioned | serverless | existing
    name: str = "dms2msk"
    kafka_version: str = "3.7.x.kraft"
    broker_instance_type: str = "kafka.m5.large"
    broker_count: int | None = None  # default: one per subnet (at least 2)
    ebs_volume_size_gb: int = 100
    existing_cluster_arn: str | None = None
    scram_enabled: bool = False


@dataclass(frozen=True)
class NetworkSettings:
    """Overrides for the subnets and security groups taken from the DMS replication instances."""

    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectorSettings:
    mcu_count: int = 1
    worker_count: int = 1
    log_retention_days: int = 365
    heartbeat_interval_ms: int = 10000
    errors_tolerance: str | None = None  # None: derived from the DMS task's ErrorBehavior


@dataclass(frozen=True)
class Settings:
    debezium_version: str = "2.7.3.Final"
    kafkaconnect_version: str | None = None  # default: the one the Debezium version needs
    name_prefix: str = "dms2msk"
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    connectors: ConnectorSettings = field(default_factory=ConnectorSettings)
    plugin_bucket: str | None = None  # existing S3 bucket for plugin ZIPs; default: a new versioned one
    scripting_smt_enabled: bool = False  # allow streaming filters through the Debezium scripting SMT
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def debezium_major(self) -> int:
        return int(self.debezium_version.split(".", 1)[0])

    @property
    def effective_kafkaconnect_version(self) -> str:
        if self.kafkaconnect_version:
            return self.kafkaconnect_version
        # Debezium 3.x needs Java 17, which MSK Connect runs only on Kafka Connect 3.7.x.
        return "3.7.x" if self.debezium_major >= 3 else "2.7.1"


def load_settings(path: str | Path | None) -> Settings:
    """Read ``--config FILE``; with no file, the defaults."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist", hint="check the --config path") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be parsed: {exc}") from None
    known = set(Settings.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown setting(s) {', '.join(unknown)}",
            hint=f"known settings: {', '.join(sorted(known))}",
        )
    try:
        return from_jsonable(Settings, data, where=str(path))
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
