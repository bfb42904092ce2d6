"""Shared pytest setup. Fixtures live in tests/support/<part>.py, one module per real part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins: list[str] = [
    "tests.support.mapping",
    "tests.support.checkov",
    "tests.support.maven_repo",
    "tests.support.terraform",
    "tests.support.jvm",
    "tests.support.postgres",
    "tests.support.mariadb",
    "tests.support.moto_server",
    "tests.support.fault_proxy",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    """Under CI a skipped test fails: .ci/run installs every part the tests need, so a skip is a hole.

    Outside CI a test may still skip when a part is missing on a developer's machine, and says which.
    """
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} skipped under CI, where every test must run: {reason}"


_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with pytest's status once a JVM was started in it (JPype).

    The JVM's shutdown at interpreter exit can crash the process after every test has passed (seen once as a
    segmentation fault, exit 139); the report is complete by now, so the JVM's teardown is skipped.
    """
    import sys

    jpype = sys.modules.get("jpype")
    if jpype is None or not _exit_status or not jpype.isJVMStarted():
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status[-1])
