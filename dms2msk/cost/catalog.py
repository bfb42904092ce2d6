"""Price catalogs: the bundled data file, a user's file, or one refreshed from the Price List API.

A catalog is a list of figures, each keyed by region and a dms2msk price key
(``dms.instance:dms.r5.large:multi-az``, ``msk.broker:kafka.m5.large``,
``mskconnect.mcu``, ...), with its unit, source, the date it was read and
whether it was verified. A figure whose ``price`` is ``null`` is known to be
missing: the report marks every line that needs it instead of guessing.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError

BUNDLED_CATALOG_FILE = "prices.json"


@dataclass(frozen=True)
class PriceFigure:
    """One price: what it is for, how much, and how sure we are of it."""

    region: str
    key: str
    unit: str
    price: Decimal | None
    source: str
    read_on: str
    verified: bool
    note: str = ""
    proxied_from: str | None = None  # set when a figure of another region stands in (--fallback-region)
    usage_type: str = ""  # AWS's usage type, where the source names one
    inferred: bool = False  # concluded by dms2msk rather than read as labelled (the note says how)


@dataclass(frozen=True)
class IncludedStorage:
    """Storage a DMS instance family includes at no charge."""

    family: str
    gb: int
    source: str
    verified: bool


@dataclass(frozen=True)
class PriceCatalog:
    name: str  # "bundled", "live", or the file path
    read_on: str
    currency: str = "USD"
    figures: dict[tuple[str, str], PriceFigure] = field(default_factory=dict)
    included_storage: dict[str, IncludedStorage] = field(default_factory=dict)
    fallback_region: str | None = None
    notes: tuple[str, ...] = ()  # e.g. "the Price List API denied access; bundled prices used"

    def lookup(self, region: str, key: str) -> PriceFigure | None:
        """The figure for ``key`` in ``region``; with a fallback region, its figure marked as a proxy."""
        figure = self.figures.get((region, key))
        if figure is not None and figure.price is not None:
            return figure
        if self.fallback_region and self.fallback_region != region:
            proxy = self.figures.get((self.fallback_region, key))
            if proxy is not None and proxy.price is not None:
                return replace(proxy, region=region, proxied_from=self.fallback_region)
        return figure

    def included_storage_gb(self, instance_class: str) -> IncludedStorage | None:
        family = dms_family(instance_class)
        return self.included_storage.get(family) if family else None

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({region for region, _key in self.figures}))


def dms_family(instance_class: str) -> str | None:
    """``dms.r5.large`` -> ``r5``."""
    parts = instance_class.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "dms" else None


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{where}: price must be a number, a numeric string or null, got {value!r}")
    try:
        # str() first: a JSON float like 0.11 must become Decimal("0.11"), not its binary expansion.
        price = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"{where}: price {value!r} is not a number") from None
    if not price.is_finite() or price < 0:
        raise InputError(f"{where}: price {value!r} must be a non-negative number")
    return price


def catalog_from_jsonable(data: Any, name: str) -> PriceCatalog:
    """Build a catalog from its JSON form, saying where a malformed entry is."""
    hint = (
        "each entry of prices[] needs region, key, unit, price, source, read_on and verified (like the bundled one); "
        "an AWS pricing-page file has a 'manifest' and 'regions' instead"
    )
    if not isinstance(data, dict) or not isinstance(data.get("prices"), list):
        raise InputError(f"price catalog {name}: expected an object with a 'prices' list", hint=hint)
    figures: dict[tuple[str, str], PriceFigure] = {}
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    for index, entry in enumerate(data["prices"]):
        where = f"price catalog {name}: prices[{index}]"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: expected an object", hint=hint)
        missing = [k for k in ("region", "key", "unit", "price", "source") if k not in entry]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}", hint=hint)
        described = sources.get(entry["source"]) if isinstance(entry["source"], str) else None
        figure = PriceFigure(
            region=str(entry["region"]),
            key=str(entry["key"]),
            unit=str(entry["unit"]),
            price=_decimal(entry["price"], where),
            source=_source_text(str(entry["source"]), described, str(entry.get("usage_type", ""))),
            read_on=str(
                entry.get("read_on")
                or entry.get("published")
                or (described or {}).get("published")
                or data.get("read_on", "unknown")
            ),
            verified=bool(entry.get("verified", entry.get("basis") == "read")),
            note=str(entry.get("note", "")),
            usage_type=str(entry.get("usage_type", "")),
            inferred=entry.get("basis") == "inferred",
        )
        figures[(figure.region, figure.key)] = figure
    included: dict[str, IncludedStorage] = {}
    for index, entry in enumerate(data.get("dms_included_storage_gb", [])):
        where = f"price catalog {name}: dms_included_storage_gb[{index}]"
        if not isinstance(entry, dict) or "family" not in entry or not isinstance(entry.get("gb"), int):
            raise InputError(f"{where}: expected {{'family': 'r5', 'gb': 100, 'source': ..., 'verified': ...}}")
        included[str(entry["family"])] = IncludedStorage(
            family=str(entry["family"]),
            gb=entry["gb"],
            source=str(entry.get("source", "")),
            verified=bool(entry.get("verified", False)),
        )
    return PriceCatalog(
        name=str(data.get("catalog", name)) if name == "bundled" else name,
        read_on=str(data.get("read_on", "unknown")),
        currency=str(data.get("currency", "USD")),
        figures=figures,
        included_storage=included,
        notes=tuple(str(n) for n in data.get("notes", ())),
    )


def _source_text(source: str, described: Any, usage_type: str) -> str:
    """A figure's source in words: a catalog's ``sources`` entry expanded, with the usage type."""
    if isinstance(described, dict):
        source = f"{source} ({described.get('origin', 'AWS price file')}, published {described.get('published', '?')})"
    return f"{source}; usage type {usage_type}" if usage_type else source


def catalog_to_jsonable(catalog: PriceCatalog) -> dict[str, Any]:
    """The JSON form (prices as strings, so no cent is lost to floating point)."""
    return {
        "catalog": catalog.name,
        "currency": catalog.currency,
        "read_on": catalog.read_on,
        "notes": list(catalog.notes),
        "dms_included_storage_gb": [
            {"family": s.family, "gb": s.gb, "source": s.source, "verified": s.verified}
            for s in sorted(catalog.included_storage.values(), key=lambda s: s.family)
        ],
        "prices": [
            {
                "region": f.region,
                "key": f.key,
                "unit": f.unit,
                "price": None if f.price is None else str(f.price),
                "source": f.source,
                "read_on": f.read_on,
                "verified": f.verified,
                **({"note": f.note} if f.note else {}),
                **({"usage_type": f.usage_type} if f.usage_type else {}),
                **({"basis": "inferred"} if f.inferred else {}),
            }
            for f in sorted(catalog.figures.values(), key=lambda f: (f.region, f.key))
        ],
    }


@functools.cache
def load_bundled_catalog() -> PriceCatalog:
    """The shipped catalog, parsed once (callers derive catalogs with ``dataclasses.replace``, never mutate it)."""
    text = resources.files(__package__).joinpath(BUNDLED_CATALOG_FILE).read_text(encoding="utf-8")
    return catalog_from_jsonable(json.loads(text), "bundled")


CATALOG_FILE_HINT = (
    "pass --prices bundled, --prices live, an AWS pricing-page file (msk, databasemigrationsvc, secretsmanager "
    "or cloudwatch), or a catalog JSON like the bundled one"
)


def read_json_file(path: str | Path, what: str = "price file") -> Any:
    """Parsed JSON of ``path``; an InputError naming the file when it is missing, unreadable or not JSON."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist", hint=CATALOG_FILE_HINT) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not UTF-8 text", hint=CATALOG_FILE_HINT) from None
    except OSError as exc:
        raise InputError(f"{what} {path} cannot be read: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} {path} is not valid JSON (truncated?): {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint=CATALOG_FILE_HINT,
        ) from None


def load_catalog_file(path: str | Path) -> PriceCatalog:
    """Read a user catalog (same shape as the bundled one, or a cache file written by ``--prices live``)."""
    return catalog_from_jsonable(read_json_file(path), str(path))


def merge_catalogs(base: PriceCatalog, override: PriceCatalog, *, name: str, read_on: str) -> PriceCatalog:
    """``override``'s known figures win; ``base`` fills in the rest (each figure keeps its own source)."""
    figures = dict(base.figures)
    for key, figure in override.figures.items():
        if figure.price is not None or key not in figures:
            figures[key] = figure
    return PriceCatalog(
        name=name,
        read_on=read_on,
        currency=override.currency,
        figures=figures,
        included_storage={**base.included_storage, **override.included_storage},
        notes=base.notes + override.notes,
    )
