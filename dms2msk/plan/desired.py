"""The desired state: what ``dms2msk render OUT`` wrote (``OUT/dms2msk.json`` and ``OUT/connectors/*.json``)."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputError
from ..model import MappingResult, Pipeline, WorkerConfiguration
from ..outdir import BOOTSTRAP_PLACEHOLDER, connector_path, read_manifest


@dataclass(frozen=True)
class DesiredConnector:
    pipeline: str  # Pipeline.key
    task_identifier: str
    role: str
    name: str
    config: dict[str, str]
    plugin_key: str
    debezium_version: str
    kafkaconnect_version: str
    cluster_config_keys: tuple[str, ...] = ()
    capacity: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DesiredEstate:
    out_dir: Path
    settings: Settings
    mapping: MappingResult
    inventory_scanned_at: str | None
    tool_version: str | None
    connectors: dict[str, DesiredConnector]
    inventory_unread: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Region -> kinds the inventory render read could not list completely (manifest ``inventory_unread``)."""

    @property
    def worker_configuration(self) -> WorkerConfiguration | None:
        """The worker configuration render recorded; None in manifests of versions that did not record it."""
        return self.mapping.worker_configuration

    def pipeline_of(self, connector_name: str) -> Pipeline | None:
        wanted = self.connectors.get(connector_name)
        if wanted is None:
            return None
        return next((p for p in self.mapping.pipelines if p.key == wanted.pipeline), None)


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{path} does not exist: it is not a folder written by `dms2msk render`",
            hint=f"run `dms2msk render {shlex.quote(str(path.parent))}` first",
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint=f"run `dms2msk render {shlex.quote(str(path.parent))}` to write the folder again",
        ) from None


def desired_capacity(settings: Settings, autoscaling_allowed: bool) -> dict[str, Any]:
    """The capacity block render gives a connector (provisioned from the settings)."""
    del autoscaling_allowed  # render provisions a fixed worker count; autoscaling is a user choice later
    return {
        "provisioned": {"mcu_count": settings.connectors.mcu_count, "worker_count": settings.connectors.worker_count}
    }


def load_desired(out_dir: str | Path) -> DesiredEstate:
    """Read the manifest and the connector files render wrote into ``out_dir``."""
    out = Path(out_dir)
    manifest = read_manifest(out)
    mapping, settings = manifest.mapping, manifest.settings

    kafkaconnect_version = mapping.kafkaconnect_version or settings.effective_kafkaconnect_version
    connectors: dict[str, DesiredConnector] = {}
    for pipeline in mapping.pipelines:
        debezium_version = pipeline.debezium_version or mapping.debezium_version or settings.debezium_version
        for connector in pipeline.connectors:
            config = _connector_file_config(out, connector.name) or _with_placeholder(
                connector.config, connector.cluster_config_keys
            )
            connectors[connector.name] = DesiredConnector(
                pipeline=pipeline.key,
                task_identifier=pipeline.task_identifier,
                role=connector.role,
                name=connector.name,
                config=config,
                plugin_key=connector.plugin,
                debezium_version=debezium_version,
                kafkaconnect_version=kafkaconnect_version,
                cluster_config_keys=connector.cluster_config_keys,
                capacity=desired_capacity(settings, connector.autoscaling_allowed),
            )
    return DesiredEstate(
        out_dir=out,
        settings=settings,
        mapping=mapping,
        inventory_scanned_at=manifest.inventory_scanned_at,
        tool_version=manifest.tool_version,
        connectors=connectors,
        inventory_unread=dict(manifest.inventory_unread),
    )


def _with_placeholder(config: dict[str, str], cluster_keys: tuple[str, ...]) -> dict[str, str]:
    merged = dict(config)
    for key in cluster_keys:
        merged[key] = BOOTSTRAP_PLACEHOLDER
    return merged


def _connector_file_config(out: Path, name: str) -> dict[str, str] | None:
    """``OUT/connectors/<name>.json`` is what MSK Connect gets; prefer it over the manifest copy."""
    path = connector_path(out, name)
    if not path.is_file():
        return None
    data = _read_json(path, "connector file")
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise InputError(f"connector file {path} has no `config` object", hint=f"re-run `dms2msk render {out}`")
    return {str(k): str(v) for k, v in config.items()}
