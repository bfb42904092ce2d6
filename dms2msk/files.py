"""Writing one output file all at once, without replacing what the path points to.

Every file dms2msk writes outside a rendered root (``-o`` reports, charts, the
inventory, plugin ZIPs, price caches) goes through :func:`write_file`:

* a regular file (or a new path) is written to a temporary file beside it and
  renamed over it, so a reader never sees half a file; the existing file keeps its
  mode (and, as root, its owner); a new one gets 0666 under the umask, since
  nothing secret is in these files;
* a symlink is followed: its target is replaced the same way and the link stays;
* anything else (``/dev/null``, ``/dev/stdout``, a FIFO) is opened and written
  through: renaming over it would replace a device the whole machine uses.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError


def default_mode(base: int = 0o666) -> int:
    """``base`` under the process umask: the mode ``open`` or ``mkdir`` would give a new entry."""
    return base & ~_umask()


def _umask() -> int:
    # Linux shows the umask in /proc; setting it to read it back would race with other threads creating files.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def write_file(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` (text is UTF-8) to ``path``: atomically for a regular file, through anything else."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(path))  # a symlink stays; its target gets the content
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise InputError(f"{path} is a folder, not a file", hint="pass the path of a file to write")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            _write_through(target, payload)
        else:
            _replace(target, payload, existing)
    except OSError as exc:
        raise _unwritable(path, exc) from None


def _write_through(target: Path, payload: bytes) -> None:
    """Open the device or FIFO as it is and write into it; it is never renamed or recreated."""
    with open(target, "wb") as stream:
        stream.write(payload)


def _replace(target: Path, payload: bytes, existing: os.stat_result | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(existing.st_mode) if existing else default_mode())
        if existing is not None and (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(temporary, existing.st_uid, existing.st_gid)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _unwritable(path: Path, exc: OSError) -> InputError:
    return InputError(
        f"cannot write {path}: {exc.strerror or exc}",
        hint="choose a path in a folder you can write to",
    )
