"""`dms2msk demo` end to end: in-process moto, scan, map, render, real terraform plan."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.estate import load_estate

pytestmark = pytest.mark.real


def _estate_passwords() -> list[str]:
    estate = load_estate()
    found = [e["password"] for e in estate["endpoints"] if e.get("password")]
    found += [s["value"]["password"] for s in estate["secrets"]]
    return found


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_demo_renders_and_plans_the_example_estate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["demo", str(out), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)

    tasks = {row["task"] for row in summary["pipelines"]}
    assert tasks == {"simplydemo-products", "shop-orders-to-analytics"}
    plan = summary["terraform"]
    assert plan is not None, summary["terraform_skipped"]
    assert plan["connectors"] == sorted(
        [
            "shop-orders-to-analytics-sink",
            "shop-orders-to-analytics-source",
            "simplydemo-products-sink",
            "simplydemo-products-source",
        ]
    )
    assert plan["counts"].get("create", 0) == plan["resources"] > 0

    # Nothing the emulator was given as a password is anywhere in what the demo wrote.
    written = [p for p in out.rglob("*") if p.is_file()]
    assert out / "dms2msk-inventory.json" in written
    for password in _estate_passwords():
        for path in written:
            assert password not in path.read_text(encoding="utf-8", errors="replace"), path


def test_demo_without_terraform_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    previous_umask = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["demo", "demo-out", "--no-terraform"], catch_exceptions=False)
    finally:
        os.umask(previous_umask)
    assert result.exit_code == 0, result.output
    out = tmp_path / "demo-out"
    assert (out / "main.tf").is_file()
    # The scan is in OUT, where the demo says it is, not in the working directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-out"]
    inventory = out / "dms2msk-inventory.json"
    assert json.loads(inventory.read_text())["regions"]
    assert f"dms2msk advise -i {Path('demo-out') / 'dms2msk-inventory.json'}" in result.stdout
    # Nothing secret is in them: normal modes, not mkdtemp's 0700 and mkstemp's 0600.
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE(inventory.stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "main.tf").stat().st_mode) == 0o644
    assert "terraform not run: --no-terraform was given" in result.stdout
    manifest = json.loads((out / "dms2msk.json").read_text())
    assert {p["task_identifier"] for p in manifest["mapping"]["pipelines"]} == {
        "simplydemo-products",
        "shop-orders-to-analytics",
    }


def test_every_command_the_demo_suggests_works_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Including rendering its inventory again: the emulator's one-subnet group needs the network the demo used."""
    import re
    import shlex

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "demo out", "--no-terraform"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (next_line,) = [line for line in result.stdout.splitlines() if line.startswith("Next:")]
    commands = [shlex.split(c) for c in re.findall(r"`dms2msk ([^`]+)`", next_line)]
    assert [c[0] for c in commands] == ["advise", "cost", "render"], next_line
    before = (tmp_path / "demo out" / "main.tf").read_bytes()
    for command in commands:
        ran = CliRunner().invoke(cli, command)
        assert ran.exit_code == 0, (command, ran.output)
        if command[0] == "cost":  # the rendered estate's cost: one broker per subnet of the demo's network
            assert "MSK brokers 3 x kafka.m5.large" in ran.output, ran.output
    assert (tmp_path / "demo out" / "main.tf").read_bytes() == before  # the same inventory and network: same root
