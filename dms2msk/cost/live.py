"""Refresh prices from the AWS Price List API (boto3 ``pricing``, endpoint in us-east-1).

Rows are told apart by their ``usagetype`` (``InstanceUsg:dms.r5.large`` is
Single-AZ, ``Multi-AZUsg:dms.r5.large`` Multi-AZ; ``Kafka.m5.large`` a broker,
``Kafka.Storage.GP2`` broker storage, ``Kafka.mcu.general`` the MSK Connect
MCU-hour), never by the first row a loose filter returns: filtering DMS on
instance type and region alone yields both AZ rows. The MSK usage types are the
ones AWS's pricing-page files carry (``pricing_page.msk_key``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..files import write_file
from .catalog import PriceCatalog, PriceFigure, catalog_to_jsonable
from .pricing_page import msk_key

PRICING_API_REGION = "us-east-1"
DMS_SERVICE_CODE = "AWSDatabaseMigrationSvc"
MSK_SERVICE_CODE = "AmazonMSK"
CACHE_DIR_ENV = "DMS2MSK_CACHE_DIR"

_DMS_INSTANCE = re.compile(r"(?:^|-)(InstanceUsg|Multi-AZUsg):(dms\.[a-z0-9]+\.[a-z0-9]+)$")


@dataclass(frozen=True)
class LiveResult:
    catalog: PriceCatalog
    problems: tuple[str, ...]  # what could not be read, in words


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dms2msk"


def make_pricing_client(profile: str | None = None, endpoint_url: str | None = None) -> Any:
    import boto3  # only the live path needs boto3

    session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    return session.client("pricing", region_name=PRICING_API_REGION, endpoint_url=endpoint_url)


def _pages(client: Any, service_code: str, filters: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Every product of a ``get_products`` query, following NextToken."""
    request: dict[str, Any] = {
        "ServiceCode": service_code,
        "Filters": [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in filters.items()],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    while True:
        response = client.get_products(**request)
        for entry in response.get("PriceList", []):
            # Entries are JSON documents in strings ({"product": ..., "terms": ...}).
            yield json.loads(entry) if isinstance(entry, str) else entry
        token = response.get("NextToken")
        if not token:
            return
        request["NextToken"] = token


def on_demand_price(product: dict[str, Any]) -> tuple[Decimal, str] | None:
    """The USD On-Demand price of the first tier (beginRange 0), with the API's unit."""
    offers = product.get("terms", {}).get("OnDemand", {})
    dimensions = [d for offer in offers.values() for d in offer.get("priceDimensions", {}).values()]

    def begin(dimension: dict[str, Any]) -> Decimal:
        try:
            return Decimal(str(dimension.get("beginRange", "0")))
        except InvalidOperation:
            return Decimal("0")

    for dimension in sorted(dimensions, key=begin):
        usd = dimension.get("pricePerUnit", {}).get("USD")
        if usd is None:
            continue
        try:
            return Decimal(usd), str(dimension.get("unit", ""))
        except InvalidOperation:
            continue
    return None


def _figure(
    region: str, key: str, unit: str, product: dict[str, Any], today: str, *, verified: bool
) -> PriceFigure | None:
    priced = on_demand_price(product)
    if priced is None:
        return None
    price, api_unit = priced
    attributes = product.get("product", {}).get("attributes", {})
    return PriceFigure(
        region=region,
        key=key,
        unit=unit,
        price=price,
        source=f"AWS Price List API {product.get('serviceCode', '')} usagetype {attributes.get('usagetype', '?')}"
        f" ({api_unit})".replace("  ", " "),
        read_on=today,
        verified=verified,
        note="" if verified else "matched by a usage-type pattern that is not confirmed; check it",
    )


def _dms_figures(client: Any, region: str, today: str) -> dict[tuple[str, str], PriceFigure]:
    found: dict[tuple[str, str], PriceFigure] = {}
    for product in _pages(client, DMS_SERVICE_CODE, {"regionCode": region, "productFamily": "Replication Server"}):
        attributes = product.get("product", {}).get("attributes", {})
        match = _DMS_INSTANCE.search(attributes.get("usagetype", ""))
        if not match:
            continue
        multi = match.group(1) == "Multi-AZUsg"
        # The deployment attribute must agree with the usage type; a disagreeing row is not trusted.
        deployment = attributes.get("availabilityZone")
        if deployment and deployment != ("Multiple" if multi else "Single"):
            continue
        key = f"dms.instance:{match.group(2)}:{'multi-az' if multi else 'single-az'}"
        figure = _figure(region, key, "hour", product, today, verified=True)
        if figure:
            found[(region, key)] = figure
    for product in _pages(client, DMS_SERVICE_CODE, {"regionCode": region, "storageMedia": "SSD"}):
        attributes = product.get("product", {}).get("attributes", {})
        deployment = {"Single": "single-az", "Multiple": "multi-az"}.get(attributes.get("availabilityZone", ""))
        if deployment is None:
            continue
        key = f"dms.storage:{deployment}"
        figure = _figure(region, key, "GB-month", product, today, verified=True)
        if figure:
            found[(region, key)] = figure
    return found


def _msk_figures(client: Any, region: str, today: str) -> dict[tuple[str, str], PriceFigure]:
    """MSK and MSK Connect rows by usage type, the same table the pricing-page reader uses."""
    found: dict[tuple[str, str], PriceFigure] = {}
    for product in _pages(client, MSK_SERVICE_CODE, {"regionCode": region}):
        usagetype = product.get("product", {}).get("attributes", {}).get("usagetype", "")
        known = msk_key(usagetype)
        figure = _figure(region, known[0], known[1], product, today, verified=True) if known else None
        if figure is not None:
            found[(figure.region, figure.key)] = figure
    return found


def fetch_live_catalog(regions: list[str] | tuple[str, ...], client: Any, *, today: str | None = None) -> LiveResult:
    """Read DMS and MSK prices of ``regions``; a failed call becomes a problem, not an exception."""
    today = today or dt.date.today().isoformat()
    figures: dict[tuple[str, str], PriceFigure] = {}
    problems: list[str] = []
    for region in sorted(set(regions)):
        for service, reader in ((DMS_SERVICE_CODE, _dms_figures), (MSK_SERVICE_CODE, _msk_figures)):
            try:
                figures.update(reader(client, region, today))
            except Exception as exc:  # botocore ClientError / EndpointConnectionError / NoCredentialsError
                if not type(exc).__module__.startswith("botocore"):
                    raise
                problems.append(f"Price List API {service} {region}: {_describe(exc)}")
    catalog = PriceCatalog(name="live", read_on=today, figures=figures)
    return LiveResult(catalog, tuple(problems))


def _describe(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        error = response["Error"]
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}"


def write_cache(catalog: PriceCatalog, cache_dir: Path) -> Path:
    """Write ``prices-<date>.json`` atomically (temp file + os.replace)."""
    target = cache_dir / f"prices-{catalog.read_on}.json"
    write_file(target, json.dumps(catalog_to_jsonable(catalog), indent=2, sort_keys=True) + "\n")
    return target


def latest_cache(cache_dir: Path) -> Path | None:
    files = sorted(cache_dir.glob("prices-????-??-??.json")) if cache_dir.is_dir() else []
    return files[-1] if files else None
