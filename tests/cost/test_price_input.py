"""`dms2msk cost` with AWS's own price files, misspelt regions, incomplete totals and per-region roots."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as root_cli
from dms2msk.config import ClusterSettings, Settings
from dms2msk.cost import cost_report, estimate, format_report, load_bundled_catalog
from dms2msk.errors import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, InputError
from dms2msk.model import Inventory, ServerlessCompute, dumps, load_inventory, to_jsonable

from .estate import catalog, instance, inventory, mapping, pipeline, task

SEOUL = "ap-northeast-2"


def to_cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def msk_page(locations: dict[str, str], *, service: str = "msk", m5_large: str = "0.3000000000") -> dict:
    """A small MSK pricing-page file in AWS's shape: {LOCATION: usage-type prefix}."""
    regions = {}
    for location, prefix in locations.items():
        entries = {
            "RATE1.JRTCKXETXF.6YS6EN2CT7 0": {
                "price": m5_large,
                "usageType": f"{prefix}-Kafka.m5.large",
                "operation": "RunBroker",
            },
            "RegionlessStorage": {"price": "0.1200000000", "usageType": f"{prefix}-Kafka.Storage.GP2"},
            "RegionlessMcu": {"price": "0.1400000000", "usageType": f"{prefix}-Kafka.mcu.general"},
            "RunConnect": {"price": "0.1400000000"},
        }
        regions[location] = entries
    return {
        "manifest": {"serviceId": service, "currencyCode": "USD", "hawkFilePublicationDate": "2026-12-05T10:00:00Z"},
        "sets": {},
        "regions": regions,
    }


@pytest.fixture()
def seoul_root(tmp_path):
    """An inventory of Seoul and N. Virginia, and OUT/ap-northeast-2 as `render --all-regions` writes it."""
    seoul_ri = instance("ri-seoul", "dms.r5.large", multi_az=True, storage=200)
    east_ri = instance("ri-east", "dms.t3.medium", storage=50)
    seoul = inventory(SEOUL, (seoul_ri,), (task("orders", seoul_ri),))
    east = inventory("us-east-1", (east_ri,), (task("billing", east_ri),))
    inv = Inventory(scanned_at=seoul.scanned_at, regions=seoul.regions + east.regions)
    inventory_path = tmp_path / "inventory.json"
    inventory_path.write_text(dumps(inv), encoding="utf-8")
    out = tmp_path / "out"
    for region, task_id in ((SEOUL, "orders"), ("us-east-1", "billing")):
        (out / region).mkdir(parents=True)
        manifest = {
            "settings": to_jsonable(Settings(cluster=ClusterSettings(broker_count=3))),
            "mapping": to_jsonable(mapping(pipeline(task_id, region=region))),
        }
        (out / region / "dms2msk.json").write_text(json.dumps(manifest), encoding="utf-8")
    return inventory_path, out


def run(*args: str):
    return CliRunner().invoke(root_cli, ["cost", *args])


def test_a_region_root_prices_only_its_region(seoul_root):
    inventory_path, out = seoul_root
    result = run("-i", str(inventory_path), str(out / SEOUL), "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(result.stdout)
    assert data["regions"] == [SEOUL]
    assert [p["task"] for p in data["pipelines"]] == ["orders"]  # billing is us-east-1's root, not "stays on DMS"
    assert data["total"]["today"]["known"] == "369.30"  # hand-computed in test_regions.py
    assert any(
        n.startswith("the 100 GB of storage a r5 DMS instance includes is not in AWS's price files")
        for n in data["notes"]
    )
    other = run("-i", str(inventory_path), str(out / SEOUL), "--region", "us-east-1")
    assert other.exit_code == EXIT_ERROR
    assert f"configures {SEOUL} only" in other.output and f"dms2msk cost {out / 'us-east-1'}" in other.output
    (out / "us-east-1" / "dms2msk.json").unlink()  # no such root: the hint must not name it
    gone = run("-i", str(inventory_path), str(out / SEOUL), "--region", "us-east-1")
    assert gone.exit_code == EXIT_ERROR and f"dms2msk render {out} --all-regions" in gone.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--region", "ap-northeast2"],
            "'ap-northeast2' is not an AWS region dms2msk knows (did you mean ap-northeast-2?)",
        ),
        (["--fallback-region", "us-east1"], "--fallback-region 'us-east1' has no figures"),
    ],
)
def test_a_misspelt_region_is_an_error_listing_the_known_ones(seoul_root, args, words):
    inventory_path, out = seoul_root
    result = run("-i", str(inventory_path), str(out / SEOUL), *args)
    assert result.exit_code == EXIT_ERROR, result.output
    assert words in result.output and "Traceback" not in result.output
    assert "ap-northeast-2, ap-northeast-3" in result.output and "us-east-1" in result.output


def test_a_region_the_inventory_lacks_is_an_error_naming_its_regions(seoul_root):
    inventory_path, _out = seoul_root
    inv = load_inventory(inventory_path)
    with pytest.raises(InputError, match=r"the inventory has no task there \(it has: ap-northeast-2, us-east-1\)"):
        cost_report(inv, mapping(pipeline("orders", region=SEOUL)), regions=("eu-west-1",))


def test_an_aws_pricing_page_file_replaces_its_services_figures(seoul_root, tmp_path):
    inventory_path, out = seoul_root
    page = tmp_path / "msk.json"
    page.write_text(json.dumps(msk_page({"Asia Pacific (Seoul)": "APN2"})), encoding="utf-8")
    result = run("-i", str(inventory_path), str(out / SEOUL), "--prices", str(page), "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(result.stdout)
    brokers = next(ln for ln in data["lines"] if ln["price_key"] == "msk.broker:kafka.m5.large")
    assert brokers["unit_price"] == "0.3" and brokers["monthly"] == "657.00"  # 3 x 730 x 0.30
    assert "msk.json" in brokers["source"] and "APN2-Kafka.m5.large" in brokers["source"]
    assert brokers["read_on"] == "2026-12-05"
    dms = next(ln for ln in data["lines"] if ln["price_key"].startswith("dms.instance"))
    assert dms["monthly"] == "343.10" and "databasemigrationsvc" in dms["source"]  # still the bundled figure
    assert any("msk.json: its msk prices (published 2026-12-05) replace the bundled ones" in n for n in data["notes"])


def test_a_pricing_page_file_without_the_region_marks_its_figures_and_says_so(seoul_root, tmp_path):
    inventory_path, out = seoul_root
    page = tmp_path / "msk-virginia.json"
    page.write_text(json.dumps(msk_page({"US East (N. Virginia)": "USE1"})), encoding="utf-8")
    result = run("-i", str(inventory_path), str(out / SEOUL), "--prices", str(page))
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert f"price file {page} has no prices for {SEOUL} (Asia Pacific (Seoul)); msk figures there are unknown" in (
        result.output.replace("\n    ", " ")
    )
    assert (
        "ap-northeast-2 msk.broker:kafka.m5.large" in result.output and "ap-northeast-2 mskconnect.mcu" in result.output
    )
    assert "DMS instance ri-seoul" in result.output and "343.10" in result.output  # what is known still renders
    assert "difference unknown" in result.output and "%" not in result.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (json.dumps(msk_page({"EU (Ireland)": "EU"}, service="ec2")), "holds prices of service 'ec2'"),
        (json.dumps(msk_page({"Asia Pacific (Seoul)": "APN2"}))[:300], "is not valid JSON (truncated?)"),
        ('{"manifest": {"serviceId": "msk", "currencyCode": "USD"}}', "no 'regions' object"),
        (json.dumps(msk_page({"Asia Pacific (Seoul)": "APN2"}, m5_large="n/a")), "price 'n/a' is not a number"),
    ],
)
def test_a_bad_price_file_is_an_error_naming_the_file(seoul_root, tmp_path, content, words):
    inventory_path, out = seoul_root
    page = tmp_path / "prices-download.json"
    page.write_text(content, encoding="utf-8")
    result = run("-i", str(inventory_path), str(out / SEOUL), "--prices", str(page))
    assert result.exit_code == EXIT_ERROR, result.output
    assert str(page) in result.output and words in result.output and "Traceback" not in result.output


def test_incomplete_totals_print_no_difference_or_percentage():
    partial = estimate(
        inventory(SEOUL, (instance("ri-1", "dms.r5.large"),), (task("orders", instance("ri-1", "dms.r5.large")),)),
        mapping(pipeline("orders", region=SEOUL)),
        Settings(cluster=ClusterSettings(broker_count=3)),
        catalog(SEOUL, extra={"msk.broker:kafka.m5.large": None}),
    )
    text = format_report(partial, "text")
    assert "difference unknown (1 figure(s) missing)" in text and "%" not in text
    (row,) = [ln for ln in text.splitlines() if ln.strip().startswith("orders")]
    assert row.split()[-1] == "unknown"
    data = json.loads(format_report(partial, "json"))
    assert data["total"]["difference"] is None and data["pipelines"][0]["difference"] is None
    assert "difference unknown" in format_report(partial, "md") and "difference unknown" in format_report(
        partial, "html"
    )


def test_dms_serverless_multi_az_in_seoul_says_its_rate_is_inferred():
    compute = ServerlessCompute(min_capacity_units=2, max_capacity_units=16, multi_az=True)
    report = estimate(
        inventory(SEOUL, (), (task("sls", serverless=compute),)),
        mapping(pipeline("sls", region=SEOUL)),
        Settings(cluster=ClusterSettings(broker_count=3)),
        load_bundled_catalog(),
    )
    (line,) = [ln for ln in report.lines if ln.price_key == "dms.serverless.dcu"]
    # 2 DCU x 730 h x (0.10359529 x 2 for Multi-AZ) = 302.4982468
    assert to_cent(line.monthly) == Decimal("302.50") and not line.verified and line.inferred
    assert any(n.startswith("dms.serverless.dcu (ap-northeast-2) is an inferred figure") for n in report.notes)
    assert "*" in next(r for r in format_report(report, "text").splitlines() if "DMS Serverless sls" in r)
    (dcu,) = [
        ln for ln in json.loads(format_report(report, "json"))["lines"] if ln["price_key"] == "dms.serverless.dcu"
    ]
    assert dcu["inferred"].startswith("inferred: AWS's file does not label this entry")


def test_express_brokers_bill_data_written_and_stored_not_ebs():
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    express = Settings(cluster=ClusterSettings(broker_count=3, broker_instance_type="express.m7g.large"))
    report = estimate(
        inventory(SEOUL, (ri,), (task("orders", ri),)),
        mapping(pipeline("orders", region=SEOUL)),
        express,
        load_bundled_catalog(),
    )
    monthly = {ln.price_key: to_cent(ln.monthly) for ln in report.lines if ln.side == "proposed"}
    assert monthly["msk.broker:express.m7g.large"] == Decimal("1098.50")  # 3 x 730 x 0.5016
    assert monthly["msk.express.data-in"] == Decimal("0.12")  # 10 GB x 0.0123
    assert monthly["msk.express.storage"] == Decimal("0.26")  # 10 GB x 7 / (730 / 24) days x 0.114
    assert "msk.storage" not in monthly and report.complete


def test_hours_per_month_is_one_assumption(seoul_root):
    inventory_path, out = seoul_root
    both = run(
        "-i", str(inventory_path), str(out / SEOUL), "--hours-per-month", "720", "--assume", "hours-per-month=700"
    )
    assert both.exit_code == EXIT_USAGE and "pass only --assume" in both.output
    via_assume = run("-i", str(inventory_path), str(out / SEOUL), "--assume", "hours-per-month=720", "--format", "json")
    assert json.loads(via_assume.stdout)["assumptions"]["hours_per_month"] == "720"
    old_spelling = run("-i", str(inventory_path), str(out / SEOUL), "--hours-per-month", "720", "--format", "json")
    assert json.loads(old_spelling.stdout)["assumptions"]["hours_per_month"] == "720"
    helptext = CliRunner().invoke(root_cli, ["cost", "--help"]).output
    assert "--hours-per-month" not in helptext and "hours-per-month" in helptext  # listed once, as an assumption
    assert "--hours-per-month" not in run("-i", str(inventory_path), str(out / SEOUL)).output


def test_chart_png_from_the_cli(seoul_root, tmp_path):
    pytest.importorskip("cairosvg", reason="the png extra (cairosvg) is not installed")
    inventory_path, out = seoul_root
    chart = tmp_path / "chart.png"
    result = run("-i", str(inventory_path), str(out / SEOUL), "--chart", str(chart))
    assert result.exit_code == EXIT_OK and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(seoul_root, tmp_path):
    inventory_path, out = seoul_root
    target = tmp_path / "reports" / "cost.md"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    result = run("-i", str(inventory_path), str(out / SEOUL), "--format", "md", "-o", str(link))
    assert result.exit_code == EXIT_OK, result.output
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# dms2msk cost report")
