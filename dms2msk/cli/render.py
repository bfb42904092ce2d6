"""``dms2msk render OUT``: inventory -> mapping -> Terraform root in OUT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import EXIT_OK, EXIT_PARTIAL
from .options import config_option, echo_json, format_option, handle_errors, inventory_option, stderr_is_terminal


@click.command("render")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@inventory_option
@config_option
@click.option("--force", is_flag=True, help="Replace OUT even if it holds files dms2msk did not write (they are kept).")
@format_option("text", "json")
@handle_errors
def cli(out: Path, inventory: Path, config_path: Path | None, force: bool, output_format: str) -> None:
    """Write Terraform and connector configs for the inventory into OUT.

    OUT gets a root module (versions, providers, variables, main, outputs), a
    README for this estate, the modules it calls, connectors/<name>.json,
    findings.json and the dms2msk.json manifest. OUT is replaced all at once;
    files that dms2msk did not write there (plugins/, .terraform, state) are kept.
    Exit status 3 when some DMS tasks were skipped (see findings.json).
    """
    report = do_render(out, inventory, config_path, force=force, progress=stderr_is_terminal())
    if output_format == "json":
        echo_json(_summary(report))
    else:
        _print_text(report)
    raise SystemExit(EXIT_PARTIAL if report.partial else EXIT_OK)


def do_render(out: Path, inventory_path: Path, config_path: Path | None, *, force: bool, progress: bool) -> Any:
    """Load, map and render; the CLI's body, callable without click."""
    from ..config import load_settings
    from ..mapping import map_inventory
    from ..model import load_inventory
    from ..render import render

    def step(message: str) -> None:
        if progress:
            click.echo(f"- {message}", err=True)

    settings = load_settings(config_path)
    step(f"reading {inventory_path}")
    inventory = load_inventory(inventory_path)
    step("mapping DMS tasks to Debezium connectors")
    result = map_inventory(inventory, settings)
    step(f"rendering {len(result.pipelines)} pipeline(s) into {out}")
    return render(
        result,
        settings,
        out,
        inventory=inventory,
        force=force,
        config_file=str(config_path) if config_path else "--config FILE",
    )


def _summary(report: Any) -> dict[str, Any]:
    return {
        "out": str(report.out_dir),
        "region": report.region,
        "pipelines": list(report.pipelines),
        "connectors": list(report.connectors),
        "skipped": [{"task": s.task_identifier, "region": s.region, "reason": s.reason} for s in report.skipped],
        "findings": len(report.findings),
        "findings_file": str(report.findings_path),
        "partial": report.partial,
    }


def _print_text(report: Any) -> None:
    click.echo(
        f"Rendered {len(report.pipelines)} pipeline(s), {len(report.connectors)} connector(s) into {report.out_dir}"
    )
    for name in report.connectors:
        click.echo(f"  {name}")
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} DMS task(s):")
        for task in report.skipped:
            click.echo(f"  {task.task_identifier} ({task.region}): {task.reason}")
    click.echo(f"{len(report.findings)} finding(s) in {report.findings_path}")
    click.echo(f"Next: dms2msk plugins build --out {report.out_dir / 'plugins'}; cd {report.out_dir} && terraform init")
