"""The plan reads what the real `dms2msk render` writes, and agrees with terraform on a first apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dms2msk.config import NetworkSettings, Settings
from dms2msk.model import MappingResult
from dms2msk.plan import Action, plan, plugin_identity
from dms2msk.render import render

from . import builders, tfroot


def _rendered(tmp_path: Path) -> Path:
    result = MappingResult(
        pipelines=(builders.pipeline("orders"),), debezium_version="2.7.3.Final", kafkaconnect_version="2.7.1"
    )
    out = tmp_path / "out"
    network = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))
    render(result, Settings(network=network), out)
    return out


def test_plan_reads_a_real_render(tmp_path: Path) -> None:
    out = _rendered(tmp_path)
    result = plan(out)
    connectors = {d.name: d.action for d in result.resources if d.kind == "connector"}
    assert connectors == {"orders-source": Action.CREATE, "orders-sink": Action.CREATE}


@pytest.mark.real
@pytest.mark.skipif(not tfroot.terraform_available(), reason="terraform missing")
def test_first_apply_of_a_real_render_agrees_with_terraform(tmp_path: Path) -> None:
    out = _rendered(tmp_path)
    # Offline: no AWS call, so the provider must not validate credentials (a test-only override file).
    (out / "offline_override.tf").write_text(
        'provider "aws" {\n  skip_credentials_validation = true\n  skip_requesting_account_id = true\n'
        "  skip_metadata_api_check = true\n}\n",
        encoding="utf-8",
    )
    tfroot.init(out)
    tfroot.tf(out, "plan", "-refresh=false", "-input=false", "-no-color", "-out=first.tfplan")
    planned = json.loads(tfroot.tf(out, "show", "-json", "first.tfplan"))
    theirs = {}
    for change in planned["resource_changes"]:
        if change["type"] in ("aws_mskconnect_connector", "aws_mskconnect_custom_plugin"):
            after = change["change"]["after"] or {}
            name = after.get("name", "")
            if change["type"] == "aws_mskconnect_custom_plugin":
                s3 = (after.get("location") or [{}])[0].get("s3", [{}])[0]
                name = plugin_identity(name, s3.get("file_key")) or name
            theirs[name] = "+".join(change["change"]["actions"])
    ours = {d.name: d.action.value for d in plan(out).resources if d.kind in ("connector", "custom_plugin")}
    assert ours == theirs
