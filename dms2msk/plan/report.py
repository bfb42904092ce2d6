"""Plan output: Markdown for a change request, JSON for automation, a one-screen terminal summary."""

from __future__ import annotations

import json
from typing import Any

from ..errors import EXIT_CHANGES, EXIT_OK, EXIT_PARTIAL
from ..model import dumps, to_jsonable
from .types import ACTION_ORDER, MigrationPlan, ResourceDiff


def exit_code(plan: MigrationPlan) -> int:
    """3 when something could not be read (the plan is partial), else 4 with changes, 0 without.

    Warning problems (a primary-key report row naming a task the estate lacks) do not make the plan partial.
    """
    if plan.partial:
        return EXIT_PARTIAL
    return EXIT_CHANGES if plan.has_changes else EXIT_OK


def to_jsonable_plan(plan: MigrationPlan) -> dict[str, Any]:
    data = to_jsonable(plan)
    data["partial"] = plan.partial
    data["has_changes"] = plan.has_changes
    return data


def to_json(plan: MigrationPlan) -> str:
    return json.dumps(to_jsonable_plan(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary(plan: MigrationPlan) -> str:
    """At most one screen: blockers first, then counts by action, then what could not be read."""
    lines: list[str] = []
    if plan.blockers:
        lines.append(f"BLOCKERS ({len(plan.blockers)}):")
        for blocker in plan.blockers[:8]:
            lines.append(f"  ! {blocker.task_identifier or '-'}: {blocker.code}: {_short(blocker.message)}")
        if len(plan.blockers) > 8:
            lines.append(f"  ... {len(plan.blockers) - 8} more in the report")
    counts = ", ".join(f"{plan.counts.get(a.value, 0)} {a.value}" for a in ACTION_ORDER)
    lines.append(f"resources ({plan.existing_source}): {counts}")
    for diff in [d for d in plan.resources if d.action.is_change][:10]:
        lines.append(f"  {diff.action.value:>9}  {diff.kind} {diff.name}")
    if plan.decommission:
        lines.append(f"decommission after cut-over: {len(plan.decommission)} DMS resources; kept: {len(plan.retained)}")
    errors = [p for p in plan.problems if not p.is_warning]
    if errors:
        lines.append(f"PARTIAL: {len(errors)} problem(s):")
        lines += [f"  - {_short(p.message)}" for p in errors[:5]]
    if plan.warnings:
        lines.append(f"warnings ({len(plan.warnings)}, the plan is complete):")
        lines += [f"  - {_short(p.message)}" for p in plan.warnings[:5]]
    return "\n".join(lines) + "\n"


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`" if text not in ("", "null") else "—"


def _resource_rows(diffs: tuple[ResourceDiff, ...]) -> list[str]:
    rows = ["| action | kind | name | task | details |", "|---|---|---|---|---|"]
    order = {a: i for i, a in enumerate(ACTION_ORDER)}
    for diff in sorted(diffs, key=lambda d: (order[d.action], d.kind, d.name)):
        details = "; ".join(diff.reasons) or ("" if diff.changes else "—")
        rows.append(
            f"| **{diff.action.value}** | {diff.kind} | `{diff.name}` | {diff.task_identifier or '—'} | "
            f"{details.replace('|', '/')} |"
        )
    return rows


def to_markdown(plan: MigrationPlan) -> str:
    out: list[str] = ["# dms2msk migration plan", ""]
    if plan.partial:
        out += ["> **Partial plan**: some of the existing estate could not be read; see *Problems*.", ""]
    counts = ", ".join(f"{plan.counts.get(a.value, 0)} {a.value}" for a in ACTION_ORDER)
    out += [f"Existing estate: `{plan.existing_source}`. Resources: {counts}. Blockers: {len(plan.blockers)}.", ""]
    if plan.blockers:
        out += ["## Blockers", ""]
        for blocker in plan.blockers:
            out.append(f"- **{blocker.task_identifier or '-'}** `{blocker.code}`: {blocker.message}")
            out += [f"  - option: {option}" for option in blocker.options]
        out.append("")
    if plan.problems:
        out += ["## Problems", ""]
        for problem in plan.problems:
            where = f" ({problem.where})" if problem.where else ""
            hint = f" — {problem.hint}" if problem.hint else ""
            tag = f"{problem.source}, warning" if problem.is_warning else problem.source
            out.append(f"- [{tag}]{where} {problem.message}{hint}")
        out.append("")
    out += ["## Resources", "", *_resource_rows(plan.resources), ""]
    changed = [d for d in plan.resources if d.changes or d.cost]
    if changed:
        out += ["### Changes by property", ""]
        for diff in changed:
            out.append(f"#### {diff.action.value}: {diff.kind} `{diff.name}`")
            out.append("")
            if diff.changes:
                out += ["| property | before | after | replaces |", "|---|---|---|---|"]
                for change in diff.changes:
                    out.append(
                        f"| `{change.path}` | {_cell(change.before)} | {_cell(change.after)} | "
                        f"{'yes' if change.forces_replacement else 'no'} |"
                    )
                out.append("")
            if diff.cost:
                out += [f"Cost: {diff.cost}", ""]
    for migration in plan.migrations:
        out += [f"## Task `{migration.task_identifier}` ({migration.region}, {migration.migration_type})", ""]
        out += [
            f"Connectors: `{migration.source_connector}`"
            + (f" → `{migration.sink_connector}`" if migration.sink_connector else ""),
            "",
        ]
        out += [f"Cut-over rule: {migration.cutover}", ""]
        if migration.blockers:
            out += [f"Blocked by: {', '.join(b.code for b in migration.blockers)} (see Blockers).", ""]
        for number, step in enumerate(migration.steps, 1):
            out += [f"{number}. **{step.phase}: {step.title}**"]
            if step.commands:
                out += ["", "   ```sh", *(f"   {c}" for c in step.commands), "   ```"]
            out += [f"   - check: {c}" for c in step.checks]
            out += [f"   - note: {n}" for n in step.notes]
            out.append("")
    if plan.decommission or plan.retained:
        out += ["## Decommission (after every cut-over is confirmed)", ""]
        out += [
            f"- {item.kind} `{item.identifier}` ({item.region}): {item.reason}\n  `{item.command}`"
            for item in plan.decommission
        ]
        if plan.retained:
            out += ["", "Kept, because a task outside this migration uses them or their users could not be listed:", ""]
            out += [f"- {item.kind} `{item.identifier}` ({item.region}): {item.reason}" for item in plan.retained]
        out.append("")
    if plan.drift:
        out += ["## DMS drift since the previous inventory", ""]
        out += [
            f"- {d.kind} `{d.identifier}` {d.change}" + (f": {', '.join(d.details)}" if d.details else "")
            for d in plan.drift
        ]
        out.append("")
    if plan.not_migrated:
        out += ["## Not migrated (stay on DMS)", "", *(f"- {t}" for t in plan.not_migrated), ""]
    return "\n".join(out)


__all__ = ["dumps", "exit_code", "summary", "to_json", "to_markdown"]
