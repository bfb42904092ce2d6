"""The `migrate` command line: help, usage errors and bad input without a traceback (no AWS call needed)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dms2msk.cli import cli

from ..plan import builders


def test_help_and_usage() -> None:
    runner = CliRunner()
    helped = runner.invoke(cli, ["migrate", "--help"])
    assert helped.exit_code == 0 and "dms2msk-migrate.json" in helped.output and "--dry-run" in helped.output
    assert runner.invoke(cli, ["migrate"]).exit_code == 2  # OUT is required


def test_dry_run_from_the_command_line(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"))
    result = CliRunner().invoke(cli, ["migrate", "orders", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: no call is made" in result.stdout
    assert "dms:StopReplicationTask ReplicationTaskArn=arn:aws:dms:ap-northeast-2:123456789012:task:ORDERS" in (
        result.stdout
    )
    assert not (out / "dms2msk-migrate.json").exists()


def test_a_task_not_in_the_manifest_is_a_clear_error(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"))
    result = CliRunner().invoke(cli, ["migrate", "invoices", str(out), "--dry-run"])
    assert result.exit_code == 1
    assert "task(s) invoices are not in" in result.stderr and "it has orders" in result.stderr
    assert "Traceback" not in result.output


def test_a_corrupt_state_file_is_named_and_kept(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"))
    (out / "dms2msk-migrate.json").write_text("{half", encoding="utf-8")
    result = CliRunner().invoke(cli, ["migrate", str(out), "--dry-run"])
    assert result.exit_code == 1 and "is not JSON" in result.stderr and "move" in result.stderr
    assert (out / "dms2msk-migrate.json").read_text(encoding="utf-8") == "{half"
