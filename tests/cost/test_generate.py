"""The bundled catalog is what the generator makes of AWS's pricing-page files, figure for figure.

The files live in the shared reference folder beside the clone (``../shared/reference/prices``);
under CI they must be there, so a missing folder fails the test instead of skipping it.
"""

from __future__ import annotations

import csv
import json
import os
from decimal import Decimal
from importlib import resources
from pathlib import Path

import botocore
import pytest

from dms2msk.cost import load_bundled_catalog
from dms2msk.cost.generate import BUNDLED_PATH, generate, main
from dms2msk.cost.pricing_page import LOCATIONS
from dms2msk.errors import InputError

REPO = Path(__file__).resolve().parents[2]
PRICES_DIR = REPO.parent / "shared" / "reference" / "prices"


@pytest.fixture(scope="module")
def prices_dir() -> Path:
    if not (PRICES_DIR / "seoul-and-virginia.csv").is_file():
        message = f"AWS's price files are not at {PRICES_DIR} (the shared reference folder beside the clone)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return PRICES_DIR


@pytest.fixture(scope="module")
def generated(prices_dir: Path) -> str:
    return generate(prices_dir)


def test_generator_reproduces_the_committed_catalog_byte_for_byte(generated, prices_dir, tmp_path):
    committed = resources.files("dms2msk.cost").joinpath("prices.json").read_text(encoding="utf-8")
    assert generated == committed, "run: python -m dms2msk.cost.generate ../shared/reference/prices"
    assert generate(prices_dir) == generated  # same files, same bytes
    out = tmp_path / "prices.json"
    assert main([str(prices_dir), "-o", str(out)]) == 0 and out.read_text(encoding="utf-8") == committed
    assert main([str(prices_dir), "-o", str(out), "--check"]) == 0
    out.write_text(committed.replace('"0.258"', '"0.259"', 1), encoding="utf-8")
    assert main([str(prices_dir), "-o", str(out), "--check"]) == 1
    assert BUNDLED_PATH.read_text(encoding="utf-8") == committed


# (service, item in the CSV) -> catalog key
CSV_KEYS = {
    ("MSK Provisioned", "broker kafka.m5.large"): "msk.broker:kafka.m5.large",
    ("MSK Provisioned", "broker kafka.m7g.large"): "msk.broker:kafka.m7g.large",
    ("MSK Provisioned", "broker storage (EBS gp2)"): "msk.storage",
    ("MSK Provisioned", "Express express.m7g.large"): "msk.broker:express.m7g.large",
    ("MSK Provisioned", "Express storage"): "msk.express.storage",
    ("MSK Provisioned", "Express data in (written)"): "msk.express.data-in",
    ("MSK Serverless", "Serverless cluster"): "msk.serverless.cluster",
    ("MSK Serverless", "Serverless partition"): "msk.serverless.partition",
    ("MSK Serverless", "Serverless data out"): "msk.serverless.data-out",
    ("MSK Connect", "MSK Connect"): "mskconnect.mcu",
    ("DMS", "dms.r5.large Single-AZ"): "dms.instance:dms.r5.large:single-az",
    ("DMS", "dms.r5.large Multi-AZ"): "dms.instance:dms.r5.large:multi-az",
    ("DMS", "dms.t3.medium Single-AZ"): "dms.instance:dms.t3.medium:single-az",
    ("DMS", "storage gp2 Single-AZ"): "dms.storage:single-az",
    ("DMS", "storage gp2 Multi-AZ"): "dms.storage:multi-az",
    ("DMS Serverless", "per DCU-hour, Single-AZ (Multi-AZ = 2x)"): "dms.serverless.dcu",
    ("Secrets Manager", "secret"): "secretsmanager.secret",
    ("CloudWatch Logs", "Logs ingestion (standard, custom logs)"): "logs.ingestion",
    ("CloudWatch Logs", "Logs storage (archived)"): "logs.storage",
}


def test_seoul_and_virginia_figures_match_the_parsed_csv(generated, prices_dir):
    figures = {(e["region"], e["key"]): e for e in json.loads(generated)["prices"]}
    checked = 0
    with (prices_dir / "seoul-and-virginia.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = CSV_KEYS.get((row["service"], row["item"]))
            if key is None:
                continue
            entry = figures[(row["region"], key)]
            assert Decimal(entry["price"]) == Decimal(row["price_usd"]), (row, entry)
            if row["usage_type"].startswith(("APN2-Kafka", "USE1-Kafka", "APN2-Express", "USE1-Express")):
                assert entry["usage_type"] == row["usage_type"]
            # The CSV marks the DCU rate inferred; the catalog must say so too.
            assert (entry["basis"] == "inferred") == row["confidence"].startswith("inferred"), (row, entry)
            checked += 1
    assert checked == 2 * len(CSV_KEYS)


def test_every_region_of_the_files_is_in_the_catalog_with_source_and_date(generated):
    data = json.loads(generated)
    regions = {e["region"] for e in data["prices"]}
    assert regions == set(LOCATIONS.values())
    assert data["sources"]["aws-pricing-msk-2025-11-20.json"]["published"] == "2025-11-20"
    for entry in data["prices"]:  # each figure: region, unit, source file, publication date, read or inferred
        assert entry["region"] and entry["unit"] and entry["basis"] in ("read", "inferred")
        assert entry["published"] == data["sources"][entry["source"]]["published"]
    catalog = load_bundled_catalog()
    seoul_mcu = catalog.figures[("ap-northeast-2", "mskconnect.mcu")]
    assert seoul_mcu.price == Decimal("0.135") and seoul_mcu.verified and not seoul_mcu.inferred
    assert seoul_mcu.read_on == "2025-11-20" and seoul_mcu.usage_type == "APN2-Kafka.mcu.general"
    assert "aws-pricing-msk-2025-11-20.json" in seoul_mcu.source and "published 2025-11-20" in seoul_mcu.source
    dcu = catalog.figures[("us-east-1", "dms.serverless.dcu")]
    assert dcu.price == Decimal("0.08193444") and dcu.inferred and not dcu.verified and "inferred" in dcu.note
    assert ("eu-west-1", "dms.instance:dms.r7i.large:multi-az") in catalog.figures  # beyond Seoul and Virginia
    # GovCloud's MSK file has no MSK Connect: recorded as a gap, never made up.
    assert any("mskconnect.mcu for us-gov-west-1" in gap for gap in data["gaps"])
    assert ("us-gov-west-1", "mskconnect.mcu") not in catalog.figures


def test_location_names_are_the_regions_botocore_describes():
    endpoints = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text(encoding="utf-8"))
    described = {code: r["description"] for p in endpoints["partitions"] for code, r in p["regions"].items()}
    for location, code in LOCATIONS.items():
        # The price files say "EU (...)" where botocore says "Europe (...)", and "AWS GovCloud (US)" for US-West.
        expected = described[code].replace("Europe (", "EU (").replace("GovCloud (US-West)", "GovCloud (US)")
        assert location == expected, code


def test_a_folder_missing_a_service_file_is_an_error_naming_it(prices_dir, tmp_path):
    for name in ("aws-pricing-msk-2025-11-20.json", "aws-pricing-cloudwatch-2025-12-03.json"):
        (tmp_path / name).write_bytes((prices_dir / name).read_bytes())
    with pytest.raises(InputError, match=r"no aws-pricing-\*\.json file of databasemigrationsvc, secretsmanager"):
        generate(tmp_path)


def test_cost_takes_aws_own_files_directly_and_prices_as_the_bundled_catalog(prices_dir, tmp_path):
    """The generator's files passed with --prices give the same Seoul report as the catalog made from them."""
    from click.testing import CliRunner

    from dms2msk.cli import cli as root_cli
    from dms2msk.config import ClusterSettings, Settings
    from dms2msk.model import dumps, to_jsonable

    from .estate import instance, inventory, mapping, pipeline, task

    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inventory_path = tmp_path / "inventory.json"
    inventory_path.write_text(dumps(inventory("ap-northeast-2", (ri,), (task("orders", ri),))), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    manifest = {
        "settings": to_jsonable(Settings(cluster=ClusterSettings(broker_count=3))),
        "mapping": to_jsonable(mapping(pipeline("orders", region="ap-northeast-2", new_secret=True))),
    }
    (out / "dms2msk.json").write_text(json.dumps(manifest), encoding="utf-8")
    files = sorted(str(p) for p in prices_dir.glob("aws-pricing-*.json"))
    runner = CliRunner()
    base = ["cost", "-i", str(inventory_path), str(out), "--format", "json"]
    bundled = json.loads(runner.invoke(root_cli, base).stdout)
    direct = runner.invoke(root_cli, [*base, *(arg for f in files for arg in ("--prices", f))])
    assert direct.exit_code == 0, direct.output
    data = json.loads(direct.stdout)
    assert data["total"] == bundled["total"] and data["total"]["complete"] is True
    assert data["total"]["today"]["known"] == "369.30"
    names = {Path(f).name for f in files}
    used = {name for ln in data["lines"] for name in names if ln["source"].startswith(name)}
    assert used == names and all(any(ln["source"].startswith(n) for n in names) for ln in data["lines"])
    assert sum("replace the bundled ones" in n for n in data["notes"]) == 4
