"""The data types of a migration plan: what exists, what is wanted, and what changes.

Frozen dataclasses of JSON-friendly values, like :mod:`dms2msk.model`, so a plan
can be written with :func:`dms2msk.model.dumps` and read back for automation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Action(enum.StrEnum):
    """What applying the rendered Terraform does to one resource."""

    CREATE = "create"
    UPDATE = "update"  # update in place
    REPLACE = "replace"  # destroy and create: a new resource with a new ARN
    DELETE = "delete"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"  # the existing state could not be read

    @property
    def is_change(self) -> bool:
        return self in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)


ACTION_ORDER: tuple[Action, ...] = (
    Action.REPLACE,
    Action.DELETE,
    Action.UPDATE,
    Action.CREATE,
    Action.UNKNOWN,
    Action.UNCHANGED,
)
"""Most disruptive first: the order of the summary and of the report tables."""


# --------------------------------------------------------------------------- #
# Existing estate (Terraform state, `terraform show -json`, or live MSK Connect)
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class PluginUse:
    """A connector's reference to one custom plugin revision."""

    arn: str
    revision: int | None = None


@dataclass(frozen=True)
class ExistingConnector:
    name: str
    config: dict[str, str]
    arn: str | None = None
    kafkaconnect_version: str | None = None
    plugins: tuple[PluginUse, ...] = ()
    worker_configuration_arn: str | None = None
    worker_configuration_revision: int | None = None
    capacity: dict[str, Any] = field(default_factory=dict)
    """``{"provisioned": {"mcu_count", "worker_count"}}`` or ``{"autoscaling": {...}}``."""
    authentication_type: str | None = None
    encryption_type: str | None = None
    service_execution_role_arn: str | None = None
    address: str | None = None  # Terraform address, when read from a state


@dataclass(frozen=True)
class ExistingPlugin:
    name: str
    arn: str | None = None
    file_key: str | None = None
    bucket_arn: str | None = None
    object_version: str | None = None
    content_type: str | None = None
    address: str | None = None
    revision: int | None = None  # the latest revision, which the rendered connectors refer to


@dataclass(frozen=True)
class ExistingWorkerConfiguration:
    name: str
    arn: str | None = None
    properties: str | None = None  # the properties file content, decoded
    address: str | None = None
    description: str | None = None
    revision: int | None = None


PROBLEM_ERROR = "error"
PROBLEM_WARNING = "warning"


@dataclass(frozen=True)
class PlanProblem:
    """Something the plan could not read or use; the rest of the plan still stands.

    ``severity`` ``error`` (the default) makes the plan partial (exit 3); ``warning`` is reported but leaves
    the plan complete, e.g. primary-key report rows naming a task the rendered estate does not have.
    """

    source: str  # "state", "live", "manifest", "inventory", "previous-inventory", "primary-key-report"
    message: str
    hint: str | None = None
    where: str | None = None
    severity: str = PROBLEM_ERROR  # PROBLEM_ERROR | PROBLEM_WARNING

    @property
    def is_warning(self) -> bool:
        return self.severity == PROBLEM_WARNING


@dataclass(frozen=True)
class ExistingEstate:
    """What MSK Connect holds, by name. ``known`` is False when nothing could be read."""

    source: str  # "none" | "state:<path>" | "show-json:<path>" | "live:<regions>"
    connectors: dict[str, ExistingConnector] = field(default_factory=dict)
    plugins: tuple[ExistingPlugin, ...] = ()
    worker_configurations: tuple[ExistingWorkerConfiguration, ...] = ()
    problems: tuple[PlanProblem, ...] = ()
    known: bool = True
    unreadable_connectors: tuple[str, ...] = ()
    """Connector names that exist but whose details could not be read (live)."""


# --------------------------------------------------------------------------- #
# The diff                                                                     #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Change:
    """One attribute that differs, and whether the provider replaces the resource for it."""

    path: str  # e.g. 'connector_configuration["table.include.list"]', "kafkaconnect_version"
    before: Any = None
    after: Any = None
    forces_replacement: bool = False


@dataclass(frozen=True)
class ResourceDiff:
    kind: str  # "connector" | "custom_plugin" | "worker_configuration"
    name: str
    action: Action
    pipeline: str | None = None  # Pipeline.key
    task_identifier: str | None = None
    role: str | None = None  # source | sink, for connectors
    changes: tuple[Change, ...] = ()
    reasons: tuple[str, ...] = ()
    cost: str | None = None  # what a replacement or deletion costs the data flow
    address: str | None = None


# --------------------------------------------------------------------------- #
# The migration plan                                                           #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Blocker:
    task_identifier: str | None
    code: str
    message: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    phase: str  # prerequisites | network | provision | pre-apply checks | source | sink | row counts | ...
    title: str
    commands: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrimaryKeyCheck:
    """The primary-key check of one task, as ``TaskMigration.primary_keys`` carries it in the plan's JSON.

    ``status``: ``confirmed`` (a report, or the task's key rules, cover every captured table), ``missing``
    (tables listed in ``without_key``), ``unverified`` (no report covers the task: run ``query``) or
    ``not-needed`` (the engine's records always have a key). ``sources`` names the report files (or the key
    rules) the status rests on; ``label`` is the ``dms_task`` value ``query`` writes.
    """

    status: str
    label: str
    query: str | None
    without_key: tuple[str, ...] = ()
    keyed_by_rule: tuple[str, ...] = ()  # listed by the report, but a rule gives them a key
    outside_selection: int = 0  # report rows the connector does not capture
    sources: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    captured_tables: tuple[str, ...] | None = None  # the include list's tables when it names them one by one
    include_patterns: int = 0

    @property
    def coverage(self) -> str:
        """'3 captured tables' or 'every table matching the 2 include patterns'."""
        if self.captured_tables is not None:
            count = len(self.captured_tables)
            return f"{count} captured table{'s' if count != 1 else ''}"
        count = self.include_patterns
        if not count:
            return "every captured table"
        return f"every table matching the {count} include pattern{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class TaskMigration:
    task_identifier: str
    task_arn: str
    region: str
    migration_type: str
    pipeline: str
    source_connector: str
    sink_connector: str | None
    snapshot_mode: str | None
    cutover: str  # one paragraph: how this task moves with no gap and no loss
    steps: tuple[Step, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    primary_keys: PrimaryKeyCheck | None = None
    """The task's primary-key check, structured for automation (the blocker and step say the same in prose)."""


@dataclass(frozen=True)
class DecommissionItem:
    kind: str  # replication-task | replication-config | endpoint | replication-instance | subnet-group
    identifier: str
    arn: str | None
    region: str
    command: str
    reason: str  # why it can be deleted, or which remaining task keeps it


@dataclass(frozen=True)
class DriftItem:
    kind: str  # task | endpoint | replication-instance
    identifier: str
    change: str  # added | removed | changed
    region: str | None = None
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class MigrationPlan:
    tool_version: str
    existing_source: str
    resources: tuple[ResourceDiff, ...] = ()
    migrations: tuple[TaskMigration, ...] = ()
    decommission: tuple[DecommissionItem, ...] = ()  # safe to delete once every cut-over is confirmed
    retained: tuple[DecommissionItem, ...] = ()  # used by a task outside the migrated set: keep
    drift: tuple[DriftItem, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    problems: tuple[PlanProblem, ...] = ()
    not_migrated: tuple[str, ...] = ()  # tasks the mapping skipped; they stay on DMS
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """Something could not be read: an error problem (warnings leave the plan complete)."""
        return any(not problem.is_warning for problem in self.problems)

    @property
    def warnings(self) -> tuple[PlanProblem, ...]:
        return tuple(problem for problem in self.problems if problem.is_warning)

    @property
    def has_changes(self) -> bool:
        return any(r.action.is_change for r in self.resources)
