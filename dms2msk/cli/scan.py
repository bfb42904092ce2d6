"""``dms2msk scan``: read the DMS estate of one or more regions into an inventory file."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import click

from ..errors import EXIT_OK, EXIT_PARTIAL
from ..files import write_file
from ..scan import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_REGION_TIMEOUT,
    DEFAULT_RETRY_ATTEMPTS,
    REGION_NAMES_HINT,
    problem_hints,
)
from .options import DEFAULT_INVENTORY, echo_json, format_option, handle_errors, stderr_is_terminal


class TerminalProgress:
    """One status line on stderr, rewritten in place (only used when stderr is a terminal)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, str] = {}

    def __call__(self, event: Any) -> None:
        with self._lock:
            self._last[event.region] = "done" if event.step == "done" else f"{event.step} {event.items}"
            line = "  ".join(f"{region}: {state}" for region, state in sorted(self._last.items()))
            sys.stderr.write("\r\x1b[2K" + line[:200])
            sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def summary(inventory: Any, stats: Any, output: Path, rejected: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "inventory": str(output),
        "scanned_at": inventory.scanned_at,
        "partial": inventory.partial or bool(rejected),
        "rejected_regions": dict(rejected or {}),
        "regions": [
            {
                "region": region.region,
                "replication_instances": len(region.replication_instances),
                "endpoints": len(region.endpoints),
                "tasks": sum(1 for t in region.tasks if t.serverless is None),
                "serverless_configs": sum(1 for t in region.tasks if t.serverless is not None),
                "problems": [
                    {"operation": p.operation, "code": p.code, "message": p.message, "resource": p.resource}
                    for p in region.problems
                ],
                "unread": list(region.unread),
            }
            for region in inventory.regions
        ],
        "hints": problem_hints(p for region in inventory.regions for p in region.problems),
        "requests": {"api_calls": stats.api_calls, "http_requests": stats.http_requests, "retries": stats.retries},
        "wall_seconds": round(stats.wall_seconds, 3),
    }


def warn_rejected_regions(data: dict[str, Any]) -> None:
    """On stderr in every format: a --region that is no region name was not scanned."""
    for name, problem in data.get("rejected_regions", {}).items():
        click.secho(f"problem: {name}: not scanned: {problem}", fg="yellow", err=True)
    if data.get("rejected_regions"):
        click.echo(f"  hint: correct the --region value(s) and scan those again. {REGION_NAMES_HINT}", err=True)


def print_text_summary(data: dict[str, Any]) -> None:
    click.echo(f"wrote {data['inventory']} (scanned {data['scanned_at']})")
    click.echo(f"{'region':<18} {'instances':>9} {'endpoints':>9} {'tasks':>6} {'serverless':>10} {'problems':>8}")
    for region in data["regions"]:
        click.echo(
            f"{region['region']:<18} {region['replication_instances']:>9} {region['endpoints']:>9}"
            f" {region['tasks']:>6} {region['serverless_configs']:>10} {len(region['problems']):>8}"
        )
    requests = data["requests"]
    click.echo(
        f"{requests['http_requests']} API requests ({requests['retries']} retries) in {data['wall_seconds']:.2f}s"
    )
    for region in data["regions"]:
        for problem in region["problems"]:
            where = f" ({problem['resource']})" if problem["resource"] else ""
            click.secho(
                f"problem: {region['region']}: {problem['operation']}{where}: {problem['code']}: {problem['message']}",
                fg="yellow",
                err=True,
            )
    if data["partial"]:
        click.echo("  the inventory is partial (the regions above could not be read completely); scan again", err=True)
        for hint in data["hints"]:
            click.echo(f"  hint: {hint}", err=True)


@click.command("scan")
@click.option(
    "--region",
    "regions",
    multiple=True,
    required=True,
    help="AWS region to scan; repeat for several (scanned concurrently).",
)
@click.option("--profile", default=None, help="AWS named profile (default: the usual credential chain).")
@click.option(
    "--endpoint-url",
    default=None,
    help="Send every AWS call to this URL (an emulator such as moto server or LocalStack).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_INVENTORY,
    show_default=True,
    help="Inventory file to write (other commands read it by default).",
)
@click.option(
    "--table-statistics/--no-table-statistics",
    default=False,
    show_default=True,
    help="Also read each task's row counts (one more call per task).",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(1, 20),
    default=DEFAULT_RETRY_ATTEMPTS,
    show_default=True,
    help="Attempts per AWS call (adaptive retries absorb throttling).",
)
@click.option(
    "--connect-timeout",
    type=click.FloatRange(0.1, 300),
    default=DEFAULT_CONNECT_TIMEOUT,
    show_default=True,
    help="Seconds to open a connection to an AWS endpoint.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(0.1, 600),
    default=DEFAULT_READ_TIMEOUT,
    show_default=True,
    help="Seconds to wait for each answer; a region that times out twice is given up and reported.",
)
@click.option(
    "--region-timeout",
    type=click.FloatRange(1, 86400),
    default=DEFAULT_REGION_TIMEOUT,
    show_default=True,
    help="Seconds one region may take in all; after it, its remaining calls are abandoned and it is reported "
    "as partial while the other regions finish.",
)
@format_option("text", "json")
@handle_errors
def cli(
    regions: tuple[str, ...],
    profile: str | None,
    endpoint_url: str | None,
    output: Path,
    table_statistics: bool,
    max_attempts: int,
    connect_timeout: float,
    read_timeout: float,
    region_timeout: float,
    output_format: str,
) -> None:
    """Read the DMS estate of one or more regions into an inventory file.

    Reads replication instances, endpoints (never passwords), tasks with their table mappings and
    settings, DMS Serverless replication configs and tags. Exit status 3 when a region could not be
    read completely; the inventory is still written with what was read, and records what was not.
    Exit status 1 when no region could be read at all, or no --region is an AWS region name (checked before
    any call): the previous inventory file is left as it was. A --region that is no region name among good
    ones is reported, not called and not written, while the others scan (exit 3).
    """
    from ..model import dumps
    from ..scan import Timeouts, scan_with_stats

    progress = TerminalProgress() if stderr_is_terminal() else None
    try:
        result = scan_with_stats(
            regions,
            profile=profile,
            endpoint_url=endpoint_url,
            progress=progress,
            include_table_statistics=table_statistics,
            retry_attempts=max_attempts,
            timeouts=Timeouts(connect_timeout, read_timeout, region_timeout),
        )
    finally:
        if progress is not None:
            progress.finish()
    write_file(output, dumps(result.inventory))
    data = summary(result.inventory, result.stats, output, result.rejected_regions)
    if output_format == "json":
        echo_json(data)
    else:
        print_text_summary(data)
    warn_rejected_regions(data)
    sys.exit(EXIT_PARTIAL if data["partial"] else EXIT_OK)
