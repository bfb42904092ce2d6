"""OUT keeps every file render did not write, and survives a kill at any step of its swap."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as root_cli
from dms2msk.config import Settings
from dms2msk.errors import InputError
from dms2msk.model import dumps
from dms2msk.render import atomic, render
from tests.support.mapping import make_inventory

from .seed_pipeline import seed_pipeline, seed_result

ROOT = Path(__file__).resolve().parents[2]

USER_FILES = {
    "terraform.tfstate": '{"version": 4}',
    "backend.tf": 'terraform {\n  backend "local" {}\n}\n',
    "plugins/debezium-connector-mysql-2.7.3.Final.zip": "PK",
    "modules/vpc/main.tf": 'resource "aws_vpc" "mine" {}\n',
    "connectors/NOTES.md": "why these connectors\n",
    ".terraform/providers/registry.terraform.io/hashicorp/aws/provider.bin": "binary",
}


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def add_user_files(out: Path) -> None:
    for relative, text in USER_FILES.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)


def assert_user_files_in(out: Path) -> None:
    assert {k: v for k, v in tree(out).items() if k in USER_FILES} == USER_FILES


def hidden_siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


def two_pipelines():
    result = seed_result(with_skipped=False)
    return dataclasses.replace(result, pipelines=(*result.pipelines, seed_pipeline("other-task", "other_task")))


# --------------------------------------------------------------------------- #
# Carry-over by file                                                           #
# --------------------------------------------------------------------------- #


def test_rerender_keeps_user_files_in_subfolders_render_writes_into(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    add_user_files(out)
    render(seed_result(with_skipped=False), Settings(), out)
    assert_user_files_in(out)
    assert (out / "modules" / "connector" / "main.tf").is_file()
    assert hidden_siblings(out) == []


def test_force_into_a_foreign_folder_replaces_only_files_at_its_paths_and_lists_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("main.tf", "README.md", "variables.tf", "notes.txt"):
        (out / name).write_text(f"my own {name}")
    with pytest.raises(InputError, match="not written by dms2msk"):
        render(seed_result(), Settings(), out)
    result = CliRunner().invoke(root_cli, ["render", str(out), "--force", "-i", str(write_inventory(tmp_path))])
    assert result.exit_code in (0, 3), result.output
    for name in ("README.md", "main.tf", "variables.tf"):
        assert str(out / name) in result.stderr
    assert "Replaced 3 file(s)" in result.stderr
    assert (out / "notes.txt").read_text() == "my own notes.txt"
    assert "my own" not in (out / "main.tf").read_text()


def write_inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(dumps(make_inventory()))
    return path


def test_a_rendered_file_changed_since_is_refused_then_replaced_and_listed_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    (out / "main.tf").write_text("# my edit\n")
    with pytest.raises(InputError, match=r"main\.tf") as caught:
        render(seed_result(), Settings(), out)
    assert "--force" in (caught.value.hint or "")
    assert (out / "main.tf").read_text() == "# my edit\n"
    report = render(seed_result(), Settings(), out, force=True)
    assert report.replaced == ("main.tf",)
    assert (out / "main.tf").read_text() != "# my edit\n"


def test_a_connector_file_render_no_longer_writes_goes_unless_it_was_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(two_pipelines(), Settings(), out)
    assert (out / "connectors" / "other-task-source.json").is_file()
    (out / "connectors" / "other-task-sink.json").write_text("{} edited")
    report = render(seed_result(with_skipped=False), Settings(), out)
    assert report.replaced == ()
    assert not (out / "connectors" / "other-task-source.json").exists()  # stale: dms2msk wrote it, nobody changed it
    assert (out / "connectors" / "other-task-sink.json").read_text() == "{} edited"  # changed by the user: kept


def test_a_manifest_without_a_record_of_files_keeps_the_old_carry_over(tmp_path: Path) -> None:
    """An OUT of an earlier version: its files at render's paths are dms2msk's; nothing else is touched."""
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    manifest = (out / "dms2msk.json").read_text()
    legacy = manifest.split('  "files": {')[0] + manifest.split("\n  },\n", 1)[1]
    (out / "dms2msk.json").write_text(legacy)
    (out / "main.tf").write_text("# legacy-render-marker\n")
    add_user_files(out)
    report = render(seed_result(), Settings(), out)
    assert report.replaced == () and "legacy-render-marker" not in (out / "main.tf").read_text()
    assert_user_files_in(out)


def test_a_symlinked_out_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real-out"
    real.mkdir()
    out = tmp_path / "out"
    out.symlink_to(real)
    render(seed_result(), Settings(), out)
    add_user_files(out)
    render(seed_result(with_skipped=False), Settings(), out)
    assert out.is_symlink() and os.readlink(out) == str(real)
    assert (real / "main.tf").is_file()
    assert_user_files_in(real)
    assert hidden_siblings(real) == []


def test_a_symlink_at_a_path_render_writes_is_written_through_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    shared = tmp_path / "docs" / "README.md"
    shared.parent.mkdir()
    shared.write_text("team readme")
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(shared)
    with pytest.raises(InputError, match=r"README\.md"):
        render(seed_result(), Settings(), out)
    report = render(seed_result(), Settings(), out, force=True)
    assert report.replaced == ("README.md",)
    assert (out / "README.md").is_symlink() and "team readme" not in shared.read_text()


def test_a_new_out_gets_normal_modes_and_an_existing_out_keeps_its_own(tmp_path: Path) -> None:
    previous_umask = os.umask(0o022)
    try:
        out = tmp_path / "out"
        render(seed_result(), Settings(), out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o755  # not mkdtemp's 0700: nothing secret is in OUT
        assert stat.S_IMODE((out / "connectors").stat().st_mode) == 0o755
        assert stat.S_IMODE((out / "dms2msk.json").stat().st_mode) == 0o644
        out.chmod(0o750)
        render(seed_result(), Settings(), out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o750
    finally:
        os.umask(previous_umask)


def test_a_failing_swap_leaves_out_as_it_was_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    add_user_files(out)
    before = tree(out)

    def busy(stage: Path, real: Path) -> None:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(atomic, "install", busy)
    with pytest.raises(InputError, match=r"cannot swap the new files into .*resource busy"):
        render(seed_result(with_skipped=False), Settings(), out)
    assert tree(out) == before and hidden_siblings(out) == []


# --------------------------------------------------------------------------- #
# An OUT that cannot be created                                                #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("where", ["/proc/self/x", "{tmp}/file/out"])
def test_an_out_that_cannot_be_created_is_a_clear_error(tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("a regular file")
    out = where.format(tmp=tmp_path)
    result = CliRunner().invoke(root_cli, ["render", out, "-i", str(write_inventory(tmp_path))])
    assert result.exit_code == 1, result.output
    assert f"cannot create or write the output folder {out}" in result.stderr
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="drops root's file capabilities")
def test_an_out_in_a_folder_without_write_permission_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "read-only"
    locked.mkdir(mode=0o555)
    inventory = write_inventory(tmp_path)
    command = [sys.executable, "-m", "dms2msk", "render", str(locked / "out"), "-i", str(inventory)]
    no_override = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", *command]
    run = subprocess.run(no_override, capture_output=True, text=True, env=child_env(), timeout=120)
    assert run.returncode == 1, run.stderr
    assert "cannot create or write the output folder" in run.stderr and "Permission denied" in run.stderr
    assert "Traceback" not in run.stderr


# --------------------------------------------------------------------------- #
# Kills at each step of the swap, and two renders at once                      #
# --------------------------------------------------------------------------- #

CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from dms2msk.config import Settings
    from dms2msk.render import atomic, render
    from tests.render.seed_pipeline import seed_result

    out, point = Path(sys.argv[1]), sys.argv[2]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def after(name, then):
        real = getattr(atomic, name)
        def wrapper(*args, **kwargs):
            value = real(*args, **kwargs)
            then()
            return value
        setattr(atomic, name, wrapper)

    if point == "writing":  # half of the new files are in the stage
        real_write = atomic.write_tree
        def write_half(stage, files):
            real_write(stage, dict(sorted(files.items())[: len(files) // 2]))
            die()
        atomic.write_tree = write_half
    elif point == "discarding":  # the old tree renamed for deletion, not yet deleted
        real_rmtree = atomic.shutil.rmtree
        def rmtree(path, *args, **kwargs):
            if ".discard-" in Path(path).name:
                die()
            return real_rmtree(path, *args, **kwargs)
        atomic.shutil.rmtree = rmtree
    elif point.startswith("before-rename-"):  # the Nth rename of the render, whatever code does it
        real_replace, calls = os.replace, []
        def replace(*args, **kwargs):
            calls.append(args)
            if len(calls) == int(point.rsplit("-", 1)[1]):
                die()
            return real_replace(*args, **kwargs)
        os.replace = replace
    elif point == "slow":  # hold the lock a while, to race another render
        after("make_stage", lambda: time.sleep(1.5))
    elif point != "none":
        after(point, die)
    render(seed_result(with_skipped=False), Settings(), out)
    """
)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start_child(out: Path, point: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), point],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def every_user_file_somewhere(parent: Path) -> None:
    """Each user file, with its content, is in OUT or in a folder beside it: nothing is lost."""
    for relative, text in USER_FILES.items():
        homes = [p for p in parent.iterdir() if p.is_dir() and (p / relative).is_file()]
        assert any((home / relative).read_text() == text for home in homes), relative


@pytest.mark.parametrize(
    "point",
    ["writing", "make_stage", "retire", "install", "discarding", "before-rename-2", "before-rename-3"],
)
def test_a_kill_at_each_step_of_the_swap_loses_nothing_and_the_next_render_recovers(tmp_path: Path, point: str) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    add_user_files(out)
    child = start_child(out, point)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, stderr
    every_user_file_somewhere(tmp_path)
    if point in ("install", "discarding", "before-rename-3"):
        assert_user_files_in(out)  # the new OUT was complete (state, plugins, backend.tf) the moment it appeared
    report = render(seed_result(with_skipped=False), Settings(), out)
    assert_user_files_in(out)
    assert report.recovered
    assert (out / "main.tf").is_file() and (out / "connectors" / "simplydemo-products-source.json").is_file()
    assert hidden_siblings(out) == []


def test_two_renders_into_one_out_at_once_both_succeed_and_keep_the_state(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    add_user_files(out)
    first = start_child(out, "slow")
    time.sleep(0.5)
    second = start_child(out, "none")
    for child in (first, second):
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
    assert_user_files_in(out)
    assert hidden_siblings(out) == []


def test_a_render_waiting_too_long_for_the_lock_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT_S", 0.2)
    with atomic.lock(out), pytest.raises(InputError, match="another dms2msk render") as caught:
        render(seed_result(), Settings(), out)
    assert "run this render again" in (caught.value.hint or "")
