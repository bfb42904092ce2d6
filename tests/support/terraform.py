"""Fixtures for tests that run the real Terraform CLI and the real hashicorp/aws provider.

- ``terraform_bin``: the terraform binary (the test fails, not skips, when it is missing:
  CI must run these tests).
- ``tf_plugin_dir``: the provider filesystem mirror for ``init -plugin-dir``.
- ``tf_environment``: a session-wide ``TF_PLUGIN_CACHE_DIR`` so repeated inits link, not copy.
- ``plan_of``: a function returning the ``terraform show -json`` plan of an OUT folder
  (init, validate, offline plan on a copy; OUT stays untouched).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dms2msk import terraform


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    try:
        return terraform.find_terraform()
    except Exception as exc:  # ToolError: say what is missing instead of skipping silently
        pytest.fail(f"terraform is required for this test: {exc}")


@pytest.fixture(scope="session")
def tf_plugin_dir() -> Path | None:
    return terraform.find_plugin_dir()


@pytest.fixture(scope="session")
def tf_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A plugin cache shared by the session, set only while the session runs."""
    cache = tmp_path_factory.mktemp("tf-plugin-cache")
    previous = os.environ.get("TF_PLUGIN_CACHE_DIR")
    os.environ["TF_PLUGIN_CACHE_DIR"] = str(cache)
    try:
        yield {"TF_PLUGIN_CACHE_DIR": str(cache)}
    finally:
        if previous is None:
            os.environ.pop("TF_PLUGIN_CACHE_DIR", None)
        else:
            os.environ["TF_PLUGIN_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def plan_of(
    terraform_bin: str, tf_plugin_dir: Path | None, tf_environment: dict[str, str]
) -> Callable[..., dict[str, Any]]:
    """``plan_of(out_dir, variables=None)`` -> the plan JSON of an offline plan of ``out_dir``."""

    def plan(out_dir: str | Path, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return terraform.plan_json(out_dir, plugin_dir=tf_plugin_dir, variables=variables)

    return plan
