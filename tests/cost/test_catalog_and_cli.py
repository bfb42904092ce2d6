"""The bundled catalog's shape, user catalogs, and the `dms2msk cost` command (CliRunner)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli as root_cli
from dms2msk.config import ClusterSettings, Settings
from dms2msk.cost import load_catalog_file
from dms2msk.errors import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, InputError
from dms2msk.model import dumps, to_jsonable

from .estate import instance, inventory, mapping, pipeline, task


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"prices": {}}', "'prices' list"),
        ('{"prices": [{"region": "us-east-1"}]}', "missing key, unit, price, source"),
        ('{"prices": [{"region": "r", "key": "k", "unit": "u", "price": "abc", "source": "s"}]}', "not a number"),
        ('{"prices": [{"region": "r", "key": "k", "unit": "u", "price": -1, "source": "s"}]}', "non-negative"),
    ],
)
def test_bad_user_catalog_says_what_and_where(tmp_path, text, words):
    path = tmp_path / "prices.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        load_catalog_file(path)


@pytest.fixture()
def estate_files(tmp_path):
    """An inventory file and an OUT folder holding a render manifest."""
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri),))
    inventory_path = tmp_path / "inventory.json"
    inventory_path.write_text(dumps(inv), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    manifest = {
        "tool_version": "0.1.0",
        "inventory_scanned_at": inv.scanned_at,
        "settings": to_jsonable(Settings(cluster=ClusterSettings(broker_count=3))),
        "mapping": to_jsonable(mapping(pipeline("orders"))),
    }
    (out / "dms2msk.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    return inventory_path, out


def run(*args: str):
    return CliRunner().invoke(root_cli, ["cost", *args], catch_exceptions=False)


def test_cli_text_report_from_out(estate_files):
    inventory_path, out = estate_files
    result = run("-i", str(inventory_path), str(out))
    assert result.exit_code == EXIT_OK, result.output
    assert "prices: bundled catalog, read 2025-08-28 to 2025-12-03" in result.output
    assert "Total: today 280.69, proposed 652.22, difference +371.53" in result.output
    assert "MSK is cheaper from 5 pipeline(s)" in result.output
    assert "hours-per-month = 730" in result.output


def test_cli_json_md_html_and_chart(estate_files, tmp_path):
    inventory_path, out = estate_files
    result = run("-i", str(inventory_path), str(out), "--format", "json", "--hours-per-month", "720")
    assert result.exit_code == EXIT_OK
    data = json.loads(result.output)
    assert data["catalog"]["name"] == "bundled" and data["assumptions"]["hours_per_month"] == "720"
    assert data["break_even"]["pipelines_needed"] >= 1 and data["total"]["complete"] is True
    md = run("-i", str(inventory_path), str(out), "--format", "md")
    assert md.exit_code == EXIT_OK and "| Task | Region | Today |" in md.output
    chart = tmp_path / "chart.svg"
    report = tmp_path / "report.html"
    html = run("-i", str(inventory_path), str(out), "--format", "html", "--chart", str(chart), "-o", str(report))
    assert html.exit_code == EXIT_OK
    assert "<svg" in report.read_text(encoding="utf-8") and "<table>" in report.read_text(encoding="utf-8")
    assert ET.parse(chart).getroot().attrib["viewBox"] == "0 0 800 480"


def test_cli_unknown_figures_exit_partial_and_say_how_to_supply(estate_files, tmp_path):
    inventory_path, out = estate_files
    user = tmp_path / "mine.json"
    user.write_text(
        json.dumps(
            {
                "catalog": "mine",
                "read_on": "2026-11-01",
                "prices": [
                    {
                        "region": "us-east-1",
                        "key": "mskconnect.mcu",
                        "unit": "MCU-hour",
                        "price": "0.11",
                        "source": "me",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = run("-i", str(inventory_path), str(out), "--prices", str(user))
    assert result.exit_code == EXIT_PARTIAL
    assert f"prices: {user} catalog, read 2026-11-01" in result.output
    assert "Unknown figures (supply with --prices live or --prices FILE)" in result.output
    assert "us-east-1 dms.instance:dms.r5.large:multi-az" in result.output
    assert "160.60" in result.output  # the connectors are still priced


def test_cli_assume_overrides_an_assumption(estate_files):
    inventory_path, out = estate_files
    result = run("-i", str(inventory_path), str(out), "--assume", "connector-log-gb-per-month=2", "--format", "json")
    lines = json.loads(result.output)["lines"]
    assert {ln["monthly"] for ln in lines if ln["component"].startswith("CloudWatch Logs ingestion")} == {"1.00"}


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["-i", "/nonexistent/inventory.json"], EXIT_ERROR, "does not exist"),
        (["--assume", "bogus=1"], EXIT_ERROR, "unknown assumption"),
        (["--assume", "no-equals"], EXIT_ERROR, "NAME=VALUE"),
        (["--chart", "chart.gif"], EXIT_ERROR, "charts are written as SVG or PNG"),
        (["--format", "pdf"], EXIT_USAGE, "Invalid value"),
        (["--prices", "/nonexistent/prices.json"], EXIT_ERROR, "does not exist"),
    ],
)
def test_cli_bad_input(estate_files, args, code, words):
    inventory_path, out = estate_files
    base = [] if "-i" in args else ["-i", str(inventory_path)]
    result = CliRunner().invoke(root_cli, ["cost", *base, str(out), *args])
    assert result.exit_code == code
    assert words in result.output
    assert "Traceback" not in result.output


def test_cli_bad_manifest(estate_files):
    inventory_path, out = estate_files
    (out / "dms2msk.json").write_text("{broken", encoding="utf-8")
    result = CliRunner().invoke(root_cli, ["cost", "-i", str(inventory_path), str(out)])
    assert result.exit_code == EXIT_ERROR and "is not valid JSON" in result.output


def test_cli_seoul_estate_exits_0_with_no_unknown_figure_and_a_break_even_verdict(tmp_path):
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("ap-northeast-2", (ri,), (task("orders", ri),))
    inventory_path = tmp_path / "inventory.json"
    inventory_path.write_text(dumps(inv), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    manifest = {
        "settings": to_jsonable(Settings(cluster=ClusterSettings(broker_count=3))),
        "mapping": to_jsonable(mapping(pipeline("orders", region="ap-northeast-2"))),
    }
    (out / "dms2msk.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run("-i", str(inventory_path), str(out), "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(result.stdout)
    assert data["total"]["complete"] is True and not data["missing"]
    assert all(ln["monthly"] is not None and ln["region"] == "ap-northeast-2" for ln in data["lines"])
    assert data["break_even"]["pipelines_needed"] == 4  # hand-computed in test_regions.py
    text = run("-i", str(inventory_path), str(out))
    assert text.exit_code == EXIT_OK and "Unknown figures" not in text.output
    assert "Total: today 369.30, proposed 798.59, difference +429.29" in text.output
    assert "MSK is cheaper from 4 pipeline(s)" in text.output


def test_cli_without_out_maps_the_inventory_with_the_config(estate_files, tmp_path, monkeypatch):
    import dms2msk.mapping

    inventory_path, _out = estate_files
    seen: list[Settings] = []

    def map_inventory(inv, settings):  # hand-built mapping while the map stage is elsewhere
        seen.append(settings)
        return mapping(pipeline("orders"))

    monkeypatch.setattr(dms2msk.mapping, "map_inventory", map_inventory, raising=False)
    config = tmp_path / "settings.toml"
    config.write_text('[cluster]\nbroker_count = 6\nbroker_instance_type = "kafka.m7g.large"\n', encoding="utf-8")
    result = run("-i", str(inventory_path), "--config", str(config))
    assert result.exit_code == EXIT_OK, result.output
    assert seen[0].cluster.broker_count == 6
    assert "MSK brokers 6 x kafka.m7g.large" in result.output and "893.52" in result.output  # 6 x 0.204 x 730
