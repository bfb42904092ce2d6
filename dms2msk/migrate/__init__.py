"""``dms2msk migrate``: the overlap cut-over of DMS tasks onto their connectors, one task at a time, resumable.

Steps per task (``state.STEPS``), each recorded in ``OUT/dms2msk-migrate.json`` when it is done:

1. ``precheck``: no plan blocker for the task (keys confirmed), both connectors exist and are RUNNING with
   OUT's configuration and capacity and their latest operation did not fail, the DMS task is running.
2. ``drain``: wait until the sink's consumer lag (AWS/Kafka ``SumOffsetLag`` of group ``connect-<sink>``) and
   DMS's ``CDCLatencyTarget`` are both 0 (CloudWatch).
3. ``stop``: StopReplicationTask, then wait until DMS says ``stopped``.
4. ``counts``: DMS's table statistics against the target's row counts (``--counts FILE`` or
   ``--count-command CMD``; without either the query to run is printed and the step waits).
5. ``handover``: prints the decommission commands; nothing is deleted here.

``--rollback`` restarts a stopped task with ``resume-processing``. Nothing irreversible happens in this module.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..awscalls import THROTTLED_CODES, AwsCallError, ClientFactory, call, pages
from ..errors import EXIT_PARTIAL, Dms2mskError, InputError
from ..model import Inventory, Pipeline, TableStatistic
from ..plan.desired import DesiredEstate, load_desired
from ..status import connector_status, describe_task, select_pipelines, table_statistics
from .state import DONE, STARTED, STEPS, MigrationState, StepRecord, TaskRecord, load_state, save_state

LAG_METRIC = ("AWS/Kafka", "SumOffsetLag")
LATENCY_METRIC = ("AWS/DMS", "CDCLatencyTarget")
METRIC_WINDOW = dt.timedelta(minutes=10)


class MigrateBlocked(Dms2mskError):
    """A pre-condition does not hold; nothing was changed by this step."""


class MigrateIncomplete(Dms2mskError):
    """A step could not finish yet (a timeout, counts still needed); re-running resumes it."""

    exit_code = EXIT_PARTIAL


@dataclass(frozen=True)
class MigrateOptions:
    timeout_s: float = 1800.0
    poll_s: float = 30.0
    cluster_name: str | None = None  # default: the manifest's [cluster] name
    counts_file: Path | None = None
    count_command: str | None = None
    primary_key_reports: tuple[Path, ...] = ()
    inventory: Inventory | None = None
    inventory_path: Path | None = None  # where ``inventory`` was read, for the re-render hint


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _run_command(argv: list[str]) -> str:
    try:  # the user's own command, run without a shell
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(
            f"count command {shlex.join(argv)} could not run: {exc}",
            hint="pass a command printing `schema,table,count` lines, e.g. --count-command 'psql -A -F, -t -f q.sql'",
        ) from None
    if done.returncode != 0:
        raise InputError(
            f"count command {shlex.join(argv)} exited with {done.returncode}: {done.stderr.strip()[:300]}",
            hint="run it by hand until it prints `schema,table,count` lines, then re-run migrate",
        )
    return done.stdout


@dataclass
class World:
    """Everything outside the process: AWS clients, clocks, the terminal and the user's count command."""

    client_factory: ClientFactory
    echo: Callable[[str], None]
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], dt.datetime] = _utc_now
    run_command: Callable[[list[str]], str] = _run_command
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self.clients:
            self.clients[key] = self.client_factory(service, region)
        return self.clients[key]


class Migration:
    """The cut-over of OUT's tasks; ``run``, ``rollback`` and ``planned_calls`` (``--dry-run``)."""

    def __init__(self, out_dir: Path, world: World, options: MigrateOptions | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.world = world
        self.options = options or MigrateOptions()
        self.desired: DesiredEstate = load_desired(self.out_dir)
        self.state: MigrationState = load_state(self.out_dir)

    # ------------------------------------------------------------------ selection and guards

    def pipelines(self, tasks: Sequence[str]) -> list[Pipeline]:
        chosen = select_pipelines(self.desired, tasks)
        for pipeline in chosen:
            self._check_same_estate(pipeline)
        return chosen

    def _check_same_estate(self, pipeline: Pipeline) -> None:
        """OUT (and the inventory) must be the estate the recorded steps ran against."""
        recorded = self.state.tasks.get(pipeline.task_identifier)
        if recorded is not None and recorded.task_arn != pipeline.task_arn:
            raise InputError(
                f"{self.out_dir} was rendered from another inventory since the cut-over of "
                f"{pipeline.task_identifier} started: the state names task {recorded.task_arn}, OUT names "
                f"{pipeline.task_arn}",
                hint="migrate from the OUT the cut-over started with, or move dms2msk-migrate.json aside",
            )
        inventory = self.options.inventory
        if inventory is not None:
            arns = {t.arn for region in inventory.regions for t in region.tasks}
            if pipeline.task_arn not in arns:
                raise InputError(
                    f"{self.out_dir} was rendered from another inventory: task {pipeline.task_identifier} "
                    f"({pipeline.task_arn}) is not in the inventory scanned at {inventory.scanned_at}",
                    hint=f"pass the inventory OUT was rendered from, or re-render OUT from this one: "
                    f"`{self._render_command()}`",
                )

    def _render_command(self) -> str:
        path = self.options.inventory_path
        inventory = f" -i {shlex.quote(str(path))}" if path is not None else ""
        return f"dms2msk render {shlex.quote(str(self.out_dir))}{inventory}"

    # ------------------------------------------------------------------ the cut-over

    def run(self, tasks: Sequence[str]) -> MigrationState:
        for pipeline in self.pipelines(tasks):
            record = self.state.task(pipeline.task_identifier, pipeline.task_arn)
            while (step := record.next_step()) is not None:
                self.world.echo(f"{pipeline.task_identifier}: {step}")
                detail = STEP_RUNNERS[step](self, pipeline)
                record = self._record(pipeline, step, DONE, detail)
                self.world.echo(f"{pipeline.task_identifier}: {step} done: {detail}")
        return self.state

    def _record(self, pipeline: Pipeline, step: str, state: str, detail: str = "") -> TaskRecord:
        record = self.state.task(pipeline.task_identifier, pipeline.task_arn)
        record = record.with_step(StepRecord(step, state, self.world.now().isoformat(), detail))
        self.state = self.state.with_task(record)
        if not self.state.task_arns:
            self.state = MigrationState(
                task_arns=tuple(sorted(p.task_arn for p in self.desired.mapping.pipelines)), tasks=self.state.tasks
            )
        save_state(self.out_dir, self.state)
        return record

    def precheck(self, pipeline: Pipeline) -> str:
        problems = self._blockers(pipeline) + self._connector_problems(pipeline)
        task = self._task(pipeline)
        if task.get("Status") != "running":
            problems.append(
                f"DMS task {pipeline.task_identifier} is {task.get('Status')!r}: the overlap needs it running"
            )
        if problems:
            raise MigrateBlocked(
                f"{pipeline.task_identifier}: the cut-over cannot start:\n  - " + "\n  - ".join(problems),
                hint=f"see `dms2msk status {self.out_dir} --task {pipeline.task_identifier}` and "
                f"`dms2msk plan {self.out_dir}`; fix, then re-run the same migrate command",
            )
        return "no blocker; connectors RUNNING as OUT says; DMS task running"

    def _blockers(self, pipeline: Pipeline) -> list[str]:
        from ..plan import plan

        result = plan(
            self.out_dir, inventory=self.options.inventory, primary_key_reports=self.options.primary_key_reports
        )
        return [
            f"blocker {b.code}: {b.message}" for b in result.blockers if b.task_identifier == pipeline.task_identifier
        ]

    def _connector_problems(self, pipeline: Pipeline) -> list[str]:
        client = self.world.client("kafkaconnect", pipeline.region)
        problems: list[str] = []
        for connector in pipeline.connectors:
            want = self.desired.connectors[connector.name]
            status = connector_status(client, want, self.desired.worker_configuration)
            if status.problems:
                raise MigrateBlocked(
                    f"{connector.name} could not be read: {'; '.join(status.problems)}",
                    hint="grant the named IAM action and re-run the same migrate command",
                )
            if status.exists is False:
                problems.append(f"connector {connector.name} does not exist (apply OUT first: terraform apply)")
                continue
            if status.state != "RUNNING":
                problems.append(f"connector {connector.name} is {status.state}, not RUNNING")
            operation = status.latest_operation
            if operation is not None and operation.failed:
                problems.append(
                    f"connector {connector.name}'s latest operation {operation.operation_type} ended "
                    f"{operation.state}" + (f": {operation.error}" if operation.error else "")
                )
            for change in (*status.differences, *status.worker_differences):
                problems.append(f"connector {connector.name} differs from OUT: {change.path}")
        return problems

    def _task(self, pipeline: Pipeline) -> dict[str, Any]:
        dms = self.world.client("dms", pipeline.region)
        task = describe_task(dms, pipeline.task_arn, pipeline.task_identifier)
        if task is None:
            raise MigrateBlocked(
                f"DMS task {pipeline.task_identifier} ({pipeline.task_arn}) does not exist in {pipeline.region}",
                hint=f"OUT may be rendered from another inventory: re-scan and `{self._render_command()}`",
            )
        return task

    def drain(self, pipeline: Pipeline) -> str:
        def reading() -> tuple[bool, str]:
            lag = self._sink_lag(pipeline)
            latency = self._metric_sum(pipeline.region, LATENCY_METRIC, _task_dimensions(pipeline))
            text = f"sink lag {_shown(lag)}, DMS CDCLatencyTarget {_shown(latency)} s"
            return lag == 0 and latency == 0, text

        return self._wait(pipeline, "sink lag and DMS target latency reach 0", reading)

    def _sink_lag(self, pipeline: Pipeline) -> float | None:
        if pipeline.sink is None:
            return 0.0
        cluster = self.options.cluster_name or self.desired.settings.cluster.name
        dimensions = [
            {"Name": "Cluster Name", "Value": cluster},
            {"Name": "Consumer Group", "Value": f"connect-{pipeline.sink.name}"},
        ]
        return self._metric_sum(pipeline.region, LAG_METRIC, dimensions)

    def _metric_sum(self, region: str, metric: tuple[str, str], dimensions: list[dict[str, str]]) -> float | None:
        """The newest Maximum of every metric of this name and dimensions, summed; None: no datapoint yet."""
        cloudwatch = self.world.client("cloudwatch", region)
        namespace, name = metric
        try:
            found = pages(
                cloudwatch, "cloudwatch", "list_metrics", "Metrics", "NextToken",
                Namespace=namespace, MetricName=name, Dimensions=dimensions,
            )  # fmt: skip
            unique = {json.dumps(m.get("Dimensions") or [], sort_keys=True): m for m in found}  # one per dimension set
            total = 0.0
            for item in unique.values():
                value = self._newest(cloudwatch, namespace, name, item.get("Dimensions") or [])
                if value is None:
                    return None
                total += value
        except AwsCallError as exc:
            if exc.code in THROTTLED_CODES:
                return None  # a throttled poll is a poll without an answer: the next one asks again
            raise
        return total if found else None

    def _newest(self, cloudwatch: Any, namespace: str, name: str, dimensions: list[dict[str, str]]) -> float | None:
        now = self.world.now()
        answer = call(
            cloudwatch, "cloudwatch", "get_metric_statistics",
            Namespace=namespace, MetricName=name, Dimensions=dimensions,
            StartTime=now - METRIC_WINDOW, EndTime=now, Period=60, Statistics=["Maximum"],
        )  # fmt: skip
        points = sorted(answer.get("Datapoints") or [], key=lambda p: p["Timestamp"])
        return float(points[-1]["Maximum"]) if points else None

    def _wait(self, pipeline: Pipeline, goal: str, reading: Callable[[], tuple[bool, str]]) -> str:
        deadline = self.world.monotonic() + self.options.timeout_s
        while True:
            reached, text = reading()
            if reached:
                return text
            left = deadline - self.world.monotonic()
            if left <= 0:
                raise MigrateIncomplete(
                    f"{pipeline.task_identifier}: waited {self.options.timeout_s:.0f} s until {goal}; now {text}",
                    hint=f"re-run `dms2msk migrate {pipeline.task_identifier} {self.out_dir}` to keep waiting "
                    "(finished steps are not repeated), or raise --timeout",
                )
            self.world.echo(f"  waiting until {goal}: {text} ({left:.0f} s left)")
            self.world.sleep(min(self.options.poll_s, max(left, 0.0)))

    def stop(self, pipeline: Pipeline) -> str:
        self._record(pipeline, "stop", STARTED, "StopReplicationTask")
        dms = self.world.client("dms", pipeline.region)
        status = self._task(pipeline).get("Status")
        if status == "running":
            call(dms, "dms", "stop_replication_task", pipeline.task_identifier, ReplicationTaskArn=pipeline.task_arn)
            self.world.echo(f"  StopReplicationTask {pipeline.task_identifier} requested")
        elif status not in ("stopping", "stopped"):
            raise MigrateBlocked(
                f"DMS task {pipeline.task_identifier} is {status!r}: it can be neither stopped nor waited for",
                hint=f"see `aws dms describe-replication-tasks --region {pipeline.region}`; re-run once it is running "
                "or stopped",
            )
        stopped: dict[str, Any] = {}

        def reading() -> tuple[bool, str]:
            stopped.update(self._task(pipeline))
            return stopped.get("Status") == "stopped", f"DMS task {stopped.get('Status')}"

        text = self._wait(pipeline, "the DMS task is stopped", reading)
        reason = stopped.get("StopReason")
        return text + (f" ({reason})" if reason else "")

    def counts(self, pipeline: Pipeline) -> str:
        dms = self.world.client("dms", pipeline.region)
        statistics = table_statistics(dms, pipeline.task_arn, pipeline.task_identifier)
        counted = self._target_counts(pipeline, statistics)
        return compare_counts(pipeline, statistics, counted, self.out_dir)

    def _target_counts(self, pipeline: Pipeline, statistics: Sequence[TableStatistic]) -> dict[tuple[str, str], int]:
        if self.options.counts_file is not None:
            try:
                text = self.options.counts_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(f"--counts {self.options.counts_file}: {exc.strerror}") from None
            return parse_counts(text, str(self.options.counts_file))
        if self.options.count_command:
            argv = shlex.split(self.options.count_command)
            return parse_counts(self.world.run_command(argv), f"--count-command {self.options.count_command!r}")
        raise MigrateIncomplete(
            f"{pipeline.task_identifier}: the target's row counts are needed. Run on the target database:\n"
            + count_query(statistics),
            hint=f"save its output (schema,table,count per line) and re-run `dms2msk migrate "
            f"{pipeline.task_identifier} {self.out_dir} --counts FILE`, or pass --count-command CMD",
        )

    def handover(self, pipeline: Pipeline) -> str:
        self.world.echo(
            f"  {pipeline.task_identifier} runs on its connectors. Decommissioning stays a separate step; when "
            "nothing needs the DMS task any more (see the plan's decommission list):"
        )
        self.world.echo(
            f"    aws dms delete-replication-task --replication-task-arn {shlex.quote(pipeline.task_arn)} "
            f"--region {shlex.quote(pipeline.region)}"
        )
        return "decommission printed, not run"

    # ------------------------------------------------------------------ roll-back and dry run

    def rollback(self, tasks: Sequence[str]) -> MigrationState:
        for pipeline in self.pipelines(tasks):
            record = self.state.task(pipeline.task_identifier, pipeline.task_arn)
            if record.state_of("stop") is None:
                raise InputError(
                    f"{pipeline.task_identifier}: migrate never stopped this DMS task, there is nothing to roll back",
                    hint=f"`dms2msk status {self.out_dir} --task {pipeline.task_identifier}` shows its state",
                )
            dms = self.world.client("dms", pipeline.region)
            if self._task(pipeline).get("Status") != "running":
                call(
                    dms, "dms", "start_replication_task", pipeline.task_identifier,
                    ReplicationTaskArn=pipeline.task_arn, StartReplicationTaskType="resume-processing",
                )  # fmt: skip

            def reading(p: Pipeline = pipeline) -> tuple[bool, str]:
                status = self._task(p).get("Status")
                return status == "running", f"DMS task {status}"

            self._wait(pipeline, "the DMS task runs again", reading)
            written = ", ".join(c.name for c in pipeline.connectors)
            self.world.echo(
                f"  {pipeline.task_identifier} resumed from where it stopped (resume-processing). The connectors "
                f"({written}) kept running: the sink already wrote every change it read since the precheck of "
                f"{record.steps[0].at if record.steps else 'this cut-over'} into the target, by upsert on the "
                "primary key, so DMS re-applying the same rows is idempotent. They keep writing until you stop them."
            )
            # A later run starts the cut-over again from its precheck: the connectors may have changed meanwhile.
            self.state = self.state.with_task(
                TaskRecord(record.task_identifier, record.task_arn, (), self.world.now().isoformat())
            )
            save_state(self.out_dir, self.state)
        return self.state

    def planned_calls(self, tasks: Sequence[str], rollback: bool = False) -> list[str]:
        """Every AWS call the run would make, in order, without making any."""
        lines: list[str] = []
        for pipeline in self.pipelines(tasks):
            record = self.state.task(pipeline.task_identifier, pipeline.task_arn)
            steps = ["rollback"] if rollback else [s for s in STEPS if record.state_of(s) != DONE]
            for step in steps:
                lines += [f"{pipeline.task_identifier} {step}: {c}" for c in PLANNED[step](self, pipeline)]
        return lines


def _task_dimensions(pipeline: Pipeline) -> list[dict[str, str]]:
    """DMS publishes task metrics under the task's resource id, the last part of its ARN."""
    return [{"Name": "ReplicationTaskIdentifier", "Value": pipeline.task_arn.rsplit(":", 1)[-1]}]


def _shown(value: float | None) -> str:
    return "unknown (no datapoint yet)" if value is None else f"{value:g}"


def parse_counts(text: str, source: str) -> dict[tuple[str, str], int]:
    """``schema,table,count`` lines (comma, tab or ``|``; ``psql -A -t`` / ``mysql -B`` output); a header is skipped."""
    counts: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        separator = next((s for s in ("\t", "|", ",") if s in line), None)
        parts = [p.strip() for p in line.split(separator)] if separator else [line]
        if len(parts) != 3:
            raise InputError(
                f"{source} line {number}: expected schema, table and count, got {line[:80]!r}",
                hint="print one `schema,table,count` line per table (comma, tab or | separated)",
            )
        if not parts[2].isdigit():
            if number == 1:
                continue  # a header line
            raise InputError(f"{source} line {number}: count {parts[2][:40]!r} is not a whole number")
        counts[(parts[0], parts[1])] = int(parts[2])
    return counts


def count_query(statistics: Sequence[TableStatistic]) -> str:
    """One SELECT per table DMS reports; the table name is the source's: point it at the target table it maps to."""
    if not statistics:
        return "  (DMS reports no table for this task)"

    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    selects = [
        f"  SELECT {literal(s.schema_name)}, {literal(s.table_name)}, COUNT(*) FROM <target table of "
        f"{s.schema_name}.{s.table_name}>"
        for s in statistics
    ]
    return "\n  UNION ALL\n".join(selects) + ";"


def compare_counts(
    pipeline: Pipeline, statistics: Sequence[TableStatistic], counted: dict[tuple[str, str], int], out_dir: Path
) -> str:
    """DMS's rows per table (full load + inserts - deletes) against the target's counts."""
    full_load = pipeline.migration_type != "cdc"
    mismatches: list[str] = []
    unverifiable: list[str] = []
    for s in statistics:
        key = (s.schema_name, s.table_name)
        if key not in counted:
            mismatches.append(f"{s.schema_name}.{s.table_name}: not in the counts")
            continue
        if not full_load:
            unverifiable.append(f"{s.schema_name}.{s.table_name}={counted[key]}")
            continue
        expected = s.full_load_rows + s.inserts - s.deletes
        if counted[key] != expected:
            mismatches.append(
                f"{s.schema_name}.{s.table_name}: target {counted[key]}, DMS {expected} "
                f"(full load {s.full_load_rows} + inserts {s.inserts} - deletes {s.deletes})"
            )
    if mismatches:
        raise MigrateIncomplete(
            f"{pipeline.task_identifier}: row counts differ:\n  - " + "\n  - ".join(mismatches),
            hint=f"investigate, or restart DMS with `dms2msk migrate --rollback {pipeline.task_identifier} "
            f"{shlex.quote(str(out_dir))}`; re-run with new counts to finish",
        )
    if unverifiable:
        return "cdc-only task: DMS's statistics hold no total to compare; target counts recorded: " + ", ".join(
            unverifiable
        )
    return f"{len(statistics)} table(s) match DMS's table statistics"


def _planned_precheck(migration: Migration, pipeline: Pipeline) -> list[str]:
    calls = []
    for connector in pipeline.connectors:
        calls += [
            f"kafkaconnect:ListConnectors connectorNamePrefix={connector.name}",
            f"kafkaconnect:DescribeConnector ({connector.name})",
            f"kafkaconnect:DescribeCustomPlugin ({connector.name}'s plugin)",
            f"kafkaconnect:DescribeWorkerConfiguration ({connector.name}'s worker configuration)",
            f"kafkaconnect:ListConnectorOperations ({connector.name})",
            f"kafkaconnect:DescribeConnectorOperation ({connector.name}'s latest)",
        ]
    return [*calls, _describe_call(pipeline)]


def _describe_call(pipeline: Pipeline) -> str:
    return f"dms:DescribeReplicationTasks Filters=replication-task-arn={pipeline.task_arn}"


def _planned_drain(migration: Migration, pipeline: Pipeline) -> list[str]:
    cluster = migration.options.cluster_name or migration.desired.settings.cluster.name
    lag = (
        f"cloudwatch:ListMetrics + GetMetricStatistics AWS/Kafka SumOffsetLag Cluster Name={cluster} "
        f"Consumer Group=connect-{pipeline.sink.name} (every {migration.options.poll_s:g} s until 0)"
        if pipeline.sink is not None
        else "(no sink: no consumer lag)"
    )
    latency = (
        "cloudwatch:ListMetrics + GetMetricStatistics AWS/DMS CDCLatencyTarget "
        f"ReplicationTaskIdentifier={_task_dimensions(pipeline)[0]['Value']} (until 0)"
    )
    return [lag, latency]


def _planned_stop(migration: Migration, pipeline: Pipeline) -> list[str]:
    return [
        _describe_call(pipeline),
        f"dms:StopReplicationTask ReplicationTaskArn={pipeline.task_arn}",
        f"{_describe_call(pipeline)} (every {migration.options.poll_s:g} s until stopped)",
    ]


def _planned_counts(migration: Migration, pipeline: Pipeline) -> list[str]:
    source = (
        f"--count-command {migration.options.count_command}"
        if migration.options.count_command
        else f"--counts {migration.options.counts_file}"
        if migration.options.counts_file
        else "(prints the count query; no call)"
    )
    return [f"dms:DescribeTableStatistics ReplicationTaskArn={pipeline.task_arn}", f"target counts: {source}"]


def _planned_handover(migration: Migration, pipeline: Pipeline) -> list[str]:
    return ["(no call: prints the decommission commands)"]


def _planned_rollback(migration: Migration, pipeline: Pipeline) -> list[str]:
    return [
        _describe_call(pipeline),
        f"dms:StartReplicationTask ReplicationTaskArn={pipeline.task_arn} StartReplicationTaskType=resume-processing",
        f"{_describe_call(pipeline)} (until running)",
    ]


STEP_RUNNERS: dict[str, Callable[[Migration, Pipeline], str]] = {
    "precheck": Migration.precheck,
    "drain": Migration.drain,
    "stop": Migration.stop,
    "counts": Migration.counts,
    "handover": Migration.handover,
}
PLANNED: dict[str, Callable[[Migration, Pipeline], list[str]]] = {
    "precheck": _planned_precheck,
    "drain": _planned_drain,
    "stop": _planned_stop,
    "counts": _planned_counts,
    "handover": _planned_handover,
    "rollback": _planned_rollback,
}

__all__ = [
    "STEPS",
    "MigrateBlocked",
    "MigrateIncomplete",
    "MigrateOptions",
    "Migration",
    "World",
    "compare_counts",
    "count_query",
    "parse_counts",
]
