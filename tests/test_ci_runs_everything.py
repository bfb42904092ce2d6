"""Under CI a skipped test is a failure (tests/conftest.py): a missing part cannot pass unnoticed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """
import pytest

def test_needs_a_missing_part():
    pytest.skip("the part is not installed")

@pytest.mark.xfail(reason="a known gap", strict=True)
def test_known_gap():
    assert False
"""


def _run_sample(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_a_skip_fails_under_ci_and_xfail_stays(tmp_path: Path) -> None:
    run = _run_sample(tmp_path, "true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 xfailed" in run.stdout
    assert "skipped under CI, where every test must run: Skipped: the part is not installed" in run.stdout


def test_outside_ci_a_skip_stays_a_skip(tmp_path: Path) -> None:
    run = _run_sample(tmp_path, None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped, 1 xfailed" in run.stdout
