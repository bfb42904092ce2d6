"""dms2msk's create/update/replace/delete classification agrees with the real provider's plan."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from dms2msk.config import Settings, WorkerSettings
from dms2msk.plan import load_desired, load_state, plan, plugin_identity

from . import builders, tfroot

pytestmark = [pytest.mark.real, pytest.mark.skipif(not tfroot.terraform_available(), reason="terraform missing")]


def _ours(out: Path, state_path: Path) -> dict[tuple[str, str], str]:
    result = plan(out, state=state_path)
    return {(d.kind, d.name): d.action.value for d in result.resources}


def _theirs(actions: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Terraform names plugins `dms2msk-<key>-<version>`; dms2msk reports them by key and version."""
    return {
        (kind, plugin_identity(name) if kind == "custom_plugin" else name): action
        for (kind, name), action in actions.items()
    }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("tfroot")
    out = builders.write_out(work / "out0", builders.pipeline("orders"))
    tfroot.write_root(out, work / "root")
    tfroot.init(work / "root")
    return work


def _baseline(workdir: Path, *pipelines, settings: Settings | None = None) -> tuple[Path, Path]:
    """Render the baseline, build the state the provider would hold after applying it."""
    out = builders.write_out(workdir / "out", *pipelines, settings=settings)
    tfroot.write_root(out, workdir / "root")
    state = tfroot.state_for_current_root(workdir / "root")
    state_path = workdir / "baseline.tfstate"
    state_path.write_text(json.dumps(state), encoding="utf-8")
    return out, state_path


def _change(workdir: Path, state_path: Path, *pipelines, settings: Settings | None = None) -> tuple[dict, dict]:
    out = builders.write_out(workdir / "out", *pipelines, settings=settings)
    tfroot.write_root(out, workdir / "root")
    theirs = _theirs(tfroot.terraform_actions(workdir / "root", json.loads(state_path.read_text())))
    return _ours(out, state_path), theirs


def test_unchanged_estate_agrees(workdir: Path) -> None:
    orders, products = builders.pipeline("orders"), builders.pipeline("products", tables="shop.products")
    _out, state_path = _baseline(workdir, orders, products)
    ours, theirs = _change(workdir, state_path, orders, products)
    assert ours == theirs
    assert set(ours.values()) == {"unchanged"}
    assert ours[("worker_configuration", "dms2msk-workers")] == "unchanged"


def test_worker_property_change_replaces_worker_configuration_and_connectors(workdir: Path) -> None:
    orders, products = builders.pipeline("orders"), builders.pipeline("products", tables="shop.products")
    _out, state_path = _baseline(workdir, orders, products)
    slower = Settings(workers=WorkerSettings(offset_flush_interval_ms=60000))
    ours, theirs = _change(workdir, state_path, orders, products, settings=slower)
    assert ours == theirs
    assert ours[("worker_configuration", "dms2msk-workers")] == "replace"
    assert {action for (kind, _name), action in ours.items() if kind == "connector"} == {"replace"}
    assert {action for (kind, _name), action in ours.items() if kind == "custom_plugin"} == {"unchanged"}


def test_extra_worker_property_and_name_change_agree(workdir: Path) -> None:
    orders = builders.pipeline("orders")
    tuned = Settings(workers=WorkerSettings(extra_properties={"producer.override.linger.ms": "50"}))
    _out, state_path = _baseline(workdir, orders, settings=tuned)
    ours, theirs = _change(workdir, state_path, orders, settings=tuned)
    assert ours == theirs and set(ours.values()) == {"unchanged"}  # the extra property round-trips
    renamed = Settings(name_prefix="shop", workers=tuned.workers)
    ours, theirs = _change(workdir, state_path, orders, settings=renamed)
    assert ours == theirs
    assert ours[("worker_configuration", "shop-workers")] == "replace"
    assert ours[("connector", "orders-source")] == ours[("connector", "orders-sink")] == "replace"


def test_table_added_is_update_in_place(workdir: Path) -> None:
    orders, products = builders.pipeline("orders"), builders.pipeline("products", tables="shop.products")
    _out, state_path = _baseline(workdir, orders, products)
    ours, theirs = _change(workdir, state_path, builders.with_tables(orders, "shop.orders,shop.order_items"), products)
    assert ours == theirs
    assert ours[("connector", "orders-source")] == "update"
    assert ours[("connector", "products-source")] == "unchanged"


def test_plugin_version_bump_replaces_plugin_and_connectors(workdir: Path) -> None:
    orders = builders.pipeline("orders")
    _out, state_path = _baseline(workdir, orders)
    bumped = replace(orders, debezium_version="2.7.4.Final")
    ours, theirs = _change(workdir, state_path, bumped)
    assert ours == theirs
    assert ours[("connector", "orders-source")] == "replace"
    assert ours[("custom_plugin", "debezium-connector-mysql 2.7.4.final")] == "create"
    assert ours[("custom_plugin", "debezium-connector-mysql 2.7.3.final")] == "delete"
    assert ours[("connector", "orders-sink")] == "replace"  # the JDBC plugin is bumped with the estate version


def test_task_removed_deletes_its_connectors(workdir: Path) -> None:
    orders, products = builders.pipeline("orders"), builders.pipeline("products", tables="shop.products")
    _out, state_path = _baseline(workdir, orders, products)
    ours, theirs = _change(workdir, state_path, orders)
    assert ours == theirs
    assert ours[("connector", "products-source")] == "delete"
    assert ours[("connector", "products-sink")] == "delete"


def test_show_json_reads_like_the_state(workdir: Path) -> None:
    orders = builders.pipeline("orders")
    out, state_path = _baseline(workdir, orders)
    root = workdir / "root"
    (root / "terraform.tfstate").write_text(state_path.read_text(), encoding="utf-8")
    shown = root / "shown.json"
    shown.write_text(tfroot.tf(root, "show", "-json"), encoding="utf-8")
    from_state, from_show = load_state(state_path), load_state(shown)
    assert from_show.known and from_state.known
    assert from_show.connectors.keys() == from_state.connectors.keys() == set(load_desired(out).connectors)
    assert {c.config["table.include.list"] for c in from_show.connectors.values() if "table.include.list" in c.config}
    assert _ours(out, shown) == _ours(out, state_path)
