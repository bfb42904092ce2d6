"""The SQL the plan prints for the user to run, run as printed on real PostgreSQL and MariaDB (issue #12.9).

Table, schema and user names carry quotes, spaces, commas, dashes, mixed case and semicolons (one
table is literally named ``x; DROP TABLE public.users; --``). Each printed statement runs with
PostgreSQL's extended protocol (``prepare=True``), which refuses a text holding more than one
statement, and pymysql without multi-statement support; the databases must then hold exactly what
the statement says: the publication lists exactly the captured tables, the grants name exactly
the hostile user, and every decoy table is still there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dms2msk.config import NetworkSettings, Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import Inventory
from dms2msk.plan import plan
from dms2msk.plan.types import Step
from dms2msk.render import render
from tests.support.mapping import make_inventory
from tests.support.mariadb import MariaDbServer
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.real

SCHEMA = "Sales Dept"
HOSTILE_TABLES = ("Order Details", 'x"y', "a,b", "MixedCase", "dash-name", "x; DROP TABLE public.users; --", "it's")
HOSTILE_USER = "dbz \"user'; --"


def _mappings(schema: str, tables: tuple[str, ...]) -> dict:
    return {
        "rules": [
            {
                "rule-type": "selection",
                "rule-id": str(index),
                "rule-name": f"r{index}",
                "object-locator": {"schema-name": schema, "table-name": table},
                "rule-action": "include",
            }
            for index, table in enumerate(tables, start=1)
        ]
    }


def _steps(tmp_path: Path, inventory: Inventory) -> list[Step]:
    result = map_inventory(inventory)
    out = tmp_path / "out"
    network = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))
    render(result, Settings(network=network), out)
    (migration,) = plan(out, inventory=inventory).migrations
    return list(migration.steps)


def _command(steps: list[Step], start: str) -> str:
    (command,) = [c for s in steps for c in (*s.commands, *s.checks) if c.startswith(start)]
    return command


def test_postgres_publication_and_grants_name_exactly_the_hostile_tables(
    tmp_path: Path, postgres_db: PostgresServer
) -> None:
    with postgres_db.connect() as conn:
        conn.execute("CREATE TABLE public.users (id int PRIMARY KEY)")
        conn.execute("CREATE TABLE public.x (id int PRIMARY KEY)")
        conn.execute(f'CREATE SCHEMA "{SCHEMA}"')
        for table in (*HOSTILE_TABLES, "not selected"):
            quoted = table.replace('"', '""')
            conn.execute(f'CREATE TABLE "{SCHEMA}"."{quoted}" (id int PRIMARY KEY)')
        conn.execute(f'CREATE ROLE "{HOSTILE_USER.replace(chr(34), chr(34) * 2)}" LOGIN')
    inventory = make_inventory(
        source_engine="postgres",
        target_engine="postgres",
        source={"database_name": postgres_db.dbname, "username": HOSTILE_USER},
        migration_type="cdc",
        table_mappings=_mappings(SCHEMA, HOSTILE_TABLES),
        identifier="orders-task",
    )
    steps = _steps(tmp_path, inventory)
    publication = _command(steps, "CREATE PUBLICATION")
    slot = _command(steps, "SELECT pg_create_logical_replication_slot(")
    check = _command(steps, "SELECT * FROM pg_publication_tables")
    # The user is the endpoint's, which the task's new secret is to hold: the line names it, quoted.
    role = '"' + HOSTILE_USER.replace('"', '""') + '"'
    grants = _command(steps, "GRANT USAGE ON SCHEMA")
    assert f"TO {role};" in grants

    with postgres_db.connect() as conn:
        for single in (publication, slot):
            conn.execute(single.encode(), prepare=True)  # one statement, or PostgreSQL refuses it
        # The grants line is two statements by design: split where the tool joined them.
        for statement in grants.split("; GRANT "):
            text = statement if statement.startswith("GRANT ") else "GRANT " + statement
            conn.execute(text.rstrip(";").encode(), prepare=True)
        published = conn.execute(check.split("  --")[0].encode(), prepare=True).fetchall()
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        readable = {
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s "
                "AND has_table_privilege(%s, quote_ident(schemaname) || '.' || quote_ident(tablename), 'SELECT')",
                (SCHEMA, HOSTILE_USER),
            )
        }
        for (name,) in conn.execute("SELECT slot_name FROM pg_replication_slots").fetchall():
            conn.execute("SELECT pg_drop_replication_slot(%s)", (name,))

    assert {(row[1], row[2]) for row in published} == {(SCHEMA, t) for t in HOSTILE_TABLES}
    assert {"users", "x"} <= tables  # nothing was dropped
    assert readable == {*HOSTILE_TABLES, "not selected"}  # SELECT on the whole schema, for that user only


def test_mariadb_grant_and_key_query_keep_quotes_and_backslashes_inside_their_literals(
    tmp_path: Path, mariadb_server: MariaDbServer
) -> None:
    # The endpoint's user, which the grant names: a quote and a backslash. (A DMS task identifier holds only
    # letters, digits and hyphens, so the key query's label cannot carry them.)
    label = "it's\\-user"
    task_id = "hostile-task"
    with mariadb_server.connect() as conn, conn.cursor() as cursor:
        cursor.execute("CREATE DATABASE IF NOT EXISTS hostile_names")
        cursor.execute("CREATE TABLE IF NOT EXISTS hostile_names.users (id int PRIMARY KEY)")
    inventory = make_inventory(
        source_engine="mariadb",
        target_engine="postgres",
        source={"database_name": "hostile_names", "username": label},
        migration_type="cdc",
        table_mappings=_mappings("hostile_names", ("users",)),
        identifier=task_id,
    )
    steps = _steps(tmp_path, inventory)
    grant = _command(steps, "GRANT ")
    show = _command(steps, "SHOW GRANTS FOR")
    (key_query,) = next(s for s in steps if s.phase == "primary keys").commands
    account = label
    assert grant.endswith(" TO 'it''s\\\\-user'@'%';")  # MariaDB's literal: quote and backslash doubled

    try:
        with mariadb_server.connect() as conn, conn.cursor() as cursor:
            cursor.execute("CREATE USER %s@'%%'", (account,))  # the account the grant names, bound by the driver
            cursor.execute(grant)  # pymysql sends one statement; a second one would be a syntax error
            cursor.execute(show)
            shown = [row[0] for row in cursor.fetchall()]
            cursor.execute(key_query)
            labels = {row[0] for row in cursor.fetchall()}
            cursor.execute("SHOW TABLES FROM hostile_names")
            remaining = {row[0] for row in cursor.fetchall()}
    finally:
        with mariadb_server.connect() as conn, conn.cursor() as cursor:
            cursor.execute("DROP USER IF EXISTS %s@'%%'", (account,))
            cursor.execute("DROP DATABASE IF EXISTS hostile_names")

    assert any("REPLICATION SLAVE" in line for line in shown), shown
    assert labels == {task_id}
    assert remaining == {"users"}
