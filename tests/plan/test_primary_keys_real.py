"""The primary-key query the plan prints, run on real databases, and its output fed back to the plan.

A real PostgreSQL 15 (tests/support/postgres.py) and a real MariaDB (tests/support/mariadb.py) get
tables with a primary key, without any key, and with only a unique key, across two schemas plus one
the selection leaves out. The pipeline comes from a DMS-shaped inventory through ``map_inventory`` and
the real ``render``; the query is taken from the plan's own "primary keys" step (never retyped), run
with the real ``psql``/``mysql`` clients when they are on PATH (else psycopg/pymysql write the same
format), and its output is passed back with ``primary_key_reports`` and the CLI's
``--primary-key-report``. The blocker must then name exactly the keyless captured tables.

Not run here: the SQL Server, Oracle and Db2 queries (no such servers in this project); their text is
checked in tests/plan/test_primary_keys.py for being well-formed and labelled only.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli.plan import cli
from dms2msk.config import NetworkSettings, Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import Inventory, dumps
from dms2msk.plan import plan
from dms2msk.plan.types import MigrationPlan, Step
from dms2msk.render import render
from tests.support.mapping import make_inventory
from tests.support.mariadb import MariaDbServer
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.real

TASK = "orders-task"


def _mappings(app: str, billing: str) -> dict:
    """Everything in ``app`` but its tmp_ tables, and one table of ``billing``."""

    def rule(rule_id: str, schema: str, table: str, action: str) -> dict:
        return {
            "rule-type": "selection",
            "rule-id": rule_id,
            "rule-name": f"r{rule_id}",
            "object-locator": {"schema-name": schema, "table-name": table},
            "rule-action": action,
        }

    return {
        "rules": [
            rule("1", app, "%", "include"),
            rule("2", app, "tmp_%", "exclude"),
            rule("3", billing, "invoices", "include"),
        ]
    }


def _render(tmp_path: Path, inventory: Inventory) -> Path:
    result = map_inventory(inventory)
    assert [p.task_identifier for p in result.pipelines] == [TASK]
    out = tmp_path / "out"
    network = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))
    render(result, Settings(network=network), out)
    return out


def _key_step(result: MigrationPlan) -> Step:
    (migration,) = result.migrations
    (step,) = [s for s in migration.steps if s.phase == "primary keys"]
    return step


def _key_blockers(result: MigrationPlan) -> list[str]:
    return [b.message for b in result.blockers if b.code == "cutover.primary-key"]


def _printed_query(result: MigrationPlan) -> str:
    """The query exactly as the plan prints it, in its step and in its unverified blocker."""
    (query,) = _key_step(result).commands
    (message,) = _key_blockers(result)
    assert "(unverified)" in message and query in message and "--primary-key-report" in message
    return query


def _listed(message: str) -> set[str]:
    """The tables a missing-key blocker names: the list after 'without one: ' up to the final period."""
    listed = message.split("without one: ", 1)[1].split(". ", 1)[0].rstrip(".")
    return {name.strip() for name in listed.split(",")}


# --------------------------------------------------------------------------- #
# PostgreSQL                                                                   #
# --------------------------------------------------------------------------- #


def _pg_report(db: PostgresServer, query: str, path: Path, *, quoted: bool = False) -> None:
    """``psql -A -F, -t`` output of the query, or ``psql --csv`` when ``quoted`` (names holding commas are quoted);
    psycopg and the csv module write the same lines when psql is missing."""
    if shutil.which("psql"):
        run = subprocess.run(
            ["psql", "-X", "-h", db.host, "-p", str(db.port), "-U", db.user, "-d", db.dbname]
            + (["--csv"] if quoted else ["-A", "-F,", "-t"]),
            input=query,
            capture_output=True,
            text=True,
            env={**os.environ, "PGPASSWORD": db.password},
            check=True,
        )
        path.write_text(run.stdout, encoding="utf-8")
        return
    with db.connect() as conn:
        rows = conn.execute(query).fetchall()
    if quoted:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return
    path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")


def _pg_tables(db: PostgresServer) -> None:
    with db.connect() as conn:
        for statement in (
            "CREATE SCHEMA app",
            "CREATE SCHEMA billing",
            "CREATE SCHEMA other",
            "CREATE TABLE app.customers (id int PRIMARY KEY, name text)",
            "CREATE TABLE app.events (at timestamptz, what text)",  # no key at all
            # A unique key alone: Debezium keys by it, but PostgreSQL rejects updates once it is published.
            "CREATE TABLE app.emails (email text NOT NULL UNIQUE, owner text)",
            # A unique key that is the replica identity: keyed, and its updates and deletes replicate.
            "CREATE TABLE app.sessions (token text NOT NULL, started timestamptz)",
            "CREATE UNIQUE INDEX sessions_token ON app.sessions (token)",
            "ALTER TABLE app.sessions REPLICA IDENTITY USING INDEX sessions_token",
            "CREATE TABLE app.tmp_scratch (x int)",  # keyless, but the exclude rule leaves it out
            "CREATE TABLE billing.invoices (number int, total numeric)",  # keyless, selected by name
            "CREATE TABLE billing.payments (amount numeric)",  # keyless, not selected
            "CREATE TABLE other.audit (line text)",  # keyless, schema not selected
        ):
            conn.execute(statement)


def test_postgres_report_names_exactly_the_keyless_captured_tables(tmp_path: Path, postgres_db: PostgresServer) -> None:
    _pg_tables(postgres_db)
    inventory = make_inventory(
        source_engine="postgres",
        target_engine="postgres",
        source={"database_name": postgres_db.dbname},
        migration_type="cdc",
        table_mappings=_mappings("app", "billing"),
        identifier=TASK,
    )
    out = _render(tmp_path, inventory)
    query = _printed_query(plan(out, inventory=inventory))

    report = tmp_path / "pk.csv"
    _pg_report(postgres_db, query, report)
    rows = list(csv.reader(report.read_text().splitlines()))
    assert [TASK, "", ""] in rows  # the checked marker
    assert {(s, t) for _task, s, t in rows if s} >= {("other", "audit"), ("billing", "payments")}  # all keyless

    result = plan(out, inventory=inventory, primary_key_reports=[report])
    (message,) = _key_blockers(result)
    assert _listed(message) == {"app.emails", "app.events", "billing.invoices"}
    assert str(report) in message
    assert not result.problems

    # Fix the tables the way the options say, run the same query again: the task is confirmed.
    with postgres_db.connect() as conn:
        conn.execute("ALTER TABLE app.events ADD COLUMN id bigserial PRIMARY KEY")
        conn.execute("CREATE UNIQUE INDEX emails_email ON app.emails (email)")
        conn.execute("ALTER TABLE app.emails DROP CONSTRAINT emails_email_key")
        conn.execute("ALTER TABLE app.emails REPLICA IDENTITY USING INDEX emails_email")
        conn.execute("ALTER TABLE billing.invoices ADD PRIMARY KEY (number)")
    _pg_report(postgres_db, query, report)
    fixed = plan(out, inventory=inventory, primary_key_reports=[report])
    assert not _key_blockers(fixed)
    (note,) = _key_step(fixed).notes
    assert note.startswith(f"Checked: primary keys confirmed by {report} for every table matching the 2 include")


# --------------------------------------------------------------------------- #
# MariaDB                                                                      #
# --------------------------------------------------------------------------- #


def _mysql_report(server: MariaDbServer, query: str, path: Path) -> None:
    """``mysql -B`` output (header, tab-separated); pymysql writes the same when the client is missing."""
    client = shutil.which("mariadb") or shutil.which("mysql")
    if client:
        run = subprocess.run(
            [client, "--no-defaults", "-h", server.host, "-P", str(server.port), "-u", server.user, "-B", "-e", query],
            capture_output=True,
            text=True,
            env={**os.environ, "MYSQL_PWD": server.password},
            check=True,
        )
        path.write_text(run.stdout, encoding="utf-8")
        return
    with server.connect() as conn, conn.cursor() as cursor:
        cursor.execute(query)
        lines = ["\t".join(d[0] for d in cursor.description)]
        lines += ["\t".join(str(v) for v in row) for row in cursor.fetchall()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_mariadb_report_names_exactly_the_keyless_captured_tables(
    tmp_path: Path, mariadb_server: MariaDbServer
) -> None:
    suffix = secrets.token_hex(3)
    app, billing, other = f"app_{suffix}", f"billing_{suffix}", f"other_{suffix}"
    with mariadb_server.connect() as conn, conn.cursor() as cursor:
        for statement in (
            f"CREATE DATABASE {app}",
            f"CREATE DATABASE {billing}",
            f"CREATE DATABASE {other}",
            f"CREATE TABLE {app}.customers (id int PRIMARY KEY, name text)",
            f"CREATE TABLE {app}.events (at datetime, what text)",  # no key at all
            # UNIQUE on NOT NULL columns: the binlog connectors key by it, so it is not listed.
            f"CREATE TABLE {app}.emails (email varchar(200) NOT NULL UNIQUE, owner text)",
            # UNIQUE on a nullable column: Debezium skips it, no key.
            f"CREATE TABLE {app}.nicknames (nick varchar(50) NULL UNIQUE, owner text)",
            f"CREATE TABLE {app}.tmp_scratch (x int)",
            f"CREATE TABLE {billing}.invoices (number int, total decimal(10, 2))",
            f"CREATE TABLE {billing}.payments (amount decimal(10, 2))",
            f"CREATE TABLE {other}.audit (line text)",
        ):
            cursor.execute(statement)
    try:
        inventory = make_inventory(
            source_engine="mariadb",
            target_engine="postgres",
            migration_type="full-load-and-cdc",
            table_mappings=_mappings(app, billing),
            identifier=TASK,
        )
        out = _render(tmp_path, inventory)
        query = _printed_query(plan(out, inventory=inventory))

        report = tmp_path / "pk.tsv"
        _mysql_report(mariadb_server, query, report)
        lines = report.read_text().splitlines()
        assert lines[0].split("\t") == ["dms_task", "table_schema", "table_name"]
        assert f"{TASK}\t{other}\taudit" in lines and f"{TASK}\t\t" in lines

        # Through the CLI, as a user runs it: the JSON output carries the blocker and the step.
        inventory_file = tmp_path / "inventory.json"
        inventory_file.write_text(dumps(inventory), encoding="utf-8")
        run = CliRunner().invoke(
            cli, [str(out), "-i", str(inventory_file), "--format", "json", "--primary-key-report", str(report)]
        )
        assert run.exit_code == 4, run.output  # changes to apply, nothing partial
        data = json.loads(run.stdout)
        (message,) = [b["message"] for b in data["blockers"] if b["code"] == "cutover.primary-key"]
        assert _listed(message) == {f"{app}.events", f"{app}.nicknames", f"{billing}.invoices"}
        (step,) = [s for s in data["migrations"][0]["steps"] if s["phase"] == "primary keys"]
        assert step["commands"] == [query]
    finally:
        with mariadb_server.connect() as conn, conn.cursor() as cursor:
            for name in (app, billing, other):
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
