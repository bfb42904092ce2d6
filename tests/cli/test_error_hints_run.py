"""The hint each command prints when its input is missing is a command that works, run as printed.

A newcomer pastes the hint into the shell: it must name the folder they gave (quoted,
so a space survives), not a placeholder such as ``OUT``, and once it has run the
command that printed the hint must get past the missing input.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dms2msk.cli import cli as dms2msk_cli
from dms2msk.model import dumps
from tests.support.mapping import make_inventory

MISSING_OUT = "out dir"  # a space: the printed command must quote it
# Commands reading a rendered OUT, with the options that keep them offline.
COMMANDS_READING_OUT = [
    ["verify", MISSING_OUT],
    ["rehearse", MISSING_OUT],
    ["plugins", "build", MISSING_OUT, "--from", "."],
    ["plan", MISSING_OUT],
    ["status", MISSING_OUT, "--endpoint-url", "http://127.0.0.1:9"],
    ["migrate", MISSING_OUT, "--dry-run"],
    ["cost", MISSING_OUT],  # an existing folder that render did not write (see the fixture)
]


def _invoke(args: list[str]) -> Result:
    return CliRunner().invoke(dms2msk_cli, args)


def _hinted_commands(output: str) -> list[list[str]]:
    hints = [line for line in output.splitlines() if line.strip().startswith("hint:")]
    return [shlex.split(command) for hint in hints for command in re.findall(r"`dms2msk ([^`]+)`", hint)]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a scanned inventory in its default place and an empty OUT."""
    inventory = make_inventory(source_engine="mysql", target_engine="postgres")
    (tmp_path / "dms2msk-inventory.json").write_text(dumps(inventory), encoding="utf-8")
    (tmp_path / "dms2msk.toml").write_text(
        '[network]\nvpc_id = "vpc-0abc"\nsubnet_ids = ["subnet-0a", "subnet-0b"]\n', encoding="utf-8"
    )
    (tmp_path / MISSING_OUT).mkdir()  # cost takes only an existing folder (click checks it)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS_READING_OUT, ids=lambda c: " ".join(c[:2]))
def test_the_hint_for_a_missing_out_renders_that_folder(workdir: Path, command: list[str]) -> None:
    first = _invoke(command)
    assert first.exit_code == 1, first.output
    assert "not a folder written by `dms2msk render`" in first.output
    hinted = _hinted_commands(first.output)
    assert hinted, first.output
    for hint in hinted:
        assert "OUT" not in hint, hint  # a placeholder is not a command
        ran = _invoke([*hint, "--config", "dms2msk.toml"])
        assert ran.exit_code in (0, 3), (hint, ran.output)
    assert (workdir / MISSING_OUT / "dms2msk.json").is_file()
    again = _invoke(command)
    assert "not a folder written by `dms2msk render`" not in again.output, again.output


def test_migrates_hint_for_out_from_another_inventory_renders_out_from_that_inventory(workdir: Path) -> None:
    other = make_inventory(source_engine="mysql", target_engine="postgres", identifier="t2")
    (workdir / "other inventory.json").write_text(dumps(other), encoding="utf-8")
    rendered = _invoke(["render", MISSING_OUT, "--config", "dms2msk.toml"])
    assert rendered.exit_code in (0, 3), rendered.output
    migrate = ["migrate", MISSING_OUT, "-i", "other inventory.json", "--dry-run"]

    first = _invoke(migrate)
    assert first.exit_code == 1 and "rendered from another inventory" in first.output, first.output
    (hint,) = _hinted_commands(first.output)
    ran = _invoke([*hint, "--config", "dms2msk.toml"])
    assert ran.exit_code in (0, 3), (hint, ran.output)
    again = _invoke(migrate)
    assert "rendered from another inventory" not in again.output, again.output


def test_status_hint_for_a_task_not_in_out_names_the_folder_quoted(workdir: Path) -> None:
    assert _invoke(["render", MISSING_OUT, "--config", "dms2msk.toml"]).exit_code in (0, 3)
    first = _invoke(["status", MISSING_OUT, "--task", "no-such-task", "--endpoint-url", "http://127.0.0.1:9"])
    assert first.exit_code == 1, first.output
    (hint,) = _hinted_commands(first.output)
    assert hint[:2] == ["render", MISSING_OUT], hint
    assert _invoke([*hint, "--config", "dms2msk.toml"]).exit_code in (0, 3)


def test_verifys_hint_for_a_missing_connector_file_renders_that_folder(workdir: Path) -> None:
    from dms2msk.verify import check_connector_files, load_manifest

    assert _invoke(["render", MISSING_OUT, "--config", "dms2msk.toml"]).exit_code in (0, 3)
    mapping, settings = load_manifest(workdir / MISSING_OUT)
    (workdir / MISSING_OUT / "connectors" / f"{mapping.pipelines[0].connectors[0].name}.json").unlink()
    results = check_connector_files(MISSING_OUT, list(mapping.pipelines), settings.debezium_version)
    (hint,) = [shlex.split(h)[1:] for r in results if r.hint for h in re.findall(r"`([^`]+)`", r.hint)]
    assert hint[:2] == ["render", MISSING_OUT], hint
    assert _invoke([*hint, "--config", "dms2msk.toml"]).exit_code in (0, 3)


def test_the_terraform_copy_hint_for_a_folder_without_main_tf_renders_it(workdir: Path) -> None:
    from dms2msk.errors import ToolError
    from dms2msk.terraform import copy_for_terraform

    with pytest.raises(ToolError) as raised:
        copy_for_terraform(MISSING_OUT, workdir / "copy")
    (hint,) = [shlex.split(c) for c in re.findall(r"`dms2msk ([^`]+)`", raised.value.hint or "")]
    assert _invoke([*hint, "--config", "dms2msk.toml"]).exit_code in (0, 3)
    assert (workdir / MISSING_OUT / "main.tf").is_file()
