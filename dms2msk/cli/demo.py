"""``dms2msk demo [OUT]``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import EXIT_OK, EXIT_PARTIAL
from .options import config_option, echo_json, format_option, handle_errors

if TYPE_CHECKING:
    from ..demo import DemoResult


@click.command("demo")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"))
@click.option(
    "--estate",
    "estate_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Estate description to create in the emulator (default: the embedded examples/estate.json).",
)
@click.option("--no-terraform", is_flag=True, help="Skip terraform init/validate/plan.")
@click.option("--force", is_flag=True, help="Replace OUT even if it holds files dms2msk did not write.")
@config_option
@format_option("text", "json")
@handle_errors
def cli(
    out: Path, estate_path: Path | None, no_terraform: bool, force: bool, config_path: Path | None, output_format: str
) -> None:
    """Run the whole tool on an embedded example estate, with no AWS account.

    Starts an AWS emulator (moto) in this process, creates the example DMS
    estate in it (the reference MySQL -> MySQL pipeline and one more task),
    scans it, renders Terraform into OUT (default: ./out) and, when terraform
    is on PATH, runs init, validate and an offline plan, printing its summary.
    """
    from ..config import load_settings
    from ..demo import run_demo

    quiet = output_format == "json"

    def step(message: str) -> None:
        if not quiet:
            click.echo(f"- {message}", err=True)

    result = run_demo(
        out,
        estate_path=estate_path,
        settings=load_settings(config_path),
        run_terraform=not no_terraform,
        force=force,
        step=step,
    )
    summary = {
        "out": str(result.out_dir),
        "inventory": str(result.inventory_path),
        "pipelines": [
            {
                "task": p.task_identifier,
                "source": p.source.name,
                "sink": p.sink.name if p.sink else None,
                "worst_finding": p.worst_severity.value,
            }
            for p in result.mapping.pipelines
        ],
        "skipped": [{"task": s.task_identifier, "reason": s.reason} for s in result.mapping.skipped],
        "terraform": result.terraform,
        "terraform_skipped": result.terraform_skipped_reason,
    }
    if quiet:
        echo_json(summary)
    else:
        click.echo(f"\nRendered {len(result.mapping.pipelines)} pipeline(s) into {result.out_dir}/:")
        for row in summary["pipelines"]:
            sink = row["sink"] or "(no sink)"
            click.echo(f"  {row['task']}: {row['source']} -> {sink}   worst finding: {row['worst_finding']}")
        for row in summary["skipped"]:
            click.echo(f"  skipped {row['task']}: {row['reason']}")
        if result.terraform is not None:
            counts = result.terraform.get("counts", {})
            click.echo(
                "\nterraform plan: "
                + ", ".join(f"{n} to {action}" for action, n in sorted(counts.items()))
                + f" ({result.terraform.get('resources', 0)} resources)"
            )
        else:
            click.echo(f"\nterraform not run: {result.terraform_skipped_reason}")
        click.echo("\n" + _next_line(result))
    raise SystemExit(EXIT_PARTIAL if result.mapping.skipped else EXIT_OK)


def _next_line(result: DemoResult) -> str:
    """What to run next, each command quoted so that it works as printed."""
    inventory = shlex.quote(str(result.inventory_path))
    out = shlex.quote(str(result.out_dir))
    # cost of OUT: the estate as rendered (the demo's network), not a fresh mapping of the canned subnet group
    commands = [f"dms2msk advise -i {inventory}", f"dms2msk cost -i {inventory} {out}"]
    if result.settings_path is not None:
        commands.append(f"dms2msk render {out} -i {inventory} --config {shlex.quote(str(result.settings_path))}")
    return f"Next: read {result.out_dir / 'README.md'}, " + ", ".join(f"`{c}`" for c in commands) + "."
