"""The README's example output is what the tool prints today (lines elided with `...` aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as dms2msk_cli
from dms2msk.model import dumps
from tests.support.mapping import estate_inventory

README = Path(__file__).resolve().parent.parent / "README.md"


def _console_block(command: str) -> list[str]:
    """The lines printed under ``$ <command>`` in the README's first console block showing it."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"```console\n\$ " + re.escape(command) + r"\n(.*?)```", text, flags=re.DOTALL)
    assert match, f"no console example of {command!r} in the README"
    return match.group(1).splitlines()


def test_the_advise_example_is_what_advise_prints_on_the_demo_estate(tmp_path: Path) -> None:
    inventory = tmp_path / "dms2msk-inventory.json"
    inventory.write_text(dumps(estate_inventory()), encoding="utf-8")
    result = CliRunner().invoke(dms2msk_cli, ["advise", "-i", str(inventory)])
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    shown = [line for line in _console_block("dms2msk advise") if line.strip() != "..."]
    assert len(shown) > 5
    missing = [line for line in shown if line not in printed]
    assert not missing, missing


def test_the_render_example_is_what_render_prints_on_the_demo_estate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dms2msk-inventory.json").write_text(dumps(estate_inventory()), encoding="utf-8")
    Path("dms2msk.toml").write_text(  # the README's [network] example: the emulator's subnet group has one subnet
        '[network]\nvpc_id = "vpc-0abc"\nsubnet_ids = ["subnet-0a", "subnet-0b", "subnet-0c"]\n', encoding="utf-8"
    )
    result = CliRunner().invoke(dms2msk_cli, ["render", "out/", "--config", "dms2msk.toml"])
    assert result.exit_code == 0, result.output
    assert _console_block("dms2msk render out/ --config dms2msk.toml") == result.stdout.splitlines()
