"""Hostile inventory values cannot add Terraform, Markdown lines or shell commands to OUT (issue #12.8)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest

from dms2msk import terraform
from dms2msk.config import Settings
from dms2msk.errors import InputError
from dms2msk.estate import load_estate, seed_estate
from dms2msk.model import MappingResult, dumps, load_inventory
from dms2msk.render import render
from dms2msk.scan import scan

from .seed_pipeline import REGION, seed_result, seed_sink

INJECTED = '\nresource "terraform_data" "pwned" {\n  provisioner "local-exec" {\n    command = "touch PWNED"\n  }\n}\n#'
"""A value that, written raw on a comment line, is a resource that runs a command at apply."""


def hostile_result() -> MappingResult:
    result = seed_result(with_skipped=False)
    pipeline = dataclasses.replace(
        result.pipelines[0],
        task_identifier="orders" + INJECTED,
        source_engine="mysql" + INJECTED,
        target_engine="postgres" + INJECTED,
        migration_type="cdc" + INJECTED,
    )
    return dataclasses.replace(result, pipelines=(pipeline,))


def test_comment_values_stay_on_their_comment_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(hostile_result(), Settings(), out)

    main_tf = (out / "main.tf").read_text(encoding="utf-8")
    assert "terraform_data" in main_tf  # the value is there, as text
    assert not re.search(r"^\s*resource\s+\"terraform_data\"", main_tf, re.MULTILINE)
    comment = next(line for line in main_tf.splitlines() if line.startswith("# DMS task "))
    assert '\\nresource \\"terraform_data\\"' in comment or "\\nresource" in comment


def test_readme_values_stay_in_their_cell_span_and_shell_word(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = hostile_result()
    hostile_name = "x'; touch PWNED; echo '`| y"
    pipeline = dataclasses.replace(
        result.pipelines[0], task_identifier=hostile_name, sink=seed_sink(secret_name=f"dms2msk/{hostile_name}/sink")
    )
    render(dataclasses.replace(result, pipelines=(pipeline,)), Settings(), out)

    readme = (out / "README.md").read_text(encoding="utf-8")
    assert not any(line.startswith('resource "terraform_data"') for line in readme.splitlines())
    row = next(line for line in readme.splitlines() if "x'; touch" in line and line.startswith("|"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # five cells: the name's `|` did not add one
    command = next(line for line in readme.splitlines() if "put-secret-value" in line)
    # The shell reads the secret id as one word: let a real sh split the line's words.
    line = command.rstrip(" \\")
    argv = subprocess.run(
        ["sh", "-c", f"set -- {line}; for w; do printf '%s\\n' \"$w\"; done"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.splitlines()
    assert argv[argv.index("--secret-id") + 1] == f"dms2msk/{hostile_name}/sink"
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.real
def test_hostile_comment_values_pass_terraform_validate_and_plan_nothing_extra(
    tmp_path: Path, tf_plugin_dir: Path | None, tf_environment: dict[str, str], terraform_bin: str
) -> None:
    out = tmp_path / "out"
    render(hostile_result(), Settings(), out)

    validation = terraform.validate_dir(out, plugin_dir=tf_plugin_dir)
    assert validation.valid, validation
    plan = terraform.plan_json(out, plugin_dir=tf_plugin_dir)
    assert [r for r in terraform.planned_resources(plan) if r["type"] == "terraform_data"] == []


@pytest.mark.real
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("migration_type", "cdc" + INJECTED),
        ("engine", "mysql\n# x"),
        ("endpoint_type", "sauce"),
        ("region", REGION + INJECTED),
    ],
)
def test_enumerated_inventory_fields_are_checked_on_load(
    moto_endpoint: str, tmp_path: Path, field: str, value: str
) -> None:
    seed_estate(load_estate(), moto_endpoint)
    data = json.loads(dumps(scan([load_estate()["region"]], endpoint_url=moto_endpoint)))
    region = data["regions"][0]
    target = {"migration_type": region["tasks"][0], "engine": region["endpoints"][0]}.get(
        field, region["endpoints"][0] if field == "endpoint_type" else region
    )
    target[field] = value
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(InputError) as caught:
        load_inventory(path)

    message = str(caught.value)
    assert field in message and repr(value) in message and "expected" in message


def test_finding_messages_that_quote_a_hostile_value_stay_on_their_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = seed_result()  # with a skipped task and a blocker finding
    skipped = dataclasses.replace(result.skipped[0], reason="bad JSON\n## Injected heading\n```sh\nrm -rf /\n```")
    render(dataclasses.replace(result, skipped=(skipped,)), Settings(), out)

    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "## Injected heading" in readme  # still shown, as text on the skipped task's line
    assert not any(line.startswith(("## Injected", "rm -rf")) for line in readme.splitlines())
