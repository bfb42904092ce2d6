"""User settings for map and render (``--config FILE``, TOML or JSON).

Every field has a default (Debezium 3.6.3.Final on MSK Connect 3.7.x, whose
JDBC sink keeps each table's schema; one provisioned IAM-auth cluster). A file
only needs the values that differ, e.g. the reference walk-through's version::

    debezium_version = "2.7.3.Final"

    [cluster]
    broker_instance_type = "kafka.m7g.large"

    [network]
    vpc_id = "vpc-0abc"
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
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .debezium_version import DebeziumVersion
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
class RegionNetworkSettings:
    """``[network.regions.<region>]``: one region's VPC, subnets and security groups (their IDs are regional)."""

    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return ((self.vpc_id,) if self.vpc_id else ()) + self.subnet_ids + self.security_group_ids


@dataclass(frozen=True)
class NetworkSettings:
    """Overrides for the subnets and security groups taken from the DMS replication instances.

    The top-level values serve a one-region render; ``regions`` holds each region's own values for
    ``render --all-regions`` (a region's table replaces the top-level values in that region).
    """

    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    regions: dict[str, RegionNetworkSettings] = field(default_factory=dict)

    def for_region(self, region: str) -> NetworkSettings:
        """The overrides that apply in ``region``: its own table, else the top-level values."""
        own = self.regions.get(region) or RegionNetworkSettings(self.vpc_id, self.subnet_ids, self.security_group_ids)
        return NetworkSettings(own.vpc_id, own.subnet_ids, own.security_group_ids)


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
    configuration and, with it, every connector (a source of the same name resumes from the pinned offsets topic).
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
    # The compacted topic every source connector keeps its offsets in (offset.storage.topic), so a replaced
    # connector of the same name resumes; None: ``__amazon_msk_connect_offsets_<name_prefix>``.
    offset_storage_topic: str | None = None


CONFIG_PROVIDERS = ("secretsmanager", "ssm", "s3import")
"""The MSK config providers `dms2msk plugins build` puts into every plugin ZIP."""

_JAVA_CLASS = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$")
_PROPERTY_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")
_PROVIDER_REFERENCE = re.compile(r"^\$\{[a-z0-9]+:[^}]+\}$")
OFFSETS_TOPIC_PREFIX = "__amazon_msk_connect_"
"""The connector roles may write MSK Connect's internal topics only under this prefix (modules/connector)."""
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")


def check_worker_settings(workers: WorkerSettings, *, config_file: str = "--config FILE") -> None:
    """Raise ConfigError for the first ``[workers]`` value MSK Connect or the module would reject."""
    from .render.worker import is_secret_property  # the rule lives with the worker properties it guards

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
    _check_offsets_topic(workers, fail)
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
        if is_secret_property(key) and not _PROVIDER_REFERENCE.match(value):
            raise ConfigError(
                f"workers.{where}: a literal secret may not be written into the worker configuration (it would "
                "reach main.tf, the manifest and Terraform state); a property whose name ends in a secret word "
                "(password, pwd, pass, secret, token, user.info, jaas.config, ...) holds one",
                hint=f"put the value in Secrets Manager and write a config provider reference such as "
                f"${{secretsmanager:NAME:KEY}} in {config_file}",
            )


def _check_offsets_topic(workers: WorkerSettings, fail: Any) -> None:
    """The pinned offsets topic: a legal Kafka topic name the connector roles may write, set in one place."""
    topic = workers.offset_storage_topic
    if topic is not None and (not isinstance(topic, str) or not _TOPIC_NAME.match(topic)):
        fail("offset_storage_topic", topic, "a Kafka topic name has 1-249 letters, digits, '.', '_' and '-'")
    if topic is not None and not topic.startswith(OFFSETS_TOPIC_PREFIX):
        fail(
            "offset_storage_topic",
            topic,
            f"must start with {OFFSETS_TOPIC_PREFIX} (the only internal topics the connector roles may write)",
        )
    if isinstance(workers.extra_properties, dict) and "offset.storage.topic" in workers.extra_properties:
        fail(
            'extra_properties."offset.storage.topic"',
            workers.extra_properties["offset.storage.topic"],
            "set workers.offset_storage_topic instead (plan reads it to say which replacements resume)",
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
    def debezium(self) -> DebeziumVersion:
        """``debezium_version`` parsed; a ConfigError naming the setting when it is not a release number."""
        return DebeziumVersion.parse(self.debezium_version)

    @property
    def debezium_major(self) -> int:
        return self.debezium.major

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
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
            hint="save the settings file as UTF-8 TOML or JSON (a binary file is not a settings file)",
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"config file {path} cannot be read: {reason}", hint="check the --config path") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be parsed: {exc}") from None
    except RecursionError:
        raise ConfigError(f"config file {path} is nested too deeply to be settings") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file {path} must hold an object of settings, not a {type(data).__name__}",
            hint='e.g. {"debezium_version": "3.6.3.Final"}',
        )
    _reject_unknown_settings(Settings, data, path)
    _reject_wrong_types(Settings, data, path)
    try:
        settings = from_jsonable(Settings, data, where=str(path))
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}", hint=f"fix that setting in {path}") from None
    check_worker_settings(settings.workers, config_file=str(path))
    return settings


_TYPE_WORDS = {
    int: "a whole number",
    bool: "true or false",
    str: "a string",
    float: "a number",
    dict: "a table",
    list: "a list",
    type(None): "null",
}


def _reject_wrong_types(cls: type, table: dict[str, Any], path: Path, section: str = "") -> None:
    """Every value must have its setting's type, checked once here so no later stage meets a wrong one.

    A quoted number (``broker_count = "3"``) or boolean (``scripting_smt_enabled = "false"``) is an
    error naming the key, the value and the type, never coerced: ``bool("false")`` is True.
    """
    hints = typing.get_type_hints(cls)
    for name, value in table.items():
        expected = hints[name]
        where = f"[{section}] {name}" if section else name
        if dataclasses.is_dataclass(expected):
            if not isinstance(value, dict):
                _wrong_type(path, where, value, f"a table ([{name}])", section)
            _reject_wrong_types(expected, value, path, name)
        elif typing.get_origin(expected) is dict and isinstance(value, dict):
            (_key, item) = typing.get_args(expected)
            for key, entry in value.items():
                if dataclasses.is_dataclass(item):  # a table of tables, e.g. [network.regions.<region>]
                    if not isinstance(entry, dict):
                        _wrong_type(path, f'{where}."{key}"', entry, "a table", section)
                    _reject_wrong_types(item, entry, path, f"{section}.{name}.{key}".lstrip("."))
                elif not _has_type(entry, item):
                    _wrong_type(path, f'{where}."{key}"', entry, _type_words(item), section)
        elif not _has_type(value, expected):
            _wrong_type(path, where, value, _type_words(expected), section)


def _has_type(value: Any, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return any(_has_type(value, option) for option in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if origin is tuple:
        (item, *_rest) = typing.get_args(expected)
        return isinstance(value, list | tuple) and all(_has_type(v, item) for v in value)
    if origin is dict:
        _key, item = typing.get_args(expected)
        return isinstance(value, dict) and all(_has_type(v, item) for v in value.values())
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)  # True is an int in Python, not in TOML
    if expected is Any:
        return True
    return isinstance(value, expected)


def _type_words(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_words(option) for option in typing.get_args(expected) if option is not type(None))
    if origin is tuple:
        return f"a list of {_type_words(typing.get_args(expected)[0]).removeprefix('a ')}s"
    if origin is dict:
        return f"a table of {_type_words(typing.get_args(expected)[1]).removeprefix('a ')} values"
    return _TYPE_WORDS.get(expected, getattr(expected, "__name__", str(expected)))


def _wrong_type(path: Path, where: str, value: Any, expected: str, section: str) -> None:
    got = "a string" if isinstance(value, str) else _type_words(type(value))
    if isinstance(value, str) and expected in ("a whole number", "true or false"):
        unquote = " (without quotes)"
    elif expected == "a string" and not isinstance(value, str):
        unquote = f' (in quotes, e.g. "{value}")'
    else:
        unquote = ""
    raise ConfigError(
        f"config file {path}: {where} = {value!r} must be {expected}, not {got}",
        hint=f"write {where.split(' ', 1)[-1]} as {expected}{unquote}"
        + (f" in [{section}] of {path}" if section else f" in {path}"),
    )


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
        elif typing.get_origin(hints[name]) is dict and isinstance(value, dict):
            item_type = typing.get_args(hints[name])[1]
            if dataclasses.is_dataclass(item_type):  # e.g. [network.regions.<region>]
                for key, item in value.items():
                    _reject_unknown_settings(item_type, item, path, f"{section}.{name}.{key}".lstrip("."))
