"""``dms2msk plan OUT``: what applying OUT changes, and the ordered cut-over off DMS."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from ..files import write_file
from .options import DEFAULT_INVENTORY, format_option, handle_errors


def do_plan(
    out_dir: Path,
    inventory_path: Path | None,
    state: Path | None,
    live: bool,
    previous_inventory_path: Path | None,
    output_format: str,
    output: Path | None,
    profile: str | None,
    primary_key_reports: tuple[Path, ...] = (),
) -> int:
    from ..model import load_inventory
    from ..plan import plan, summary, to_json, to_markdown
    from ..plan.report import exit_code

    if state is not None and live:
        raise InputError("--state and --live are alternatives", hint="pass one source of the existing estate")
    if inventory_path is None and DEFAULT_INVENTORY.is_file():
        inventory_path = DEFAULT_INVENTORY  # the file `dms2msk scan` writes, when it is there
    inventory = load_inventory(inventory_path) if inventory_path is not None else None
    previous = load_inventory(previous_inventory_path) if previous_inventory_path is not None else None
    result = plan(
        out_dir,
        state=state,
        live=live,
        inventory=inventory,
        previous_inventory=previous,
        profile=profile,
        primary_key_reports=primary_key_reports,
    )
    report = to_json(result) if output_format == "json" else to_markdown(result)
    if output is not None:
        write_file(output, report)
        click.echo(summary(result), nl=False)
        click.echo(f"plan written to {output}")
    else:
        click.echo(report, nl=False)
        click.echo(summary(result), nl=False, err=True)
    return exit_code(result)


@click.command("plan")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Current inventory (default: {DEFAULT_INVENTORY} when it exists): decommission and stale-render checks.",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Terraform state (format 4) or `terraform show -json` output of OUT.",
)
@click.option("--live", is_flag=True, help="Read the existing connectors, plugins and worker configurations from AWS.")
@click.option(
    "--previous-inventory",
    "previous_inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Inventory of the last render: shows how the DMS estate drifted since.",
)
@format_option("md", "json")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plan here (the summary then goes to stdout).",
)
@click.option("--profile", default=None, help="AWS profile for --live.")
@click.option(
    "--primary-key-report",
    "primary_key_reports",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Output of the primary-key query the plan prints per task (repeatable; one file may hold many tasks): "
    "CSV/TSV with or without header (`psql -A -F, -t`, `psql --csv`, `mysql -B`, a spreadsheet export) or JSON "
    '[{"dms_task", "schema", "table"}]. A task it covers is blocked only by the captured tables it lists.',
)
@handle_errors
def cli(
    out_dir: Path,
    inventory_path: Path | None,
    state: Path | None,
    live: bool,
    previous_inventory_path: Path | None,
    output_format: str,
    output: Path | None,
    profile: str | None,
    primary_key_reports: tuple[Path, ...],
) -> None:
    """Diff the rendered estate in OUT against what exists and write a migration plan.

    Each task's cut-over needs a key in every captured table: the plan prints a query per task; run it on the
    source database and pass its output with --primary-key-report to replace the "unverified" blocker.

    Exit 0: nothing to change; 4: changes to apply; 3: partial (something could not be read); 1: bad input
    (e.g. an unreadable or malformed report). Primary-key report rows naming a task the estate lacks are
    warnings: listed under Problems, they leave the exit code as it is.
    """
    sys.exit(
        do_plan(
            out_dir,
            inventory_path,
            state,
            live,
            previous_inventory_path,
            output_format,
            output,
            profile,
            primary_key_reports,
        )
    )
