"""Writing OUT all at once: into a temporary folder next to it, then swapped in with os.replace.

A failing render leaves an existing OUT exactly as it was. What a user or
Terraform added to OUT (plugin ZIPs, ``.terraform``, local state, their own
``*.tf`` files) is carried over into the new OUT, never dropped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError

MARKER = "dms2msk.json"
"""The manifest; its presence says dms2msk wrote the folder."""


def check_destination(out_dir: Path, *, force: bool) -> None:
    """Refuse to replace a folder that dms2msk did not write, unless forced."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder", hint="pass a folder path as OUT")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file() and not force:
        raise InputError(
            f"{out_dir} is not empty and was not written by dms2msk (it has no {MARKER})",
            hint="choose an empty or new folder, or pass --force to replace it (its other files are kept)",
        )


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside ``out_dir``; deleted when the block fails."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.render-", dir=out_dir.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def write_tree(stage: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative POSIX path -> bytes) under ``stage``, in sorted order."""
    for relative in sorted(files):
        path = stage / relative
        if stage.resolve() not in path.resolve().parents:
            raise InputError(f"refusing to write {relative!r} outside the output folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[relative])


def swap_in(stage: Path, out_dir: Path) -> None:
    """Make ``stage`` the new ``out_dir``; the old one is kept as a backup until the swap succeeded."""
    if not out_dir.exists():
        os.replace(stage, out_dir)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.previous-", dir=out_dir.parent))
    backup.rmdir()  # os.replace needs the name free
    os.replace(out_dir, backup)
    try:
        os.replace(stage, out_dir)
    except BaseException:
        os.replace(backup, out_dir)
        raise
    # Carry over what the render did not produce: plugin ZIPs, terraform's folder and state, user files.
    for entry in sorted(backup.iterdir()):
        if not (out_dir / entry.name).exists():
            os.replace(entry, out_dir / entry.name)
    shutil.rmtree(backup, ignore_errors=True)
