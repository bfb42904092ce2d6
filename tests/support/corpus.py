"""The shared corpus of real DMS table mappings and task settings.

It is read in place from ``../shared/corpus`` beside the repository root, where CI has it
(``DMS2MSK_CORPUS`` names another folder). A developer clone without it skips the corpus tests;
under CI (``CI=true``) they fail instead, because CI promises to run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    return Path(os.environ.get("DMS2MSK_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")


CORPUS = corpus_dir()


def corpus_files(folder: str, pattern: str) -> list[Path]:
    """The corpus files of ``folder``; without the corpus, one placeholder so the test runs and says why."""
    if not CORPUS.is_dir():
        return [CORPUS / folder / "(corpus absent)"]
    return sorted((CORPUS / folder).glob(pattern))


def require_corpus() -> None:
    """Skip on a developer clone without the corpus; fail under CI, which must run these tests."""
    if CORPUS.is_dir():
        return
    message = f"the DMS corpus folder {CORPUS} is absent (expected beside the repository: ../shared/corpus)"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"{message}; CI=true, so the corpus tests fail instead of skipping")
    pytest.skip(message)
