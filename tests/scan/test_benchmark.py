"""The scale benchmark runs end to end at a small size and reports every figure (no timing targets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.estate_generator import generate
from benchmarks.run import main

pytestmark = pytest.mark.real


def test_generator_is_deterministic_and_spreads_tasks_over_regions() -> None:
    first = generate(31, ("eu-west-1", "us-east-1"))
    again = generate(31, ("eu-west-1", "us-east-1"))
    assert first == again
    assert [counts.tasks for _estate, counts in first] == [16, 15]
    engines = {e["engine"] for estate, _ in generate(300, ("eu-west-1",)) for e in estate["endpoints"]}
    assert {"mysql", "postgres", "aurora"} <= engines


def test_small_benchmark_reports_all_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "figures.json"

    assert main(["--tasks", "30", "--terraform-pipelines", "3", "-o", str(output)]) == 0

    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["estate"]["tasks"] == 30 and len(report["estate"]["regions"]) == 3
    assert report["machine"]["cpu_count"] >= 1
    for name in ("single_region", "all_regions"):
        scan = report["scan"][name]
        assert scan["tasks_read"] == scan["tasks_expected"]
        assert scan["problems"] == 0
        assert scan["wall_seconds"] > 0 and scan["api_response_seconds"] > 0
        assert scan["wall_over_api_ratio"] > 0
        # requests made against the minimum computed from the generated estate's own counts
        assert scan["http_requests"] == scan["minimum_requests"]
        assert scan["requests_over_minimum"] == 1.0
    assert report["scan"]["all_regions"]["tasks_expected"] == 30
    render = report["render"]
    assert render["status"] == "ok", render
    assert render["pipelines"] + render["skipped_tasks"] == 30
    assert render["render_seconds"] > 0 and render["render_peak_traced_mb"] > 0
    terraform = report["terraform"]
    assert terraform["status"] == "ok", terraform
    assert terraform["valid"] is True, terraform
    assert terraform["validate_seconds"] > 0 and terraform["plan_seconds"] > 0
    assert terraform["planned_resources"] > 0
    printed = capsys.readouterr().out
    assert "scan all regions" in printed and f"figures written to {output}" in printed
    # no password of the synthetic estate reaches the figures
    assert "bench-password-" not in output.read_text(encoding="utf-8")
    assert "bench-secret-" not in output.read_text(encoding="utf-8")
