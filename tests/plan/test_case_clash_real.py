"""The plan's check for columns whose names differ only in case, run on real PostgreSQL.

Debezium 3.6.3 refuses a table with columns such as "Id" and id, which DMS replicates; the mapping warns for
sources whose column names keep their case, and the plan prints a catalog query (from the engine module) that
lists such tables. The query is taken from the plan's own step (never retyped) and run on a real server.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dms2msk.plan import plan
from tests.plan.test_primary_keys_real import TASK, _mappings, _pg_report, _render
from tests.support.mapping import make_inventory
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.real

STEP = "No captured table has columns that differ only in case"


def test_postgres_query_lists_exactly_the_tables_with_case_clashing_columns(
    tmp_path: Path, postgres_db: PostgresServer
) -> None:
    with postgres_db.connect() as conn:
        for statement in (
            "CREATE SCHEMA app",
            "CREATE SCHEMA billing",
            'CREATE TABLE app."Mixed" ("Id" int PRIMARY KEY, id int, "NAME" text, "Name" text, name text)',
            "CREATE TABLE app.plain (id int PRIMARY KEY, name text)",
            # A dropped column leaves an attisdropped entry behind: no clash.
            'CREATE TABLE app.was_mixed (id int PRIMARY KEY, "ID" int)',
            'ALTER TABLE app.was_mixed DROP COLUMN "ID"',
            'CREATE TABLE billing.invoices (number text PRIMARY KEY, "Number" text)',
        ):
            conn.execute(statement)
    inventory = make_inventory(
        source_engine="postgres",
        target_engine="postgres",
        source={"database_name": postgres_db.dbname},
        table_mappings=_mappings("app", "billing"),
        identifier=TASK,
    )
    out = _render(tmp_path, inventory)
    (migration,) = plan(out, inventory=inventory).migrations
    (step,) = [s for s in migration.steps if s.title == STEP]
    (query,) = step.commands

    report = tmp_path / "clash.csv"
    _pg_report(postgres_db, query, report)
    rows = {tuple(row) for row in csv.reader(report.read_text().splitlines())}
    assert rows == {
        (TASK, "", "", ""),
        (TASK, "app", "Mixed", "id"),
        (TASK, "app", "Mixed", "name"),
        (TASK, "billing", "invoices", "number"),
    }
