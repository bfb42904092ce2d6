"""A multi-region inventory: one root per region with `render --region`, and a clear error for a wrong region."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.errors import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from dms2msk.model import dumps
from tests.support.mapping import make_inventory


def _two_region_inventory(tmp_path: Path) -> Path:
    seoul = make_inventory(region="ap-northeast-2", identifier="seoul-orders")
    dublin = make_inventory(region="eu-west-1", identifier="dublin-orders")
    both = dataclasses.replace(seoul, regions=seoul.regions + dublin.regions)
    path = tmp_path / "inventory.json"
    path.write_text(dumps(both), encoding="utf-8")
    return path


def _render(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["render", *arguments, "--format", "json"])
    return result.exit_code, result.output


def test_each_region_renders_into_its_own_root(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    for region, task in (("ap-northeast-2", "seoul-orders"), ("eu-west-1", "dublin-orders")):
        out = tmp_path / "out" / region
        code, output = _render(str(out), "-i", str(inventory), "--region", region)
        assert code == EXIT_OK, output
        summary = json.loads(output)
        assert summary["region"] == region and not summary["skipped"]
        assert sorted(summary["connectors"]) == [f"{task}-sink", f"{task}-source"]
        manifest = json.loads((out / "dms2msk.json").read_text(encoding="utf-8"))
        assert {p["region"] for p in manifest["mapping"]["pipelines"]} == {region}


def test_without_region_the_other_region_is_skipped_and_named(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    code, output = _render(str(tmp_path / "out"), "-i", str(inventory))
    assert code == EXIT_PARTIAL, output
    summary = json.loads(output)
    assert len(summary["skipped"]) == 1 and summary["skipped"][0]["region"] != summary["region"]


def test_a_region_the_inventory_lacks_is_an_error_listing_the_regions(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    out = tmp_path / "out"
    code, output = _render(str(out), "-i", str(inventory), "--region", "us-east-1")
    assert code == EXIT_ERROR
    assert "has no region us-east-1" in output and "ap-northeast-2, eu-west-1" in output
    assert not out.exists()


def test_plan_of_one_region_with_the_whole_inventory_is_not_stale(tmp_path: Path) -> None:
    from dms2msk.model import load_inventory
    from dms2msk.plan import plan

    inventory_path = _two_region_inventory(tmp_path)
    out = tmp_path / "out" / "eu-west-1"
    code, output = _render(str(out), "-i", str(inventory_path), "--region", "eu-west-1")
    assert code == EXIT_OK, output
    result = plan(out, inventory=load_inventory(inventory_path))
    stale = [b for b in result.blockers if b.code == "render.stale"]
    assert stale == [], [b.message for b in stale]
    assert {m.task_identifier for m in result.migrations} == {"dublin-orders"}


def test_all_regions_renders_one_complete_root_per_region(tmp_path: Path) -> None:
    from dms2msk.plan import plan

    inventory = _two_region_inventory(tmp_path)
    out = tmp_path / "out"
    code, output = _render(str(out), "-i", str(inventory), "--all-regions")
    assert code == EXIT_OK, output
    roots = json.loads(output)["roots"]
    assert [(r["region"], r["out"]) for r in roots] == [
        ("ap-northeast-2", str(out / "ap-northeast-2")),
        ("eu-west-1", str(out / "eu-west-1")),
    ]
    for root in roots:
        assert not root["skipped"]
        # Each folder is a whole OUT: the plan reads it on its own.
        connectors = {d.name for d in plan(Path(root["out"])).resources if d.kind == "connector"}
        assert connectors == set(root["connectors"])


def test_all_regions_writes_nothing_when_one_root_cannot_be_written(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    out = tmp_path / "out"
    foreign = out / "eu-west-1" / "notes.txt"  # a folder dms2msk did not write
    foreign.parent.mkdir(parents=True)
    foreign.write_text("mine", encoding="utf-8")
    code, output = _render(str(out), "-i", str(inventory), "--all-regions")
    assert code == EXIT_ERROR, output
    assert "eu-west-1" in output
    assert not (out / "ap-northeast-2").exists()
    assert foreign.read_text(encoding="utf-8") == "mine"


def test_region_and_all_regions_exclude_each_other(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    code, output = _render(str(tmp_path / "out"), "-i", str(inventory), "--all-regions", "--region", "eu-west-1")
    assert code == 2 and "exclude each other" in output


def _config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "dms2msk.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


SEOUL_NETWORK = """
[network.regions.ap-northeast-2]
vpc_id = "vpc-seoul"
subnet_ids = ["subnet-seoul-a", "subnet-seoul-b"]

[network.regions.eu-west-1]
vpc_id = "vpc-dublin"
subnet_ids = ["subnet-dublin-a", "subnet-dublin-b"]
"""


def test_all_regions_takes_each_regions_own_network(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    out = tmp_path / "out"
    code, output = _render(
        str(out), "-i", str(inventory), "--all-regions", "--config", _config(tmp_path, SEOUL_NETWORK)
    )
    assert code == EXIT_OK, output
    seoul = (out / "ap-northeast-2" / "variables.tf").read_text(encoding="utf-8")
    dublin = (out / "eu-west-1" / "variables.tf").read_text(encoding="utf-8")
    assert "subnet-seoul-a" in seoul and "vpc-seoul" in seoul and "subnet-dublin-a" not in seoul
    assert "subnet-dublin-a" in dublin and "vpc-dublin" in dublin and "seoul" not in dublin


def test_all_regions_refuses_one_network_for_every_region(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    config = _config(tmp_path, '[network]\nvpc_id = "vpc-seoul"\nsubnet_ids = ["subnet-seoul-a", "subnet-seoul-b"]\n')
    code, output = _render(str(tmp_path / "out"), "-i", str(inventory), "--all-regions", "--config", config)
    assert code == EXIT_ERROR, output
    assert "would apply to every region" in output and "[network.regions.<region>]" in output
    assert not (tmp_path / "out").exists()


def test_all_regions_refuses_an_id_given_to_two_regions(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    config = _config(tmp_path, SEOUL_NETWORK.replace("subnet-dublin-a", "subnet-seoul-a"))
    code, output = _render(str(tmp_path / "out"), "-i", str(inventory), "--all-regions", "--config", config)
    assert code == EXIT_ERROR, output
    assert "subnet-seoul-a is set for region ap-northeast-2 and for region eu-west-1" in output


def test_a_misspelt_key_in_a_region_table_is_refused(tmp_path: Path) -> None:
    inventory = _two_region_inventory(tmp_path)
    config = _config(tmp_path, '[network.regions.eu-west-1]\nsubnet_id = ["subnet-dublin-a"]\n')
    code, output = _render(str(tmp_path / "out"), "-i", str(inventory), "--all-regions", "--config", config)
    assert code == EXIT_ERROR and "subnet_id" in output, output
