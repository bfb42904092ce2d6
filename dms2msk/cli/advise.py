"""``dms2msk advise [-i INVENTORY] [--config FILE] [--format text|json|md]``: what each DMS rule became."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_OK, EXIT_PARTIAL
from .options import config_option, format_option, handle_errors, inventory_option


def do_advise(inventory_path: Path, config_path: Path | None, output_format: str) -> int:
    """Map the inventory, print the report to stdout, return the exit code (3 when a task was skipped)."""
    from ..advise import build_advice, format_advice
    from ..config import load_settings
    from ..model import load_inventory

    inventory = load_inventory(inventory_path)
    settings = load_settings(config_path)
    report = build_advice(inventory, settings)
    click.echo(format_advice(report, output_format), nl=False)
    skipped = [t.task for t in report.tasks if t.status == "skipped"]
    if skipped:
        click.secho(f"skipped: {', '.join(skipped)} (see the blocker findings above)", fg="yellow", err=True)
    for region, kinds in report.unread.items():
        click.secho(f"partial: the inventory of {region} is incomplete ({', '.join(kinds)})", fg="yellow", err=True)
    return EXIT_PARTIAL if report.partial else EXIT_OK


@click.command("advise")
@inventory_option
@config_option
@format_option("text", "json", "md")
@handle_errors
def cli(inventory: Path, config_path: Path | None, output_format: str) -> None:
    """Report, for every task and every rule and setting, what it became or why it could not.

    Each line carries a severity (info, warning, blocker); each task ends with a
    fidelity summary. Exit status 3 when a task could not be mapped at all, or the inventory is partial
    (a region the scan could not read completely).
    """
    sys.exit(do_advise(inventory, config_path, output_format))
