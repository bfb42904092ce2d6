"""Writing OUT all at once, keeping every file dms2msk did not write.

The manifest (``dms2msk.json``) records each file render wrote with its SHA-256
(``files``). A new render sorts what is in OUT the way copier does:

* a path render writes and nobody changed since (or that is not there): written;
* a path render writes that holds something else (a user's own ``main.tf``, a file
  edited since the last render): a conflict, refused unless ``--force``, which lists it;
* a path an earlier render wrote and this one does not, unchanged: dropped (stale);
* everything else (``plugins/``, ``.terraform``, state, ``modules/vpc/main.tf``): kept.

The swap, under an exclusive ``fcntl`` lock (on OUT's parent folder, since OUT
itself is renamed):

1. stage: ``.OUT.render-*`` beside OUT gets the new files and hard links to every
   kept file, so the new tree is complete before anything is renamed;
2. retire: OUT becomes ``.OUT.previous-*``;
3. install: the stage becomes OUT;
4. settle: whatever appeared in the old OUT meanwhile moves over; the old OUT is
   renamed ``.OUT.discard-*`` and deleted.

A kill at any step leaves every file in OUT, in the stage or in the backup; the
next render (``recover``) deletes stages and discards, brings a backup back when
OUT is missing and moves over what the new OUT lacks. A symlinked OUT stays a
symlink: render works in its target.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..files import default_mode, write_file
from ..outdir import MANIFEST_NAME, recorded_files

MARKER = MANIFEST_NAME
"""The manifest; its presence says dms2msk wrote the folder."""
LOCK_TIMEOUT_S = 120.0
"""How long a render waits for another one writing the same OUT."""

_STAGE, _BACKUP, _DISCARD = "render", "previous", "discard"


@dataclass(frozen=True)
class Sorting:
    """How the entries already in OUT meet the files of a new render."""

    conflicts: tuple[str, ...] = ()  # paths render writes that hold something else
    through: tuple[str, ...] = ()  # of those (or identical ones), symlinks and devices: written through, kept
    stale: frozenset[str] = frozenset()  # written by an earlier render, unchanged, not written now


@dataclass(frozen=True)
class Swap:
    """What writing one root did besides writing its files."""

    replaced: tuple[str, ...] = ()  # files dms2msk did not write (or that were changed) that --force replaced
    recovered: tuple[str, ...] = ()  # what an interrupted earlier render left, and what became of it


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def real_out(out_dir: Path) -> Path:
    """Where OUT's files live: a symlinked OUT is followed so the link itself stays."""
    return Path(os.path.realpath(out_dir)) if out_dir.is_symlink() else out_dir


def check_destination(out_dir: Path, *, force: bool) -> None:
    """Refuse to write into a folder that dms2msk did not write, unless forced."""
    out_dir = real_out(out_dir)
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"{out_dir} exists and is not a folder", hint="pass a folder path as OUT")
        if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file() and not force:
            raise InputError(
                f"{out_dir} is not empty and was not written by dms2msk (it has no {MARKER})",
                hint="choose an empty or new folder, or pass --force to render into it (files at the paths "
                "dms2msk writes are replaced and listed; every other file is kept)",
            )
    except OSError as exc:
        raise _cannot_create(out_dir, exc) from None


def sort_existing(out_dir: Path, files: Mapping[str, bytes]) -> Sorting:
    """Sort what OUT holds against ``files`` (see the module's docstring); OUT is only read."""
    out_dir = real_out(out_dir)
    if not out_dir.is_dir():
        return Sorting()
    recorded = recorded_files(out_dir)
    has_manifest = (out_dir / MARKER).is_file()
    conflicts: list[str] = []
    through: list[str] = []
    for relative, data in sorted(files.items()):
        path = out_dir / relative
        try:
            status = path.lstat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISDIR(status.st_mode):
            raise InputError(
                f"{path} is a folder where dms2msk writes a file", hint="move that folder out of OUT and render again"
            )
        if not stat.S_ISREG(status.st_mode):
            through.append(relative)  # a symlink or a device: written through after the swap, never replaced
            if not (path.is_file() and path.read_bytes() == data):
                conflicts.append(relative)
            continue
        current = digest(path.read_bytes())
        ours = relative == MARKER or (
            relative in recorded and recorded[relative] == current if recorded is not None else has_manifest
        )
        if current != digest(data) and not ours:
            conflicts.append(relative)
    stale = frozenset(
        relative
        for relative, sha in (recorded or {}).items()
        if relative not in files and _regular_digest(out_dir / relative) == sha
    )
    return Sorting(tuple(conflicts), tuple(through), stale)


def refuse_conflicts(out_dir: Path, sorting: Sorting, *, force: bool) -> None:
    if sorting.conflicts and not force:
        listed = ", ".join(sorting.conflicts[:10]) + (" ..." if len(sorting.conflicts) > 10 else "")
        raise InputError(
            f"{out_dir} holds {len(sorting.conflicts)} file(s) dms2msk did not write (or that were changed since) "
            f"where it writes its own: {listed}",
            hint="move your changes elsewhere (an extra *.tf file is kept), or pass --force to replace them",
        )


def write_root(out_dir: Path, files: Mapping[str, bytes], *, force: bool) -> Swap:
    """Make OUT hold ``files`` plus everything it held that dms2msk did not write; atomic, locked, recoverable."""
    real = real_out(out_dir)
    with lock(real):
        recovered = recover(real)
        sorting = sort_existing(real, files)
        refuse_conflicts(out_dir, sorting, force=force)
        stage = make_stage(real, files, sorting)
        backup = None
        try:
            backup = retire(real)
            install(stage, real)
        except BaseException as exc:
            if backup is not None and not os.path.lexists(real):
                os.replace(backup, real)
            shutil.rmtree(stage, ignore_errors=True)
            if isinstance(exc, OSError):
                raise InputError(
                    f"cannot swap the new files into {out_dir}: {exc.strerror or exc}; it was left as it was",
                    hint="if OUT is a mount point, render into a folder inside it",
                ) from None
            raise
        if backup is not None:
            settle(backup, real)
        for relative in sorting.through:
            write_file(real / relative, files[relative])
    return Swap(replaced=sorting.conflicts, recovered=recovered)


@contextlib.contextmanager
def lock(real: Path) -> Iterator[None]:
    """An exclusive lock for writing OUT, held on its parent folder (OUT itself is renamed)."""
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(real.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _cannot_create(real, exc) from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputError(
                        f"another dms2msk render into {real.parent} has held its lock for {LOCK_TIMEOUT_S:.0f} s",
                        hint="wait for it to finish (or stop it), then run this render again",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _leftovers(real: Path, kind: str) -> list[Path]:
    prefix = f".{real.name}.{kind}-"
    return sorted(p for p in real.parent.iterdir() if p.name.startswith(prefix))


def recover(real: Path) -> tuple[str, ...]:
    """Finish what an interrupted render left beside OUT; nothing in it is lost."""
    notes: list[str] = []
    for stage in _leftovers(real, _STAGE):
        shutil.rmtree(stage)
        notes.append(f"deleted {stage.name}, the unfinished new tree of an interrupted render")
    backups = _leftovers(real, _BACKUP)
    if backups and not os.path.lexists(real):
        newest = max(backups, key=lambda p: p.lstat().st_ctime)
        os.replace(newest, real)
        backups.remove(newest)
        notes.append(f"brought {real.name} back from {newest.name}: a render was interrupted between its renames")
    for backup in backups:
        settle(backup, real)
        notes.append(f"moved what {real.name} lacked from {backup.name}, left by a render interrupted after its swap")
    for discard in _leftovers(real, _DISCARD):
        shutil.rmtree(discard)
        notes.append(f"deleted {discard.name}, the old tree of a render interrupted while deleting it")
    return tuple(notes)


def make_stage(real: Path, files: Mapping[str, bytes], sorting: Sorting) -> Path:
    """The complete new tree beside OUT: kept entries hard-linked from OUT, then the new files."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{real.name}.{_STAGE}-", dir=real.parent))
    except OSError as exc:
        raise _cannot_create(real, exc) from None
    try:
        # mkdtemp's 0700 is for secrets; OUT has none, and keeps the mode it had.
        stage.chmod(stat.S_IMODE(real.stat().st_mode) if real.is_dir() else default_mode(0o777))
        if real.is_dir():
            skipped = (set(files) - set(sorting.through)) | sorting.stale
            link_tree(real, stage, skipped)
        write_tree(stage, {path: data for path, data in files.items() if path not in sorting.through})
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def link_tree(source: Path, destination: Path, skipped: set[str] | frozenset[str]) -> None:
    """Mirror ``source`` into ``destination`` without copying data: folders made, files hard-linked, links copied.

    An entry that cannot be linked stays in ``source``; ``settle`` moves it over after the swap.
    """
    for folder, folders, names in os.walk(source):
        relative_folder = Path(folder).relative_to(source)
        for name in sorted(folders):
            if (Path(folder) / name).is_symlink():
                names.append(name)  # a symlink to a folder is carried as a link, not walked
                continue
            made = destination / relative_folder / name
            made.mkdir(exist_ok=True)
            shutil.copymode(Path(folder) / name, made)
        for name in sorted(names):
            relative = (relative_folder / name).as_posix()
            if relative in skipped:
                continue
            original, copy = Path(folder) / name, destination / relative_folder / name
            if original.is_symlink():
                os.symlink(os.readlink(original), copy)
            else:
                with contextlib.suppress(OSError):
                    os.link(original, copy, follow_symlinks=False)


def write_tree(stage: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative POSIX path -> bytes) under ``stage``, in sorted order, each as a new file."""
    for relative in sorted(files):
        path = stage / relative
        if stage.resolve() not in path.resolve().parents:
            raise InputError(f"refusing to write {relative!r} outside the output folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as stream:  # "x": never into a file hard-linked from the old OUT
            stream.write(files[relative])


def retire(real: Path) -> Path | None:
    """Step 2: the old OUT moves aside (None when there was none)."""
    if not os.path.lexists(real):
        return None
    backup = Path(tempfile.mkdtemp(prefix=f".{real.name}.{_BACKUP}-", dir=real.parent))
    backup.rmdir()  # os.replace needs the name free
    os.replace(real, backup)
    return backup


def install(stage: Path, real: Path) -> None:
    """Step 3: the stage becomes OUT."""
    os.replace(stage, real)


def settle(backup: Path, real: Path) -> None:
    """Step 4: move what OUT lacks from the old tree (anything not an unchanged dms2msk file), then delete it."""
    if not os.path.lexists(real):
        os.replace(backup, real)
        return
    recorded = recorded_files(backup) or {}
    for folder, folders, names in os.walk(backup):
        relative_folder = Path(folder).relative_to(backup)
        entries = [*names, *(name for name in folders if (Path(folder) / name).is_symlink())]
        for name in sorted(entries):
            relative = (relative_folder / name).as_posix()
            original, target = Path(folder) / name, real / relative
            if os.path.lexists(target) or _regular_digest(original) == recorded.get(relative, ""):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(original, target)
    discard = backup.with_name(backup.name.replace(f".{_BACKUP}-", f".{_DISCARD}-", 1))
    os.replace(backup, discard)  # from here nothing in it is needed: a kill leaves it for deletion only
    shutil.rmtree(discard)


def _regular_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes()) if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _cannot_create(out_dir: Path, exc: OSError) -> InputError:
    return InputError(
        f"cannot create or write the output folder {out_dir}: {exc.strerror or exc}",
        hint="pass a folder path whose parent is a folder you can write to",
    )
