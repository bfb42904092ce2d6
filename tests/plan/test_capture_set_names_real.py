"""Hostile table names through the primary-key check, with its query run on real PostgreSQL and MariaDB.

Tables named with a dash, a comma, a quote, a space and mixed case are selected by explicit DMS rules; a
table differing only in case is left out. The plan's printed query (taken from its step, never retyped) runs on
the real server, its output goes back through ``primary_key_reports``, and the check must list exactly the keyless
captured tables by their exact names: the plan matches report rows against the typed capture set, not against
include regexes it parses back. See tests/plan/test_primary_keys_real.py for the fixtures' conventions.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from dms2msk.plan import plan
from dms2msk.plan.types import PrimaryKeyCheck
from tests.plan.test_primary_keys_real import TASK, _mysql_report, _pg_report, _printed_query, _render
from tests.support.mapping import make_inventory
from tests.support.mariadb import MariaDbServer
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.real

KEYLESS = ("order-items", "order,items", "Order Items")
KEYED = ("it's", "MixedCase")


def _explicit_rules(schema: str) -> dict:
    names = (*KEYLESS, *KEYED)
    return {
        "rules": [
            {
                "rule-type": "selection",
                "rule-id": str(i + 1),
                "rule-name": f"r{i + 1}",
                "object-locator": {"schema-name": schema, "table-name": name},
                "rule-action": "explicit",
            }
            for i, name in enumerate(names)
        ]
    }


def _check(out: Path, inventory, report: Path) -> PrimaryKeyCheck:  # type: ignore[no-untyped-def]
    (migration,) = plan(out, inventory=inventory, primary_key_reports=[report]).migrations
    assert migration.primary_keys is not None
    return migration.primary_keys


def test_postgres_key_check_names_hostile_tables_exactly(tmp_path: Path, postgres_db: PostgresServer) -> None:
    with postgres_db.connect() as conn:
        conn.execute('CREATE SCHEMA "Shop"')
        for name in KEYLESS:
            conn.execute(f'CREATE TABLE "Shop"."{name}" (a int)')
        conn.execute('CREATE TABLE "Shop"."it\'s" (id int PRIMARY KEY)')
        conn.execute('CREATE TABLE "Shop"."MixedCase" (id int PRIMARY KEY)')
        conn.execute('CREATE TABLE "Shop"."mixedcase" (a int)')  # keyless, but no rule names it in this case
        conn.execute('CREATE TABLE "Shop"."order_items" (a int)')  # keyless; '-' in an explicit rule is no wildcard
    inventory = make_inventory(
        source_engine="postgres",
        target_engine="postgres",
        source={"database_name": postgres_db.dbname},
        migration_type="cdc",
        table_mappings=_explicit_rules("Shop"),
        identifier=TASK,
    )
    out = _render(tmp_path, inventory)
    query = _printed_query(plan(out, inventory=inventory))
    report = tmp_path / "pk.csv"
    _pg_report(postgres_db, query, report, quoted=True)

    check = _check(out, inventory, report)
    assert check.status == "missing"
    assert set(check.without_key) == {f"Shop.{name}" for name in KEYLESS}
    assert check.outside_selection >= 2  # Shop.mixedcase and Shop.order_items at least
    assert check.coverage == "5 captured tables"


def test_mariadb_key_check_names_hostile_tables_exactly(tmp_path: Path, mariadb_server: MariaDbServer) -> None:
    database = f"Shop-{secrets.token_hex(3)}"
    with mariadb_server.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT @@lower_case_table_names")
        (folding,) = cursor.fetchone()
        if folding:
            pytest.skip(f"this MariaDB folds table names (lower_case_table_names={folding})")
        cursor.execute(f"CREATE DATABASE `{database}`")
        for name in KEYLESS:
            cursor.execute(f"CREATE TABLE `{database}`.`{name}` (a int)")
        cursor.execute(f"CREATE TABLE `{database}`.`it's` (id int PRIMARY KEY)")
        cursor.execute(f"CREATE TABLE `{database}`.`MixedCase` (id int PRIMARY KEY)")
        cursor.execute(f"CREATE TABLE `{database}`.`order_items` (a int)")  # keyless; no rule names it
    try:
        inventory = make_inventory(
            source_engine="mariadb",
            target_engine="postgres",
            migration_type="full-load-and-cdc",
            table_mappings=_explicit_rules(database),
            identifier=TASK,
        )
        out = _render(tmp_path, inventory)
        query = _printed_query(plan(out, inventory=inventory))
        report = tmp_path / "pk.tsv"
        _mysql_report(mariadb_server, query, report)
        assert f"{TASK}\t{database}\torder_items" in report.read_text().splitlines()

        check = _check(out, inventory, report)
        assert check.status == "missing"
        assert set(check.without_key) == {f"{database}.{name}" for name in KEYLESS}
        assert check.outside_selection >= 1
    finally:
        with mariadb_server.connect() as conn, conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
