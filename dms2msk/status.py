"""``dms2msk status OUT``: what runs, read back through the MSK Connect and DMS APIs, against OUT's manifest.

A green ``terraform apply`` does not prove a connector runs its new configuration (the provider's in-place
update can report success while the connector keeps the old one, and it ignores an update operation that
ended UPDATE_FAILED; see README). So per pipeline this reads the connector (DescribeConnector), its latest
operation (ListConnectorOperations, DescribeConnectorOperation), its plugin (DescribeCustomPlugin) and worker
configuration (DescribeWorkerConfiguration), and the DMS task (DescribeReplicationTasks,
DescribeTableStatistics), and says property by property what differs from the manifest.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .awscalls import AwsCallError, ClientFactory, call, pages, translated
from .errors import EXIT_CHANGES, EXIT_OK, EXIT_PARTIAL, InputError
from .model import Pipeline, TableStatistic, WorkerConfiguration
from .outdir import manifest_path
from .plan.desired import DesiredConnector, DesiredEstate, load_desired
from .plan.diff import live_differences, worker_differences
from .plan.existing import _live_connector, _live_worker, plugin_from_description
from .plan.types import Change, ExistingPlugin

FAILED_OPERATION_STATES = frozenset(
    {
        "UPDATE_FAILED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_FAILED",
        "ROLLBACK_COMPLETE",
        "PAUSE_FAILED",
        "RESUME_FAILED",
        "RESTART_FAILED",
    }
)
"""Operation states that mean the connector does not run what the operation asked for."""

RUNNING = "RUNNING"


@dataclass(frozen=True)
class OperationStatus:
    """The connector's latest operation (an update of capacity, configuration, plugin or worker configuration)."""

    arn: str
    operation_type: str | None
    state: str | None
    error: str | None = None
    ended: str | None = None

    @property
    def failed(self) -> bool:
        return self.state in FAILED_OPERATION_STATES


@dataclass(frozen=True)
class ConnectorStatus:
    name: str
    role: str
    exists: bool | None  # None: could not be read
    state: str | None = None
    arn: str | None = None
    state_description: str | None = None
    differences: tuple[Change, ...] = ()
    worker_differences: tuple[Change, ...] = ()
    plugins: tuple[str, ...] = ()  # "<name> revision <n>: <state>"
    latest_operation: OperationStatus | None = None
    problems: tuple[str, ...] = ()

    @property
    def healthy(self) -> bool:
        """RUNNING exactly what the manifest says, and its latest operation did not fail."""
        failed = self.latest_operation is not None and self.latest_operation.failed
        return bool(
            self.exists
            and self.state == RUNNING
            and not self.differences
            and not self.worker_differences
            and not failed
            and not self.problems
        )


@dataclass(frozen=True)
class TaskStatus:
    identifier: str
    arn: str
    status: str | None = None  # DMS: running, stopped, failed, ...
    stop_reason: str | None = None
    tables: tuple[TableStatistic, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineStatus:
    key: str
    task_identifier: str
    region: str
    connectors: tuple[ConnectorStatus, ...]
    task: TaskStatus

    @property
    def healthy(self) -> bool:
        return all(c.healthy for c in self.connectors)


@dataclass(frozen=True)
class StatusReport:
    out_dir: str
    pipelines: tuple[PipelineStatus, ...]

    @property
    def unreadable(self) -> bool:
        return any(c.problems for p in self.pipelines for c in p.connectors) or any(
            p.task.problems for p in self.pipelines
        )

    @property
    def exit_code(self) -> int:
        """3: something could not be read; 4: a connector differs from OUT or is not RUNNING; 0: all as OUT says."""
        if self.unreadable:
            return EXIT_PARTIAL
        return EXIT_OK if all(p.healthy for p in self.pipelines) else EXIT_CHANGES


def select_pipelines(desired: DesiredEstate, tasks: Sequence[str]) -> list[Pipeline]:
    """The manifest's pipelines of ``tasks`` (all when empty); an unknown task is an InputError naming the known."""
    pipelines = list(desired.mapping.pipelines)
    known = {p.task_identifier: p for p in pipelines}
    unknown = [t for t in tasks if t not in known]
    if unknown:
        raise InputError(
            f"task(s) {', '.join(unknown)} are not in {manifest_path(desired.out_dir)}; it has "
            f"{', '.join(sorted(known)) or 'no pipelines'}",
            hint="name a task OUT was rendered for, or re-render with "
            f"`dms2msk render {shlex.quote(str(desired.out_dir))}`",
        )
    return [known[t] for t in tasks] if tasks else pipelines


def read_status(out_dir: str | Path, client_factory: ClientFactory, tasks: Sequence[str] = ()) -> StatusReport:
    """Read every selected pipeline's connectors and DMS task; unreadable parts are marked, the rest kept."""
    desired = load_desired(out_dir)
    found = []
    for pipeline in select_pipelines(desired, tasks):
        kafkaconnect = client_factory("kafkaconnect", pipeline.region)
        dms = client_factory("dms", pipeline.region)
        connectors = tuple(
            connector_status(kafkaconnect, desired.connectors[c.name], desired.worker_configuration)
            for c in pipeline.connectors
        )
        found.append(
            PipelineStatus(
                key=pipeline.key,
                task_identifier=pipeline.task_identifier,
                region=pipeline.region,
                connectors=connectors,
                task=task_status(dms, pipeline),
            )
        )
    return StatusReport(out_dir=str(out_dir), pipelines=tuple(found))


def find_connector(client: Any, name: str) -> dict[str, Any] | None:
    """The connector summary of exactly this name (ListConnectors filters by prefix), or None."""
    summaries = pages(client, "kafkaconnect", "list_connectors", "connectors", connectorNamePrefix=name)
    return next((s for s in summaries if s.get("connectorName") == name), None)


def connector_status(client: Any, want: DesiredConnector, workers: WorkerConfiguration | None) -> ConnectorStatus:
    try:
        summary = find_connector(client, want.name)
        if summary is None:
            return ConnectorStatus(want.name, want.role, exists=False)
        arn = summary["connectorArn"]
        described = call(client, "kafkaconnect", "describe_connector", want.name, connectorArn=arn)
    except AwsCallError as exc:
        return ConnectorStatus(want.name, want.role, exists=None, problems=(exc.message,))
    have = _live_connector(described)
    problems: list[str] = []
    plugins: dict[str, ExistingPlugin] = {}
    plugin_lines: list[str] = []
    for use in have.plugins:
        try:
            described_plugin = call(client, "kafkaconnect", "describe_custom_plugin", use.arn, customPluginArn=use.arn)
        except AwsCallError as exc:
            problems.append(exc.message)
            continue
        plugin = plugins[use.arn] = plugin_from_description(described_plugin)
        plugin_lines.append(f"{plugin.name} revision {use.revision}: {described_plugin.get('customPluginState')}")
    worker_changes: list[Change] = []
    if workers is not None and have.worker_configuration_arn:
        try:
            with translated("kafkaconnect", "describe_worker_configuration", have.worker_configuration_arn):
                worker = _live_worker(client, {"workerConfigurationArn": have.worker_configuration_arn})
            worker_changes = worker_differences(workers, worker)
        except AwsCallError as exc:
            problems.append(exc.message)
    operation = None
    try:
        operation = latest_operation(client, arn, want.name)
    except AwsCallError as exc:
        problems.append(exc.message)
    description = described.get("stateDescription") or {}
    return ConnectorStatus(
        name=want.name,
        role=want.role,
        exists=True,
        state=described.get("connectorState"),
        arn=arn,
        state_description=" ".join(str(v) for v in (description.get("code"), description.get("message")) if v) or None,
        differences=tuple(live_differences(want, have, plugins)),
        worker_differences=tuple(worker_changes),
        plugins=tuple(plugin_lines),
        latest_operation=operation,
        problems=tuple(problems),
    )


def latest_operation(client: Any, connector_arn: str, name: str) -> OperationStatus | None:
    """The newest of the connector's operations (by creation time), described."""
    summaries = pages(
        client, "kafkaconnect", "list_connector_operations", "connectorOperations", connectorArn=connector_arn
    )
    if not summaries:
        return None
    newest = max(summaries, key=lambda s: str(s.get("creationTime") or ""))
    described = call(
        client,
        "kafkaconnect",
        "describe_connector_operation",
        name,
        connectorOperationArn=newest["connectorOperationArn"],
    )
    error = described.get("errorInfo") or {}
    ended = described.get("endTime")
    return OperationStatus(
        arn=newest["connectorOperationArn"],
        operation_type=described.get("connectorOperationType"),
        state=described.get("connectorOperationState"),
        error=" ".join(str(v) for v in (error.get("code"), error.get("message")) if v) or None,
        ended=str(ended) if ended else None,
    )


def describe_task(client: Any, task_arn: str, identifier: str) -> dict[str, Any] | None:
    tasks = call(
        client,
        "dms",
        "describe_replication_tasks",
        identifier,
        Filters=[{"Name": "replication-task-arn", "Values": [task_arn]}],
        WithoutSettings=True,
    ).get("ReplicationTasks")
    return tasks[0] if tasks else None


def table_statistics(client: Any, task_arn: str, identifier: str) -> tuple[TableStatistic, ...]:
    rows = pages(client, "dms", "describe_table_statistics", "TableStatistics", "Marker", ReplicationTaskArn=task_arn)
    return tuple(
        TableStatistic(
            schema_name=r.get("SchemaName", ""),
            table_name=r.get("TableName", ""),
            full_load_rows=int(r.get("FullLoadRows") or 0),
            inserts=int(r.get("Inserts") or 0),
            updates=int(r.get("Updates") or 0),
            deletes=int(r.get("Deletes") or 0),
            table_state=r.get("TableState"),
        )
        for r in rows
    )


def task_status(client: Any, pipeline: Pipeline) -> TaskStatus:
    identifier, arn = pipeline.task_identifier, pipeline.task_arn
    try:
        task = describe_task(client, arn, identifier)
    except AwsCallError as exc:
        return TaskStatus(identifier, arn, problems=(exc.message,))
    if task is None:
        return TaskStatus(identifier, arn, problems=(f"DMS task {identifier} ({arn}) does not exist",))
    try:
        tables = table_statistics(client, arn, identifier)
        problems: tuple[str, ...] = ()
    except AwsCallError as exc:
        tables, problems = (), (exc.message,)
    return TaskStatus(
        identifier, arn, status=task.get("Status"), stop_reason=task.get("StopReason"), tables=tables, problems=problems
    )


def to_text(report: StatusReport) -> str:
    lines: list[str] = []
    for pipeline in report.pipelines:
        lines.append(f"{pipeline.task_identifier} ({pipeline.region}): {_verdict(pipeline)}")
        for connector in pipeline.connectors:
            lines += _connector_lines(connector)
        task = pipeline.task
        stop = f" (stop reason: {task.stop_reason})" if task.stop_reason else ""
        lines.append(f"  DMS task {task.identifier}: {task.status or 'unknown'}{stop}, {len(task.tables)} table(s)")
        lines += [f"    ! {p}" for p in task.problems]
    return "\n".join(lines) + "\n"


def _verdict(pipeline: PipelineStatus) -> str:
    """DIFFERS only for what was read and differs; what could not be read is unknown, not a difference."""
    if any(_known_to_differ(c) for c in pipeline.connectors):
        return "DIFFERS"
    if any(c.problems for c in pipeline.connectors) or pipeline.task.problems:
        return "UNKNOWN (not everything could be read)"
    return "as OUT says" if pipeline.healthy else "DIFFERS"


def _known_to_differ(connector: ConnectorStatus) -> bool:
    if connector.exists is None:
        return False
    return connector.exists is False or not replace(connector, problems=()).healthy


def _connector_lines(connector: ConnectorStatus) -> list[str]:
    if connector.exists is False:
        return [f"  {connector.name}: does not exist"]
    lines = [f"  {connector.name}: {connector.state or 'unknown'}" + (" ok" if connector.healthy else "")]
    if connector.state_description:
        lines.append(f"    state: {connector.state_description}")
    operation = connector.latest_operation
    if operation is not None:
        mark = "FAILED " if operation.failed else ""
        error = f": {operation.error}" if operation.error else ""
        lines.append(f"    latest operation: {mark}{operation.operation_type} {operation.state}{error}")
    lines += [f"    plugin {p}" for p in connector.plugins]
    for change in (*connector.differences, *connector.worker_differences):
        lines.append(f"    differs: {change.path}: live {change.before!r}, OUT {change.after!r}")
    paths = {c.path.split("[", 1)[0] for c in connector.differences}
    if {"capacity", "connector_configuration"} <= paths:
        # MSK Connect's UpdateConnector changes capacity or configuration in one call, never both.
        lines.append("    note: capacity and configuration both differ; one update changes only one of them")
    lines += [f"    ! {p}" for p in connector.problems]
    return lines


__all__ = [
    "ConnectorStatus",
    "OperationStatus",
    "PipelineStatus",
    "StatusReport",
    "TaskStatus",
    "read_status",
    "select_pipelines",
    "to_text",
]
