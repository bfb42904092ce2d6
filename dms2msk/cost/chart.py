"""The break-even chart: monthly cost against the number of pipelines, DMS and MSK, as SVG or PNG.

The SVG is written by hand (no plotting dependency) and is deterministic for the
same report, so it can be committed or diffed. PNG is that SVG rendered by
cairosvg (the optional ``png`` extra). The chart says whose prices it used and
marks a series priced partly with another region's figures (``~``).
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from ..errors import ToolError
from ..extras import install_command
from .estimate import PROPOSED, TODAY, BreakEven, CostReport, cents

CHART_WIDTH = 800
CHART_HEIGHT = 480
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 90, 30, 80, 70
WARNING_COLOUR = "#c92a2a"
DMS_COLOUR = "#d9480f"
MSK_COLOUR = "#1971c2"


def chart_range(break_even: BreakEven, current: int) -> int:
    """How many pipelines the x axis shows: past the break-even and the estate's own count."""
    wanted = max(10, current + 2, 2 * (break_even.pipelines_needed or 0))
    return min(wanted, 500)


def _nice_step(maximum: Decimal, ticks: int = 5) -> Decimal:
    """A round tick step (1, 2 or 5 x 10^k) so that about ``ticks`` ticks cover ``maximum``."""
    raw = maximum / ticks if maximum > 0 else Decimal("1")
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        step = base * factor
        if step >= raw:
            return step
    return base * 10


def _money(value: Decimal) -> str:
    if value == 0 or value >= 100:
        return f"{cents(value):,.0f}"
    return f"{cents(value):,.2f}"


def _stand_ins(report: CostReport, side: str) -> list[str]:
    """``region <- fallback`` for each region whose ``side`` lines use another region's figures."""
    return sorted({f"{ln.region} <- {ln.proxied_from}" for ln in report.lines if ln.side == side and ln.proxied_from})


def _subtitle(report: CostReport) -> str:
    regions = ", ".join(report.regions) or "no region"
    return (
        f"prices for {regions}: {report.catalog_name} ({report.catalog_read_on}), "
        f"{report.assumptions.hours_per_month} h/month"
    )


def _warning(report: CostReport) -> str:
    """What the reader must know before trusting the lines: stand-in and unknown figures."""
    parts = []
    stand_ins = sorted(set(_stand_ins(report, TODAY) + _stand_ins(report, PROPOSED)))
    if stand_ins:
        parts.append(f"~ stand-in prices of another region ({'; '.join(stand_ins)})")
    if not report.complete:
        parts.append("some figures unknown: the lines leave them out")
    return "; ".join(parts)


def chart_svg(report: CostReport) -> str:
    """An SVG line chart of DMS(n) and MSK(n) monthly cost for n = 1 .. N pipelines."""
    be = report.break_even
    current = sum(1 for p in report.pipelines if p.migrated)
    count = chart_range(be, current)
    xs = list(range(1, count + 1))
    dms = [be.dms_at(n) for n in xs]
    msk = [be.msk_at(n) for n in xs]
    top = max([*dms, *msk, Decimal("1")])
    step = _nice_step(top)
    y_max = step * ((top / step).to_integral_value(rounding="ROUND_CEILING"))
    plot_w = CHART_WIDTH - _MARGIN_LEFT - _MARGIN_RIGHT
    plot_h = CHART_HEIGHT - _MARGIN_TOP - _MARGIN_BOTTOM

    def x_of(n: int) -> float:
        return _MARGIN_LEFT + (n - 1) / max(1, count - 1) * plot_w

    def y_of(value: Decimal) -> float:
        return _MARGIN_TOP + plot_h - float(value / y_max) * plot_h

    def points(values: list[Decimal]) -> str:
        return " ".join(f"{x_of(n):.1f},{y_of(v):.1f}" for n, v in zip(xs, values, strict=True))

    currency = escape(report.currency)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" font-family="sans-serif" font-size="12">',
        "<title>Monthly cost against the number of pipelines: DMS and MSK</title>",
        f'<rect width="{CHART_WIDTH}" height="{CHART_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{CHART_WIDTH / 2:.0f}" y="24" text-anchor="middle" font-size="16" font-weight="bold">'
        "Monthly cost by number of pipelines</text>",
        f'<text id="prices" x="{CHART_WIDTH / 2:.0f}" y="44" text-anchor="middle" fill="#555555">'
        f"{escape(_subtitle(report))}</text>",
    ]
    warning = _warning(report)
    if warning:
        parts.append(
            f'<text id="warning" x="{CHART_WIDTH / 2:.0f}" y="62" text-anchor="middle" fill="{WARNING_COLOUR}">'
            f"{escape(warning)}</text>"
        )
    # Grid and y ticks
    tick = Decimal("0")
    while tick <= y_max:
        y = y_of(tick)
        parts.append(
            f'<line x1="{_MARGIN_LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - _MARGIN_RIGHT}" y2="{y:.1f}" stroke="#e9ecef"/>'
        )
        parts.append(f'<text x="{_MARGIN_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{_money(tick)}</text>')
        tick += step
    # x ticks: about ten labels
    x_step = max(1, round(count / 10))
    for n in xs:
        if n == 1 or n % x_step == 0:
            x = x_of(n)
            base_y = _MARGIN_TOP + plot_h
            parts.append(f'<line x1="{x:.1f}" y1="{base_y}" x2="{x:.1f}" y2="{base_y + 5}" stroke="#343a40"/>')
            parts.append(f'<text x="{x:.1f}" y="{base_y + 20}" text-anchor="middle">{n}</text>')
    parts += [
        f'<line x1="{_MARGIN_LEFT}" y1="{_MARGIN_TOP + plot_h}" x2="{CHART_WIDTH - _MARGIN_RIGHT}" '
        f'y2="{_MARGIN_TOP + plot_h}" stroke="#343a40"/>',
        f'<line x1="{_MARGIN_LEFT}" y1="{_MARGIN_TOP}" x2="{_MARGIN_LEFT}" y2="{_MARGIN_TOP + plot_h}" '
        'stroke="#343a40"/>',
        f'<text x="{_MARGIN_LEFT + plot_w / 2:.0f}" y="{CHART_HEIGHT - 20}" text-anchor="middle">'
        "pipelines of this estate's average shape</text>",
        f'<text x="20" y="{_MARGIN_TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 20 {_MARGIN_TOP + plot_h / 2:.0f})">{currency} per month</text>',
        f'<polyline id="series-dms" fill="none" stroke="{DMS_COLOUR}" stroke-width="2.5" points="{points(dms)}"/>',
        f'<polyline id="series-msk" fill="none" stroke="{MSK_COLOUR}" stroke-width="2.5" points="{points(msk)}"/>',
    ]
    if current and current <= count:
        x = x_of(current)
        parts.append(
            f'<line id="marker-current" x1="{x:.1f}" y1="{_MARGIN_TOP}" x2="{x:.1f}" y2="{_MARGIN_TOP + plot_h}" '
            'stroke="#868e96" stroke-dasharray="4 4"/>'
        )
        parts.append(f'<text x="{x + 4:.1f}" y="{_MARGIN_TOP + 14}" fill="#495057">this estate: {current}</text>')
    if be.pipelines_needed and be.pipelines_needed <= count:
        n = be.pipelines_needed
        parts.append(
            f'<circle id="marker-break-even" cx="{x_of(n):.1f}" cy="{y_of(be.msk_at(n)):.1f}" r="5" '
            f'fill="{MSK_COLOUR}" stroke="#ffffff"/>'
        )
        parts.append(
            f'<text x="{x_of(n) + 8:.1f}" y="{y_of(be.msk_at(n)) + 18:.1f}" fill="{MSK_COLOUR}">'
            f"MSK cheaper from {n}</text>"
        )
    legend_x, legend_y = _MARGIN_LEFT + 16, _MARGIN_TOP + 36
    dms_label = "DMS (instance per pipeline share)" + (" ~ stand-in prices" if _stand_ins(report, TODAY) else "")
    msk_label = "MSK + MSK Connect" + (" ~ stand-in prices" if _stand_ins(report, PROPOSED) else "")
    for index, (label, colour) in enumerate(((dms_label, DMS_COLOUR), (msk_label, MSK_COLOUR))):
        y = legend_y + index * 18
        parts.append(
            f'<line x1="{legend_x}" y1="{y}" x2="{legend_x + 24}" y2="{y}" stroke="{colour}" stroke-width="2.5"/>'
        )
        parts.append(f'<text x="{legend_x + 30}" y="{y + 4}">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def chart_png(report: CostReport) -> bytes:
    """The same chart as PNG, rendered by cairosvg (optional: ``pip install 'dms2msk[png]'``)."""
    try:
        import cairosvg  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:  # OSError: the cairo library itself is missing
        raise ToolError(
            f"a PNG chart needs cairosvg and the cairo library ({exc})",
            hint=f"{install_command('png')} (Debian: apt-get install libcairo2), or write --chart FILE.svg",
        ) from None
    return cairosvg.svg2png(bytestring=chart_svg(report).encode("utf-8"))
