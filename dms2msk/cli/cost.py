"""``dms2msk cost [-i INVENTORY] [OUT]``: today's DMS bill against the MSK estate replacing it."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, ToolError
from ..files import write_file
from ..outdir import MANIFEST_NAME, read_manifest
from .options import config_option, format_option, handle_errors, inventory_option


def root_regions(mapping: Any) -> tuple[str, ...]:
    """The regions an OUT root configures: those of its pipelines and skipped tasks (one per root)."""
    return tuple(sorted({p.region for p in mapping.pipelines} | {s.region for s in mapping.skipped}))


def _assumptions(hours_per_month: str | None, assume: tuple[str, ...]) -> Any:
    from ..cost import Assumptions, parse_assumption

    assumptions = Assumptions()
    named = {item.partition("=")[0].strip().replace("_", "-"): item for item in assume}
    if hours_per_month is not None:
        if "hours-per-month" in named:
            raise click.UsageError(
                "--hours-per-month and --assume hours-per-month=N both set the hours: pass only --assume"
            )
        assumptions = parse_assumption(assumptions, "hours-per-month", hours_per_month)
    for item in assume:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--assume {item!r} is not NAME=VALUE", hint="e.g. --assume connector-log-gb-per-month=5")
        assumptions = parse_assumption(assumptions, name, value)
    return assumptions


def _scope_to_root(out_dir: Path, mapping: Any, regions: tuple[str, ...]) -> tuple[str, ...]:
    """Only the root's own region(s): an ``--all-regions`` root OUT/<region> holds one region's pipelines.

    Without this the other regions' tasks of a shared inventory would look unmapped and be
    priced as staying on DMS.
    """
    own = root_regions(mapping)
    if not own:
        return regions
    outside = [r for r in regions if r not in own]
    if outside:
        sibling = out_dir.parent / outside[0]
        hint = (
            f"price that region's root instead: dms2msk cost {sibling}"
            if (sibling / MANIFEST_NAME).is_file()
            else f"leave out --region, or render every region's root: dms2msk render {out_dir.parent} --all-regions"
        )
        raise InputError(f"--region {', '.join(outside)}: {out_dir} configures {', '.join(own)} only", hint=hint)
    return regions or own


def do_cost(
    *,
    inventory_path: Path,
    out_dir: Path | None,
    config_path: Path | None,
    regions: tuple[str, ...],
    prices: tuple[str, ...],
    fallback_region: str | None,
    hours_per_month: str | None,
    assume: tuple[str, ...],
    cache_dir: Path | None,
    profile: str | None,
) -> Any:
    from ..config import load_settings
    from ..cost import check_regions, cost_report, load_bundled_catalog
    from ..model import load_inventory

    assumptions = _assumptions(hours_per_month, assume)
    inventory = load_inventory(inventory_path)
    check_regions(inventory, load_bundled_catalog(), regions, None)  # a misspelt --region first
    if out_dir is not None:
        manifest = read_manifest(
            out_dir,
            missing_hint=f"run `dms2msk render {shlex.quote(str(out_dir))}` first, "
            "or leave OUT out to map the inventory",
        )
        settings, mapping = manifest.settings, manifest.mapping
        regions = _scope_to_root(out_dir, mapping, regions)
        if config_path is not None:
            settings = load_settings(config_path)  # a what-if sizing over the rendered pipelines
    else:
        settings = load_settings(config_path)
        try:
            from ..mapping import map_inventory
        except ImportError as exc:
            raise ToolError(
                f"the map stage is not available in this installation ({exc})",
                hint="pass OUT (a folder written by `dms2msk render`) to price what it holds",
            ) from None
        mapping = map_inventory(inventory, settings)
    report = cost_report(
        inventory,
        mapping,
        settings,
        prices=prices,
        assumptions=assumptions,
        regions=regions or None,
        fallback_region=fallback_region,
        cache_dir=cache_dir,
        profile=profile,
    )
    # A task skipped, or a kind left unread, in a region this report does not cover does not make it partial.
    covered = set(report.regions)
    skipped_here = any(s.region in covered for s in mapping.skipped) if covered else mapping.partial
    regions_here = [r for r in inventory.regions if not covered or r.region in covered]
    unread = {r.region: r.incomplete_kinds for r in regions_here if r.incomplete_kinds}
    scan_partial = any(r.problems or r.unread for r in regions_here)
    return report, not report.complete or scan_partial or skipped_here, unread


@click.command("cost")
@click.argument("out", type=click.Path(file_okay=False, exists=True, path_type=Path), required=False)
@inventory_option
@config_option
@click.option("--region", "regions", multiple=True, help="Only this region (repeatable). Default: every region.")
@click.option(
    "--prices",
    multiple=True,
    default=("bundled",),
    show_default=True,
    help="bundled (shipped, generated from AWS's pricing-page files), live (AWS Price List API, cached per day), "
    "an AWS pricing-page file (msk, databasemigrationsvc, secretsmanager or cloudwatch JSON; its service's prices "
    "replace the bundled ones), or a catalog JSON file. Repeatable: applied in order.",
)
@click.option(
    "--fallback-region",
    default=None,
    help="Use this region's figures where the priced region has none, marked ~ (e.g. us-east-1).",
)
@format_option("text", "md", "json", "html")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the break-even chart: FILE.svg, or FILE.png (needs cairosvg: pip install '.[png]' in the clone).",
)
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--hours-per-month", default=None, hidden=True)  # kept for old scripts: --assume hours-per-month=N
@click.option("--assume", multiple=True, metavar="NAME=VALUE", help="Override an assumption (repeatable).")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where --prices live caches prices-<date>.json (default: $DMS2MSK_CACHE_DIR or ~/.cache/dms2msk).",
)
@click.option("--profile", default=None, help="AWS profile for --prices live.")
@handle_errors
def cli(
    out: Path | None,
    inventory: Path,
    config_path: Path | None,
    regions: tuple[str, ...],
    prices: tuple[str, ...],
    fallback_region: str | None,
    output_format: str,
    chart_path: Path | None,
    output_path: Path | None,
    hours_per_month: str | None,
    assume: tuple[str, ...],
    cache_dir: Path | None,
    profile: str | None,
) -> None:
    """Compare the monthly cost of the DMS estate with the MSK estate replacing it.

    Today's side comes from the inventory: each replication instance (class,
    Multi-AZ, storage beyond what the class includes), each DMS Serverless
    config (DCUs), split over the tasks it runs. The proposed side comes from
    OUT/dms2msk.json when OUT is given, otherwise from mapping the inventory
    with --config: the MSK cluster, MSK Connect workers, new secrets and logs.
    Prints per pipeline and in total, with the break-even number of pipelines.

    \b
    Assumptions (--assume NAME=VALUE): hours-per-month, connector-log-gb-per-month,
    dms-task-log-gb-per-month, log-retention-days, data-gb-per-pipeline-month,
    topic-retention-days, partitions-per-topic, topics-per-pipeline, dms-serverless-dcu.

    Exit code 3 when some figure is unknown (the report marks it and says how to supply it).
    """
    from ..cost import chart_png, chart_svg, format_report

    chart_kind = chart_path.suffix.lower() if chart_path is not None else None
    if chart_kind not in (None, ".svg", ".png"):
        raise InputError(f"--chart {chart_path}: charts are written as SVG or PNG", hint="end the path in .svg or .png")
    report, partial, unread = do_cost(
        inventory_path=inventory,
        out_dir=out,
        config_path=config_path,
        regions=regions,
        prices=prices,
        fallback_region=fallback_region,
        hours_per_month=hours_per_month,
        assume=assume,
        cache_dir=cache_dir,
        profile=profile,
    )
    text = format_report(report, output_format)
    if output_path is not None:
        write_file(output_path, text)
        click.echo(f"wrote {output_path}", err=True)
    else:
        click.echo(text, nl=False)
    if chart_path is not None:
        write_file(chart_path, chart_png(report) if chart_kind == ".png" else chart_svg(report))
        click.echo(f"wrote {chart_path}", err=True)
    if partial:
        click.echo("some figures are unknown or some tasks were not mapped; the report marks them", err=True)
    for region, kinds in unread.items():
        click.echo(
            f"partial: the inventory of {region} is incomplete ({', '.join(kinds)}); DMS resources the scan could "
            "not read are not priced",
            err=True,
        )
    sys.exit(EXIT_PARTIAL if partial else EXIT_OK)
