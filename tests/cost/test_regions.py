"""Seoul and N. Virginia, priced by the bundled catalog and computed by hand to the cent.

The unit prices below are copied from ``seoul-and-virginia.csv`` (the parsed table beside AWS's
price files); when that file is present the test checks they still agree. The formulas are the
documented ones: instance-hours x hours a month, storage beyond what the class includes, brokers x
hours, broker storage x brokers, MCUs x hours, log GB and steady-state log storage
(GB a month x retention days / days a month).
"""

from __future__ import annotations

import csv
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from dms2msk.config import ClusterSettings, Settings
from dms2msk.cost import estimate, load_bundled_catalog

from .estate import instance, inventory, mapping, pipeline, task

CSV_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "prices" / "seoul-and-virginia.csv"
HOURS = Decimal("730")
DAYS_A_MONTH = HOURS / 24
LOG_RETENTION_DAYS = 365  # connectors.log_retention_days default
INCLUDED_GB_R5 = 100  # DMS includes 100 GB with r5 classes (prices README: infracost, a third party)

# region -> CSV item -> price
PRICES = {
    "ap-northeast-2": {
        "dms.r5.large Multi-AZ": "0.47",
        "storage gp2 Multi-AZ": "0.262",
        "broker kafka.m5.large": "0.258",
        "broker storage (EBS gp2)": "0.114",
        "MSK Connect": "0.135",
        "Logs ingestion (standard, custom logs)": "0.76",
        "Logs storage (archived)": "0.0314",
    },
    "us-east-1": {
        "dms.r5.large Multi-AZ": "0.353",
        "storage gp2 Multi-AZ": "0.23",
        "broker kafka.m5.large": "0.21",
        "broker storage (EBS gp2)": "0.10",
        "MSK Connect": "0.11",
        "Logs ingestion (standard, custom logs)": "0.5",
        "Logs storage (archived)": "0.03",
    },
}


def to_cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_prices_used_here_are_the_csv_figures():
    if not CSV_PATH.is_file():
        if os.environ.get("CI") == "true":  # CI has the shared reference folder beside the clone
            pytest.fail(f"{CSV_PATH} is missing")
        pytest.skip(f"{CSV_PATH} is not here; test_generate checks the catalog against it")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = {(r["region"], r["item"]): Decimal(r["price_usd"]) for r in csv.DictReader(handle)}
    for region, items in PRICES.items():
        for item, price in items.items():
            assert rows[(region, item)] == Decimal(price), (region, item)


def by_hand(region: str) -> dict[str, Decimal]:
    """Multi-AZ dms.r5.large, 200 GB, one task; 3 x kafka.m5.large (100 GB each), 2 connectors of 1 MCU."""
    p = {item: Decimal(text) for item, text in PRICES[region].items()}
    today = HOURS * p["dms.r5.large Multi-AZ"] + (200 - INCLUDED_GB_R5) * p["storage gp2 Multi-AZ"]
    brokers = 3 * HOURS * p["broker kafka.m5.large"]
    broker_storage = 3 * 100 * p["broker storage (EBS gp2)"]
    connect = 2 * 1 * HOURS * p["MSK Connect"]
    logs = 2 * (
        1 * p["Logs ingestion (standard, custom logs)"]
        + 1 * LOG_RETENTION_DAYS / DAYS_A_MONTH * p["Logs storage (archived)"]
    )
    fixed = brokers + broker_storage
    per_pipeline_msk = connect + logs
    return {"today": today, "proposed": fixed + per_pipeline_msk, "fixed": fixed, "per_pipeline": per_pipeline_msk}


@pytest.mark.parametrize(
    ("region", "today", "proposed", "break_even"),
    [
        # 0.47 x 730 = 343.10 + 100 x 0.262 = 26.20; 565.02 + 34.20 + 197.10 + 2 x (0.76 + 12 x 0.0314)
        ("ap-northeast-2", "369.30", "798.59", 4),
        # 0.353 x 730 = 257.69 + 100 x 0.23 = 23.00; 459.90 + 30.00 + 160.60 + 2 x (0.50 + 12 x 0.03)
        ("us-east-1", "280.69", "652.22", 5),
    ],
)
def test_reference_estate_to_the_cent(region, today, proposed, break_even):
    hand = by_hand(region)
    assert to_cent(hand["today"]) == Decimal(today) and to_cent(hand["proposed"]) == Decimal(proposed)
    # break-even: the smallest n with fixed + n x MSK per pipeline < n x DMS per pipeline
    n = 1
    while hand["fixed"] + n * hand["per_pipeline"] >= n * hand["today"]:
        n += 1
    assert n == break_even

    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    report = estimate(
        inventory(region, (ri,), (task("orders", ri),)),
        mapping(pipeline("orders", region=region)),
        Settings(cluster=ClusterSettings(broker_count=3)),
        load_bundled_catalog(),
    )
    assert report.complete and not report.missing
    assert to_cent(report.today.known) == Decimal(today)
    assert to_cent(report.proposed.known) == Decimal(proposed)
    assert to_cent(report.difference) == to_cent(hand["proposed"] - hand["today"])
    assert report.break_even.pipelines_needed == break_even
    assert all(line.region == region and line.proxied_from is None for line in report.lines)
