"""`dms2msk verify` against a real PostgreSQL and the real embedded Debezium: matching, differing, unprepared."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.config import NetworkSettings
from dms2msk.errors import EXIT_ERROR, EXIT_OK
from dms2msk.model import dumps
from dms2msk.render import render
from dms2msk.verify import verify
from dms2msk.verify.live import PrerequisiteError

from .estate import SETTINGS_3X, endpoint, include, inventory, mapped, task, transform

pytestmark = pytest.mark.real

RULES = [
    include(1, "shop", "%"),
    include(2, "shop", "tmp%", action="exclude"),
    transform(3, "column", "remove-column", schema="shop", table="customer", column="card"),
    transform(4, "column", "rename", value="given", schema="shop", table="customer", column="fname"),
]


def _rendered(tmp_path: Path) -> tuple[Path, Path]:
    source = endpoint("pg-src", "source", "postgres")
    target = endpoint("pg-tgt", "target", "postgres", host="tgt.internal")
    inv = inventory([task("shop-task", source, target, RULES)], [source, target])
    out = tmp_path / "out"
    settings = replace(
        SETTINGS_3X,
        network=NetworkSettings(
            vpc_id="vpc-0a1b", subnet_ids=("subnet-0a", "subnet-0b"), security_group_ids=("sg-0a",)
        ),
    )
    render(mapped(inv, settings), settings, out, inventory=inv)
    inventory_file = tmp_path / "inventory.json"
    inventory_file.write_text(dumps(inv), encoding="utf-8")
    return out, inventory_file


def _create(db: Any, *, customer_columns: str = "fname text, card text", with_orders: bool = True) -> None:
    with db.connect() as conn:
        conn.execute(f"create schema shop; create table shop.customer (id int primary key, {customer_columns})")
        conn.execute("insert into shop.customer (id) values (1), (2)")
        conn.execute("create table shop.tmp_load (id int primary key)")
        if with_orders:
            conn.execute(
                "create table shop.orders (id int primary key, total int); insert into shop.orders values (9, 5)"
            )


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_offline_verify_of_a_rendered_folder(jvm: None, tmp_path: Path) -> None:
    out, _ = _rendered(tmp_path)
    result = _invoke("verify", str(out), "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["mode"] == "offline"
    subjects = {(c["connector"], c["subject"], c["status"]) for c in report["checks"]}
    assert ("shop-task-source", "connector validation", "ok") in subjects
    assert ("shop-task-source", "connectors/shop-task-source.json", "ok") in subjects


def test_offline_verify_fails_on_a_hand_edited_connector_file(jvm: None, tmp_path: Path) -> None:
    out, _ = _rendered(tmp_path)
    path = out / "connectors" / "shop-task-source.json"
    document = json.loads(path.read_text())
    document["config"]["snapshot.mode"] = "never"  # removed in Debezium 3.3
    path.write_text(json.dumps(document))
    report = verify(out)
    assert not report.ok
    assert any("snapshot.mode" in f and "differs" in f for f in report.failures)
    # The edited value itself is validated: 'never' is not a 3.6.3 snapshot mode.
    assert any("shop-task-source.json: snapshot.mode" in f and "not a valid value" in f for f in report.failures)


def test_live_verify_matches(jvm: None, postgres_db: Any, tmp_path: Path) -> None:
    _create(postgres_db)
    out, inventory_file = _rendered(tmp_path)
    result = _invoke(
        "verify", str(out), "--source-url", postgres_db.url(), "-i", str(inventory_file), "--seconds", "60"
    )
    assert result.exit_code == EXIT_OK, result.output
    assert postgres_db.password not in result.output
    assert "table shop.customer" in result.output and "table shop.orders" in result.output
    assert "shop.tmp_load" not in result.output  # excluded by the DMS rules, and not captured
    # What verify created is gone again.
    with postgres_db.connect() as conn:
        assert conn.execute(
            "select count(*) from pg_replication_slots where slot_name like 'dms2msk_verify%'"
        ).fetchone() == (0,)
        assert conn.execute("select count(*) from pg_publication where pubname like 'dms2msk_verify%'").fetchone() == (
            0,
        )


def test_live_verify_names_a_missing_table_and_a_renamed_column(jvm: None, postgres_db: Any, tmp_path: Path) -> None:
    # The database differs from what the task was written for: fname was renamed, orders is gone.
    _create(postgres_db, customer_columns="first_name text, card text", with_orders=False)
    out, inventory_file = _rendered(tmp_path)
    from dms2msk.model import load_inventory

    inv = load_inventory(inventory_file)
    stats_task = inv.regions[0].tasks[0]
    from dms2msk.model import TableStatistic

    # DMS's own statistics say it replicated shop.orders.
    inv = replace(
        inv,
        regions=(
            replace(
                inv.regions[0],
                tasks=(
                    replace(
                        stats_task,
                        table_statistics=(TableStatistic("shop", "customer", 2), TableStatistic("shop", "orders", 1)),
                    ),
                ),
            ),
        ),
    )
    report = verify(out, source_url=postgres_db.url(), inventory=inv, seconds=60)
    assert not report.ok
    text = "\n".join(report.failures)
    assert "shop.orders" in text and "does not have" in text
    assert "shop.customer.fname" in text
    result = _invoke("verify", str(out), "--source-url", postgres_db.url(), "-i", str(inventory_file))
    assert result.exit_code == EXIT_ERROR
    assert "fname" in result.output


def test_wrong_password_unreachable_and_wal_level(jvm: None, postgres_db: Any, tmp_path: Path) -> None:
    out, inventory_file = _rendered(tmp_path)
    inv_args = ("-i", str(inventory_file))
    wrong = _invoke("verify", str(out), "--source-url", postgres_db.url(password="not-the-password"), *inv_args)
    assert wrong.exit_code == EXIT_ERROR
    assert "wrong credentials" in wrong.output and "not-the-password" not in wrong.output
    from tests.support.postgres import free_port

    unreachable = _invoke("verify", str(out), "--source-url", f"postgresql://u:p@127.0.0.1:{free_port()}/db", *inv_args)
    assert unreachable.exit_code == EXIT_ERROR and "cannot reach PostgreSQL" in unreachable.output

    from tests.support.postgres import start_postgres, stop_postgres

    work = Path(tempfile.mkdtemp(prefix="dms2msk-pg-replica-"))
    server, data_dir, prefix = start_postgres(work, wal_level="replica")
    try:
        with pytest.raises(PrerequisiteError) as raised:
            verify(
                out, source_url=server.url(), inventory=__import__("dms2msk.model").model.load_inventory(inventory_file)
            )
        assert "wal_level" in str(raised.value) and "rds.logical_replication" in str(raised.value)
    finally:
        stop_postgres(data_dir, prefix)


def test_offline_verify_accepts_the_example_estate_rendered_for_debezium_3(jvm: None, tmp_path: Path) -> None:
    # simplydemo's source takes host and port from its DMS secret: ${secretsmanager:...:port}.
    from tests.support.mapping import estate_inventory

    inv = estate_inventory()
    out = tmp_path / "out"
    render(mapped(inv, SETTINGS_3X), SETTINGS_3X, out, inventory=inv)
    assert any(":port}" in p.read_text() for p in (out / "connectors").glob("*-source.json"))
    result = _invoke("verify", str(out))
    assert result.exit_code == EXIT_OK, result.output
    assert "[FAIL]" not in result.output


def test_live_verify_fails_when_the_sink_loses_the_target_schema(jvm: None, postgres_db: Any, tmp_path: Path) -> None:
    """Debezium 2.7's sink writes sales.orders into the connection's default schema; DMS writes it into sales."""
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema sales; create table sales.orders (id int primary key); insert into sales.orders values (1)"
        )
        conn.execute("create schema sales_eu; create table sales_eu.orders (id int primary key)")
    source = endpoint("pg-src", "source", "postgres")
    target = endpoint("pg-tgt", "target", "postgres", host="tgt.internal")
    inv = inventory([task("two-schemas", source, target, [include(1, "sales%", "orders")])], [source, target])
    settings = replace(
        SETTINGS_3X,
        debezium_version="2.7.3.Final",
        network=NetworkSettings(
            vpc_id="vpc-0a1b", subnet_ids=("subnet-0a", "subnet-0b"), security_group_ids=("sg-0a",)
        ),
    )
    out = tmp_path / "out"
    render(mapped(inv, settings), settings, out, inventory=inv)
    report = verify(out, source_url=postgres_db.url(), inventory=inv, seconds=60)
    assert not report.ok
    text = "\n".join(report.failures)
    assert "sales.orders" in text and "default schema" in text, text
