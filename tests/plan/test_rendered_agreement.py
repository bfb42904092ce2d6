"""dms2msk's classification agrees with `terraform plan` on the REAL `dms2msk render` root (modules and all).

The example estate is mapped and rendered, a state "as if applied" is built from
the real provider's plan (tests/plan/rendered_state.py), then a changed estate is
rendered into the same folder and both dms2msk and terraform classify every MSK
Connect resource against that state. The two must be equal.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from dms2msk.config import ConnectorSettings, Settings, WorkerSettings
from dms2msk.estate import load_estate
from dms2msk.mapping import map_inventory
from dms2msk.model import MappingResult
from dms2msk.plan import plan
from tests.support.mapping import estate_inventory

from . import rendered_state, tfroot

pytestmark = [pytest.mark.real, pytest.mark.skipif(not tfroot.terraform_available(), reason="terraform missing")]

PRODUCTS = "simplydemo-products"
ORDERS = "shop-orders-to-analytics"


def _passwords(estate: dict[str, Any]) -> set[str]:
    """Every password of the example estate: none may reach a state or plan file."""
    found = {e["password"] for e in estate["endpoints"] if e.get("password")}
    found |= {s["value"]["password"] for s in estate.get("secrets", []) if "password" in s.get("value", {})}
    assert found, "the example estate has passwords to look for"
    return found


@dataclass(frozen=True)
class Baseline:
    out: Path
    state: dict[str, Any]
    state_path: Path
    passwords: frozenset[str]


def _mapped(estate: dict[str, Any], settings: Settings) -> tuple[MappingResult, Any]:
    inventory = estate_inventory(estate)
    return map_inventory(inventory, settings), inventory


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """The example estate rendered, and the state its apply would leave (one settle for the whole module)."""
    work = tmp_path_factory.mktemp("rendered")
    estate = load_estate()
    settings = rendered_state.settings_for()
    result, inventory = _mapped(estate, settings)
    out = rendered_state.render_root(result, work / "out", settings, inventory=inventory)
    state = rendered_state.applied_state(out)
    state_path = work / "baseline.tfstate"
    text = json.dumps(state, indent=2)
    state_path.write_text(text, encoding="utf-8")
    passwords = _passwords(estate)
    assert not [p for p in passwords if p in text]
    return Baseline(out, state, state_path, frozenset(passwords))


def _compare(
    baseline: Baseline, estate: dict[str, Any] | None = None, settings: Settings | None = None, result=None
) -> tuple[dict, dict, dict]:
    """Render the changed estate into the baseline's folder; (dms2msk's, terraform's) actions and the plan."""
    settings = settings or rendered_state.settings_for()
    mapped, inventory = _mapped(estate or load_estate(), settings)
    rendered_state.render_root(result or mapped, baseline.out, settings, inventory=inventory)
    shown = rendered_state.plan_json(baseline.out, baseline.state)
    text = json.dumps(shown)
    assert not [p for p in baseline.passwords if p in text]
    theirs = rendered_state.terraform_actions(shown)
    ours = {(d.kind, d.name): d.action.value for d in plan(baseline.out, state=baseline.state_path).resources}
    return ours, theirs, shown


def _connectors(actions: dict[tuple[str, str], str], task: str) -> dict[str, str]:
    return {name: a for (kind, name), a in actions.items() if kind == "connector" and name.startswith(f"{task}-")}


def test_unchanged_estate_plans_no_change_anywhere(baseline: Baseline) -> None:
    ours, theirs, shown = _compare(baseline)
    assert ours == theirs
    assert set(ours.values()) == {"unchanged"}
    assert {kind for kind, _ in ours} == {"connector", "custom_plugin", "worker_configuration"}
    # The state is faithful: no resource of any type changes, no data source is left to read, no output changes.
    assert rendered_state.pending_changes(shown) == {}
    assert rendered_state.pending_output_changes(shown) == {}
    assert len(shown["resource_changes"]) > len(ours)  # roles, policies, log groups, cluster, network... all no-op


def test_table_added_to_a_mapping_updates_that_source_in_place(baseline: Baseline) -> None:
    estate = copy.deepcopy(load_estate())
    task = next(t for t in estate["tasks"] if t["identifier"] == PRODUCTS)
    task["table_mappings"]["rules"].append(
        {
            "rule-type": "selection",
            "rule-id": "99",
            "rule-name": "orders-too",
            "object-locator": {"schema-name": "demosrc", "table-name": "orders"},
            "rule-action": "include",
        }
    )
    ours, theirs, _shown = _compare(baseline, estate)
    assert ours == theirs
    assert ours[("connector", f"{PRODUCTS}-source")] == "update"
    assert set(_connectors(ours, ORDERS).values()) == {"unchanged"}


def _bump_pipeline(result: MappingResult, task: str, version: str) -> MappingResult:
    return replace(
        result,
        pipelines=tuple(
            replace(p, debezium_version=version) if p.task_identifier == task else p for p in result.pipelines
        ),
    )


def test_debezium_bump_of_one_pipeline_replaces_its_connectors(baseline: Baseline) -> None:
    """One pipeline on a newer Debezium: new plugins beside the old ones (still used), its connectors replace."""
    settings = rendered_state.settings_for()
    mapped, _inventory = _mapped(load_estate(), settings)
    ours, theirs, _shown = _compare(baseline, result=_bump_pipeline(mapped, PRODUCTS, "2.7.4.Final"))
    assert ours == theirs
    assert _connectors(ours, PRODUCTS) == {f"{PRODUCTS}-source": "replace", f"{PRODUCTS}-sink": "replace"}
    assert set(_connectors(ours, ORDERS).values()) == {"unchanged"}
    assert {name for (kind, name), a in ours.items() if kind == "custom_plugin" and a == "create"} == {
        "debezium-connector-jdbc 2.7.4.final",
        "debezium-connector-mysql 2.7.4.final",
    }


def test_debezium_bump_of_the_estate_replaces_plugins_and_every_connector(baseline: Baseline) -> None:
    ours, theirs, _shown = _compare(baseline, settings=rendered_state.settings_for(debezium_version="3.6.3.Final"))
    assert ours == theirs
    assert {a for (kind, _), a in theirs.items() if kind == "connector"} == {"replace"}
    # Plugins are keyed by key and version: the 3.6.3 ones are new resources, the 2.7.3 ones are deleted.
    plugins = {name: action for (kind, name), action in ours.items() if kind == "custom_plugin"}
    assert sorted(plugins.values()) == ["create", "create", "delete", "delete"], plugins


def test_task_removed_deletes_its_two_connectors(baseline: Baseline) -> None:
    estate = copy.deepcopy(load_estate())
    estate["tasks"] = [t for t in estate["tasks"] if t["identifier"] != ORDERS]
    ours, theirs, _shown = _compare(baseline, estate)
    assert ours == theirs
    assert _connectors(ours, ORDERS) == {f"{ORDERS}-source": "delete", f"{ORDERS}-sink": "delete"}
    assert set(_connectors(ours, PRODUCTS).values()) == {"unchanged"}


def test_connector_capacity_change_updates_in_place(baseline: Baseline) -> None:
    settings = rendered_state.settings_for(connectors=ConnectorSettings(worker_count=2, mcu_count=2))
    ours, theirs, _shown = _compare(baseline, settings=settings)
    assert ours == theirs
    assert {a for (kind, _), a in ours.items() if kind == "connector"} == {"update"}
    assert {a for (kind, _), a in ours.items() if kind != "connector"} == {"unchanged"}


def test_worker_property_change_replaces_the_worker_configuration_and_every_connector(baseline: Baseline) -> None:
    settings = rendered_state.settings_for(workers=WorkerSettings(offset_flush_interval_ms=20000))
    ours, theirs, _shown = _compare(baseline, settings=settings)
    assert ours == theirs
    assert {a for (kind, _), a in ours.items() if kind in ("connector", "worker_configuration")} == {"replace"}
    assert {a for (kind, _), a in ours.items() if kind == "custom_plugin"} == {"unchanged"}


def _drifted_state(baseline: Baseline, tmp: Path, connector: str, **plugin: Any) -> Path:
    """The baseline state with one connector's ``plugin`` reference changed (``arn`` and/or ``revision``)."""
    state = copy.deepcopy(baseline.state)
    found = 0
    for resource in state["resources"]:
        if resource["type"] != "aws_mskconnect_connector":
            continue
        for instance in resource["instances"]:
            if instance["attributes"]["name"] == connector:
                instance["attributes"]["plugin"][0]["custom_plugin"][0].update(plugin)
                found += 1
    assert found == 1
    path = tmp / f"drift-{connector}.tfstate"
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "drift",
    [{"revision": 2}, {"arn": "arn:aws:kafkaconnect:ap-northeast-2:123456789012:custom-plugin/hand-made/0a1b-2"}],
    ids=["revision", "arn"],
)
def test_plugin_drift_replaces_the_connector_as_terraform_does(
    baseline: Baseline, tmp_path: Path, drift: dict[str, Any]
) -> None:
    """A connector on another plugin revision or ARN than the root's plugin: terraform replaces it, and so does plan."""
    rendered_state.render_root(
        _mapped(load_estate(), rendered_state.settings_for())[0],
        baseline.out,
        rendered_state.settings_for(),
        inventory=estate_inventory(load_estate()),
    )
    state_path = _drifted_state(baseline, tmp_path, f"{PRODUCTS}-source", **drift)
    shown = rendered_state.plan_json(baseline.out, json.loads(state_path.read_text(encoding="utf-8")))
    theirs = rendered_state.terraform_actions(shown)
    result = plan(baseline.out, state=state_path)
    ours = {(d.kind, d.name): d.action.value for d in result.resources}
    assert ours == theirs
    assert _connectors(ours, PRODUCTS) == {f"{PRODUCTS}-source": "replace", f"{PRODUCTS}-sink": "unchanged"}
    (source,) = [d for d in result.resources if d.name == f"{PRODUCTS}-source"]
    assert [c.path for c in source.changes if c.forces_replacement] == ["plugin"]
    # Same name, same pinned offsets topic: the replacement resumes.
    assert any(r.startswith("resumes from its offsets") for r in source.reasons)
