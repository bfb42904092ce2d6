"""``dms2msk status OUT``: each pipeline's connectors and DMS task, read back and compared with OUT."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import echo_json, format_option, handle_errors


def do_status(out_dir: Path, tasks: tuple[str, ...], output_format: str, client_factory) -> int:
    from ..model import to_jsonable
    from ..status import read_status, to_text

    report = read_status(out_dir, client_factory, tasks)
    if output_format == "json":
        data = to_jsonable(report)
        data["exit_code"] = report.exit_code
        for pipeline, status in zip(data["pipelines"], report.pipelines, strict=True):
            pipeline["healthy"] = status.healthy
        echo_json(data)
    else:
        click.echo(to_text(report), nl=False)
    return report.exit_code


@click.command("status")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--task", "tasks", multiple=True, help="Only this DMS task's pipeline (repeatable; default: all).")
@format_option("text", "json")
@click.option("--profile", default=None, help="AWS profile.")
@click.option("--endpoint-url", default=None, help="Send the DMS calls to an emulator (moto server).")
@handle_errors
def cli(
    out_dir: Path, tasks: tuple[str, ...], output_format: str, profile: str | None, endpoint_url: str | None
) -> None:
    """Read what runs (MSK Connect and DMS APIs) and compare it with OUT's manifest, per pipeline.

    Per connector: its state, every property and the capacity that differ from OUT, its plugin and worker
    configuration, and its latest operation (an UPDATE_FAILED or ROLLBACK_COMPLETE means it does not run what
    Terraform applied). Per DMS task: its status, stop reason and table statistics.

    Exit 0: every connector RUNNING exactly as OUT says; 4: something differs; 3: something could not be read;
    1: bad input. IAM: kafkaconnect:ListConnectors, DescribeConnector, ListConnectorOperations,
    DescribeConnectorOperation, DescribeCustomPlugin, DescribeWorkerConfiguration; dms:DescribeReplicationTasks,
    DescribeTableStatistics.
    """
    from ..awscalls import default_client_factory

    sys.exit(do_status(out_dir, tasks, output_format, default_client_factory(profile, endpoint_url)))
