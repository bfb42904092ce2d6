"""``dms2msk render OUT``: inventory -> mapping -> Terraform root in OUT."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click

from ..errors import EXIT_OK, EXIT_PARTIAL
from .options import config_option, echo_json, format_option, handle_errors, inventory_option, stderr_is_terminal


@click.command("render")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@inventory_option
@config_option
@click.option(
    "--region",
    "region",
    metavar="REGION",
    help="Render only this region's tasks (one root configures one region's cluster); see also --all-regions.",
)
@click.option(
    "--all-regions",
    is_flag=True,
    help="Render every region of the inventory into its own root, OUT/<region>/ (each is a complete OUT for "
    "plan, cost and plugins). All roots are computed before any is written.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Render into OUT even if it holds files dms2msk did not write, or changed since: those at the paths "
    "dms2msk writes (main.tf, README.md, ...) are replaced and listed; every other file is kept.",
)
@format_option("text", "json")
@handle_errors
def cli(
    out: Path,
    inventory: Path,
    config_path: Path | None,
    region: str | None,
    all_regions: bool,
    force: bool,
    output_format: str,
) -> None:
    """Write Terraform and connector configs for the inventory into OUT.

    OUT gets a root module (versions, providers, variables, main, outputs), a
    README for this estate, the modules it calls, connectors/<name>.json,
    findings.json and the dms2msk.json manifest. OUT is replaced all at once;
    files that dms2msk did not write there (plugins/, .terraform, state, your own
    files in any subfolder) are kept. A file dms2msk did not write, or that was
    changed since, at a path it writes is refused unless --force.
    Exit status 3 when some DMS tasks were skipped (see findings.json) or the inventory is partial.
    """
    if all_regions and region is not None:
        raise click.UsageError("--region and --all-regions exclude each other")
    reports = do_render(
        out,
        inventory,
        config_path,
        force=force,
        progress=stderr_is_terminal(),
        region=region,
        all_regions=all_regions,
    )
    if output_format == "json":
        echo_json({"out": str(out), "roots": [_summary(r) for r in reports]} if all_regions else _summary(reports[0]))
    else:
        for report in reports:
            _print_text(report)
    _warn_unread(reports)
    raise SystemExit(EXIT_PARTIAL if any(report.partial for report in reports) else EXIT_OK)


def do_render(
    out: Path,
    inventory_path: Path,
    config_path: Path | None,
    *,
    force: bool,
    progress: bool,
    region: str | None = None,
    all_regions: bool = False,
) -> tuple[Any, ...]:
    """Load, map and render; the CLI's body, callable without click.

    One root in OUT (of ``region`` only, if given), or with ``all_regions`` one per region in
    OUT/<region>/; every root is computed and checked before any is written.
    """
    from ..config import load_settings
    from ..mapping import map_inventory
    from ..model import load_inventory
    from ..render import render_each

    def step(message: str) -> None:
        if progress:
            click.echo(f"- {message}", err=True)

    settings = load_settings(config_path)
    step(f"reading {inventory_path}")
    inventory = load_inventory(inventory_path)
    if all_regions:
        if not inventory.regions:
            from ..errors import InputError

            raise InputError(
                f"{inventory_path} has no region", hint="scan at least one region: dms2msk scan --region R"
            )
        targets = [(only_region(inventory, r.region, inventory_path), out / r.region) for r in inventory.regions]
        targets.sort(key=lambda target: target[1])
    else:
        targets = [(only_region(inventory, region, inventory_path) if region else inventory, out)]
    jobs = []
    for regional, destination in targets:
        step(f"mapping DMS tasks to Debezium connectors for {destination}")
        result = map_inventory(regional, settings)
        step(f"rendering {len(result.pipelines)} pipeline(s) into {destination}")
        jobs.append((result, regional, destination))
    return render_each(jobs, settings, force=force, config_file=str(config_path) if config_path else "--config FILE")


def only_region(inventory: Any, region: str, inventory_path: Path) -> Any:
    """The inventory cut down to one region; an InputError naming the regions it has otherwise."""
    import dataclasses

    from ..errors import InputError

    kept = tuple(r for r in inventory.regions if r.region == region)
    if not kept:
        have = ", ".join(sorted(r.region for r in inventory.regions)) or "none"
        raise InputError(
            f"{inventory_path} has no region {region} (it has: {have})",
            hint="pick one of those regions, or scan that region first: dms2msk scan --region " + region,
        )
    return dataclasses.replace(inventory, regions=kept)


def _summary(report: Any) -> dict[str, Any]:
    return {
        "out": str(report.out_dir),
        "region": report.region,
        "pipelines": list(report.pipelines),
        "connectors": list(report.connectors),
        "skipped": [{"task": s.task_identifier, "region": s.region, "reason": s.reason} for s in report.skipped],
        "findings": len(report.findings),
        "findings_file": str(report.findings_path),
        "unread": {region: list(kinds) for region, kinds in (report.unread or {}).items()},
        "partial": report.partial,
        "replaced": list(report.replaced),
        "recovered": list(report.recovered),
    }


def _print_text(report: Any) -> None:
    for note in report.recovered:
        click.echo(f"Recovered: {note}", err=True)
    if report.replaced:
        click.echo(f"Replaced {len(report.replaced)} file(s) dms2msk did not write (--force):", err=True)
        for path in report.replaced:
            click.echo(f"  {report.out_dir / path}", err=True)
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
    out = shlex.quote(str(report.out_dir))
    click.echo(f"Next: dms2msk plugins build {out}; cd {out} && terraform init")


def _warn_unread(reports: tuple[Any, ...]) -> None:
    """On stderr in every format: the inventory's gaps carry into the render."""
    unread = {region: kinds for report in reports for region, kinds in (report.unread or {}).items()}
    for region, kinds in sorted(unread.items()):
        click.secho(
            f"partial: the inventory of {region} is incomplete ({', '.join(kinds)}); tasks it could not read are "
            f"not rendered, and plan proposes no decommission there. Re-run `dms2msk scan --region {region}` "
            "until it exits 0, then render again.",
            fg="yellow",
            err=True,
        )
