"""The --prices live path: botocore Stubber fed responses in the real Price List shape."""

from __future__ import annotations

import json
import socket
import zlib
from decimal import Decimal

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from dms2msk.config import ClusterSettings, Settings
from dms2msk.cost import cost_report, load_catalog_file
from dms2msk.cost.estimate import cents
from dms2msk.cost.live import fetch_live_catalog, on_demand_price

from .estate import instance, inventory, mapping, pipeline, task

TODAY = "2026-12-01"


def price_list_entry(service: str, family: str, attributes: dict[str, str], usd: str, unit: str = "Hrs") -> str:
    """One PriceList entry as the API returns it: a JSON document in a string."""
    identity = f"{service}|{attributes.get('usagetype')}|{usd}"
    sku = f"SKU{zlib.crc32(identity.encode()):010d}"
    return json.dumps(
        {
            "product": {"productFamily": family, "attributes": {"servicecode": service, **attributes}, "sku": sku},
            "serviceCode": service,
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            f"{sku}.JRTCKXETXF.6YS6EN2CT7": {
                                "unit": unit,
                                "endRange": "Inf",
                                "description": f"${usd} per {unit}",
                                "appliesTo": [],
                                "rateCode": f"{sku}.JRTCKXETXF.6YS6EN2CT7",
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-11-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20261101000000",
            "publicationDate": "2026-11-01T00:00:00Z",
        }
    )


def dms_instance_row(cls: str, multi: bool, usd: str, *, az: str | None = None) -> str:
    usage = f"{'Multi-AZUsg' if multi else 'InstanceUsg'}:{cls}"
    attributes = {
        "usagetype": usage,
        "instanceType": cls.removeprefix("dms."),
        "regionCode": "us-east-1",
        "availabilityZone": az or ("Multiple" if multi else "Single"),
        "operation": "CreateDMSInstance",
    }
    return price_list_entry("AWSDatabaseMigrationSvc", "Replication Server", attributes, usd)


def request(service: str, filters: dict[str, str], token: str | None = None) -> dict:
    params = {
        "ServiceCode": service,
        "Filters": [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in filters.items()],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    return {**params, "NextToken": token} if token else params


def pricing_client():
    return boto3.client("pricing", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


def stub_us_east_1(stubber: Stubber) -> None:
    dms_filters = {"regionCode": "us-east-1", "productFamily": "Replication Server"}
    # Page 1 holds the Multi-AZ row first: a loose reader would take it for the Single-AZ price.
    stubber.add_response(
        "get_products",
        {
            "FormatVersion": "aws_v1",
            "NextToken": "page-2",
            "PriceList": [dms_instance_row("dms.r5.large", True, "0.5040000000")],
        },
        request("AWSDatabaseMigrationSvc", dms_filters),
    )
    stubber.add_response(
        "get_products",
        {
            "FormatVersion": "aws_v1",
            "PriceList": [
                dms_instance_row("dms.r5.large", False, "0.2520000000"),
                dms_instance_row("dms.c5.large", False, "9.9900000000", az="Multiple"),  # disagreeing row: not trusted
            ],
        },
        request("AWSDatabaseMigrationSvc", dms_filters, "page-2"),
    )
    storage = [
        price_list_entry(
            "AWSDatabaseMigrationSvc",
            "Storage",
            {"usagetype": "StorageUsg", "storageMedia": "SSD", "availabilityZone": az},
            usd,
            "GB-Mo",
        )
        for az, usd in (("Single", "0.1150000000"), ("Multiple", "0.2300000000"))
    ]
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": storage},
        request("AWSDatabaseMigrationSvc", {"regionCode": "us-east-1", "storageMedia": "SSD"}),
    )
    msk_family = "Managed Streaming for Apache Kafka (MSK)"
    msk = [
        price_list_entry(
            "AmazonMSK",
            msk_family,
            {"usagetype": "USE1-Kafka.m5.large", "computeFamily": "m5.large", "operation": "RunBroker"},
            "0.2100000000",
            "hours",
        ),
        price_list_entry(
            "AmazonMSK",
            msk_family,
            {"usagetype": "USE1-Kafka.Storage.GP2", "storageFamily": "GP2"},
            "0.1000000000",
            "GB-Mo",
        ),
        price_list_entry("AmazonMSK", msk_family, {"usagetype": "USE1-KafkaServerless-ClusterHours"}, "0.7500000000"),
    ]  # fmt: skip  (no MSK Connect row: that product is "missing")
    stubber.add_response(
        "get_products", {"FormatVersion": "aws_v1", "PriceList": msk}, request("AmazonMSK", {"regionCode": "us-east-1"})
    )


def test_live_catalog_pins_multi_az_by_usage_type_and_follows_next_token():
    client = pricing_client()
    with Stubber(client) as stubber:
        stub_us_east_1(stubber)
        live = fetch_live_catalog(["us-east-1"], client, today=TODAY)
        stubber.assert_no_pending_responses()
    figures = live.catalog.figures
    assert figures[("us-east-1", "dms.instance:dms.r5.large:single-az")].price == Decimal("0.252")
    assert figures[("us-east-1", "dms.instance:dms.r5.large:multi-az")].price == Decimal("0.504")
    assert ("us-east-1", "dms.instance:dms.c5.large:single-az") not in figures
    assert ("us-east-1", "dms.instance:dms.c5.large:multi-az") not in figures
    assert figures[("us-east-1", "dms.storage:multi-az")].price == Decimal("0.23")
    assert figures[("us-east-1", "msk.broker:kafka.m5.large")].price == Decimal("0.21")
    assert figures[("us-east-1", "msk.storage")].price == Decimal("0.1")
    assert all(f.verified and f.read_on == TODAY for f in figures.values())
    assert not live.problems


def test_cost_report_live_says_what_it_could_not_find_and_caches(tmp_path):
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri),))
    client = pricing_client()
    with Stubber(client) as stubber:
        stub_us_east_1(stubber)
        report = cost_report(
            inv,
            mapping(pipeline("orders")),
            Settings(cluster=ClusterSettings(broker_count=3)),
            prices="live",
            client=client,
            cache_dir=tmp_path,
        )
    assert report.catalog_name == "live" and report.catalog_read_on == report.lines[0].read_on
    # 0.504 x 730 = 367.92 + 100 GB x 0.23 = 23.00
    assert cents(report.today.known) == Decimal("390.92")
    assert any(
        "mskconnect.mcu (us-east-1) not found in the Price List API; the bundled figure is used" in n
        for n in report.notes
    )
    mcu = next(ln for ln in report.lines if ln.price_key == "mskconnect.mcu")
    assert mcu.unit_price == Decimal("0.11") and "aws-pricing-msk-2025-11-20.json" in mcu.source and mcu.verified
    (cache,) = tmp_path.glob("prices-*.json")
    cached = load_catalog_file(cache)
    assert cached.figures[("us-east-1", "dms.instance:dms.r5.large:multi-az")].price == Decimal("0.504")


def test_denied_price_list_falls_back_to_the_cache_then_the_bundle(tmp_path):
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri),))
    settings = Settings(cluster=ClusterSettings(broker_count=3))

    def denied_report():
        client = pricing_client()
        with Stubber(client) as stubber:
            for _ in range(2):  # one DMS and one MSK call, each refused
                stubber.add_client_error("get_products", "AccessDeniedException", "User is not authorized", 400)
            return cost_report(
                inv, mapping(pipeline("orders")), settings, prices="live", client=client, cache_dir=tmp_path
            )

    report = denied_report()
    assert report.catalog_name == "bundled"
    assert any("AccessDeniedException" in n for n in report.notes)
    assert any("no cache; the bundled catalog is used" in n for n in report.notes)
    assert cents(report.today.known) == Decimal("280.69")  # bundled figures still price it: 0.353 x 730 + 23.00
    (tmp_path / "prices-2026-11-30.json").write_text(
        json.dumps(
            {
                "catalog": "live",
                "read_on": "2026-11-30",
                "prices": [
                    {
                        "region": "us-east-1",
                        "key": "dms.instance:dms.r5.large:multi-az",
                        "unit": "hour",
                        "price": "0.5",
                        "source": "cache",
                        "read_on": "2026-11-30",
                        "verified": True,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    report = denied_report()
    assert report.catalog_read_on == "2026-11-30"
    assert any("cached catalog" in n for n in report.notes)
    assert cents(report.today.known) == Decimal("365.00")  # 0.5 x 730; storage unknown in that cache
    assert not report.complete


def test_unreachable_price_list_is_a_problem_not_a_crash(monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = boto3.client(
        "pricing",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=2),
    )
    live = fetch_live_catalog(["ap-northeast-2"], client, today=TODAY)
    assert not live.catalog.figures
    assert len(live.problems) == 2 and all("EndpointConnectionError" in p for p in live.problems)


def test_first_tier_price_is_taken():
    entry = json.loads(price_list_entry("AmazonMSK", "x", {"usagetype": "a"}, "0.10"))
    dims = next(iter(entry["terms"]["OnDemand"].values()))["priceDimensions"]
    dims["tier2"] = {"beginRange": "1000", "unit": "GB", "pricePerUnit": {"USD": "0.05"}}
    assert on_demand_price(entry) == (Decimal("0.10"), "Hrs")
    assert on_demand_price({"terms": {}}) is None


@pytest.mark.parametrize("region", ["ap-northeast-2"])
def test_other_regions_are_queried_by_region_code(region):
    client = pricing_client()
    with Stubber(client) as stubber:
        for service, filters in (
            ("AWSDatabaseMigrationSvc", {"regionCode": region, "productFamily": "Replication Server"}),
            ("AWSDatabaseMigrationSvc", {"regionCode": region, "storageMedia": "SSD"}),
            ("AmazonMSK", {"regionCode": region}),
        ):
            stubber.add_response(
                "get_products", {"FormatVersion": "aws_v1", "PriceList": []}, request(service, filters)
            )
        live = fetch_live_catalog([region], client, today=TODAY)
        stubber.assert_no_pending_responses()
    assert not live.catalog.figures and not live.problems


def test_live_msk_connect_in_seoul_is_the_mcu_hour_not_a_broker():
    """``Kafka.mcu.general`` (AWS's MSK Connect usage type) looks like a broker type to a loose pattern."""
    client = pricing_client()
    family = "Managed Streaming for Apache Kafka (MSK)"
    msk = [
        price_list_entry("AmazonMSK", family, {"usagetype": "APN2-Kafka.mcu.general"}, "0.1350000000"),
        price_list_entry("AmazonMSK", family, {"usagetype": "APN2-Express.Storage"}, "0.1140000000", "GB-Mo"),
        price_list_entry("AmazonMSK", family, {"usagetype": "APN2-Kafka.Throughput"}, "0.0912000000"),  # unused
    ]
    with Stubber(client) as stubber:
        for filters in (
            {"regionCode": "ap-northeast-2", "productFamily": "Replication Server"},
            {"regionCode": "ap-northeast-2", "storageMedia": "SSD"},
        ):
            stubber.add_response(
                "get_products",
                {"FormatVersion": "aws_v1", "PriceList": []},
                request("AWSDatabaseMigrationSvc", filters),
            )
        stubber.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": msk},
            request("AmazonMSK", {"regionCode": "ap-northeast-2"}),
        )
        live = fetch_live_catalog(["ap-northeast-2"], client, today="2026-12-07")
    assert set(live.catalog.figures) == {
        ("ap-northeast-2", "mskconnect.mcu"),
        ("ap-northeast-2", "msk.express.storage"),
    }
    mcu = live.catalog.figures[("ap-northeast-2", "mskconnect.mcu")]
    assert mcu.price == Decimal("0.135") and mcu.unit == "MCU-hour" and mcu.verified
