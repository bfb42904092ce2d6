"""Cost comparison: today's DMS bill against the MSK estate that replaces it.

Library use::

    from dms2msk.cost import cost_report, format_report
    report = cost_report(inventory, mapping_result, settings, prices="bundled")
    print(format_report(report, "text"))

``prices`` is ``"bundled"`` (the data file shipped with dms2msk, generated from
AWS's pricing-page files), ``"live"`` (AWS Price List API, cached per day), the
path of an AWS pricing-page file (its service's figures replace the bundled
ones) or of a catalog JSON file; a sequence applies several in order.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputError
from ..model import Inventory, MappingResult
from .catalog import (
    PriceCatalog,
    PriceFigure,
    catalog_from_jsonable,
    load_bundled_catalog,
    load_catalog_file,
    merge_catalogs,
    read_json_file,
)
from .chart import chart_png, chart_svg
from .estimate import ASSUMPTION_NAMES, Assumptions, CostReport, estimate, parse_assumption
from .live import default_cache_dir, fetch_live_catalog, latest_cache, make_pricing_client, write_cache
from .pricing_page import LOCATIONS, REGION_LOCATIONS, SERVICE_KEY_PREFIXES, is_pricing_page, pricing_page_from_jsonable
from .report import format_report, report_to_jsonable

__all__ = [
    "ASSUMPTION_NAMES",
    "Assumptions",
    "CostReport",
    "PriceCatalog",
    "PriceFigure",
    "chart_png",
    "chart_svg",
    "check_regions",
    "cost_report",
    "estimate",
    "format_report",
    "known_regions",
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
    prices: str | tuple[str, ...] | list[str],
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
    catalog = bundled
    for source in (prices,) if isinstance(prices, str) else tuple(prices):
        if source == "bundled":
            continue
        if source == "live":
            catalog = _live_catalog(catalog, regions, needed or set(), client, cache_dir, profile)
            continue
        data = read_json_file(source)
        if is_pricing_page(data):
            catalog = _with_pricing_page(catalog, data, source, regions)
        else:
            catalog = catalog_from_jsonable(data, str(source))
    return dataclasses.replace(catalog, fallback_region=fallback_region) if fallback_region else catalog


def _with_pricing_page(base: PriceCatalog, data: Any, path: str, regions: tuple[str, ...] | list[str]) -> PriceCatalog:
    """``base`` with every figure of the file's service replaced by the file's (never mixed within a service).

    A region the file lacks keeps no figure of that service: the report marks those lines
    unknown and says which file lacks which region, instead of pricing them from older data.
    """
    from .generate import catalog_jsonable  # the bundled catalog's own conversion

    page = pricing_page_from_jsonable(data, str(path))
    prefixes = SERVICE_KEY_PREFIXES[page.service]
    kept = {k: f for k, f in base.figures.items() if not k[1].startswith(prefixes)}
    added = catalog_from_jsonable(catalog_jsonable([page], name=str(path)), str(path))
    notes = [f"{page.name}: its {page.service} prices (published {page.published}) replace the bundled ones"]
    for region in sorted(set(regions)):
        if region not in page.regions:
            where = REGION_LOCATIONS.get(region, region)
            notes.append(
                f"price file {path} has no prices for {region} ({where}); {page.service} figures there are unknown"
            )
    notes += [problem for problem in page.problems if any(f"for {r} (" in problem for r in regions)]
    return dataclasses.replace(
        base,
        name=f"{base.name} + {page.name}",
        read_on=f"{base.read_on}; {page.service} {page.published}",
        figures={**kept, **added.figures},
        notes=base.notes + tuple(notes),
    )


def known_regions(catalog: PriceCatalog) -> tuple[str, ...]:
    """Every region dms2msk can name: the AWS regions of the price files and any the catalog prices."""
    return tuple(sorted(set(LOCATIONS.values()) | set(catalog.regions)))


def _did_you_mean(region: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(region, known, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def check_regions(
    inventory: Inventory, catalog: PriceCatalog, regions: tuple[str, ...] | None, fallback_region: str | None
) -> None:
    """An InputError for a misspelt --region or --fallback-region, listing the regions that would work."""
    known = known_regions(catalog)
    for region in regions or ():
        if region not in known:
            raise InputError(
                f"--region {region!r} is not an AWS region dms2msk knows{_did_you_mean(region, known)}",
                hint=f"known regions: {', '.join(known)}",
            )
        have = sorted(r.region for r in inventory.regions)
        if have and region not in have:
            raise InputError(
                f"--region {region}: the inventory has no task there (it has: {', '.join(have)})",
                hint=f"pick one of {', '.join(have)}, or scan it first: dms2msk scan --region {region}",
            )
    if fallback_region is not None and fallback_region not in catalog.regions:
        raise InputError(
            f"--fallback-region {fallback_region!r} has no figures in the {catalog.name} price catalog"
            + _did_you_mean(fallback_region, catalog.regions),
            hint=f"regions with figures: {', '.join(catalog.regions)}",
        )


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
    prices: str | tuple[str, ...] | list[str] = "bundled",
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
    check_regions(inventory, load_bundled_catalog(), regions, None)  # a misspelt region before any API call
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
    check_regions(inventory, catalog, regions, fallback_region)
    return estimate(inventory, result, settings, catalog, assumptions, regions=regions)
