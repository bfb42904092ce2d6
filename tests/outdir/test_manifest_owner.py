"""One owner of OUT: the manifest is written and read in one place, with one set of messages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk import outdir
from dms2msk.cli import cli as root_cli
from dms2msk.config import Settings
from dms2msk.errors import InputError
from dms2msk.model import dumps
from dms2msk.render import render
from tests.render.seed_pipeline import seed_pipeline, seed_result
from tests.support.mapping import make_inventory

PACKAGE = Path(__file__).resolve().parents[2] / "dms2msk"
OUT_CONSTANTS = {outdir.MANIFEST_NAME, outdir.BOOTSTRAP_PLACEHOLDER, outdir.FINDINGS_NAME}


def test_the_manifest_reads_back_what_render_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    manifest = outdir.read_manifest(out)
    assert manifest.mapping.pipelines[0] == seed_pipeline()
    assert manifest.settings == Settings()
    assert manifest.files is not None and "main.tf" in manifest.files and outdir.MANIFEST_NAME not in manifest.files
    assert manifest.to_bytes() == outdir.manifest_path(out).read_bytes()  # one layout, both ways


def test_no_module_but_the_owner_spells_out_the_out_layout_constants() -> None:
    """Readers of dms2msk.json with a copied name or placeholder drift apart; they import them instead."""
    copies = []
    for source in sorted(PACKAGE.rglob("*.py")):
        relative = source.relative_to(PACKAGE).as_posix()
        if relative == "outdir.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in OUT_CONSTANTS:
                copies.append(f"{relative}:{node.lineno} {node.value}")
    assert copies == []


def broken_out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    outdir.manifest_path(out).write_text("{broken", encoding="utf-8")
    return out


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "{out}"],
        ["cost", "-i", "{inventory}", "{out}"],
        ["plugins", "build", "-o", "{out}"],
        ["verify", "{out}"],
        ["rehearse", "{out}"],
    ],
)
def test_every_command_reading_out_says_the_same_about_a_broken_manifest(tmp_path: Path, command: list[str]) -> None:
    out = broken_out(tmp_path)
    inventory = tmp_path / "inventory.json"
    inventory.write_text(dumps(make_inventory()))
    arguments = [part.format(out=out, inventory=inventory) for part in command]
    result = CliRunner().invoke(root_cli, arguments)
    assert result.exit_code == 1, result.output
    assert f"{outdir.manifest_path(out)} is not valid JSON: Expecting property name" in result.stderr
    assert f"dms2msk render {out}` again" in result.stderr


def test_a_missing_manifest_names_the_folder_and_the_command(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a folder written by `dms2msk render`") as caught:
        outdir.read_manifest(tmp_path)
    assert "dms2msk render" in (caught.value.hint or "")


def test_a_missing_out_left_by_an_interrupted_render_names_the_command_that_brings_it_back(tmp_path: Path) -> None:
    from dms2msk.render import atomic

    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    backup = atomic.retire(out)  # what a render killed between its two renames leaves
    assert backup is not None
    result = CliRunner().invoke(root_cli, ["plan", str(out)])
    assert result.exit_code == 1, result.output
    assert f"was interrupted and left it in {backup}" in result.stderr
    assert f"run `dms2msk render {out}`" in result.stderr
