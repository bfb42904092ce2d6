"""``dms2msk rehearse OUT``: write a local Docker bundle to rehearse each pipeline before apply."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, format_option, handle_errors


@click.command("rehearse")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--task", default=None, help="Only this task (identifier or pipeline key).")
@click.option(
    "--out",
    "dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the bundle (default: OUT/local).",
)
@format_option("text", "json")
@handle_errors
def cli(out: Path, task: str | None, dest: Path | None, output_format: str) -> None:
    """Write a local rehearsal bundle per pipeline: compose file, local connector JSONs, deploy/check scripts.

    The connector JSONs equal the MSK ones except for the local differences the
    bundle README lists (plaintext broker, no IAM, file-based secrets, local hosts).
    """
    from ..rehearse import write_bundle

    folders = write_bundle(out, task=task, dest=dest)
    if output_format == "json":
        echo_json(
            {
                "bundles": [
                    {
                        "pipeline": folder.name,
                        "folder": str(folder),
                        "files": sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()),
                    }
                    for folder in folders
                ]
            }
        )
        return
    for folder in folders:
        click.echo(f"wrote {folder}  (docker compose up -d && ./deploy.sh && ./check.sh)")
