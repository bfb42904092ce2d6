"""The corpus tests fail, not skip, under CI when the corpus is missing; a developer clone skips them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpus import REPO_ROOT, corpus_dir

CORPUS_TESTS = ["tests/map/test_corpus.py", "tests/map/test_task_settings.py::test_corpus_settings_map_or_are_reported"]


def _pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["DMS2MSK_CORPUS"] = str(tmp_path / "no-corpus-here")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *CORPUS_TESTS],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_corpus_is_found_beside_the_repository() -> None:
    assert corpus_dir() == REPO_ROOT.parent / "shared" / "corpus" or "DMS2MSK_CORPUS" in os.environ


@pytest.mark.parametrize(("ci", "expected"), [("true", 1), (None, 0)])
def test_a_missing_corpus_fails_under_ci_and_skips_elsewhere(tmp_path: Path, ci: str | None, expected: int) -> None:
    result = _pytest(tmp_path, ci)
    assert result.returncode == expected, result.stdout[-2000:]
    if ci:
        assert "CI=true, so the corpus tests fail instead of skipping" in result.stdout
        assert " 0 passed" not in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
    else:
        assert "skipped" in result.stdout.splitlines()[-1] and "failed" not in result.stdout.splitlines()[-1]
