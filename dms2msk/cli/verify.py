"""``dms2msk verify OUT``: offline checks of the rendered connectors, optionally a live run against a database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_ERROR, EXIT_OK
from .options import DEFAULT_INVENTORY, echo_json, format_option, handle_errors


@click.command("verify")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--task", default=None, help="Only this task (identifier or pipeline key).")
@click.option(
    "--source-url",
    default=None,
    envvar="DMS2MSK_SOURCE_URL",
    help="Run the source connector against this database (postgresql://user:password@host:port/db); "
    "may also come from DMS2MSK_SOURCE_URL so the password stays out of the shell history.",
)
@click.option("--seconds", default=60.0, show_default=True, help="Longest time the live run may take.")
@click.option("--max-events", default=10000, show_default=True, help="Stop the live run after this many records.")
@click.option(
    "-i",
    "--inventory",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_INVENTORY,
    show_default=True,
    help="Inventory with the task's DMS table mappings (live run only).",
)
@format_option("text", "json")
@handle_errors
def cli(
    out: Path,
    task: str | None,
    source_url: str | None,
    seconds: float,
    max_events: int,
    inventory: Path,
    output_format: str,
) -> None:
    """Check the connectors in OUT with the real Debezium classes (needs `pip install '.[verify]'` in the clone).

    Offline: every property against the Debezium version's catalog, the
    connector's own config validation and every SMT configured for real.
    With --source-url: the source connector runs on the embedded Debezium
    engine for a bounded time; per table, what it captured (table, columns,
    key, target name) is compared with what the DMS rules replicate. Any
    difference exits non-zero. The live run creates only a verify slot and
    publication, and drops both.
    """
    from ..model import load_inventory, to_jsonable
    from ..verify import render_text, verify

    inventory_data = load_inventory(inventory) if source_url else None
    report = verify(
        out, task=task, source_url=source_url, inventory=inventory_data, seconds=seconds, max_events=max_events
    )
    if output_format == "json":
        echo_json({"ok": report.ok, "failures": report.failures, **to_jsonable(report)})
    else:
        click.echo(render_text(report), nl=False)
    sys.exit(EXIT_OK if report.ok else EXIT_ERROR)
