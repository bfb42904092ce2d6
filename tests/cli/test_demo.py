"""`dms2msk demo` end to end: in-process moto, scan, map, render, real terraform plan."""

from __future__ import annotations

import json
import shutil
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
    written = [p for p in out.rglob("*") if p.is_file()] + [tmp_path / "out-inventory.json"]
    for password in _estate_passwords():
        for path in written:
            assert password not in path.read_text(encoding="utf-8", errors="replace"), path


def test_demo_without_terraform_still_renders(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    result = CliRunner().invoke(cli, ["demo", str(out), "--no-terraform"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "main.tf").is_file()
    assert "terraform not run: --no-terraform was given" in result.stdout
    manifest = json.loads((out / "dms2msk.json").read_text())
    assert {p["task_identifier"] for p in manifest["mapping"]["pipelines"]} == {
        "simplydemo-products",
        "shop-orders-to-analytics",
    }
