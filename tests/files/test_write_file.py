"""One atomic writer for every output file: regular files renamed over, devices, FIFOs and symlinks written through."""

from __future__ import annotations

import ast
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as root_cli
from dms2msk.errors import InputError
from dms2msk.files import write_file

NULL_DEVICE = os.makedev(1, 3)  # the numbers of /dev/null on Linux
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="os.mknod of a character device needs root")


def null_device(tmp_path: Path) -> Path:
    """A private /dev/null: writing to it is harmless, replacing it would be the bug."""
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, NULL_DEVICE)
    node.chmod(0o666)  # mknod applies the umask
    return node


def assert_still_null_device(node: Path) -> None:
    status = node.lstat()
    assert stat.S_ISCHR(status.st_mode), f"{node} was replaced by a {stat.filemode(status.st_mode)} entry"
    assert status.st_rdev == NULL_DEVICE and stat.S_IMODE(status.st_mode) == 0o666


@needs_root
def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    node = null_device(tmp_path)
    write_file(node, "report\n")
    assert_still_null_device(node)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left beside it


def test_a_fifo_is_written_through_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_stays_and_its_target_gets_the_content_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "real" / "plan.md"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "plan.md"
    link.symlink_to(target)
    write_file(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.md"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "inventory.json"
    link.symlink_to(tmp_path / "kept" / "inventory.json")
    write_file(link, "{}")
    assert link.is_symlink() and (tmp_path / "kept" / "inventory.json").read_text() == "{}"


def test_a_regular_file_is_renamed_over_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old")
    path.chmod(0o600)
    inode = path.stat().st_ino
    write_file(path, "new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_ino != inode  # a new file renamed over: a reader never sees half of it


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_gets_0666_under_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_file(tmp_path / "sub" / "chart.svg", "<svg/>")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "sub" / "chart.svg").stat().st_mode) == mode


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: Path("/proc/self/x"), "cannot write /proc/self/x"),
        (lambda tmp: tmp / "file" / "below", "cannot write"),
    ],
)
def test_a_path_that_cannot_be_written_is_a_clear_error(tmp_path: Path, where, words: str) -> None:
    (tmp_path / "file").write_text("a regular file")
    with pytest.raises(InputError, match=words) as caught:
        write_file(where(tmp_path), "x")
    assert caught.value.hint


@needs_root
def test_plan_and_cost_output_to_a_device_or_symlink_write_through(tmp_path: Path) -> None:
    from dms2msk.config import Settings
    from dms2msk.model import dumps
    from dms2msk.render import render
    from tests.cost.estate import instance, inventory, task
    from tests.render.seed_pipeline import REGION, seed_result

    out = tmp_path / "out"
    render(seed_result(with_skipped=False), Settings(), out)
    replication_instance = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inventory_path = tmp_path / "inventory.json"
    inventory_path.write_text(
        dumps(inventory(REGION, (replication_instance,), (task("orders", replication_instance),)))
    )
    node = null_device(tmp_path)
    runner = CliRunner()
    planned = runner.invoke(root_cli, ["plan", str(out), "-o", str(node)])
    assert planned.exit_code in (0, 3, 4), planned.output
    assert_still_null_device(node)
    report = tmp_path / "reports" / "cost.md"
    report.parent.mkdir()
    link = tmp_path / "cost.md"
    link.symlink_to(report)
    chart_link = tmp_path / "chart.svg"
    chart_link.symlink_to(node)
    costed = runner.invoke(
        root_cli,
        ["cost", "-i", str(inventory_path), str(out), "--format", "md", "-o", str(link), "--chart", str(chart_link)],
    )
    assert costed.exit_code in (0, 3), costed.output
    assert link.is_symlink() and "| Task |" in report.read_text()
    assert_still_null_device(node)


ALLOWED_RENAMERS = {"files.py", "render/atomic.py"}


def test_every_writer_goes_through_the_one_helper() -> None:
    """Only the helper (and the folder swap of render) rename files into place."""
    package = Path(__file__).resolve().parents[2] / "dms2msk"
    offenders = []
    for source in sorted(package.rglob("*.py")):
        relative = source.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            calls_rename = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("replace", "rename", "mkstemp")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("os", "tempfile", "tmp", "temp", "temporary")
            )
            if calls_rename and relative not in ALLOWED_RENAMERS:
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


@pytest.mark.real
@needs_root
def test_scan_output_to_a_device_or_symlink_writes_through(moto_endpoint: str, tmp_path: Path) -> None:
    from dms2msk.estate import load_estate, seed_estate

    seed_estate(load_estate(), moto_endpoint)
    node = null_device(tmp_path)
    scanned = CliRunner().invoke(
        root_cli, ["scan", "--region", "ap-northeast-2", "--endpoint-url", moto_endpoint, "-o", str(node)]
    )
    assert scanned.exit_code == 0, scanned.output
    assert_still_null_device(node)
    kept = tmp_path / "inventories" / "estate.json"
    link = tmp_path / "dms2msk-inventory.json"
    link.symlink_to(kept)
    scanned = CliRunner().invoke(
        root_cli, ["scan", "--region", "ap-northeast-2", "--endpoint-url", moto_endpoint, "-o", str(link)]
    )
    assert scanned.exit_code == 0, scanned.output
    assert link.is_symlink() and '"regions"' in kept.read_text()
