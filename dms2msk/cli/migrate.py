"""``dms2msk migrate [TASK...] OUT``: the overlap cut-over, one task at a time, resumable."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_OK
from .options import echo_json, format_option, handle_errors


def do_migrate(
    out_dir: Path,
    tasks: tuple[str, ...],
    *,
    world,
    options,
    dry_run: bool = False,
    rollback: bool = False,
    output_format: str = "text",
) -> int:
    from ..migrate import Migration
    from ..model import to_jsonable

    migration = Migration(out_dir, world, options)
    if dry_run:
        calls = migration.planned_calls(tasks, rollback=rollback)
        if output_format == "json":
            echo_json({"dry_run": True, "calls": calls})
        else:
            click.echo("\n".join(["dry run: no call is made, nothing is written", *calls]))
        return EXIT_OK
    state = migration.rollback(tasks) if rollback else migration.run(tasks)
    if output_format == "json":
        echo_json(to_jsonable(state))
    else:
        for identifier, record in sorted(state.tasks.items()):
            done = [r.step for r in record.steps if r.state == "done"]
            click.echo(f"{identifier}: {', '.join(done) or 'nothing'} done; next: {record.next_step() or 'none'}")
    return EXIT_OK


@click.command("migrate")
@click.argument("tasks", nargs=-1)
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print every AWS call it would make, make none, write nothing.")
@click.option("--rollback", is_flag=True, help="Restart the stopped DMS task(s) with resume-processing.")
@click.option("--timeout", "timeout_s", type=float, default=1800.0, show_default=True, help="Seconds per wait.")
@click.option("--poll", "poll_s", type=float, default=30.0, show_default=True, help="Seconds between polls.")
@click.option(
    "--counts",
    "counts_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The target's row counts: `schema,table,count` lines (the output of the query migrate prints).",
)
@click.option("--count-command", default=None, help="A command (no shell) printing those lines, e.g. psql -A -F, -t.")
@click.option(
    "--primary-key-report",
    "primary_key_reports",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    multiple=True,
    help="The primary-key query's output, as for `dms2msk plan` (confirms the keys).",
)
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The inventory OUT was rendered from (checks OUT matches it; feeds the plan's pre-checks).",
)
@click.option("--cluster-name", default=None, help="MSK cluster of the consumer-lag metric (default: the manifest's).")
@format_option("text", "json")
@click.option("--profile", default=None, help="AWS profile.")
@click.option("--endpoint-url", default=None, help="Send DMS and CloudWatch calls to an emulator (moto server).")
@handle_errors
def cli(
    tasks: tuple[str, ...],
    out_dir: Path,
    dry_run: bool,
    rollback: bool,
    timeout_s: float,
    poll_s: float,
    counts_file: Path | None,
    count_command: str | None,
    primary_key_reports: tuple[Path, ...],
    inventory_path: Path | None,
    cluster_name: str | None,
    output_format: str,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Cut TASKs (default: every task of OUT) over from DMS to their connectors, one at a time.

    Steps, each recorded in OUT/dms2msk-migrate.json so a re-run resumes where it stopped: precheck (no plan
    blocker, keys confirmed, connectors RUNNING as OUT says, DMS task running), drain (sink consumer lag and DMS
    CDCLatencyTarget reach 0), stop (StopReplicationTask, wait until stopped), counts (DMS table statistics
    against the target's counts), handover (prints the decommission commands; nothing is deleted).

    Exit 0: done; 3: a wait timed out or counts are still needed (re-run to resume); 1: a pre-check failed or
    bad input. IAM: what `dms2msk status` needs, plus dms:StopReplicationTask (dms:StartReplicationTask for
    --rollback), cloudwatch:ListMetrics and cloudwatch:GetMetricStatistics.
    """
    from ..awscalls import default_client_factory
    from ..migrate import MigrateOptions, World
    from ..model import load_inventory

    world = World(default_client_factory(profile, endpoint_url), echo=lambda text: click.echo(text, err=True))
    options = MigrateOptions(
        timeout_s=timeout_s,
        poll_s=poll_s,
        cluster_name=cluster_name,
        counts_file=counts_file,
        count_command=count_command,
        primary_key_reports=primary_key_reports,
        inventory=load_inventory(inventory_path) if inventory_path else None,
        inventory_path=inventory_path,
    )
    sys.exit(
        do_migrate(
            out_dir,
            tasks,
            world=world,
            options=options,
            dry_run=dry_run,
            rollback=rollback,
            output_format=output_format,
        )
    )
