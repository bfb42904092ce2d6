"""The typed data model that passes between the stages.

scan -> :class:`Inventory` -> map -> :class:`MappingResult` -> render / plan / cost.

Every class is a frozen dataclass made of JSON-friendly values (str, int, bool,
float, None, tuples, dicts with str keys, nested dataclasses), so any stage can
be re-run from a file: :func:`to_jsonable` and :func:`from_jsonable` convert
both ways without per-class code.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

INVENTORY_SCHEMA_VERSION = 1
"""Bumped when an inventory written by an older dms2msk can no longer be read."""

T = TypeVar("T")


# --------------------------------------------------------------------------- #
# Inventory: what scan reads from AWS DMS                                      #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ReplicationInstance:
    """A DMS replication instance (provisioned DMS)."""

    arn: str
    identifier: str
    instance_class: str
    multi_az: bool = False
    allocated_storage_gb: int = 0
    engine_version: str | None = None
    availability_zone: str | None = None
    publicly_accessible: bool = False
    subnet_group: str | None = None
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    subnet_zones: dict[str, str] = field(default_factory=dict)  # subnet id -> availability zone name
    security_group_ids: tuple[str, ...] = ()
    kms_key_arn: str | None = None
    status: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServerlessCompute:
    """Compute settings of a DMS Serverless replication config."""

    min_capacity_units: int | None = None
    max_capacity_units: int | None = None
    multi_az: bool = False
    subnet_group: str | None = None
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    subnet_zones: dict[str, str] = field(default_factory=dict)  # subnet id -> availability zone name
    security_group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretMetadata:
    """What Secrets Manager says about a secret an endpoint uses.

    Only metadata (``DescribeSecret``): dms2msk never reads a secret value.
    """

    arn: str
    name: str
    kms_key_id: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """A DMS endpoint. Passwords are never part of it (DMS does not return them)."""

    arn: str
    identifier: str
    endpoint_type: str  # "source" | "target"
    engine: str  # DMS EngineName, e.g. "mysql", "aurora-postgresql"
    server_name: str | None = None
    port: int | None = None
    database_name: str | None = None
    username: str | None = None
    ssl_mode: str | None = None
    extra_connection_attributes: str | None = None
    secrets_manager_secret_id: str | None = None
    secrets_manager_access_role_arn: str | None = None
    secret: SecretMetadata | None = None
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Engine settings objects as the API returns them, e.g. ``{"MySQLSettings": {...}}``."""
    status: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def engine_settings(self, *names: str) -> dict[str, Any]:
        """The first non-empty settings object among ``names`` (or ``{}``)."""
        for name in names:
            value = self.settings.get(name)
            if value:
                return value
        return {}


@dataclass(frozen=True)
class ReplicationTask:
    """A DMS replication task, or a DMS Serverless replication config.

    ``table_mappings`` and ``task_settings`` keep the raw JSON text the API
    returned, so that a malformed document is reported with its position
    instead of being lost at scan time.
    """

    arn: str
    identifier: str
    migration_type: str  # full-load | cdc | full-load-and-cdc
    source_endpoint_arn: str
    target_endpoint_arn: str
    replication_instance_arn: str | None = None
    serverless: ServerlessCompute | None = None
    table_mappings: str = ""
    task_settings: str = ""
    cdc_start_position: str | None = None
    cdc_start_time: str | None = None
    cdc_stop_position: str | None = None
    recovery_checkpoint: str | None = None
    status: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    table_statistics: tuple[TableStatistic, ...] = ()
    """Row counts per table, read only by ``scan(include_table_statistics=True)``."""


@dataclass(frozen=True)
class TableStatistic:
    """Row counts DMS reports for one table of a task (``DescribeTableStatistics``)."""

    schema_name: str
    table_name: str
    full_load_rows: int = 0
    inserts: int = 0
    updates: int = 0
    deletes: int = 0
    table_state: str | None = None


@dataclass(frozen=True)
class ScanProblem:
    """Something scan could not read. The rest of the inventory is still valid."""

    region: str
    operation: str
    code: str
    message: str
    resource: str | None = None


LISTING_OPERATIONS = {
    "DescribeReplicationInstances": "replication-instances",
    "DescribeReplicationSubnetGroups": "replication-subnet-groups",
    "DescribeEndpoints": "endpoints",
    "DescribeReplicationTasks": "replication-tasks",
    "DescribeReplicationConfigs": "replication-configs",
}
"""The DMS list calls, by the resource kind each lists (a kind is complete only if every page was read)."""

USER_KINDS = ("replication-instances", "replication-tasks", "replication-configs")
"""Kinds that use endpoints, instances and subnet groups: one unread, and nothing shared is known to be unused."""


@dataclass(frozen=True)
class RegionInventory:
    region: str
    account_id: str | None = None
    replication_instances: tuple[ReplicationInstance, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    tasks: tuple[ReplicationTask, ...] = ()
    problems: tuple[ScanProblem, ...] = ()
    unread: tuple[str, ...] = ()
    """Kinds (``LISTING_OPERATIONS`` values, ``tags``, ``secrets``) the scan could not read completely."""

    @property
    def incomplete_kinds(self) -> tuple[str, ...]:
        """``unread``, plus the kinds of failed list calls (inventories written before ``unread`` existed)."""
        failed = {LISTING_OPERATIONS[p.operation] for p in self.problems if p.operation in LISTING_OPERATIONS}
        return tuple(sorted(set(self.unread) | failed))

    @property
    def users_unknown(self) -> tuple[str, ...]:
        """The user-listing kinds (``USER_KINDS``) that were not read completely."""
        return tuple(kind for kind in self.incomplete_kinds if kind in USER_KINDS)


@dataclass(frozen=True)
class Inventory:
    """The whole DMS estate over one or more regions, as scan read it."""

    scanned_at: str
    regions: tuple[RegionInventory, ...] = ()
    schema_version: int = INVENTORY_SCHEMA_VERSION
    tool_version: str = ""

    @property
    def partial(self) -> bool:
        return any(region.problems or region.unread for region in self.regions)

    def iter_tasks(self) -> typing.Iterator[tuple[RegionInventory, ReplicationTask]]:
        for region in self.regions:
            for task in region.tasks:
                yield region, task


# --------------------------------------------------------------------------- #
# Mapping result: what map produces from an inventory                          #
# --------------------------------------------------------------------------- #


class Severity(enum.StrEnum):
    """How much a finding matters to the migration."""

    INFO = "info"  # carried over faithfully, or a harmless difference
    WARNING = "warning"  # carried over with a behaviour difference the user should review
    BLOCKER = "blocker"  # not carried over; the pipeline (or this part) needs a decision

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "blocker": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One statement about how a DMS rule or setting was (or was not) carried over."""

    severity: Severity
    code: str  # stable machine-readable id, e.g. "selection.wildcard", "task.table-mappings.invalid-json"
    message: str
    task: str | None = None
    region: str | None = None
    rule_id: str | None = None
    rule_name: str | None = None
    where: str | None = None  # position in the source document, e.g. "TableMappings line 3 column 5"
    became: str | None = None  # what it became, e.g. "table.include.list"
    hint: str | None = None  # how to fix or what to decide


@dataclass(frozen=True)
class SecretRef:
    """A Secrets Manager secret a connector reads through the MSK config provider."""

    key: str  # Terraform key, unique in the estate
    name: str  # secret name (or ARN for existing secrets)
    existing: bool  # True: the DMS endpoint's secret, referenced, never copied
    arn: str | None = None
    kms_key_id: str | None = None
    fields: tuple[str, ...] = ()  # JSON keys the connector reads, e.g. ("username", "password")
    description: str = ""


@dataclass(frozen=True)
class DatabaseAccess:
    """A database a connector reaches, for security-group rules and prerequisites."""

    endpoint_identifier: str
    engine: str
    host: str | None
    port: int | None
    name: str | None = None  # the database the connector's configuration names (source dbname, sink URL)

    @classmethod
    def of(cls, endpoint: Endpoint, default_port: int | None, name: str | None) -> DatabaseAccess:
        """The database behind a DMS endpoint; the engine's default port where the endpoint names none."""
        return cls(endpoint.identifier, endpoint.engine, endpoint.server_name, endpoint.port or default_port, name)


@dataclass(frozen=True)
class SelectionPattern:
    """One DMS selection rule as the user wrote it, so messages name it instead of the include regex it became."""

    rule_id: str
    rule_name: str
    action: str  # include | explicit | exclude
    schema_name: str  # DMS pattern: % and _ are wildcards unless the action is explicit
    table_name: str

    @property
    def name(self) -> str:
        return f"{self.schema_name}.{self.table_name}"

    def __str__(self) -> str:
        return f"{self.name} (rule {self.rule_id} {self.rule_name})"


@dataclass(frozen=True)
class TableKey:
    """The record key a DMS define-primary-key rule gives one table (it becomes ``message.key.columns``)."""

    schema: str
    table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Connector:
    """One MSK Connect connector: its class, properties and what it needs."""

    name: str
    role: str  # "source" | "sink"
    connector_class: str
    plugin: str  # plugin bundle key, e.g. "debezium-connector-mysql"
    config: dict[str, str]
    tasks_max: int = 1
    autoscaling_allowed: bool = False
    secrets: tuple[SecretRef, ...] = ()
    database: DatabaseAccess | None = None
    topics: tuple[str, ...] = ()  # topic names or regexes this connector writes or reads
    # What the execution role grants, decided where the topics are named: names or prefixes ending in "*".
    reads_topics: tuple[str, ...] = ()  # consumed (DescribeTopic, ReadData)
    writes_topics: tuple[str, ...] = ()  # produced to, created if missing (DescribeTopic, WriteData, CreateTopic)
    consumer_groups: tuple[str, ...] = ()  # Kafka consumer groups besides MSK Connect's own
    cluster_config_keys: tuple[str, ...] = ()
    """Property keys whose value is the cluster's bootstrap servers, filled in at render time."""
    captured_tables: tuple[tuple[str, str], ...] = ()
    """Sources: every captured ``(schema, table)`` by exact name when the rules name each one; ``()`` otherwise."""
    selection: tuple[SelectionPattern, ...] = ()
    """Sources: the DMS selection rules behind the include lists (empty in manifests of older versions)."""
    key_columns: tuple[TableKey, ...] | None = None
    """Sources: the define-primary-key columns by exact table; ``None`` in manifests of older versions."""
    plugin_requirements: tuple[str, ...] | None = None
    """Extra plugin parts this connector's SMTs need (the Debezium scripting jars for streaming filters);
    ``None`` in manifests written before dms2msk recorded them."""


@dataclass(frozen=True)
class NetworkDefaults:
    """Where the connectors run, taken from the DMS replication instance by default."""

    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    source: str = ""  # where the values came from, e.g. "replication instance ri-1"
    subnet_zones: dict[str, str] = field(default_factory=dict)  # the scanned subnets' availability zones


@dataclass(frozen=True)
class Pipeline:
    """One DMS task, mapped to a Debezium source connector and (usually) a sink."""

    key: str  # Terraform-safe unique key, derived from the task identifier
    task_identifier: str
    task_arn: str
    region: str
    migration_type: str
    source_engine: str
    target_engine: str
    source: Connector
    sink: Connector | None
    topic_prefix: str
    network: NetworkDefaults
    findings: tuple[Finding, ...] = ()
    debezium_version: str = ""

    @property
    def connectors(self) -> tuple[Connector, ...]:
        return (self.source,) if self.sink is None else (self.source, self.sink)

    @property
    def worst_severity(self) -> Severity:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=Severity.INFO)


@dataclass(frozen=True)
class SkippedTask:
    """A task that could not be mapped at all; its findings say why."""

    task_identifier: str
    region: str
    reason: str


@dataclass(frozen=True)
class WorkerConfiguration:
    """The MSK Connect worker configuration every connector of a render runs on (filled by render)."""

    name: str
    properties: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    offsets_topic: str | None = None  # the pinned offset.storage.topic; None: per-connector topics (no resume)

    @property
    def properties_file_content(self) -> str:
        """Sorted ``key=value`` lines, exactly as the worker-config module joins them."""
        return "".join(f"{key}={self.properties[key]}\n" for key in sorted(self.properties))


@dataclass(frozen=True)
class MappingResult:
    pipelines: tuple[Pipeline, ...] = ()
    skipped: tuple[SkippedTask, ...] = ()
    findings: tuple[Finding, ...] = ()  # every finding, pipelines' and skipped tasks' alike
    debezium_version: str = ""
    kafkaconnect_version: str = ""
    # Set by render in OUT/dms2msk.json; None in a mapping result and in manifests of older versions.
    worker_configuration: WorkerConfiguration | None = None

    @property
    def partial(self) -> bool:
        return bool(self.skipped)


# --------------------------------------------------------------------------- #
# Generic JSON conversion                                                      #
# --------------------------------------------------------------------------- #


def to_jsonable(value: Any) -> Any:
    """Convert a model object (or nested values) into plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


_HINTS_CACHE: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS_CACHE:
        _HINTS_CACHE[cls] = typing.get_type_hints(cls)
    return _HINTS_CACHE[cls]


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        return _convert(non_none[0], data, where)
    if data is None:
        return None
    if origin is tuple:
        if not isinstance(data, (list, tuple)):  # a string would otherwise become a tuple of its letters
            raise ValueError(f"{where} must be a list, got {type(data).__name__} {data!r}")
        (item_tp, *_rest) = typing.get_args(tp)
        return tuple(_convert(item_tp, v, f"{where}[{i}]") for i, v in enumerate(data))
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where} must be an object (a table), got {type(data).__name__} {data!r}")
        _key_tp, val_tp = typing.get_args(tp)
        return {str(k): _convert(val_tp, v, f"{where}.{k}") for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_jsonable(tp, data, where)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    return data


def from_jsonable(cls: type[T], data: Any, where: str = "$") -> T:
    """Build ``cls`` from plain JSON data; unknown keys are ignored (forward compatible)."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
    try:
        return cls(**kwargs)
    except TypeError as exc:  # a required field is missing
        raise ValueError(f"{where}: {exc}") from None


def dumps(value: Any) -> str:
    """Deterministic JSON text for a model object: sorted keys, two-space indent, final newline."""
    return json.dumps(to_jsonable(value), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_inventory(path: str | Path) -> Inventory:
    """Read an inventory file written by ``dms2msk scan`` (or by hand)."""
    from .errors import InputError

    path = Path(path)
    rescan = "re-run `dms2msk scan` to write it again"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"inventory file {path} does not exist",
            hint="run `dms2msk scan --region REGION` first, or pass -i/--inventory PATH",
        ) from None
    except (IsADirectoryError, PermissionError) as exc:
        raise InputError(f"inventory file {path} cannot be read: {exc.strerror}", hint=rescan) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"inventory file {path} is not UTF-8 text (byte {exc.start}: {exc.object[exc.start : exc.start + 1]!r});"
            " dms2msk writes inventories as UTF-8 JSON",
            hint=f"{rescan}, or convert the file to UTF-8 (iconv -f LATIN1 -t UTF-8)",
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"inventory file {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint=rescan,
        ) from None
    except RecursionError:
        raise InputError(f"inventory file {path} nests JSON too deeply to be an inventory", hint=rescan) from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != INVENTORY_SCHEMA_VERSION:
        raise InputError(
            f"inventory file {path} has schema_version {version!r}; this dms2msk reads {INVENTORY_SCHEMA_VERSION}",
            hint="re-run `dms2msk scan` with this version of dms2msk",
        )
    from .typecheck import type_problem

    try:
        inventory = from_jsonable(Inventory, data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(f"inventory file {path} does not match the inventory schema: {exc}", hint=rescan) from None
    problem = type_problem(inventory, Inventory)
    if problem is not None:
        raise InputError(f"inventory file {path} does not match the inventory schema: {problem}", hint=rescan)
    from .inventory_fields import check_inventory_fields

    check_inventory_fields(inventory, path)
    return inventory
