"""AWS's pricing-page data files ("metered unit maps") read into price figures.

The public pricing pages load one JSON file per service and currency,
``{"manifest": {...}, "sets": {...}, "regions": {LOCATION: {ENTRY: {"price": ...}}}}``,
with regions named by location ("Asia Pacific (Seoul)"), not by code. Entries
are told apart by what each service's file carries: MSK entries a ``usageType``
(``APN2-Kafka.m5.large``), DMS entries an ``Instance Type`` and membership of
the ``sets`` Single-AZ / Multiple-AZ lists, Secrets Manager and CloudWatch a
named entry ("Secret", "Stored Data"). A figure is ``read`` when its entry says
what it prices and ``inferred`` when dms2msk concludes it (the DMS Serverless
DCU-hour rate comes from an unlabelled series); inferred figures carry a note
the report prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import InputError

LOCATIONS: dict[str, str] = {
    "Africa (Cape Town)": "af-south-1",
    "Asia Pacific (Hong Kong)": "ap-east-1",
    "Asia Pacific (Taipei)": "ap-east-2",
    "Asia Pacific (Tokyo)": "ap-northeast-1",
    "Asia Pacific (Seoul)": "ap-northeast-2",
    "Asia Pacific (Osaka)": "ap-northeast-3",
    "Asia Pacific (Mumbai)": "ap-south-1",
    "Asia Pacific (Hyderabad)": "ap-south-2",
    "Asia Pacific (Singapore)": "ap-southeast-1",
    "Asia Pacific (Sydney)": "ap-southeast-2",
    "Asia Pacific (Jakarta)": "ap-southeast-3",
    "Asia Pacific (Melbourne)": "ap-southeast-4",
    "Asia Pacific (Malaysia)": "ap-southeast-5",
    "Asia Pacific (New Zealand)": "ap-southeast-6",
    "Asia Pacific (Thailand)": "ap-southeast-7",
    "Canada (Central)": "ca-central-1",
    "Canada West (Calgary)": "ca-west-1",
    "EU (Frankfurt)": "eu-central-1",
    "EU (Zurich)": "eu-central-2",
    "EU (Stockholm)": "eu-north-1",
    "EU (Milan)": "eu-south-1",
    "EU (Spain)": "eu-south-2",
    "EU (Ireland)": "eu-west-1",
    "EU (London)": "eu-west-2",
    "EU (Paris)": "eu-west-3",
    "Israel (Tel Aviv)": "il-central-1",
    "Middle East (UAE)": "me-central-1",
    "Middle East (Bahrain)": "me-south-1",
    "Mexico (Central)": "mx-central-1",
    "South America (Sao Paulo)": "sa-east-1",
    "US East (N. Virginia)": "us-east-1",
    "US East (Ohio)": "us-east-2",
    "US West (N. California)": "us-west-1",
    "US West (Oregon)": "us-west-2",
    "AWS GovCloud (US-East)": "us-gov-east-1",
    "AWS GovCloud (US)": "us-gov-west-1",
}
"""AWS location names (the Price List ``location`` attribute) of the regions; local and Wavelength zones left out."""

REGION_LOCATIONS: dict[str, str] = {code: name for name, code in LOCATIONS.items()}

DMS_SERVERLESS_RATE_ENTRY = "MuKwWVRV6E-BuV4HGDPAcccYRyzppqiyZyFBSStXjxc"
"""The regionless code of the unlabelled DMS entry read as the DCU-hour rate (see ``_dms_serverless``)."""
DMS_SERVERLESS_DCU_SIZES = (2, 4, 8, 16, 32, 64, 128, 192, 256, 384)
"""Valid DMS Serverless capacities above 1 DCU (DMS User Guide, "Supported engine versions / capacity units")."""

_REGION_PREFIX = re.compile(r"^[A-Z]{2,}[0-9]*-")  # APN2-, USE1-, EUC1-: the usage type's region
_MSK_USAGE: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str], str], ...] = (
    # First: the broker pattern below would also match the MCU usage type.
    (re.compile(r"^Kafka\.mcu\.general$"), lambda m: "mskconnect.mcu", "MCU-hour"),
    (re.compile(r"^Kafka\.([a-z][a-z0-9]*\.[a-z0-9]+)$"), lambda m: f"msk.broker:kafka.{m.group(1)}", "broker-hour"),
    (
        re.compile(r"^Express\.([a-z][a-z0-9]*\.[a-z0-9]+)$"),
        lambda m: f"msk.broker:express.{m.group(1)}",
        "broker-hour",
    ),
    (re.compile(r"^Kafka\.Storage\.GP2$"), lambda m: "msk.storage", "GB-month"),
    (re.compile(r"^Express\.Storage$"), lambda m: "msk.express.storage", "GB-month"),
    (re.compile(r"^Express\.In-Bytes$"), lambda m: "msk.express.data-in", "GB"),
    (re.compile(r"^KafkaServerless-ClusterHours$"), lambda m: "msk.serverless.cluster", "cluster-hour"),
    (re.compile(r"^KafkaServerless-PartitionHours$"), lambda m: "msk.serverless.partition", "partition-hour"),
    (re.compile(r"^KafkaServerless-StorageHours$"), lambda m: "msk.serverless.storage", "GB-month"),
    (re.compile(r"^KafkaServerless-In-Bytes$"), lambda m: "msk.serverless.data-in", "GB"),
    (re.compile(r"^KafkaServerless-Out-Bytes$"), lambda m: "msk.serverless.data-out", "GB"),
)
_DMS_NAMED_INSTANCE = re.compile(r"^DMS OnDemand Replication Server ([a-z][a-z0-9]*) ([a-z0-9]+) (Single|Multiple) AZ$")
_DMS_SETS = {"DMS Replication Server Single AZ": "single-az", "DMS Replication Server Multiple AZ": "multi-az"}
_DMS_STORAGE = {
    "DMS Storage Replication Storage Single AZ": "dms.storage:single-az",
    "DMS Storage Replication Storage Multiple AZ": "dms.storage:multi-az",
}
_NAMED: dict[str, dict[str, tuple[str, str]]] = {
    "secretsmanager": {"Secret": ("secretsmanager.secret", "secret-month")},
    "cloudwatch": {
        "Logs Collected Data Ingestion": ("logs.ingestion", "GB"),
        "Stored Data": ("logs.storage", "GB-month"),
    },
}


@dataclass(frozen=True)
class PageFigure:
    """One figure read from a pricing-page file, for one region."""

    region: str
    key: str
    unit: str
    price: Decimal
    usage_type: str = ""
    inferred: bool = False
    note: str = ""


@dataclass(frozen=True)
class PricingPage:
    """A parsed pricing-page file: which service, when AWS published it, and its figures."""

    path: str
    service: str
    published: str  # YYYY-MM-DD
    figures: tuple[PageFigure, ...]
    locations: tuple[str, ...]  # every location name the file has
    problems: tuple[str, ...] = ()  # what a complete file of this service would have and this one lacks

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({LOCATIONS[loc] for loc in self.locations if loc in LOCATIONS}))


SERVICES = ("msk", "databasemigrationsvc", "secretsmanager", "cloudwatch")
SERVICE_KEY_PREFIXES: dict[str, tuple[str, ...]] = {
    "msk": ("msk.", "mskconnect."),
    "databasemigrationsvc": ("dms.",),
    "secretsmanager": ("secretsmanager.",),
    "cloudwatch": ("logs.",),
}
"""The catalog keys each service's file prices: a user's file replaces exactly these."""
_HINT = (
    "pass an AWS pricing-page file of msk, databasemigrationsvc, secretsmanager or cloudwatch "
    "(pricing/2.0/meteredUnitMaps/<service>/USD/current/<service>.json), or a dms2msk catalog JSON"
)


def is_pricing_page(data: Any) -> bool:
    """Whether parsed JSON has the pricing-page shape (rather than a dms2msk catalog's ``prices`` list)."""
    return isinstance(data, dict) and "manifest" in data and "prices" not in data


def _price(value: Any, where: str) -> Decimal:
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"{where}: price {value!r} is not a number", hint=_HINT) from None
    if not price.is_finite() or price < 0:
        raise InputError(f"{where}: price {value!r} must be a non-negative number", hint=_HINT)
    return price


def _entries(location_entries: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(location_entries, dict):
        raise InputError(f"{where}: expected an object of price entries", hint=_HINT)
    for name, entry in sorted(location_entries.items()):
        if isinstance(entry, dict) and "price" in entry:
            yield name, entry


def msk_key(usage_type: str) -> tuple[str, str] | None:
    """The catalog key and unit an MSK usage type (``APN2-Kafka.m5.large``) prices, if dms2msk uses it.

    Shared by the pricing-page reader and the Price List API reader (its ``usagetype`` attribute).
    """
    bare = _REGION_PREFIX.sub("", usage_type)
    for pattern, key_of, unit in _MSK_USAGE:
        match = pattern.match(bare)
        if match:
            return key_of(match), unit
    return None


def _msk(entries: list[tuple[str, dict[str, Any]]], region: str, where: str) -> Iterator[PageFigure]:
    for _name, entry in entries:
        usage_type = str(entry.get("usageType", ""))
        found = msk_key(usage_type)
        if found:
            yield PageFigure(region, found[0], found[1], _price(entry["price"], where), usage_type)


def _dms_instances(
    entries: list[tuple[str, dict[str, Any]]], region: str, sets: dict[str, set[str]], where: str
) -> Iterator[PageFigure]:
    for name, entry in entries:
        deployment = next((az for set_name, az in _DMS_SETS.items() if name in sets.get(set_name, ())), None)
        instance_type = str(entry.get("Instance Type", ""))
        named = _DMS_NAMED_INSTANCE.match(name)
        if named:
            instance_type = f"{named.group(1)}.{named.group(2)}"
            deployment = "single-az" if named.group(3) == "Single" else "multi-az"
        if deployment and instance_type:
            key = f"dms.instance:dms.{instance_type}:{deployment}"
            yield PageFigure(region, key, "hour", _price(entry["price"], where))
        if name in _DMS_STORAGE:
            yield PageFigure(region, _DMS_STORAGE[name], "GB-month", _price(entry["price"], where))


def _dms_serverless(entries: list[tuple[str, dict[str, Any]]], region: str, where: str) -> Iterator[PageFigure]:
    """The DCU-hour rate: an unlabelled entry whose multiples by every valid DCU size are entries too.

    AWS labels none of these entries. The rate is inferred because the series' multiples are
    exactly the DMS Serverless capacities (and twice them, Multi-AZ); the note says how many.
    """
    by_name = dict(entries)
    rate_entry = by_name.get(DMS_SERVERLESS_RATE_ENTRY)
    if rate_entry is None or rate_entry.get("Instance Type"):
        return
    rate = _price(rate_entry["price"], where)
    if rate == 0:
        return
    unlabelled = [_price(e["price"], where) for _n, e in entries if e.get("Instance Type", None) == ""]
    # The file rounds each multiple to its own last digits: compare to a tenth of a cent per hour.
    found = [n for n in DMS_SERVERLESS_DCU_SIZES if any(abs(p - rate * n) < Decimal("0.001") for p in unlabelled)]
    if len(found) < len(DMS_SERVERLESS_DCU_SIZES) // 2:
        return
    yield PageFigure(
        region,
        "dms.serverless.dcu",
        "DCU-hour",
        rate,
        inferred=True,
        note=(
            f"inferred: AWS's file does not label this entry ({DMS_SERVERLESS_RATE_ENTRY[:10]}...); its multiples by "
            f"{len(found)} of the {len(DMS_SERVERLESS_DCU_SIZES)} valid DCU sizes above 1 are entries of the file"
        ),
    )


def _figures_of(service: str, data: dict[str, Any], where: str) -> Iterator[PageFigure]:
    sets = {name: set(keys) for name, keys in (data.get("sets") or {}).items() if isinstance(keys, list)}
    for location, location_entries in sorted(data["regions"].items()):
        region = LOCATIONS.get(location)
        if region is None:
            continue  # "Any", local zones, Wavelength zones
        entries = list(_entries(location_entries, f"{where}: regions[{location!r}]"))
        here = f"{where}: regions[{location!r}]"
        if service == "msk":
            yield from _msk(entries, region, here)
        elif service == "databasemigrationsvc":
            yield from _dms_instances(entries, region, sets, here)
            yield from _dms_serverless(entries, region, here)
        else:
            for name, entry in entries:
                if name in _NAMED[service]:
                    key, unit = _NAMED[service][name]
                    yield PageFigure(region, key, unit, _price(entry["price"], here))


EXPECTED_KEYS: dict[str, tuple[str, ...]] = {
    "msk": ("msk.storage", "mskconnect.mcu"),
    "databasemigrationsvc": ("dms.storage:single-az", "dms.storage:multi-az"),
    "secretsmanager": ("secretsmanager.secret",),
    "cloudwatch": ("logs.ingestion", "logs.storage"),
}
"""Figures every region of a complete file of that service has; their absence is reported, not guessed."""


def _dedupe(figures: Iterator[PageFigure], where: str) -> tuple[list[PageFigure], list[str]]:
    """One figure per (region, key); the same entry appears under several names with one price."""
    chosen: dict[tuple[str, str], PageFigure] = {}
    problems: list[str] = []
    for figure in figures:
        seen = chosen.get((figure.region, figure.key))
        if seen is None:
            chosen[(figure.region, figure.key)] = figure
        elif seen.price != figure.price:
            problems.append(
                f"{where}: {figure.key} ({figure.region}) has two prices, {seen.price} and {figure.price}; "
                "the first is used"
            )
    return [chosen[k] for k in sorted(chosen)], problems


def _published(manifest: dict[str, Any], where: str) -> str:
    stamp = str(manifest.get("hawkFilePublicationDate", ""))
    if not re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
        raise InputError(f"{where}: manifest.hawkFilePublicationDate is missing or not a date", hint=_HINT)
    return stamp[:10]


def pricing_page_from_jsonable(data: Any, path: str) -> PricingPage:
    """Parse a pricing-page document; an InputError names the file and what is wrong or missing."""
    where = f"price file {path}"
    if not is_pricing_page(data) or not isinstance(data.get("manifest"), dict):
        raise InputError(f"{where}: not an AWS pricing-page file (no 'manifest' object)", hint=_HINT)
    manifest = data["manifest"]
    service = str(manifest.get("serviceId", ""))
    if service not in SERVICES:
        raise InputError(
            f"{where} holds prices of service {service or '(unnamed)'!r}; dms2msk reads {', '.join(SERVICES)}",
            hint=_HINT,
        )
    currency = manifest.get("currencyCode")
    if currency != "USD":
        raise InputError(f"{where}: prices are in {currency!r}; dms2msk compares USD prices", hint=_HINT)
    if not isinstance(data.get("regions"), dict) or not data["regions"]:
        raise InputError(f"{where}: no 'regions' object with prices (is the file truncated?)", hint=_HINT)
    figures, problems = _dedupe(_figures_of(service, data, where), where)
    have = {(f.region, f.key) for f in figures}
    regions = sorted({LOCATIONS[loc] for loc in data["regions"] if loc in LOCATIONS})
    for region in regions:
        lacking = [k for k in EXPECTED_KEYS[service] if (region, k) not in have]
        if lacking:
            problems.append(f"{where} has no {', '.join(lacking)} for {region} ({REGION_LOCATIONS[region]})")
    if not figures:
        raise InputError(f"{where}: no {service} price dms2msk uses was found (is the file truncated?)", hint=_HINT)
    return PricingPage(
        path=path,
        service=service,
        published=_published(manifest, where),
        figures=tuple(figures),
        locations=tuple(sorted(data["regions"])),
        problems=tuple(problems),
    )


def read_pricing_page(path: str | Path) -> PricingPage:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"price file {path} does not exist", hint=_HINT) from None
    except OSError as exc:
        raise InputError(f"price file {path} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"price file {path} is not UTF-8 text", hint=_HINT) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"price file {path} is not valid JSON (truncated?): {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint=_HINT,
        ) from None
    return pricing_page_from_jsonable(data, str(path))
