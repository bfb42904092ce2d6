"""Cost comparison: today's DMS bill against the MSK estate that replaces it.

Library use::

    from dms2msk.cost import cost_report, format_report
    report = cost_report(inventory, mapping_result, settings, prices="bundled")
    print(format_report(report, "text"))

``prices`` is ``"bundled"`` (the data file shipped with dms2msk), ``"live"``
(AWS Price List API, cached per day) or the path of a catalog JSON file.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..config import Settings
from ..model import Inventory, MappingResult
from .catalog import (
    PriceCatalog,
    PriceFigure,
    load_bundled_catalog,
    load_catalog_file,
    merge_catalogs,
)
from .chart import chart_svg
from .estimate import ASSUMPTION_NAMES, Assumptions, CostReport, estimate, parse_assumption
from .live import default_cache_dir, fetch_live_catalog, latest_cache, make_pricing_client, write_cache
from .report import format_report, report_to_jsonable

__all__ = [
    "ASSUMPTION_NAMES",
    "Assumptions",
    "CostReport",
    "PriceCatalog",
    "PriceFigure",
    "chart_svg",
    "cost_report",
    "estimate",
    "format_report",
    "load_bundled_catalog",
    "load_catalog_file",
    "parse_assumption",
    "report_to_jsonable",
    "resolve_catalog",
]


def _needed(
    inventory: Inventory,
    result: MappingResult,
    settings: Settings,
    assumptions: Assumptions,
    regions: tuple[str, ...] | None,
) -> set[tuple[str, str]]:
    """The (region, price key) pairs this estate needs: everything an empty catalog leaves unknown."""
    empty = estimate(inventory, result, settings, PriceCatalog(name="none", read_on=""), assumptions, regions=regions)
    return {(m.region, m.key) for m in empty.missing}


def resolve_catalog(
    prices: str,
    regions: tuple[str, ...] | list[str],
    *,
    needed: set[tuple[str, str]] | None = None,
    client: Any = None,
    cache_dir: Path | None = None,
    fallback_region: str | None = None,
    profile: str | None = None,
) -> PriceCatalog:
    """Load the catalog ``prices`` names; ``live`` never fails outright (it falls back and says so)."""
    bundled = load_bundled_catalog()
    if prices == "bundled":
        catalog = bundled
    elif prices == "live":
        catalog = _live_catalog(bundled, regions, needed or set(), client, cache_dir, profile)
    else:
        catalog = load_catalog_file(prices)
    return dataclasses.replace(catalog, fallback_region=fallback_region) if fallback_region else catalog


def _live_catalog(
    bundled: PriceCatalog,
    regions: tuple[str, ...] | list[str],
    needed: set[tuple[str, str]],
    client: Any,
    cache_dir: Path | None,
    profile: str | None,
) -> PriceCatalog:
    cache_dir = cache_dir or default_cache_dir()
    try:
        client = client or make_pricing_client(profile)
        live = fetch_live_catalog(list(regions), client)
    except Exception as exc:  # no credentials / unknown profile while building the client
        if not type(exc).__module__.startswith(("botocore", "boto3")):
            raise
        live = None
        problems: tuple[str, ...] = (f"Price List API client: {type(exc).__name__}: {exc}",)
    else:
        problems = live.problems
    notes = [f"live prices: {p}" for p in problems]
    if live is None or not live.catalog.figures:
        cached = latest_cache(cache_dir)
        if cached is not None:
            fallback = load_catalog_file(cached)
            notes.append(f"the Price List API gave no prices; the cached catalog {cached} ({fallback.read_on}) is used")
            return dataclasses.replace(fallback, notes=fallback.notes + tuple(notes))
        notes.append("the Price List API gave no prices and there is no cache; the bundled catalog is used")
        return dataclasses.replace(bundled, notes=bundled.notes + tuple(notes))
    not_found = sorted(k for k in needed if k not in live.catalog.figures)
    for region, key in not_found:
        fill = bundled.figures.get((region, key))
        how = (
            "the bundled figure is used" if fill and fill.price is not None else "unknown; supply it with --prices FILE"
        )
        notes.append(f"live prices: {key} ({region}) not found in the Price List API; {how}")
    merged = merge_catalogs(bundled, live.catalog, name="live", read_on=live.catalog.read_on)
    merged = dataclasses.replace(merged, notes=tuple(notes))
    path = write_cache(merged, cache_dir)
    return dataclasses.replace(merged, notes=(*merged.notes, f"live prices cached in {path}"))


def cost_report(
    inventory: Inventory,
    result: MappingResult,
    settings: Settings | None = None,
    *,
    prices: str = "bundled",
    assumptions: Assumptions | None = None,
    regions: tuple[str, ...] | None = None,
    fallback_region: str | None = None,
    client: Any = None,
    cache_dir: Path | None = None,
    profile: str | None = None,
) -> CostReport:
    """Resolve the catalog for the estate's regions and estimate."""
    settings = settings or Settings()
    assumptions = assumptions or Assumptions()
    needed = _needed(inventory, result, settings, assumptions, regions)
    estate_regions = tuple(sorted({r for r, _k in needed} | {r.region for r in inventory.regions}))
    if regions:
        estate_regions = tuple(r for r in estate_regions if r in regions) or tuple(regions)
    catalog = resolve_catalog(
        prices,
        estate_regions,
        needed=needed,
        client=client,
        cache_dir=cache_dir,
        fallback_region=fallback_region,
        profile=profile,
    )
    return estimate(inventory, result, settings, catalog, assumptions, regions=regions)
