"""The hint for a missing optional extra installs it from where this dms2msk came from, into this interpreter.

dms2msk is installed from a clone (README: `pip install '.[demo]'`); `pip install 'dms2msk[png]'` would ask the
package index for a project of that name instead of adding the extra to the installed copy.
"""

from __future__ import annotations

import json
import shlex
import sys
from importlib import metadata

import pytest

from dms2msk import extras
from dms2msk.cost.chart import chart_png
from dms2msk.errors import ToolError


class _Distribution:
    def __init__(self, direct_url: dict[str, object] | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return json.dumps(self.direct_url) if self.direct_url is not None else None


def _installed(monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, object] | None) -> None:
    monkeypatch.setattr(extras.metadata, "distribution", lambda name: _Distribution(direct_url))


def test_a_copy_installed_from_a_clone_is_extended_from_that_clone(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, {"url": "file:///home/me/my%20clones/dms2msk", "dir_info": {}})
    command = shlex.split(extras.install_command("verify"))
    assert command == [sys.executable, "-m", "pip", "install", "/home/me/my clones/dms2msk[verify]"]


def test_a_copy_from_an_index_or_unknown_is_named_by_project(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, None)
    assert shlex.split(extras.install_command("demo"))[-1] == "dms2msk[demo]"

    def not_installed(name: str) -> None:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(extras.metadata, "distribution", not_installed)
    assert shlex.split(extras.install_command("demo"))[-1] == "dms2msk[demo]"


def test_the_png_chart_hint_is_that_command(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, {"url": "file:///src/dms2msk", "dir_info": {"editable": True}})
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # import cairosvg now raises ImportError
    with pytest.raises(ToolError) as raised:
        chart_png(None)  # type: ignore[arg-type]
    assert (raised.value.hint or "").startswith(f"{shlex.quote(sys.executable)} -m pip install '/src/dms2msk[png]'")
