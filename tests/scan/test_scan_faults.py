"""scan under faults injected between it and the moto server: nothing read, bad region names, answers
that are not the API's, hung and throttled regions (tests/support/fault_proxy.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.errors import EXIT_ERROR, EXIT_PARTIAL
from dms2msk.estate import load_estate, seed_estate
from dms2msk.model import load_inventory
from dms2msk.scan import NothingScanned, region_name_problem, scan
from tests.support.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.real

REGION = "ap-northeast-2"
OTHER = "eu-west-1"
PREVIOUS = '{"previous": "inventory, kept byte for byte"}\n'


def run_scan(proxy: FaultProxy, output: Path, *regions: str, extra: tuple[str, ...] = ()) -> Any:
    arguments = ["scan", "--endpoint-url", proxy.url, "-o", str(output), *extra]
    for region in regions:
        arguments += ["--region", region]
    return CliRunner().invoke(cli, arguments)


def previous_inventory(tmp_path: Path) -> Path:
    path = tmp_path / "dms2msk-inventory.json"
    path.write_text(PREVIOUS, encoding="utf-8")
    return path


def test_a_scan_that_reads_nothing_keeps_the_previous_inventory(fault_proxy: FaultProxy, tmp_path: Path) -> None:
    seed_estate(load_estate(), fault_proxy.url)
    fault_proxy.add(Fault("deny", region=REGION))
    output = previous_inventory(tmp_path)

    result = run_scan(fault_proxy, output, REGION)

    assert result.exit_code == EXIT_ERROR, result.output
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert "no region could be read" in result.stderr and "AccessDeniedException" in result.stderr
    assert "IAM: grant the scanning identity dms:Describe*" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [output]  # no temporary file either


def test_no_credentials_keep_the_previous_inventory_and_say_how_to_give_them(
    fault_proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup on this machine
    output = previous_inventory(tmp_path)

    result = run_scan(fault_proxy, output, REGION)

    assert result.exit_code == EXIT_ERROR, result.output
    assert "NoCredentialsError" in result.stderr and "hint: Credentials: pass --profile" in result.stderr
    assert output.read_text(encoding="utf-8") == PREVIOUS


def test_a_misspelt_region_fails_before_any_call_and_names_the_close_ones(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    output = previous_inventory(tmp_path)

    result = run_scan(fault_proxy, output, "ap-northeast2")

    assert result.exit_code == EXIT_ERROR, result.output
    assert "'ap-northeast2' is not an AWS region name; did you mean ap-northeast-2" in result.stderr
    assert fault_proxy.requests == []  # validated against botocore's partition data, not by 28 retries
    assert output.read_text(encoding="utf-8") == PREVIOUS


def test_one_malformed_region_is_reported_for_that_region_while_the_others_scan(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    """Never called and kept out of the inventory (later commands read region names back), but reported: exit 3."""
    output = previous_inventory(tmp_path)

    result = run_scan(fault_proxy, output, "not_a_region", REGION, extra=("--format", "json"))

    assert result.exit_code == EXIT_PARTIAL, result.output
    data = json.loads(result.stdout)
    assert data["partial"] is True
    assert "'not_a_region' is not an AWS region name" in data["rejected_regions"]["not_a_region"]
    assert [region["region"] for region in data["regions"]] == [REGION]
    assert {seen.region for seen in fault_proxy.requests} == {REGION}  # the bad name is never called
    assert "problem: not_a_region: not scanned" in result.stderr and "Region names" in result.stderr
    inventory = load_inventory(output)  # the written inventory reads back: every later command can use it
    assert [region.region for region in inventory.regions] == [REGION]


def test_region_names_are_checked_against_botocores_partitions() -> None:
    assert region_name_problem("ap-northeast-2") is None
    assert region_name_problem("cn-north-1") is None and region_name_problem("us-gov-west-1") is None
    assert region_name_problem("ap-southeast-9") is None  # newer than botocore: its partition's pattern admits it
    assert "did you mean" not in (region_name_problem("not_a_region") or "did you mean")
    assert "known regions: " in (region_name_problem("not_a_region") or "")
    assert "did you mean eu-west-1" in (region_name_problem("eu-west1") or "")


def test_the_library_raises_a_typed_error_when_every_region_fails(fault_proxy: FaultProxy) -> None:
    fault_proxy.add(Fault("deny"))

    with pytest.raises(NothingScanned) as raised:
        scan([REGION, OTHER], endpoint_url=fault_proxy.url)

    assert {r.region for r in raised.value.inventory.regions} == {REGION, OTHER}
    assert raised.value.exit_code == EXIT_ERROR
    assert "no region could be read" in raised.value.message


def test_a_200_answer_that_is_not_the_apis_is_a_problem_not_an_empty_list(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    seed_estate(load_estate(), fault_proxy.url)
    fault_proxy.add(Fault("foreign", region=REGION, operation="DescribeEndpoints"))
    output = tmp_path / "inventory.json"

    result = run_scan(fault_proxy, output, REGION)

    assert result.exit_code == EXIT_PARTIAL, result.output
    (region,) = load_inventory(output).regions
    (problem,) = region.problems
    assert (problem.operation, problem.code) == ("DescribeEndpoints", "ForeignResponse")
    assert "text/html" in problem.message and "Proxy login" in problem.message
    assert "endpoints" in region.unread
    assert region.tasks  # the other calls were still read
    assert "A proxy or portal answered instead of AWS" in result.stderr


def test_a_hung_region_is_given_up_quickly_while_the_other_region_finishes(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    seed_estate(load_estate(), fault_proxy.url)
    fault_proxy.add(Fault("hang", region=OTHER, hang_seconds=120))
    output = tmp_path / "inventory.json"

    started = time.monotonic()
    result = run_scan(fault_proxy, output, REGION, OTHER, extra=("--read-timeout", "1", "--connect-timeout", "1"))
    elapsed = time.monotonic() - started

    assert result.exit_code == EXIT_PARTIAL, result.output
    assert elapsed < 20, elapsed  # two 1 s timeouts, then the region is given up (not 8 attempts x 60 s)
    regions = {r.region: r for r in load_inventory(output).regions}
    assert regions[REGION].tasks and not regions[REGION].problems
    codes = [p.code for p in regions[OTHER].problems]
    assert codes[-1] == "RegionUnresponsive", codes
    assert "Network: check that this host reaches dms.REGION.amazonaws.com" in result.stderr


def test_a_region_throttled_past_its_time_budget_is_reported_with_the_throttling_hint(
    fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    seed_estate(load_estate(), fault_proxy.url)
    fault_proxy.add(Fault("throttle", region=OTHER))
    output = tmp_path / "inventory.json"

    started = time.monotonic()
    result = run_scan(
        fault_proxy, output, REGION, OTHER, extra=("--max-attempts", "20", "--region-timeout", "2", "--format", "json")
    )
    elapsed = time.monotonic() - started

    assert result.exit_code == EXIT_PARTIAL, result.output
    assert elapsed < 60, elapsed
    summary = {r["region"]: r for r in json.loads(result.stdout)["regions"]}
    assert not summary[REGION]["problems"]
    assert "RegionTimeout" in [p["code"] for p in summary[OTHER]["problems"]]
    hints = json.loads(result.stdout)["hints"]
    assert any(h.startswith("Throttling outlasted the retries") for h in hints)
