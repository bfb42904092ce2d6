"""The verify report: one line per check, one block per table, text or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

OK = "ok"
FAILED = "failed"
WARNING = "warning"
NOT_CHECKABLE = "not-checkable"


@dataclass(frozen=True)
class CheckResult:
    """One check of one connector (its properties, one SMT, a prerequisite)."""

    pipeline: str
    connector: str
    subject: str  # e.g. "properties", "transforms.unwrap", "prerequisite wal_level"
    status: str  # ok | failed | warning | not-checkable
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class TableReport:
    """What Debezium captured for one source table, next to what the DMS rules expect."""

    pipeline: str
    source_table: str
    status: str  # ok | failed
    expected_target: str | None = None
    captured_target: str | None = None
    expected_columns: tuple[str, ...] = ()
    captured_columns: tuple[str, ...] = ()
    expected_key: tuple[str, ...] = ()
    captured_key: tuple[str, ...] = ()
    rows: int = 0
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyReport:
    mode: str  # "offline" | "live"
    checks: tuple[CheckResult, ...] = ()
    tables: tuple[TableReport, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(c.status != FAILED for c in self.checks) and all(t.status != FAILED for t in self.tables)

    @property
    def failures(self) -> list[str]:
        found = [f"{c.connector} {c.subject}: {c.message}" for c in self.checks if c.status == FAILED]
        for table in self.tables:
            found.extend(f"{table.pipeline} {table.source_table}: {d}" for d in table.differences)
        return found

    def merged(self, other: VerifyReport) -> VerifyReport:
        return VerifyReport(
            mode="live" if "live" in (self.mode, other.mode) else self.mode,
            checks=self.checks + other.checks,
            tables=self.tables + other.tables,
            notes=self.notes + other.notes,
        )


def render_text(report: VerifyReport) -> str:
    lines: list[str] = []
    marks = {OK: "ok  ", FAILED: "FAIL", WARNING: "warn", NOT_CHECKABLE: "n/a "}
    for check in report.checks:
        lines.append(f"[{marks.get(check.status, check.status)}] {check.connector}: {check.subject}: {check.message}")
        if check.hint and check.status in (FAILED, WARNING):
            lines.append(f"       hint: {check.hint}")
    for table in report.tables:
        if not (table.expected_target or table.captured_target or table.rows):
            # A rule that names an object the database lacks: one line says it all.
            lines.extend(f"[{marks.get(table.status, table.status)}] {table.pipeline}: {d}" for d in table.differences)
            continue
        lines.append(f"[{marks.get(table.status, table.status)}] {table.pipeline}: table {table.source_table}")
        lines.append(
            f"       target   expected {table.expected_target or '-'}  captured {table.captured_target or '-'}"
        )
        lines.append(f"       columns  expected {', '.join(table.expected_columns) or '-'}")
        lines.append(f"                captured {', '.join(table.captured_columns) or '-'}")
        lines.append(
            f"       key      expected {', '.join(table.expected_key) or '-'}  "
            f"captured {', '.join(table.captured_key) or '-'}  rows {table.rows}"
        )
        lines.extend(f"       difference: {d}" for d in table.differences)
    lines.extend(f"note: {n}" for n in report.notes)
    failed = len(report.failures)
    lines.append(f"verify ({report.mode}): {'OK' if report.ok else f'FAILED, {failed} problem(s)'}")
    return "\n".join(lines) + "\n"
