"""checkov on the rendered example estate and the generated 54-task one.

No failed check, and every skip is an inline comment with its reason in the file of its resource.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.render import render
from tests.support.checkov import Checkov
from tests.support.mapping import estate_inventory

from .test_render_large import generated_inventory

pytestmark = pytest.mark.real

# An inline skip with its reason: `#checkov:skip=CKV_AWS_123:why this does not apply`.
_INLINE_SKIP = re.compile(r"#\s*checkov:skip=(CKV2?_[A-Z0-9_]+):\s*\S")


@pytest.mark.parametrize("estate", ["example", "generated-54-tasks"])
def test_rendered_estate_passes_checkov(estate: str, checkov: Checkov, tmp_path: Path) -> None:
    settings = Settings()
    inventory = estate_inventory() if estate == "example" else generated_inventory()
    result = map_inventory(inventory, settings)
    assert result.pipelines, "the estate maps to at least one pipeline"
    out = tmp_path / "out"
    render(result, settings, out, inventory=inventory)

    scan = checkov.scan(out)
    assert scan.passed > 0, "checkov ran no check on OUT"
    assert not scan.failed, "checkov failed checks:\n" + "\n".join(str(check) for check in scan.failed)

    # Every skip checkov reports comes from an inline comment with a reason, in the file of its resource.
    written = {
        (path.relative_to(out).as_posix(), match.group(1))
        for path in out.rglob("*.tf")
        for match in _INLINE_SKIP.finditer(path.read_text(encoding="utf-8"))
    }
    for skip in scan.skipped:
        where = f"{skip['check_id']} on {skip['resource']}"
        file = (skip.get("file_path") or "").lstrip("/")
        assert (file, skip["check_id"]) in written, f"{where} is skipped without an inline comment in {file}"
        reason = (skip.get("check_result") or {}).get("suppress_comment") or ""
        assert reason.strip(), f"{where} has no reason"
