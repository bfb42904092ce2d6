"""``dms2msk plugins build``: the custom-plugin ZIPs the rendered connectors need."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..debezium_version import DebeziumVersion
from ..outdir import PLUGINS_DIR, manifest_path
from .options import echo_json, format_option, handle_errors


def _release(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--debezium-version`` as Debezium spells a release: it names the ZIPs and the Maven artifacts."""
    if value is not None and DebeziumVersion.full_name(value) is None:
        raise click.BadParameter(f"{value!r} is not a Debezium release spelled in full, such as 3.6.3.Final")
    return value


@click.group("plugins")
def cli() -> None:
    """Build the MSK Connect custom-plugin ZIPs the rendered connectors need."""


@cli.command("build")
@click.argument("rendered", metavar="[OUT]", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    "rendered_option",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    hidden=True,  # the former spelling of OUT, kept so existing scripts keep working
)
@click.option(
    "--connector", "kinds", multiple=True, help="Connector kind to build (mysql, postgres, jdbc, ...), instead of OUT."
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="With --connector jdbc: DMS target engine(s) the sink writes to, whose JDBC drivers the ZIP adds "
    "(default: every target engine's).",
)
@click.option(
    "--debezium-version",
    default=None,
    callback=_release,
    help=f"Debezium release, e.g. 3.6.3.Final (default: the rendered pipelines', or {Settings().debezium_version}).",
)
@click.option(
    "--zip-dir",
    "--out",
    "zip_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the ZIPs go (default: OUT/plugins, where the rendered Terraform looks; ./plugins with --connector).",
)
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Offline: a folder (flat or Maven layout) holding each Debezium connector's -plugin.tar.gz archive or "
    "that archive extracted (its debezium-connector-<kind>/ folder of jars), plus the other jars.",
)
@click.option(
    "--repository",
    default=None,
    help="Maven repository URL (default: Maven Central; with --from and no --repository, nothing is downloaded).",
)
@click.option("--scripting/--no-scripting", default=False, help="With --connector: add the scripting SMT and Groovy.")
@click.option("--iam-auth/--no-iam-auth", default=True, show_default=True, help="Add aws-msk-iam-auth.")
@click.option(
    "--config-providers/--no-config-providers",
    default=True,
    show_default=True,
    help="Add msk-config-providers (needed for ${secretsmanager:...}).",
)
@format_option("text", "json")
@handle_errors
def build(
    rendered: Path | None,
    rendered_option: Path | None,
    kinds: tuple[str, ...],
    targets: tuple[str, ...],
    debezium_version: str | None,
    zip_dir: Path | None,
    from_dir: Path | None,
    repository: str | None,
    scripting: bool,
    iam_auth: bool,
    config_providers: bool,
    output_format: str,
) -> None:
    """Download (checksum-verified) or assemble, then pack one deterministic ZIP per plugin.

    OUT is the folder `dms2msk render` wrote: its dms2msk.json says which plugins the pipelines need, and
    the ZIPs go to OUT/plugins, where its Terraform looks for them.
    """
    from ..config import Settings
    from ..errors import InputError
    from ..plugins import MAVEN_CENTRAL, BuildOptions, build_plugins, specs_for_kinds, specs_from_manifest

    if rendered is not None and rendered_option is not None and rendered != rendered_option:
        raise InputError(f"two rendered folders given: {rendered} and -o {rendered_option}", hint="pass OUT once")
    rendered = rendered or rendered_option or _rendered_parent(zip_dir, kinds)
    if rendered is None and not kinds:
        raise InputError(
            "nothing to build",
            hint="pass the folder dms2msk render wrote (dms2msk plugins build out/) or --connector KIND",
        )
    if targets and rendered is not None:
        raise InputError("--target goes with --connector", hint="with OUT the rendered pipelines name the targets")
    specs = (
        specs_from_manifest(rendered, debezium_version)
        if rendered is not None
        else specs_for_kinds(
            kinds,
            debezium_version or Settings().debezium_version,
            scripting=scripting,
            targets=list(targets) if targets else None,
        )
    )
    target = zip_dir or (rendered / "plugins" if rendered is not None else Path("plugins"))
    options = BuildOptions(
        repository=repository or (None if from_dir is not None else MAVEN_CENTRAL),
        from_dir=from_dir,
        include_iam_auth=iam_auth,
        include_config_providers=config_providers,
    )
    built = build_plugins(specs, target, options)
    if output_format == "json":
        echo_json(
            [
                {
                    "zip": str(b.path),
                    "sha256": b.sha256,
                    "entries": list(b.entries),
                    "drivers_added": list(b.drivers_added),
                    "drivers_in_archive": list(b.drivers_in_archive),
                }
                for b in built
            ]
        )
        return
    for plugin in built:
        click.echo(f"{plugin.path}  sha256={plugin.sha256}  ({len(plugin.entries)} files)")
        for jar in plugin.drivers_added:
            click.echo(f"  + JDBC driver {jar} (SHA-1 checked)")
        for jar in plugin.drivers_in_archive:
            click.echo(f"  = JDBC driver {jar} already in the Debezium archive; not added again")


def _rendered_parent(zip_dir: Path | None, kinds: tuple[str, ...]) -> Path | None:
    """OUT, when only ``--out OUT/plugins`` was given: the command the READMEs of earlier versions printed."""
    if zip_dir is None or kinds or zip_dir.name != PLUGINS_DIR:
        return None
    parent = zip_dir.parent
    return parent if manifest_path(parent).is_file() else None
