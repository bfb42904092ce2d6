"""A malformed inventory file is a clear error naming the file and the field, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.errors import EXIT_ERROR, InputError
from dms2msk.mapping import map_inventory
from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.model import INVENTORY_SCHEMA_VERSION, Severity, load_inventory
from tests.support.mapping import make_inventory

TASK = {
    "arn": "arn:aws:dms:ap-northeast-2:123456789012:task:ORDERS",
    "identifier": "orders",
    "migration_type": "cdc",
    "source_endpoint_arn": "arn:aws:dms:ap-northeast-2:123456789012:endpoint:SRC",
    "target_endpoint_arn": "arn:aws:dms:ap-northeast-2:123456789012:endpoint:TGT",
    "table_mappings": '{"rules": []}',
}


ENDPOINT = {"arn": "arn:aws:dms:r:1:endpoint:E", "identifier": "e", "endpoint_type": "source", "engine": "mysql"}
DEEP = json.loads('{"a": ' * 500 + "1" + "}" * 500)  # loads, but every later recursive walk would be at risk


def inventory_with(**task_fields: Any) -> dict[str, Any]:
    return {
        "schema_version": INVENTORY_SCHEMA_VERSION,
        "scanned_at": "2026-12-01T00:00:00Z",
        "regions": [{"region": "ap-northeast-2", "tasks": [{**TASK, **task_fields}]}],
    }


def write(tmp_path: Path, content: bytes | str | dict[str, Any]) -> Path:
    path = tmp_path / "inventory.json"
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01\xff\xfe binary", "is not UTF-8 text (byte 2"),
        ('{"scanned_at": "caf\u00e9"}'.encode("latin-1"), "is not UTF-8 text"),
        ("[" * 200_000 + "]" * 200_000, "nests JSON too deeply"),
        (
            {"schema_version": INVENTORY_SCHEMA_VERSION, "scanned_at": "x", "regions": [None]},
            "$.regions[0]: must not be null",
        ),
        (inventory_with(identifier=5), "$.regions[0].tasks[0].identifier: expected str, got int 5"),
        (
            inventory_with(table_mappings={"rules": []}),
            "$.regions[0].tasks[0].table_mappings: expected str, got dict",
        ),
        (inventory_with(tags={"team": True}), "$.regions[0].tasks[0].tags.team: expected str, got bool true"),
        (
            {
                "schema_version": INVENTORY_SCHEMA_VERSION,
                "scanned_at": "x",
                "regions": [
                    {"region": "r", "endpoints": [{**ENDPOINT, "settings": {"MySQLSettings": {"Deep": DEEP}}}]}
                ],
            },
            "$.regions[0].endpoints[0].settings.MySQLSettings.Deep: nested more than 64 levels deep",
        ),
    ],
    ids=[
        "binary",
        "latin-1",
        "deeply-nested",
        "regions-null",
        "integer-identifier",
        "mappings-object",
        "bool-tag",
        "deep-settings",
    ],
)
def test_a_malformed_inventory_names_the_file_and_the_field(
    tmp_path: Path, content: bytes | str | dict[str, Any], expected: str
) -> None:
    path = write(tmp_path, content)

    with pytest.raises(InputError) as raised:
        load_inventory(path)

    assert str(path) in raised.value.message
    assert expected in raised.value.message
    assert raised.value.hint


def test_the_cli_reports_a_bad_inventory_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, inventory_with(identifier=5))

    result = CliRunner().invoke(cli, ["advise", "-i", str(path)])

    assert result.exit_code == EXIT_ERROR, result.output
    assert f"error: inventory file {path} does not match the inventory schema" in result.stderr
    assert "identifier: expected str" in result.stderr
    assert "Traceback" not in result.output


def test_a_good_inventory_still_loads(tmp_path: Path) -> None:
    inventory = load_inventory(write(tmp_path, inventory_with(tags={"team": "data"})))

    assert inventory.regions[0].tasks[0].tags == {"team": "data"}


@pytest.mark.parametrize("name", [{"a": 1}, ["sales"], True])
def test_a_locator_name_that_is_not_a_string_is_a_finding_naming_the_task(name: Any) -> None:
    rule = {
        "rule-type": "selection",
        "rule-id": "7",
        "rule-name": "odd",
        "rule-action": "include",
        "object-locator": {"schema-name": name, "table-name": "%"},
    }

    parsed = parse_table_mappings(json.dumps({"rules": [rule]}), task="orders")

    assert not parsed.selections  # never compiled into a regex
    finding = next(f for f in parsed.findings if f.code == "table-mappings.invalid-field")
    assert finding.severity is Severity.BLOCKER and finding.task == "orders" and finding.rule_id == "7"
    assert "object-locator schema-name" in finding.message and "not a name" in finding.message


@pytest.mark.parametrize("depth", [100, 100_000], ids=["deep", "deeper-than-the-parser"])
def test_deeply_nested_table_mappings_are_a_blocker_naming_the_task(depth: int) -> None:
    parsed = parse_table_mappings("[" * depth + "]" * depth, task="orders")

    (finding,) = parsed.findings
    assert (finding.code, finding.severity, finding.task) == ("table-mappings.too-deep", Severity.BLOCKER, "orders")
    assert not parsed.valid


def test_deeply_nested_task_settings_fall_back_to_the_dms_defaults_with_a_finding() -> None:
    inventory = make_inventory(task_settings='{"Logging": ' * 100_000 + "{}" + "}" * 100_000)

    result = map_inventory(inventory)

    findings = [f for f in result.findings if f.code == "task-settings.too-deep"]
    assert findings and findings[0].task == "t1"
