"""Put the plan together: desired (OUT) against existing (state or live), plus the per-task migration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..model import USER_KINDS, Inventory, ReplicationTask
from .desired import DesiredEstate
from .diff import diff_estate, task_of_connector
from .keys import PrimaryKeyReport, check_primary_keys, load_primary_key_reports, task_label
from .migration import decommission, inventory_drift, manifest_drift, stays_on_dms, task_migration
from .types import ACTION_ORDER, PROBLEM_WARNING, Action, Blocker, ExistingEstate, MigrationPlan, PlanProblem


def make_plan(
    desired: DesiredEstate,
    existing: ExistingEstate,
    *,
    inventory: Inventory | None = None,
    previous_inventory: Inventory | None = None,
    primary_key_report: PrimaryKeyReport | None = None,
) -> MigrationPlan:
    problems: list[PlanProblem] = list(existing.problems)
    known_tasks = {t.identifier for inv in (inventory, previous_inventory) if inv for _r, t in inv.iter_tasks()}
    resources = diff_estate(desired, existing, known_tasks=known_tasks)
    rendered_tasks = {p.task_identifier for p in desired.mapping.pipelines}
    skipped = {s.task_identifier for s in desired.mapping.skipped}

    # A state holding connectors of tasks no inventory and no render knows about is another estate's, or stale.
    for diff in resources:
        if diff.action is Action.DELETE and diff.kind == "connector":
            task = diff.task_identifier or ""
            if task not in known_tasks | rendered_tasks | skipped:
                problems.append(
                    PlanProblem(
                        "state",
                        f"{existing.source} has connector {diff.name} for DMS task {task!r}, which neither the "
                        "rendered estate nor the inventory has; applying would delete it",
                        hint="if it belongs to another estate, plan that estate with its own state; otherwise pass "
                        "the inventory it came from with --previous-inventory",
                        where=diff.address,
                    )
                )
    if desired.mapping.skipped:
        problems += [
            PlanProblem(
                "manifest", f"task {s.task_identifier} ({s.region}) was not mapped: {s.reason}; it stays on DMS"
            )
            for s in desired.mapping.skipped
        ]

    problems += _unread_problems(desired, inventory)
    blockers: list[Blocker] = []
    tasks_by_arn: dict[str, tuple[object, ReplicationTask]] = {}
    if inventory is not None:
        tasks_by_arn = {t.arn: (region, t) for region, t in inventory.iter_tasks()}
        # Tasks of a region whose task list was not read completely may exist unread: not stale, unknown.
        tasks_unknown = {
            r.region for r in inventory.regions if {"replication-tasks", "replication-configs"} & set(r.users_unknown)
        }
        # One root configures one region (render --region): tasks of the other regions are another render's.
        rendered_regions = {p.region for p in desired.mapping.pipelines} | {s.region for s in desired.mapping.skipped}
        inventory_tasks = {
            t.identifier for r, t in inventory.iter_tasks() if not rendered_regions or r.region in rendered_regions
        }
        for pipeline in desired.mapping.pipelines:
            if pipeline.task_arn not in tasks_by_arn and pipeline.region not in tasks_unknown:
                blockers.append(
                    Blocker(
                        pipeline.task_identifier,
                        "render.stale",
                        f"DMS task {pipeline.task_identifier} is rendered but no longer in the inventory "
                        f"(scanned {inventory.scanned_at})",
                        ("Re-run `dms2msk render` from the current inventory, then plan again.",),
                    )
                )
        for name in sorted(inventory_tasks - rendered_tasks - skipped):
            blockers.append(
                Blocker(
                    name,
                    "render.stale",
                    f"DMS task {name} is in the inventory but not in the rendered estate",
                    ("Re-run `dms2msk render` from the current inventory, then plan again.",),
                )
            )

    pipelines = desired.mapping.pipelines
    labels = {p.key: task_label(p, pipelines) for p in pipelines}
    if primary_key_report is not None:
        problems += _unknown_report_tasks(primary_key_report, set(labels.values()), skipped)

    migrations = []
    out_dir = str(desired.out_dir)
    for pipeline in pipelines:
        region, task = tasks_by_arn.get(pipeline.task_arn, (None, None))
        own = [r for r in resources if r.pipeline == pipeline.key]
        keys = check_primary_keys(pipeline, task, primary_key_report, label=labels[pipeline.key])
        migrations.append(task_migration(pipeline, region, task, own, out_dir, keys))  # type: ignore[arg-type]
    for migration in migrations:
        blockers += migration.blockers

    deletable, retained = ([], [])
    if inventory is not None:
        # A task whose target only DMS can write keeps running on DMS: it and what it uses stay.
        cut_over = {p.task_arn for p in desired.mapping.pipelines if not stays_on_dms(p)}
        deletable, retained = decommission(inventory, cut_over)
    drift = []
    if previous_inventory is not None:
        drift = (
            inventory_drift(previous_inventory, inventory)
            if inventory is not None
            else manifest_drift(previous_inventory, desired)
        )

    counts = {action.value: sum(1 for r in resources if r.action is action) for action in ACTION_ORDER}
    counts["blockers"] = len(blockers)
    return MigrationPlan(
        tool_version=__version__,
        existing_source=existing.source,
        resources=tuple(resources),
        migrations=tuple(migrations),
        decommission=tuple(deletable),
        retained=tuple(retained),
        drift=tuple(drift),
        blockers=tuple(blockers),
        problems=tuple(problems),
        not_migrated=tuple(sorted(skipped)),
        counts=counts,
    )


def _unread_problems(desired: DesiredEstate, inventory: Inventory | None) -> list[PlanProblem]:
    """One error per region the inventory (or the render's inventory) could not read completely.

    With a root of one region (render --region), the other regions of a shared inventory are another
    root's: their gaps change nothing here.
    """
    unread = dict(desired.inventory_unread)
    rendered = {p.region for p in desired.mapping.pipelines} | {s.region for s in desired.mapping.skipped}
    if inventory is not None:
        unread.update(
            {
                r.region: r.incomplete_kinds
                for r in inventory.regions
                if r.incomplete_kinds and (not rendered or r.region in rendered)
            }
        )
    return [
        PlanProblem(
            "inventory",
            f"the DMS inventory of {region} is incomplete ({', '.join(kinds)})" + _consequence(region, kinds),
            hint=f"re-run `dms2msk scan --region {region}` until it exits 0, then `dms2msk render` and plan again",
            where=region,
        )
        for region, kinds in sorted(unread.items())
    ]


def _consequence(region: str, kinds: tuple[str, ...]) -> str:
    if not set(kinds) & set(USER_KINDS):
        return ""
    return (
        ": tasks it could not read are neither planned nor counted as stale, and no endpoint, replication "
        f"instance or subnet group of {region} is proposed for deletion, since unread tasks may use them"
    )


def _unknown_report_tasks(report: PrimaryKeyReport, labels: set[str], skipped: set[str]) -> list[PlanProblem]:
    """Rows naming a task the rendered estate lacks: a warning per task; the rest of the report still counts.

    A warning, not an error: nothing of the estate went unread, so the plan is complete (a report file shared
    between estates names tasks of both).
    """
    known = {label.lower() for label in labels} | {name.lower() for name in skipped}
    first_rows = {}
    for row in report.rows:
        if row.task.lower() not in known:
            first_rows.setdefault(row.task.lower(), row)
    return [
        PlanProblem(
            "primary-key-report",
            f"{row.source}:{row.line} names DMS task {row.task!r}, which the rendered estate does not have; "
            "its rows are ignored",
            hint="check the task label in the query (each task's query names its own task), or render that task",
            where=f"{row.source}:{row.line}",
            severity=PROBLEM_WARNING,
        )
        for row in first_rows.values()
    ]


def plan(
    out_dir: str | Path,
    *,
    state: str | Path | None = None,
    live: bool = False,
    inventory: Inventory | None = None,
    previous_inventory: Inventory | None = None,
    client_factory: object | None = None,
    profile: str | None = None,
    primary_key_reports: Sequence[str | Path] | str | Path = (),
) -> MigrationPlan:
    """Library entry point: ``dms2msk plan OUT`` without the CLI.

    ``primary_key_reports``: files holding the output of the primary-key query the plan prints per task
    (see :mod:`dms2msk.plan.keys`); a task they cover gets its blocker from them instead of "unverified".
    """
    from .desired import load_desired
    from .existing import boto3_client_factory, load_state, no_existing_state, read_live

    if isinstance(primary_key_reports, str | Path):
        primary_key_reports = [primary_key_reports]  # one file, not its characters
    report = load_primary_key_reports(primary_key_reports) if primary_key_reports else None
    desired = load_desired(out_dir)
    if state is not None:
        existing = load_state(state)
    elif live:
        factory = client_factory or boto3_client_factory(profile)
        regions = {p.region for p in desired.mapping.pipelines}
        existing = read_live(regions, factory)  # type: ignore[arg-type]
    else:
        existing = no_existing_state()
    return make_plan(
        desired, existing, inventory=inventory, previous_inventory=previous_inventory, primary_key_report=report
    )


__all__ = ["make_plan", "plan", "task_of_connector"]
