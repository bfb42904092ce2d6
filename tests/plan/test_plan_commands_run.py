"""The dms2msk commands the migration plan prints run as printed, from where the plan was made."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as dms2msk_cli
from dms2msk.model import dumps
from tests.support.mapping import make_inventory
from tests.support.maven_repo import MavenRepo

pytestmark = pytest.mark.real  # the plugin build downloads the real Debezium archive from a loopback repository

OUT = "out dir"  # a space: every printed command must quote it
OFFLINE_EXTRAS = ["--no-iam-auth", "--no-config-providers"]  # the served repository holds Debezium's archives only


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(dms2msk_cli, args)
    assert result.exit_code in (0, 4), (args, result.output)  # plan exits 4: it has changes
    return result.output


def _printed_commands(plan: str) -> list[list[str]]:
    lines = re.findall(r"^\s+dms2msk ([^#\n]+)", plan, flags=re.MULTILINE)
    return [shlex.split(line) for line in lines]


def test_the_plans_dms2msk_commands_work_as_printed(
    tmp_path: Path, maven_repo: MavenRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dms2msk-inventory.json").write_text(dumps(make_inventory(target_engine="kafka")), encoding="utf-8")
    Path("dms2msk.toml").write_text('[network]\nvpc_id = "vpc-0a"\nsubnet_ids = ["subnet-0a", "subnet-0b"]\n')
    _run(["render", OUT, "--config", "dms2msk.toml"])
    _run(["plan", OUT, "-o", "plan.md"])
    commands = _printed_commands(Path("plan.md").read_text(encoding="utf-8"))
    kinds = {tuple(command[:2]) if command[0] == "plugins" else (command[0],) for command in commands}
    assert {("plugins", "build"), ("verify",), ("rehearse",)} <= kinds, commands
    for command in commands:
        assert OUT in command, command  # the folder as one word, however it is spelt
        if command[0] == "plugins":
            _run([*command, "--repository", maven_repo.url, *OFFLINE_EXTRAS])
            assert list((tmp_path / OUT / "plugins").glob("debezium-connector-mysql-*.zip")), command
        elif command[0] == "rehearse":
            _run(command)
            assert (tmp_path / OUT / "local").is_dir()
        # verify needs the Debezium JVM: its own real tests run it on rendered folders.
