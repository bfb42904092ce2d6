"""Options, output helpers and error handling shared by the commands."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import EXIT_ERROR, Dms2mskError
from .aws_log import AWS_LIBRARY_LOGGERS, install_aws_body_filter

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_INVENTORY = Path("dms2msk-inventory.json")
"""Where ``scan`` writes and every other command reads, when no path is given."""

log = logging.getLogger("dms2msk")


def configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # boto's own loggers are noisy at INFO; show them only at -vv, and never their bodies (secrets).
    for name in AWS_LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    install_aws_body_filter(logging.getLogger().handlers)


def inventory_option(func: F) -> F:
    return click.option(
        "-i",
        "--inventory",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_INVENTORY,
        show_default=True,
        help="Inventory file written by `dms2msk scan`.",
    )(func)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="Settings file (TOML or JSON): Debezium version, cluster sizing, network overrides.",
    )(func)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(list(choices)),
            default=default or choices[0],
            show_default=True,
            help="Output format; json is for automation.",
        )(func)

    return decorator


def handle_errors(func: F) -> F:
    """Turn dms2msk and botocore errors into a one-paragraph message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Dms2mskError as exc:
            click.secho(f"error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            sys.exit(exc.exit_code)
        except Exception as exc:  # botocore errors without importing botocore at startup
            module = type(exc).__module__
            if module.startswith("botocore"):
                click.secho(f"error: AWS: {exc}", fg="red", err=True)
                click.echo("  hint: check the credentials (--profile), the region and the IAM permissions", err=True)
                sys.exit(EXIT_ERROR)
            raise

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
