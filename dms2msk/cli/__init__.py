"""The ``dms2msk`` command line.

Each command lives in its own module (``cli/scan.py``, ``cli/render.py``, ...)
exposing a click command named ``cli``; its body calls the library, so every
command is also usable without the CLI. Modules are imported only when their
command runs, which keeps ``dms2msk --help`` fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .. import __version__

COMMANDS: dict[str, str] = {
    "scan": "Read the DMS estate of one or more regions into an inventory file.",
    "advise": "Report, per task and per rule, what each DMS rule and setting became.",
    "render": "Write Terraform (and connector configs) for the inventory into a folder.",
    "plan": "Diff the rendered estate against what exists and write a migration plan.",
    "status": "Read the connectors and DMS tasks back and compare them with the rendered folder.",
    "migrate": "Perform the overlap cut-over of DMS tasks onto the connectors, resumably.",
    "cost": "Compare the monthly cost of the DMS estate with the MSK estate replacing it.",
    "verify": "Check generated connectors with the real Debezium classes, optionally against a database.",
    "rehearse": "Write a local docker-compose rehearsal bundle (Kafka, Connect, databases) for the pipelines.",
    "plugins": "Build the MSK Connect custom-plugin ZIPs the rendered connectors need.",
    "demo": "Run scan, render and terraform plan on an embedded example estate (no AWS account).",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if importlib.util.find_spec(f"{__name__}.{name}") is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or importlib.util.find_spec(f"{__name__}.{cmd_name}") is None:
            return None
        module = importlib.import_module(f"{__name__}.{cmd_name}")
        return module.cli

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


EPILOG = """\b
Typical flow:
  dms2msk scan --region ap-northeast-2     # writes dms2msk-inventory.json
  dms2msk advise                           # what each DMS rule became
  dms2msk render out/                      # Terraform + connector configs
  cd out && terraform init && terraform plan
\b
Exit codes: 0 ok, 1 error, 2 usage error, 3 done but something was skipped
(see the findings), 4 `plan` found changes (`status`: something differs).
"""


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dms2msk")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """Move AWS DMS change-data-capture tasks onto Debezium connectors on Amazon MSK Connect."""
    from .options import configure_logging

    configure_logging(verbose)


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
