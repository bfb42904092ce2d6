"""The break-even chart is a valid SVG of the expected size with both series."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from dms2msk.config import ClusterSettings, Settings
from dms2msk.cost import chart_png, chart_svg, estimate
from dms2msk.cost.chart import CHART_HEIGHT, CHART_WIDTH

from .estate import catalog, instance, inventory, mapping, pipeline, task

SVG = "{http://www.w3.org/2000/svg}"


def report():
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    return estimate(
        inventory("us-east-1", (ri,), (task("orders", ri),)),
        mapping(pipeline("orders")),
        Settings(cluster=ClusterSettings(broker_count=3)),
        catalog(),
    )


def polyline(root: ET.Element, series: str) -> list[tuple[float, float]]:
    element = root.find(f".//{SVG}polyline[@id='series-{series}']")
    assert element is not None, f"series {series} missing"
    return [tuple(map(float, p.split(","))) for p in element.attrib["points"].split()]


def test_chart_is_valid_svg_of_expected_size_with_both_series():
    the_report = report()
    root = ET.fromstring(chart_svg(the_report))
    assert root.tag == f"{SVG}svg"
    assert (root.attrib["width"], root.attrib["height"]) == (str(CHART_WIDTH), str(CHART_HEIGHT))
    assert root.attrib["viewBox"] == f"0 0 {CHART_WIDTH} {CHART_HEIGHT}"
    dms, msk = polyline(root, "dms"), polyline(root, "msk")
    assert len(dms) == len(msk) == 10  # 1..10 pipelines: past the break-even (4) and this estate (1)
    for x, y in dms + msk:
        assert 0 <= x <= CHART_WIDTH and 0 <= y <= CHART_HEIGHT
    # SVG y grows downwards: at 1 pipeline MSK is dearer (higher up = smaller y), at 10 it is cheaper.
    assert msk[0][1] < dms[0][1] and msk[-1][1] > dms[-1][1]
    assert root.find(f".//{SVG}circle[@id='marker-break-even']") is not None
    assert "prices for us-east-1: test (2026-12-01), 730 h/month" in "".join(root.itertext())
    assert root.find(f".//{SVG}text[@id='warning']") is None  # nothing stands in, nothing unknown


def test_chart_is_deterministic():
    assert chart_svg(report()) == chart_svg(report())


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_chart_says_whose_prices_and_marks_stand_in_and_unknown_figures():
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    seoul_only_logs = dataclasses.replace(catalog("us-east-1"), fallback_region="us-east-1")
    the_report = estimate(
        inventory("ap-northeast-2", (ri,), (task("orders", ri),)),
        mapping(pipeline("orders", region="ap-northeast-2")),
        Settings(cluster=ClusterSettings(broker_count=3)),
        seoul_only_logs,
    )
    root = ET.fromstring(chart_svg(the_report))
    text = "".join(root.itertext())
    assert "prices for ap-northeast-2: test (2026-12-01)" in text
    warning = root.find(f".//{SVG}text[@id='warning']")
    assert warning is not None and "~ stand-in prices of another region (ap-northeast-2 <- us-east-1)" in warning.text
    assert "DMS (instance per pipeline share) ~ stand-in prices" in text and "MSK + MSK Connect ~ stand-in" in text
    unknown = estimate(
        inventory("us-east-1", (ri,), (task("orders", ri),)),
        mapping(pipeline("orders")),
        Settings(cluster=ClusterSettings(broker_count=3)),
        catalog(extra={"mskconnect.mcu": None}),
    )
    warning = ET.fromstring(chart_svg(unknown)).find(f".//{SVG}text[@id='warning']")
    assert warning is not None and warning.text == "some figures unknown: the lines leave them out"


def test_chart_as_png_with_cairosvg():
    try:
        import cairosvg  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":  # .ci/run installs the test extras, png included
            pytest.fail("cairosvg (the png extra) is not installed")
        pytest.skip("the png extra (cairosvg) is not installed")
    assert png_size(chart_png(report())) == (CHART_WIDTH, CHART_HEIGHT)


@pytest.mark.real
def test_chart_renders_to_png_with_librsvg(tmp_path):
    if shutil.which("rsvg-convert") is None:
        message = "rsvg-convert (Debian librsvg2-bin) is not installed; .ci/run installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    svg = tmp_path / "chart.svg"
    svg.write_text(chart_svg(report()), encoding="utf-8")
    png = tmp_path / "chart.png"
    subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True, capture_output=True, timeout=60)
    assert png_size(png.read_bytes()) == (CHART_WIDTH, CHART_HEIGHT)
