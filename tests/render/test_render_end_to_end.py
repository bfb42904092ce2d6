"""The example estate end to end: moto server -> scan -> map -> render -> real terraform plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk import terraform
from dms2msk.errors import EXIT_OK, EXIT_PARTIAL
from dms2msk.estate import load_estate, seed_estate

pytestmark = pytest.mark.real


@pytest.fixture
def scanned_inventory(moto_endpoint: str, tmp_path: Path) -> tuple[Path, list[str], list[str], str]:
    from dms2msk.model import dumps
    from dms2msk.scan import scan

    estate = load_estate()
    seeded = seed_estate(estate, moto_endpoint)
    inventory = scan([estate["region"]], endpoint_url=moto_endpoint)
    path = tmp_path / "dms2msk-inventory.json"
    path.write_text(dumps(inventory), encoding="utf-8")
    return path, seeded.passwords, seeded.subnet_ids, seeded.vpc_id


def test_example_estate_renders_and_plans(
    scanned_inventory: tuple[Path, list[str], list[str], str], tmp_path: Path, plan_of: Callable[..., dict[str, Any]]
) -> None:
    from dms2msk.cli import cli

    inventory_path, passwords, subnet_ids, vpc_of_subnets = scanned_inventory
    # moto reports a canned subnet group (one subnet "subnet-12345") for replication instances,
    # so the seeded subnets are given as the network override a user would set.
    config = tmp_path / "dms2msk.toml"
    vpc_id = vpc_of_subnets  # subnets given in the settings come with their VPC
    config.write_text(f'[network]\nvpc_id = "{vpc_id}"\nsubnet_ids = {json.dumps(subnet_ids)}\n', encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["render", str(out), "-i", str(inventory_path), "--config", str(config), "--format", "json"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code in (EXIT_OK, EXIT_PARTIAL), result.output
    summary = json.loads(result.stdout)
    assert summary["partial"] == (result.exit_code == EXIT_PARTIAL)
    assert "simplydemo-products-source" in summary["connectors"]
    assert "simplydemo-products-sink" in summary["connectors"]

    assert terraform.fmt_check_dir(out) == []
    plan = plan_of(out)
    connectors = {
        r["values"]["name"]: r["values"]
        for r in terraform.planned_resources(plan)
        if r["type"] == "aws_mskconnect_connector"
    }
    assert set(connectors) == set(summary["connectors"])
    sink = connectors["simplydemo-products-sink"]["connector_configuration"]
    assert sink["insert.mode"] == "upsert" and sink["primary.key.mode"] == "record_key"
    assert any(value.startswith("${secretsmanager:") for value in sink.values())

    text = json.dumps(plan)
    assert passwords, "the example estate gives the emulator passwords"
    for password in passwords:
        assert password not in text
        for path in out.rglob("*"):
            if path.is_file():
                assert password not in path.read_text(encoding="utf-8", errors="replace"), path
