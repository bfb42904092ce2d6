"""The one owner of OUT, the folder ``dms2msk render`` writes: its paths, constants and manifest.

render writes the manifest with :meth:`Manifest.to_bytes`; plan, cost, plugins,
verify and rehearse read it with :func:`read_manifest`, so the file's layout and
its error messages live in one place.
"""

from __future__ import annotations

import glob
import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .errors import InputError
from .model import MappingResult, dumps, from_jsonable

MANIFEST_NAME = "dms2msk.json"
"""The manifest: tool version, scan time, settings, mapping result and the files render wrote."""
FINDINGS_NAME = "findings.json"
CONNECTORS_DIR = "connectors"
"""``connectors/<name>.json``: each connector's config as MSK Connect gets it."""
PLUGINS_DIR = "plugins"
"""Where ``dms2msk plugins build`` puts the ZIPs the root refers to (not written by render)."""
FILES_KEY = "files"
"""The manifest's record of what render wrote: relative path -> SHA-256 of the bytes."""
BOOTSTRAP_PLACEHOLDER = "${bootstrap_servers}"
"""Stands for the cluster's IAM bootstrap brokers in connectors/*.json."""


def manifest_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def connector_path(out_dir: str | Path, connector_name: str) -> Path:
    return Path(out_dir) / CONNECTORS_DIR / f"{connector_name}.json"


def plugin_key(plugin: str, debezium_version: str) -> str:
    """``debezium-connector-mysql-2.7.3.Final``: a plugin ZIP's name without ``.zip``, and its Terraform key."""
    return f"{plugin}-{debezium_version}"


@dataclass(frozen=True)
class Manifest:
    """What ``OUT/dms2msk.json`` holds."""

    settings: Settings
    mapping: MappingResult
    tool_version: str | None = None
    inventory_scanned_at: str | None = None
    files: Mapping[str, str] | None = None  # None in manifests of versions that did not record their files
    # Region -> kinds the scan behind this render could not read completely: plan decommissions nothing there.
    inventory_unread: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        document: dict[str, object] = {
            "tool_version": self.tool_version,
            "inventory_scanned_at": self.inventory_scanned_at,
            "inventory_unread": dict(sorted(self.inventory_unread.items())),
            "settings": self.settings,
            "mapping": self.mapping,
        }
        if self.files is not None:
            document[FILES_KEY] = dict(sorted(self.files.items()))
        return dumps(document).encode("utf-8")


def read_manifest(out_dir: str | Path, *, missing_hint: str | None = None) -> Manifest:
    """The manifest in ``out_dir``; an InputError saying what is wrong and how to fix it otherwise."""
    path = manifest_path(out_dir)
    render_command = f"dms2msk render {shlex.quote(str(Path(out_dir)))}"
    rerender = f"run `{render_command}` again to rewrite it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        interrupted = interrupted_render(Path(out_dir))
        if interrupted is not None:
            raise InputError(
                f"{path} does not exist: a render into {Path(out_dir)} was interrupted and left it in {interrupted}",
                hint=f"run `{render_command}` (with the same -i and --config): it brings the folder "
                "back first, then renders",
            ) from None
        raise InputError(
            f"{path} does not exist: {Path(out_dir)} is not a folder written by `dms2msk render`",
            hint=missing_hint or f"run `{render_command}` first",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read: {exc}", hint=rerender) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", hint=rerender
        ) from None
    if not isinstance(data, dict) or "mapping" not in data:
        raise InputError(f"{path} has no 'mapping'", hint=rerender)
    try:
        mapping = from_jsonable(MappingResult, data["mapping"], where=f"{path}:mapping")
        settings = from_jsonable(Settings, data.get("settings") or {}, where=f"{path}:settings")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(f"{path} does not match the manifest schema: {exc}", hint=rerender) from None
    return Manifest(
        settings=settings,
        mapping=mapping,
        tool_version=_text_or_none(data.get("tool_version")),
        inventory_scanned_at=_text_or_none(data.get("inventory_scanned_at")),
        files=recorded_files_of(data),
        inventory_unread=_unread(data.get("inventory_unread"), path),
    )


def _unread(value: object, path: Path) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}  # manifests of versions that did not record it
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise InputError(
            f"{path}: `inventory_unread` must map regions to lists of kinds",
            hint=f"run `dms2msk render {path.parent}` again to rewrite it",
        )
    return {str(region): tuple(str(kind) for kind in kinds) for region, kinds in value.items()}


BACKUP_INFIX = ".previous-"
"""``.OUT.previous-*``: the old OUT while render swaps the new one in (see ``render.atomic``)."""


def interrupted_render(out_dir: Path) -> Path | None:
    """The old OUT an interrupted render left beside a missing OUT, if any."""
    try:
        return next(iter(sorted(out_dir.parent.glob(f".{glob.escape(out_dir.name)}{BACKUP_INFIX}*"))), None)
    except OSError:
        return None


def recorded_files(out_dir: str | Path) -> dict[str, str] | None:
    """Only the record of what render wrote (None without one): read even when the rest does not parse."""
    try:
        data = json.loads(manifest_path(out_dir).read_bytes())
    except (OSError, ValueError):
        return None
    return recorded_files_of(data)


def recorded_files_of(data: object) -> dict[str, str] | None:
    recorded = data.get(FILES_KEY) if isinstance(data, dict) else None
    if not isinstance(recorded, dict):
        return None
    return {str(path): str(sha) for path, sha in recorded.items()}


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
