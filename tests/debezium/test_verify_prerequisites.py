"""What `verify --source-url` needs installed, and the message when it is not (no JVM, no database)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from dms2msk.extras import install_command
from dms2msk.verify import live

ROOT = Path(__file__).resolve().parents[2]


def test_the_verify_extra_installs_the_postgresql_driver() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    verify_extra = project["optional-dependencies"]["verify"]
    assert any(requirement.startswith("psycopg") for requirement in verify_extra), verify_extra


def test_a_missing_driver_is_a_message_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    url = live.SourceUrl(scheme="postgresql", host="db", port=5432, user="u", password="p", dbname="d")
    with pytest.raises(live.PrerequisiteError) as raised:
        live._connect(url)
    assert "psycopg" in str(raised.value)
    assert raised.value.hint and raised.value.hint.startswith(install_command("verify"))
