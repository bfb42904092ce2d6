"""Every `dms2msk plugins build` command the tool prints, run as printed, builds the ZIPs the Terraform expects."""

from __future__ import annotations

import re
import shlex
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as dms2msk_cli
from dms2msk.model import dumps
from tests.support.mapping import make_inventory
from tests.support.maven_repo import DEBEZIUM_VERSION, MavenRepo

ZIP = f"debezium-connector-mysql-{DEBEZIUM_VERSION}.zip"
ARCHIVE = (
    f"io/debezium/debezium-connector-mysql/{DEBEZIUM_VERSION}/debezium-connector-mysql-{DEBEZIUM_VERSION}-plugin.tar.gz"
)
# The served repository holds the Debezium archives only (see test_plugins.py).
OFFLINE_EXTRAS = ["--no-iam-auth", "--no-config-providers"]


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(dms2msk_cli, args)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[Path, str]:
    """A MySQL -> Kafka task rendered by the CLI (one plugin: the MySQL connector), and render's output."""
    inventory = tmp_path / "inventory.json"
    inventory.write_text(dumps(make_inventory(target_engine="kafka")), encoding="utf-8")
    config = tmp_path / "dms2msk.toml"
    config.write_text(f'debezium_version = "{DEBEZIUM_VERSION}"\n', encoding="utf-8")
    out = tmp_path / "out dir"  # a space: the printed command must quote it
    output = _run(["render", str(out), "-i", str(inventory), "--config", str(config)])
    return out, output


def _plugin_build_commands(text: str) -> list[list[str]]:
    found = re.findall(r"dms2msk (plugins build[^;`\n#]*)", text)
    return [shlex.split(command) for command in found]


def test_render_next_line_builds_the_zips_terraform_expects(rendered: tuple[Path, str], maven_repo: MavenRepo) -> None:
    out, output = rendered
    (next_line,) = [line for line in output.splitlines() if line.startswith("Next:")]
    (command,) = _plugin_build_commands(next_line)
    _run([*command, "--repository", maven_repo.url, *OFFLINE_EXTRAS])
    assert f'"${{path.module}}/plugins/{ZIP.removesuffix(".zip")}.zip"' in (out / "main.tf").read_text()
    assert (out / "plugins" / ZIP).is_file()


def test_commands_in_the_rendered_files_work_from_inside_out(
    rendered: tuple[Path, str], maven_repo: MavenRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = rendered
    commands = {name: _plugin_build_commands((out / name).read_text()) for name in ("README.md", "outputs.tf")}
    assert all(commands.values()), commands  # the README and the output description
    monkeypatch.chdir(out)
    for found in commands.values():
        for command in found:
            shutil.rmtree(out / "plugins", ignore_errors=True)
            _run([*command, "--repository", maven_repo.url, *OFFLINE_EXTRAS])
            assert (out / "plugins" / ZIP).is_file(), command


def test_the_command_earlier_versions_printed_still_builds_into_out(
    rendered: tuple[Path, str], maven_repo: MavenRepo
) -> None:
    out, _ = rendered
    _run(["plugins", "build", "--out", str(out / "plugins"), "--repository", maven_repo.url, *OFFLINE_EXTRAS])
    assert (out / "plugins" / ZIP).is_file()


def test_from_accepts_the_archive_extracted(rendered: tuple[Path, str], maven_repo: MavenRepo, tmp_path: Path) -> None:
    out, _ = rendered
    archive_dir, extracted_dir = tmp_path / "archive", tmp_path / "extracted"
    archive_dir.mkdir()
    shutil.copy(maven_repo.root / ARCHIVE, archive_dir)
    with tarfile.open(maven_repo.root / ARCHIVE) as archive:
        archive.extractall(extracted_dir, filter="data")
    assert (extracted_dir / "debezium-connector-mysql").is_dir()
    for folder, zips in ((archive_dir, "a"), (extracted_dir, "b")):
        _run(["plugins", "build", str(out), "--from", str(folder), "--zip-dir", str(tmp_path / zips), *OFFLINE_EXTRAS])
    assert (tmp_path / "a" / ZIP).read_bytes() == (tmp_path / "b" / ZIP).read_bytes()


def test_a_from_folder_without_the_connector_says_what_it_needs(rendered: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = rendered
    empty = tmp_path / "jars"
    empty.mkdir()
    result = CliRunner().invoke(dms2msk_cli, ["plugins", "build", str(out), "--from", str(empty), *OFFLINE_EXTRAS])
    assert result.exit_code == 1
    assert "-plugin.tar.gz" in result.output and "debezium-connector-mysql/ folder" in result.output


def test_without_out_or_connector_the_message_shows_the_command() -> None:
    result = CliRunner().invoke(dms2msk_cli, ["plugins", "build"])
    assert result.exit_code == 1
    assert "dms2msk plugins build out/" in result.output and "--connector KIND" in result.output


def test_the_plans_provision_step_builds_the_zips(rendered: tuple[Path, str], maven_repo: MavenRepo) -> None:
    from dms2msk.plan.migration import task_migration
    from dms2msk.verify import load_manifest

    out, _ = rendered
    (pipeline,) = load_manifest(out)[0].pipelines
    steps = task_migration(pipeline, None, None, [], str(out)).steps
    (provision,) = [step for step in steps if step.phase == "provision"]
    (command,) = _plugin_build_commands("\n".join(provision.commands))
    _run([*command, "--repository", maven_repo.url, *OFFLINE_EXTRAS])
    assert (out / "plugins" / ZIP).is_file()


@pytest.mark.real
def test_the_plan_time_check_is_one_warning_with_a_command_that_works(
    rendered: tuple[Path, str], maven_repo: MavenRepo, plan_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = rendered
    plan = plan_of(out)
    problems = [
        (check["address"]["to_display"], problem["message"])
        for check in plan.get("checks", ())
        for instance in check.get("instances", ())
        for problem in instance.get("problems", ())
        if "plugins build" in problem["message"]
    ]
    # One check says the ZIPs are missing (the module's), not a second one of the root saying the same.
    assert [address for address, _ in problems] == ["module.plugins.check.plugin_zips_built"]
    (command,) = _plugin_build_commands(problems[0][1])
    monkeypatch.chdir(out)  # terraform runs in OUT: the check's paths are relative to it
    _run([*command, "--repository", maven_repo.url, *OFFLINE_EXTRAS])
    assert (out / "plugins" / ZIP).is_file()
