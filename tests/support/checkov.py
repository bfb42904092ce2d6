"""checkov, the security scanner platform teams run on Terraform, from its own virtualenv.

checkov pins many libraries, so it lives outside the project's virtualenv. The
fixture finds it through ``DMS2MSK_CHECKOV`` (CI sets it), else the usual
places, and fails with the commands that install it.

Fixture: ``checkov`` (session) -> a :class:`Checkov` whose ``scan(dir)`` returns the failed checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHECKOV_ENV = "DMS2MSK_CHECKOV"
_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = (_REPO / ".venv-checkov/bin/checkov", Path("/tmp/ckv/bin/checkov"))
INSTALL_HINT = (
    "python3 -m venv .venv-checkov && .venv-checkov/bin/pip install checkov==3.3.30 && "
    "export DMS2MSK_CHECKOV=$PWD/.venv-checkov/bin/checkov"
)


def find_checkov() -> Path | None:
    configured = os.environ.get(CHECKOV_ENV)
    if configured:
        return Path(configured)
    for candidate in _CANDIDATES:
        if candidate.exists():
            return candidate
    found = shutil.which("checkov")
    return Path(found) if found else None


@dataclass(frozen=True)
class FailedCheck:
    check_id: str
    resource: str
    file: str
    name: str

    def __str__(self) -> str:
        return f"{self.check_id} {self.resource} ({self.file}): {self.name}"


@dataclass(frozen=True)
class ScanResult:
    passed: int
    failed: tuple[FailedCheck, ...]
    skipped: tuple[dict[str, Any], ...]


class Checkov:
    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def scan(self, directory: Path) -> ScanResult:
        """Scan ``directory`` (and local modules) with the Terraform checks; every result kind is returned."""
        command = [
            str(self.binary),
            "--directory",
            str(directory),
            "--framework",
            "terraform",
            "--output",
            "json",
            "--compact",
            "--skip-download",
            "--soft-fail",
        ]
        # checkov writes its report to stdout; no network (skip-download) and no telemetry.
        environment = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
        completed = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment, check=False)
        if completed.returncode != 0 or not completed.stdout.strip():
            raise RuntimeError(f"checkov failed (exit {completed.returncode}): {completed.stderr[-3000:]}")
        report = json.loads(completed.stdout)
        reports = report if isinstance(report, list) else [report]
        passed = 0
        failed: list[FailedCheck] = []
        skipped: list[dict[str, Any]] = []
        for one in reports:
            results = one.get("results") or {}
            passed += len(results.get("passed_checks") or ())
            skipped.extend(results.get("skipped_checks") or ())
            for check in results.get("failed_checks") or ():
                failed.append(
                    FailedCheck(check["check_id"], check["resource"], check.get("file_path", ""), check["check_name"])
                )
        return ScanResult(passed=passed, failed=tuple(failed), skipped=tuple(skipped))


@pytest.fixture(scope="session")
def checkov() -> Checkov:
    binary = find_checkov()
    if binary is None or not binary.exists():
        pytest.fail(f"checkov is not installed; install it in its own virtualenv: {INSTALL_HINT}")
    return Checkov(binary)
