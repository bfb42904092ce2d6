"""Formatters for a :class:`CostReport`: text, Markdown, JSON and HTML.

Every format says which catalog (and its date) priced the report, prints the
assumptions, marks unknown (``?``), unverified (``*``) and stand-in (``~``)
figures, and lists how to supply what is missing.
"""

from __future__ import annotations

import dataclasses
import html
import json
from decimal import Decimal
from typing import Any

from .chart import chart_svg
from .estimate import PROPOSED, TODAY, Amount, CostLine, CostReport, cents

LEGEND = "? price unknown (left out of totals)   * unverified or inferred price   ~ another region's price standing in"
SIDES = ((TODAY, "Today: AWS DMS"), (PROPOSED, "Proposed: Amazon MSK + MSK Connect"))


def _qty(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):,}"
    return text[:-3] if text.endswith(".00") else text


def _money(value: Decimal | None) -> str:
    return "?" if value is None else f"{cents(value):,}"


def _amount(amount: Amount) -> str:
    text = f"{cents(amount.known):,}"
    return text if amount.complete else f"{text} + {amount.unknown_lines} unknown"


def _marks(line: CostLine) -> str:
    if line.unknown:
        return "?"
    return ("~" if line.proxied_from else "") + ("" if line.verified else "*")


def _signed(value: Decimal) -> str:
    return f"{'+' if value > 0 else ''}{cents(value):,}"


def _difference(today: Amount, proposed: Amount) -> str:
    """The difference, only from complete sums: a known part minus a known part says nothing."""
    if not (today.complete and proposed.complete):
        return "unknown"
    return _signed(proposed.known - today.known)


def _total_difference(report: CostReport) -> str:
    if not report.complete:
        missing = report.today.unknown_lines + report.proposed.unknown_lines
        return f"difference unknown ({missing} figure(s) missing)"
    percent = "" if report.today.known == 0 else f" ({report.difference / report.today.known * 100:+.0f}%)"
    return f"difference {_signed(report.difference)}{percent} {report.currency}/month"


def _assumption_rows(report: CostReport) -> list[tuple[str, str]]:
    rows = []
    for f in dataclasses.fields(report.assumptions):
        value = getattr(report.assumptions, f.name)
        rows.append((f.name.replace("_", "-"), "default" if value is None else str(value)))
    return rows


def _missing_rows(report: CostReport) -> list[str]:
    return [f"{m.region} {m.key} (needed by: {'; '.join(m.used_by)})" for m in report.missing]


def _headline(report: CostReport) -> str:
    return (
        f"prices: {report.catalog_name} catalog, read {report.catalog_read_on}, {report.currency}; "
        f"{report.assumptions.hours_per_month} hours a month; regions: {', '.join(report.regions) or 'none'}"
    )


# --------------------------------------------------------------------------- text / markdown


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _line_rows(report: CostReport, side: str) -> list[list[str]]:
    rows = [["", "Component", "Region", "Quantity", "Unit", "Unit price", "Monthly"]]
    for line in report.lines:
        if line.side == side:
            price = "?" if line.unit_price is None else f"{line.unit_price.normalize():f}"
            rows.append(
                [_marks(line), line.component, line.region, _qty(line.quantity), line.unit, price, _money(line.monthly)]
            )
    return rows


def _text(report: CostReport) -> str:
    out = ["dms2msk cost report", _headline(report), LEGEND, ""]
    for side, title in SIDES:
        amount = report.today if side == TODAY else report.proposed
        out.append(title)
        rows = _line_rows(report, side)
        out += _table(rows, {3, 5, 6}) if len(rows) > 1 else ["  (nothing)"]
        out += [f"  Total {side}: {_amount(amount)} {report.currency}/month", ""]
    out.append("Per pipeline (monthly; shared costs split evenly)")
    rows = [["Task", "Region", "Today", "Proposed", "Difference", ""]]
    for p in report.pipelines:
        rows.append(
            [
                p.task_identifier,
                p.region,
                _amount(p.today),
                _amount(p.proposed),
                _difference(p.today, p.proposed),
                "" if p.migrated else "not mapped: stays on DMS",
            ]
        )
    out += _table(rows, {2, 3, 4}) if len(rows) > 1 else ["  (no task)"]
    out += [
        "",
        f"Total: today {_amount(report.today)}, proposed {_amount(report.proposed)}, {_total_difference(report)}",
        f"Break-even: {report.break_even.explanation}",
        "",
        "Assumptions (override with --assume NAME=VALUE)",
    ]
    out += [f"  {name} = {value}" for name, value in _assumption_rows(report)]
    if report.missing:
        out += ["", "Unknown figures (supply with --prices live or --prices FILE)"]
        out += [f"  {row}" for row in _missing_rows(report)]
    if report.notes:
        out += ["", "Notes"] + [f"  - {note}" for note in report.notes]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(report: CostReport) -> str:
    out = ["# dms2msk cost report", "", _headline(report), "", f"Marks: {LEGEND}", ""]
    for side, title in SIDES:
        amount = report.today if side == TODAY else report.proposed
        out += [
            f"## {title}",
            "",
            "| | Component | Region | Quantity | Unit | Unit price | Monthly |",
            "|---|---|---|---:|---|---:|---:|",
        ]
        for row in _line_rows(report, side)[1:]:
            out.append("| " + " | ".join(_md_escape(c) for c in row) + " |")
        out += ["", f"**Total {side}: {_amount(amount)} {report.currency}/month**", ""]
    out += [
        "## Per pipeline",
        "",
        "| Task | Region | Today | Proposed | Difference | |",
        "|---|---|---:|---:|---:|---|",
    ]
    for p in report.pipelines:
        out.append(
            f"| {_md_escape(p.task_identifier)} | {p.region} | {_amount(p.today)} | {_amount(p.proposed)} | "
            f"{_difference(p.today, p.proposed)} | {'' if p.migrated else 'not mapped: stays on DMS'} |"
        )
    out += [
        "",
        f"**Total:** today {_amount(report.today)}, proposed {_amount(report.proposed)}, {_total_difference(report)}",
        "",
        f"**Break-even:** {report.break_even.explanation}",
        "",
        "## Assumptions",
        "",
    ]
    out += [f"- `{name}` = {value}" for name, value in _assumption_rows(report)]
    if report.missing:
        out += ["", "## Unknown figures", "", "Supply them with `--prices live` or `--prices FILE`.", ""]
        out += [f"- {_md_escape(row)}" for row in _missing_rows(report)]
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {_md_escape(n)}" for n in report.notes]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- json / html


def _amount_json(amount: Amount) -> dict[str, Any]:
    return {"known": str(cents(amount.known)), "unknown_lines": amount.unknown_lines, "complete": amount.complete}


def report_to_jsonable(report: CostReport) -> dict[str, Any]:
    """Money as strings with two decimals (exact, unlike floats); unknown amounts are null."""
    be = report.break_even
    return {
        "catalog": {"name": report.catalog_name, "read_on": report.catalog_read_on, "currency": report.currency},
        "regions": list(report.regions),
        "assumptions": {k: None if v is None else str(v) for k, v in dataclasses.asdict(report.assumptions).items()},
        "lines": [
            {
                "side": ln.side,
                "region": ln.region,
                "component": ln.component,
                "quantity": str(ln.quantity.normalize()),
                "unit": ln.unit,
                "price_key": ln.price_key,
                "unit_price": None if ln.unit_price is None else str(ln.unit_price.normalize()),
                "monthly": None if ln.monthly is None else str(cents(ln.monthly)),
                "pipelines": list(ln.pipelines),
                "source": ln.source,
                "verified": ln.verified,
                "read_on": ln.read_on,
                "proxied_from": ln.proxied_from,
                "inferred": ln.inferred or None,
                "fixed": ln.fixed,
                "note": ln.note,
            }
            for ln in report.lines
        ],
        "pipelines": [
            {
                "task": p.task_identifier,
                "region": p.region,
                "migrated": p.migrated,
                "today": _amount_json(p.today),
                "proposed": _amount_json(p.proposed),
                "difference": str(cents(p.difference)) if p.today.complete and p.proposed.complete else None,
            }
            for p in report.pipelines
        ],
        "total": {
            "today": _amount_json(report.today),
            "proposed": _amount_json(report.proposed),
            "difference": str(cents(report.difference)) if report.complete else None,
            "complete": report.complete,
        },
        "break_even": {
            "pipelines_needed": be.pipelines_needed,
            "fixed_msk": str(cents(be.fixed_msk)),
            "per_pipeline_msk": str(cents(be.per_pipeline_msk)),
            "per_pipeline_dms": str(cents(be.per_pipeline_dms)),
            "complete": be.complete,
            "explanation": be.explanation,
        },
        "missing": [{"region": m.region, "key": m.key, "used_by": list(m.used_by)} for m in report.missing],
        "notes": list(report.notes),
    }


def _html(report: CostReport) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>dms2msk cost report</title>',
        "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ced4da;padding:4px 8px}td.n{text-align:right}.unknown{background:#fff3bf}"
        "</style></head><body>",
        "<h1>dms2msk cost report</h1>",
        f"<p>{e(_headline(report))}</p>",
        f"<p>Marks: {e(LEGEND)}</p>",
    ]
    for side, title in SIDES:
        amount = report.today if side == TODAY else report.proposed
        out.append(f"<h2>{e(title)}</h2><table>")
        rows = _line_rows(report, side)
        out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in rows[0]) + "</tr>")
        for row in rows[1:]:
            cls = ' class="unknown"' if row[0] == "?" else ""
            cells = "".join(f"<td{' class=n' if i in (3, 5, 6) else ''}>{e(c)}</td>" for i, c in enumerate(row))
            out.append(f"<tr{cls}>{cells}</tr>")
        out.append(f"</table><p><strong>Total {side}: {e(_amount(amount))} {e(report.currency)}/month</strong></p>")
    out.append(
        "<h2>Per pipeline</h2><table><tr><th>Task</th><th>Region</th><th>Today</th><th>Proposed</th>"
        "<th>Difference</th><th></th></tr>"
    )
    for p in report.pipelines:
        out.append(
            f"<tr><td>{e(p.task_identifier)}</td><td>{e(p.region)}</td><td class=n>{e(_amount(p.today))}</td>"
            f"<td class=n>{e(_amount(p.proposed))}</td><td class=n>{e(_difference(p.today, p.proposed))}</td>"
            f"<td>{'' if p.migrated else 'not mapped: stays on DMS'}</td></tr>"
        )
    out += [
        "</table>",
        f"<p><strong>Total:</strong> today {e(_amount(report.today))}, proposed {e(_amount(report.proposed))}, "
        f"{e(_total_difference(report))}</p>",
        f"<p><strong>Break-even:</strong> {e(report.break_even.explanation)}</p>",
        chart_svg(report),
        "<h2>Assumptions</h2><ul>",
    ]
    out += [f"<li><code>{e(n)}</code> = {e(v)}</li>" for n, v in _assumption_rows(report)]
    out.append("</ul>")
    if report.missing:
        out.append(
            "<h2>Unknown figures</h2><p>Supply them with <code>--prices live</code> or "
            "<code>--prices FILE</code>.</p><ul>"
        )
        out += [f"<li>{e(row)}</li>" for row in _missing_rows(report)] + ["</ul>"]
    if report.notes:
        out += ["<h2>Notes</h2><ul>"] + [f"<li>{e(n)}</li>" for n in report.notes] + ["</ul>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


FORMATS = ("text", "md", "json", "html")


def format_report(report: CostReport, output_format: str = "text") -> str:
    if output_format == "text":
        return _text(report)
    if output_format == "md":
        return _markdown(report)
    if output_format == "json":
        return json.dumps(report_to_jsonable(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output_format == "html":
        return _html(report)
    raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
