"""Per-task, per-rule report of what each DMS rule and setting became (``dms2msk advise``).

Usage::

    from dms2msk.advise import build_advice, format_advice
    report = build_advice(inventory, settings)          # maps the inventory
    print(format_advice(report, "text"))                # or "json", "md"
    report.partial                                      # True when a task was skipped

Each task gets one entry per finding (grouped by rule, setting, endpoint or
property), an entry for every table-mapping rule that produced no finding (so
nothing goes unmentioned), and a fidelity summary: counts by severity and the
share of rules carried over: a rule counts only when its effect is exact (one
of its findings says what it became and none is a warning or blocker, and for
selection rules no task-level finding says the tables land elsewhere than DMS
wrote them); every other rule is listed with the reason.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .config import Settings
from .findings import CATALOG_PREFIX, FindingCode, rule_subject
from .mapping import map_inventory
from .mapping.rules import parse_table_mappings
from .model import Finding, Inventory, MappingResult, Severity, to_jsonable

__all__ = ["AdviceEntry", "AdviceReport", "FidelitySummary", "TaskAdvice", "build_advice", "format_advice"]


@dataclass(frozen=True)
class AdviceEntry:
    kind: str  # rule | setting | endpoint | property | task
    subject: str  # e.g. "rule 2 (drop-image)", "ReplicationTaskSettings.ErrorBehavior.DataErrorPolicy"
    severity: Severity
    message: str
    became: str | None = None
    hint: str | None = None
    code: str = ""


@dataclass(frozen=True)
class FidelitySummary:
    rules_total: int = 0
    rules_carried_over: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # severity -> number of findings
    not_carried: tuple[str, ...] = ()  # "rule <id> (<name>): <why>" for every rule not carried over exactly

    @property
    def rules_share(self) -> float | None:
        """Share of table-mapping rules carried over (``None`` when the task has no rules)."""
        return self.rules_carried_over / self.rules_total if self.rules_total else None

    @property
    def worst(self) -> Severity:
        for severity in (Severity.BLOCKER, Severity.WARNING):
            if self.counts.get(severity.value):
                return severity
        return Severity.INFO


@dataclass(frozen=True)
class TaskAdvice:
    task: str
    region: str
    status: str  # mapped | skipped
    source_engine: str = ""
    target_engine: str = ""
    reason: str = ""  # why the task was skipped
    connectors: tuple[str, ...] = ()
    entries: tuple[AdviceEntry, ...] = ()
    summary: FidelitySummary = field(default_factory=FidelitySummary)


@dataclass(frozen=True)
class AdviceReport:
    debezium_version: str
    kafkaconnect_version: str
    tasks: tuple[TaskAdvice, ...] = ()
    unread: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Region -> what the scan could not read completely: tasks there may be missing from the advice."""

    @property
    def partial(self) -> bool:
        return bool(self.unread) or any(t.status == "skipped" for t in self.tasks)


def _kind_and_subject(finding: Finding) -> tuple[str, str]:
    where = finding.where or ""
    if finding.rule_id is not None:
        # The parsed rule goes by its id when it has no name; every entry of one rule shares one subject.
        return "rule", rule_subject(finding) or ""
    if where.startswith("ReplicationTaskSettings"):
        return "setting", where
    if where.startswith("endpoint "):
        return "endpoint", where
    if finding.code.startswith(CATALOG_PREFIX) or finding.code == FindingCode.VERSION_SNAPSHOT_MODE:
        return "property", finding.became or finding.code
    if where:
        return "task", where
    return "task", finding.code


def _entry(finding: Finding) -> AdviceEntry:
    kind, subject = _kind_and_subject(finding)
    return AdviceEntry(
        kind=kind,
        subject=subject,
        severity=finding.severity,
        message=finding.message,  # the rule is in the subject, composed from the finding's fields
        became=finding.became,
        hint=finding.hint,
        code=finding.code,
    )


_KIND_ORDER = {"task": 0, "endpoint": 1, "rule": 2, "setting": 3, "property": 4}


def _sort_key(entry: AdviceEntry, rule_id: str | None) -> tuple[int, int, str]:
    """Tasks, endpoints, then rules by their numeric rule id (from the finding's field, not its subject text)."""
    if entry.kind == "rule":
        number = rule_id.strip() if rule_id else ""
        return (_KIND_ORDER["rule"], int(number) if number.isdigit() else 2**31, entry.subject)
    return (_KIND_ORDER.get(entry.kind, 9), 0, entry.subject)


def advise_result(inventory: Inventory, result: MappingResult) -> AdviceReport:
    """The report for an already mapped inventory (render uses this to write the same findings)."""
    pipelines = {(p.region, p.task_identifier): p for p in result.pipelines}
    skipped = {(s.region, s.task_identifier): s for s in result.skipped}
    by_task: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings:
        by_task.setdefault((finding.region or "", finding.task or ""), []).append(finding)
    tasks: list[TaskAdvice] = []
    for region, task in sorted(inventory.iter_tasks(), key=lambda rt: (rt[0].region, rt[1].identifier)):
        key = (region.region, task.identifier)
        findings = by_task.get(key, [])
        parsed = parse_table_mappings(task.table_mappings, task=task.identifier)
        rules = [
            (r.rule_id, r.rule_name)
            for group in (parsed.selections, parsed.transformations, parsed.table_settings, parsed.others)
            for r in group
        ]
        keyed = [(_entry(f), f.rule_id) for f in findings]
        rule_findings: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.rule_id is not None:
                rule_findings.setdefault(finding.rule_id, []).append(finding)
        carried = 0
        selection_ids = {r.rule_id for r in parsed.selections}
        naming_gap = next(
            (
                f
                for f in findings
                if f.rule_id is None and f.code in TARGET_NAMING_CODES and f.severity is not Severity.INFO
            ),
            None,
        )
        not_carried: list[str] = []
        for rule_id, rule_name in rules:
            found = rule_findings.get(rule_id)
            if not found:
                unreported = AdviceEntry(
                    kind="rule",
                    subject=f"rule {rule_id} ({rule_name})",
                    severity=Severity.WARNING,
                    message="no finding says what this rule became; treat it as not carried over",
                    code=FindingCode.ADVISE_RULE_UNREPORTED,
                )
                keyed.append((unreported, rule_id))
            reason = _not_exact(found or [], naming_gap if rule_id in selection_ids else None)
            if reason is None:
                carried += 1
            else:
                not_carried.append(f"rule {rule_id} ({rule_name}): {reason}")
        entries = [entry for entry, _rule_id in sorted(keyed, key=lambda pair: _sort_key(*pair))]
        counts = Counter(e.severity.value for e in entries)
        summary = FidelitySummary(
            rules_total=len(rules),
            rules_carried_over=carried,
            counts={s.value: counts.get(s.value, 0) for s in Severity},
            not_carried=tuple(not_carried),
        )
        pipeline = pipelines.get(key)
        endpoints = {e.arn: e for e in region.endpoints}
        source = endpoints.get(task.source_endpoint_arn)
        target = endpoints.get(task.target_endpoint_arn)
        tasks.append(
            TaskAdvice(
                task=task.identifier,
                region=region.region,
                status="mapped" if pipeline else "skipped",
                source_engine=source.engine if source else "",
                target_engine=target.engine if target else "",
                reason=skipped[key].reason if key in skipped else "",
                connectors=tuple(c.name for c in pipeline.connectors) if pipeline else (),
                entries=tuple(entries),
                summary=summary,
            )
        )
    unread = {r.region: r.incomplete_kinds for r in inventory.regions if r.incomplete_kinds}
    return AdviceReport(result.debezium_version, result.kafkaconnect_version, tuple(tasks), unread)


# Task-level findings that say tables land in another schema or table than DMS wrote them to.
TARGET_NAMING_CODES = frozenset(
    {
        FindingCode.TRANSFORMATION_TARGET_SCHEMA,
        FindingCode.TRANSFORMATION_TABLES_MERGE,
        FindingCode.TRANSFORMATION_TOPIC_CLASH,
        FindingCode.TRANSFORMATION_TABLE_NAME,
    }
)


def _not_exact(found: list[Finding], naming_gap: Finding | None) -> str | None:
    """Why a rule is not carried over exactly, or None when it is."""
    if not found:
        return "no finding says what it became"
    worst = next((f for f in found if f.severity is Severity.BLOCKER), None) or next(
        (f for f in found if f.severity is Severity.WARNING), None
    )
    if worst is not None:
        return f"{worst.severity.value} {worst.code}"
    if not any(f.became for f in found):
        return "nothing in the pipeline carries it"
    if naming_gap is not None:
        return f"the selected tables land elsewhere than DMS wrote them ({naming_gap.severity.value} {naming_gap.code})"
    return None


def build_advice(inventory: Inventory, settings: Settings | None = None) -> AdviceReport:
    """Map ``inventory`` with ``settings`` and report, per task, what every rule and setting became."""
    return advise_result(inventory, map_inventory(inventory, settings or Settings()))


# --------------------------------------------------------------------------- #
# Formats                                                                      #
# --------------------------------------------------------------------------- #


def _share(summary: FidelitySummary) -> str:
    share = summary.rules_share
    if share is None:
        return "no table-mapping rules"
    return f"{summary.rules_carried_over}/{summary.rules_total} rules carried over ({share:.0%})"


def _counts(summary: FidelitySummary) -> str:
    return ", ".join(
        f"{summary.counts.get(s.value, 0)} {s.value}" for s in (Severity.BLOCKER, Severity.WARNING, Severity.INFO)
    )


def _jsonable(report: AdviceReport) -> dict[str, object]:
    data = to_jsonable(report)
    for task, advice in zip(data["tasks"], report.tasks, strict=True):
        task["summary"]["rules_share"] = advice.summary.rules_share
        task["summary"]["worst"] = advice.summary.worst.value
    data["partial"] = report.partial
    return data


def _text(report: AdviceReport) -> str:
    lines = [f"Debezium {report.debezium_version} on MSK Connect {report.kafkaconnect_version}", ""]
    if not report.tasks:
        lines.append("No replication task in the inventory.")
    for task in report.tasks:
        status = "SKIPPED: " + task.reason if task.status == "skipped" else "mapped to " + ", ".join(task.connectors)
        lines.append(f"{task.task} ({task.region}) {task.source_engine} -> {task.target_engine}: {status}")
        lines.append(f"  fidelity: {_share(task.summary)}; {_counts(task.summary)}")
        lines.extend(f"    not carried over: {reason}" for reason in task.summary.not_carried)
        for entry in task.entries:
            lines.append(f"  [{entry.severity.value:7}] {entry.subject}: {entry.message}")
            if entry.became:
                lines.append(f"            became: {entry.became}")
            if entry.hint:
                lines.append(f"            hint: {entry.hint}")
        lines.append("")
    skipped = sum(t.status == "skipped" for t in report.tasks)
    lines.append(f"{len(report.tasks)} task(s), {skipped} skipped.")
    lines += [_unread_line(region, kinds) for region, kinds in report.unread.items()]
    return "\n".join(lines) + "\n"


def _md_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _unread_line(region: str, kinds: tuple[str, ...]) -> str:
    return (
        f"PARTIAL: the inventory of {region} is incomplete ({', '.join(kinds)}); tasks the scan could not read "
        f"are missing here. Re-run `dms2msk scan --region {region}` until it exits 0."
    )


def _markdown(report: AdviceReport) -> str:
    lines = [
        "# dms2msk advice",
        "",
        f"Debezium {report.debezium_version} on MSK Connect {report.kafkaconnect_version}.",
        "",
        *(f"> {_unread_line(region, kinds)}\n" for region, kinds in report.unread.items()),
        "| Task | Region | Engines | Status | Rules carried over | Blockers | Warnings |",
        "|---|---|---|---|---|---|---|",
    ]
    for task in report.tasks:
        counts = task.summary.counts
        lines.append(
            f"| {task.task} | {task.region} | {task.source_engine} → {task.target_engine} | {task.status} | "
            f"{_share(task.summary)} | {counts.get('blocker', 0)} | {counts.get('warning', 0)} |"
        )
    for task in report.tasks:
        lines += ["", f"## {task.task} ({task.region})", ""]
        if task.reason:
            lines += [f"**Skipped:** {_md_cell(task.reason)}", ""]
        lines += ["| Severity | Subject | What happened | Became | Hint |", "|---|---|---|---|---|"]
        for e in task.entries:
            lines.append(
                f"| {e.severity.value} | {_md_cell(e.subject)} | {_md_cell(e.message)} | {_md_cell(e.became)} | "
                f"{_md_cell(e.hint)} |"
            )
    return "\n".join(lines) + "\n"


def format_advice(report: AdviceReport, output_format: str = "text") -> str:
    """The report as ``text`` (for people), ``json`` (for automation) or ``md`` (for reviews)."""
    if output_format == "json":
        return json.dumps(_jsonable(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output_format == "md":
        return _markdown(report)
    return _text(report)
