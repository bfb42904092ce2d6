"""``dms2msk scan`` through click's CliRunner, against the real moto server process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.cli.options import DEFAULT_INVENTORY
from dms2msk.errors import EXIT_ERROR, EXIT_OK
from dms2msk.estate import load_estate, seed_estate
from dms2msk.model import INVENTORY_SCHEMA_VERSION, load_inventory

pytestmark = pytest.mark.real

REGION = "ap-northeast-2"


def test_scan_writes_the_default_inventory_file_and_a_text_summary(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = seed_estate(load_estate(), moto_endpoint)
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(cli, ["scan", "--region", REGION, "--endpoint-url", moto_endpoint])

    assert result.exit_code == EXIT_OK, result.output
    written = tmp_path / DEFAULT_INVENTORY
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["schema_version"] == INVENTORY_SCHEMA_VERSION
    assert data["scanned_at"].endswith("Z")
    assert [r["region"] for r in data["regions"]] == [REGION]
    inventory = load_inventory(written)  # what render reads with no flag
    assert sorted(t.identifier for _r, t in inventory.iter_tasks()) == sorted(seeded.task_arns)
    assert f"wrote {DEFAULT_INVENTORY}" in result.output
    row = next(line for line in result.output.splitlines() if line.startswith(REGION))
    assert row.split() == [REGION, "1", "4", "2", "0", "0"]
    assert not any(p in written.read_text(encoding="utf-8") for p in seeded.passwords)
    assert not any(p in result.output for p in seeded.passwords)
    assert list(tmp_path.iterdir()) == [written]  # no temporary file left behind


def test_scan_json_summary_and_output_path(moto_endpoint: str, tmp_path: Path) -> None:
    seed_estate(load_estate(), moto_endpoint)
    output = tmp_path / "nested" / "estate.json"

    result = CliRunner().invoke(
        cli,
        [
            "scan",
            "--region",
            REGION,
            "--region",
            "eu-west-1",
            "--endpoint-url",
            moto_endpoint,
            "-o",
            str(output),
            "--format",
            "json",
        ],
    )

    assert result.exit_code == EXIT_OK, result.output
    summary = json.loads(result.output)
    assert summary["inventory"] == str(output)
    assert summary["partial"] is False
    by_region = {r["region"]: r for r in summary["regions"]}
    assert (by_region[REGION]["replication_instances"], by_region[REGION]["endpoints"], by_region[REGION]["tasks"]) == (
        1,
        4,
        2,
    )
    assert by_region["eu-west-1"]["tasks"] == 0
    assert summary["requests"]["http_requests"] >= 10
    assert output.exists()


def test_scan_exits_1_and_writes_nothing_when_no_region_could_be_read(tmp_path: Path) -> None:
    output = tmp_path / "inventory.json"

    result = CliRunner().invoke(
        cli,
        ["scan", "--region", REGION, "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "1", "-o", str(output)],
    )

    assert result.exit_code == EXIT_ERROR, result.output
    assert "ap-northeast-2: DescribeReplicationInstances: EndpointConnectionError" in result.stderr
    assert "hint: Network:" in result.stderr
    assert not output.exists()


def test_scan_needs_a_region(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", "-o", str(tmp_path / "x.json")])

    assert result.exit_code == 2
    assert "--region" in result.output
    assert not (tmp_path / "x.json").exists()


def test_progress_goes_to_stderr_only_when_it_is_a_terminal(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_estate(load_estate(), moto_endpoint)
    arguments = ["scan", "--region", REGION, "--endpoint-url", moto_endpoint, "-o", str(tmp_path / "i.json")]

    quiet = CliRunner().invoke(cli, arguments)
    monkeypatch.setattr("dms2msk.cli.scan.stderr_is_terminal", lambda: True)
    shown = CliRunner().invoke(cli, arguments)

    assert quiet.exit_code == shown.exit_code == EXIT_OK
    assert "\r" not in quiet.stderr
    assert f"\r\x1b[2K{REGION}: replication instances 1" in shown.stderr
    assert f"{REGION}: tasks 2" in shown.stderr
    assert shown.stderr.endswith("\r\x1b[2K")  # the status line is cleared at the end
    assert "\r" not in shown.stdout
