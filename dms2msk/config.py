"""User settings for map and render (``--config FILE``, TOML or JSON).

Every field has a default (Debezium 3.6.3.Final on MSK Connect 3.7.x, whose
JDBC sink keeps each table's schema; one provisioned IAM-auth cluster). A file
only needs the values that differ, e.g. the reference walk-through's version::

    debezium_version = "2.7.3.Final"

    [cluster]
    broker_instance_type = "kafka.m7g.large"

    [network]
    subnet_ids = ["subnet-0a", "subnet-0b", "subnet-0c"]

    [workers]
    offset_flush_interval_ms = 60000
    extra_properties = { "offset.flush.timeout.ms" = "20000" }
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
class WorkerSettings:
    """The worker configuration every connector runs on (``[workers]``).

    The defaults are those of ``modules/worker-config``. Any change replaces the worker
    configuration and, with it, every connector (new connectors start with new offsets).
    """

    key_converter: str = "org.apache.kafka.connect.json.JsonConverter"
    value_converter: str = "org.apache.kafka.connect.json.JsonConverter"
    schemas_enable: bool = True  # the JDBC sink needs the schema in every record
    offset_flush_interval_ms: int = 10000
    offset_flush_timeout_ms: int = 5000
    task_shutdown_graceful_timeout_ms: int = 10000
    config_providers: tuple[str, ...] = ("secretsmanager",)
    s3import_local_dir: str = "/tmp/kafka-ssl"  # a folder on the MSK Connect worker
    extra_properties: dict[str, str] = field(default_factory=dict)  # override the properties above


CONFIG_PROVIDERS = ("secretsmanager", "ssm", "s3import")
"""The MSK config providers `dms2msk plugins build` puts into every plugin ZIP."""

_JAVA_CLASS = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$")
_PROPERTY_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")
_SENSITIVE_KEY = re.compile(r"(password|passwd|secret|jaas\.config|credential|token|private\.key)", re.IGNORECASE)
_PROVIDER_REFERENCE = re.compile(r"^\$\{[a-z0-9]+:[^}]+\}$")


def check_worker_settings(workers: WorkerSettings, *, config_file: str = "--config FILE") -> None:
    """Raise ConfigError for the first ``[workers]`` value MSK Connect or the module would reject."""

    def fail(setting: str, value: Any, rule: str) -> None:
        raise ConfigError(f"workers.{setting} {value!r}: {rule}", hint=f"set `workers.{setting}` in {config_file}")

    for name in ("key_converter", "value_converter"):
        value = getattr(workers, name)
        if not isinstance(value, str) or not _JAVA_CLASS.match(value):
            fail(
                name,
                value,
                "must be a fully qualified Java class name, e.g. org.apache.kafka.connect.json.JsonConverter",
            )
    if not isinstance(workers.schemas_enable, bool):
        fail("schemas_enable", workers.schemas_enable, "must be true or false")
    for name, minimum in (
        ("offset_flush_interval_ms", 1000),
        ("offset_flush_timeout_ms", 1000),
        ("task_shutdown_graceful_timeout_ms", 0),
    ):
        value = getattr(workers, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            fail(name, value, f"must be a whole number of milliseconds, at least {minimum}")
    providers = workers.config_providers
    if not isinstance(providers, tuple) or not all(isinstance(p, str) for p in providers):
        fail("config_providers", providers, "must be a list of provider names")
    unknown = sorted(set(providers) - set(CONFIG_PROVIDERS))
    if unknown:
        fail(
            "config_providers",
            list(providers),
            f"unknown provider(s) {', '.join(unknown)}; known: {', '.join(CONFIG_PROVIDERS)}",
        )
    if "secretsmanager" not in providers:
        # Every connector reads its database credentials as ${secretsmanager:...} references.
        fail(
            "config_providers",
            list(providers),
            "must include secretsmanager: the connectors read their credentials through it",
        )
    if not isinstance(workers.s3import_local_dir, str) or not workers.s3import_local_dir.startswith("/"):
        fail("s3import_local_dir", workers.s3import_local_dir, "must be an absolute folder path on the worker")
    if not isinstance(workers.extra_properties, dict):
        fail("extra_properties", workers.extra_properties, "must be a table of property names to string values")
    for key, value in sorted(workers.extra_properties.items()):
        where = f'extra_properties."{key}"'
        if not _PROPERTY_KEY.match(key):
            fail(where, key, "a worker property name has only letters, digits, '.', '_' and '-'")
        if not isinstance(value, str):
            fail(where, value, 'worker property values are strings: quote the value, e.g. "20000"')
        if "\n" in value or "\r" in value:
            fail(where, value, "a worker property value must be one line")
        if _SENSITIVE_KEY.search(key) and not _PROVIDER_REFERENCE.match(value):
            raise ConfigError(
                f"workers.{where}: a literal secret may not be written into the worker configuration",
                hint=f"use a config provider reference such as ${{secretsmanager:NAME:KEY}} in {config_file}",
            )


@dataclass(frozen=True)
class Settings:
    debezium_version: str = "3.6.3.Final"
    kafkaconnect_version: str | None = None  # default: the one the Debezium version needs
    name_prefix: str = "dms2msk"
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    connectors: ConnectorSettings = field(default_factory=ConnectorSettings)
    workers: WorkerSettings = field(default_factory=WorkerSettings)
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
    _reject_unknown_settings(Settings, data, path)
    try:
        settings = from_jsonable(Settings, data, where=str(path))
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}", hint=f"fix that setting in {path}") from None
    check_worker_settings(settings.workers, config_file=str(path))
    return settings


def _reject_unknown_settings(cls: type, table: Any, path: Path, section: str = "") -> None:
    """Every key of the file, at every level, must be a setting: a typo is an error, never silently ignored.

    (The shapes, such as a string where a list belongs, are checked by the conversion itself.)
    """
    if not isinstance(table, dict):
        return
    fields = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(table) - fields)
    if unknown:
        what = f"{section.removesuffix('s')} setting" if section else "setting"
        raise ConfigError(
            f"config file {path}: unknown {what}(s) {', '.join(unknown)}",
            hint=f"known {what}s: {', '.join(sorted(fields))}; fix "
            + (f"[{section}] in {path}" if section else str(path)),
        )
    hints = typing.get_type_hints(cls)
    for name, value in table.items():
        if dataclasses.is_dataclass(hints[name]):
            _reject_unknown_settings(hints[name], value, path, name)
