"""Source-side divergences between DMS and the generated pipeline, on the real engine and a real PostgreSQL.

Each test maps a DMS task with ``dms2msk.mapping.map_inventory`` (Debezium 3.6.3),
runs the generated source connector on the embedded engine against a fresh
database, makes the change the DMS User Guide describes, and compares what the
connector emits with what DMS writes for the same change. The expectations come
from the DMS User Guide (cited per test), never from the generator.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest

from dms2msk.model import Pipeline
from dms2msk.verify.engine import EmbeddedRun

from .estate import endpoint, include, inventory, mapped, pipeline_for, task, transform
from .test_semantics_postgres import _by_source, _by_target, _run

pytestmark = pytest.mark.real


def _pg_endpoints() -> tuple[Any, Any]:
    return endpoint("pg-src", "source", "postgres"), endpoint("pg-tgt", "target", "postgres", host="tgt.internal")


def _after_streaming_starts(db: Any, pipeline: Pipeline, sql: str) -> Callable[[EmbeddedRun], None]:
    """Run ``sql`` on ``db`` once the connector's slot is active (the change is streamed, not snapshotted)."""
    slot = pipeline.source.config["slot.name"]

    def change(run: EmbeddedRun) -> None:
        with db.connect() as conn:

            def slot_active() -> bool:
                row = conn.execute("select active from pg_replication_slots where slot_name = %s", (slot,)).fetchone()
                return bool(row and row[0])

            assert run.wait_until(lambda _r: slot_active(), 60), "the connector never started streaming"
            conn.execute(sql)

    return change


def test_update_that_leaves_a_toasted_column_alone_keeps_its_value(postgres_db: Any) -> None:
    """DMS writes the row's real value for an unchanged large column; the sink must never see a placeholder.

    DMS (PostgreSQL source, full LOB or limited LOB mode) reads the LOB value for the changed row; the
    table has the default replica identity, so pgoutput sends no value for the unchanged TOASTed column.
    """
    payload = secrets.token_hex(4096)  # 8 kB of random hex: incompressible past 2 kB, so it is TOASTed
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema docs; create table docs.page (id int primary key, title text, body text);"
            "alter table docs.page alter column body set storage external"
        )
        conn.execute("insert into docs.page values (1, 'first', %s)", (payload,))
        stored = conn.execute(
            "select pg_column_size(body) < octet_length(body) or octet_length(body) > 2000 from docs.page"
        ).fetchone()
        assert stored and stored[0]
    source, target = _pg_endpoints()
    pipeline = pipeline_for(
        mapped(inventory([task("toast", source, target, [include(1, "docs", "page")])], [source, target])), "toast"
    )
    records, _ = _run(
        pipeline,
        postgres_db,
        until=lambda rs: any(r.op == "u" for r in rs),
        during=_after_streaming_starts(postgres_db, pipeline, "update docs.page set title = 'second' where id = 1"),
    )
    updates = [r for r in _by_source(records, pipeline.source.config["topic.prefix"])["docs.page"] if r.op == "u"]
    assert len(updates) == 1
    # DMS: the target row holds title 'second' and the unchanged body.
    assert updates[0].row == {"id": 1, "title": "second", "body": payload}


def test_truncate_on_a_postgresql_source_is_not_applied(postgres_db: Any) -> None:
    """DMS User Guide, PostgreSQL source limitations: DMS does not process TRUNCATE during CDC.

    HandleSourceTableTruncated (default true) therefore changes nothing for a PostgreSQL source: the target
    keeps its rows, so the pipeline must not emit a truncate event for the sink to apply.
    """
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema logs; create table logs.entry (id int primary key, msg text);"
            "insert into logs.entry values (1, 'kept'), (2, 'kept too')"
        )
    source, target = _pg_endpoints()
    settings = json.dumps({"ChangeProcessingDdlHandlingPolicy": {"HandleSourceTableTruncated": True}})
    dms_task = task("trunc", source, target, [include(1, "logs", "entry")])
    dms_task = dataclasses.replace(dms_task, task_settings=settings)
    pipeline = pipeline_for(mapped(inventory([dms_task], [source, target])), "trunc")
    assert pipeline.sink is not None
    # Two statements: the TRUNCATE, then an insert whose event shows that streaming got past the TRUNCATE.
    change = "truncate logs.entry; insert into logs.entry values (3, 'after the truncate')"
    records, _ = _run(
        pipeline,
        postgres_db,
        until=lambda rs: any(r.op == "c" for r in rs),
        during=_after_streaming_starts(postgres_db, pipeline, change),
    )
    ops = [r.op for r in records if r.source_topic.startswith(pipeline.source.config["topic.prefix"] + ".")]
    assert "c" in ops
    assert "t" not in ops
    assert pipeline.sink.config.get("truncate.enabled", "false") == "false"


def test_selection_is_case_sensitive_as_in_dms(postgres_db: Any) -> None:
    """DMS User Guide, "Wildcards in table mapping" / selection rules: names are matched case-sensitively.

    A rule naming table ``Audit`` does not select its neighbour ``audit``; Debezium compiles include lists
    case-insensitively, so the generated lists must turn that off.
    """
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema cs; create table cs."Audit" (id int primary key); insert into cs."Audit" values (1);'
            "create table cs.audit (id int primary key); insert into cs.audit values (2);"
            'create schema "CS"; create table "CS"."Audit" (id int primary key); insert into "CS"."Audit" values (3);'
        )
    source, target = _pg_endpoints()
    rules = [include(1, "cs", "Audit")]
    pipeline = pipeline_for(mapped(inventory([task("case", source, target, rules)], [source, target])), "case")
    records, _ = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    assert sorted(captured) == ["cs.Audit"]
    assert [r.row for r in captured["cs.Audit"]] == [{"id": 1}]


def test_an_exclude_of_views_leaves_tables_of_that_name_selected(postgres_db: Any) -> None:
    """DMS User Guide, selection rules: ``table-type`` ``view`` makes a rule apply to views only.

    An exclude written for views (``v%``, table-type view) does not drop the table ``vendors``; Debezium
    never captures views, so the exclude has nothing to drop.
    """
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema tt; create table tt.vendors (id int primary key); insert into tt.vendors values (1);"
            "create table tt.orders (id int primary key); insert into tt.orders values (2);"
            "create view tt.v_orders as select * from tt.orders;"
        )
    source, target = _pg_endpoints()
    views_only = include(2, "tt", "v%", action="exclude")
    views_only["object-locator"]["table-type"] = "view"
    rules = [include(1, "tt", "%"), views_only]
    pipeline = pipeline_for(mapped(inventory([task("views", source, target, rules)], [source, target])), "views")
    records, _ = _run(pipeline, postgres_db)
    assert sorted(_by_source(records, pipeline.source.config["topic.prefix"])) == ["tt.orders", "tt.vendors"]


def test_change_data_type_to_integer_truncates_as_the_finding_states(postgres_db: Any) -> None:
    """DMS User Guide, transformation rules: change-data-type changes a column's type (here numeric to int4).

    DMS does not document how it rounds; the pipeline's Cast drops the fraction toward zero, and the
    finding must say exactly that. Run end to end: the real connector, then the sink's real SMT chain.
    """
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema cdt; create table cdt.price (id int primary key, amount numeric(10,2));"
            "insert into cdt.price values (1, 2.70), (2, -2.70), (3, 5.00)"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "cdt", "price"),
        transform(2, "column", "change-data-type", schema="cdt", table="price", column="amount"),
    ]
    rules[1]["data-type"] = {"type": "int4"}
    result = mapped(inventory([task("cdt", source, target, rules)], [source, target]))
    (finding,) = [f for f in result.findings if f.code == "transformation.change-data-type"]
    assert "drops the fraction toward zero (2.7 -> 2, -2.7 -> -2)" in finding.message
    pipeline = pipeline_for(result, "cdt")
    records, _ = _run(pipeline, postgres_db)
    rows = [row for rows in _by_target(pipeline, records).values() for row in rows]
    assert rows == [{"id": 1, "amount": 2}, {"id": 2, "amount": -2}, {"id": 3, "amount": 5}]


def test_date_and_timestamp_source_filters_select_what_dms_selects_in_the_snapshot(postgres_db: Any) -> None:
    """DMS User Guide, "Using source filters": a filter compares the column's values (dates as dates)."""
    with postgres_db.connect() as conn:
        conn.execute(
            "create schema flt; create table flt.orders (id int primary key, placed date, paid timestamp);"
            "insert into flt.orders values (1, '2023-12-31', '2023-12-31 23:59:59'),"
            " (2, '2024-01-01', '2024-01-01 00:00:00'), (3, '2024-03-05', '2024-03-05 10:30:00')"
        )
    source, target = _pg_endpoints()
    conditions = [
        {"filter-type": "source", "column-name": "placed", "filter-conditions": [
            {"filter-operator": "gte", "value": "2024-01-01"}]},
        {"filter-type": "source", "column-name": "paid", "filter-conditions": [
            {"filter-operator": "between", "start-value": "2024-01-01", "end-value": "2024-03-05 10:30:00"}]},
    ]  # fmt: skip
    rules = [include(1, "flt", "orders", filters=conditions)]
    dms_task = task("dates", source, target, rules, migration_type="full-load")
    pipeline = pipeline_for(mapped(inventory([dms_task], [source, target])), "dates")
    records, _ = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    assert sorted(r.row["id"] for r in captured["flt.orders"]) == [2, 3]


def test_remove_column_wildcard_is_case_sensitive_as_in_dms(postgres_db: Any) -> None:
    """DMS names are case-sensitive in transformation rules too: removing columns ``C%`` keeps ``city``."""
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema cc; create table cc.pay (id int primary key, "Code" text, city text);'
            "insert into cc.pay values (1, 'X1', 'Seoul')"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "cc", "pay"),
        transform(2, "column", "remove-column", schema="cc", table="pay", column="C%"),
    ]
    pipeline = pipeline_for(mapped(inventory([task("colcase", source, target, rules)], [source, target])), "colcase")
    records, _ = _run(pipeline, postgres_db)
    (record,) = _by_source(records, pipeline.source.config["topic.prefix"])["cc.pay"]
    assert record.row == {"id": 1, "city": "Seoul"}


def test_masking_wildcard_is_case_sensitive_as_in_dms(postgres_db: Any) -> None:
    """DMS masks the columns its rule names, with their letter case: masking ``C%`` leaves ``city`` readable."""
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema cm; create table cm.pay (id int primary key, "Code" text, city text);'
            "insert into cm.pay values (1, 'X1', 'Seoul')"
        )
    source, target = _pg_endpoints()
    rules = [
        include(1, "cm", "pay"),
        transform(2, "column", "data-masking-hash-mask", schema="cm", table="pay", column="C%"),
    ]
    pipeline = pipeline_for(mapped(inventory([task("maskcase", source, target, rules)], [source, target])), "maskcase")
    records, _ = _run(pipeline, postgres_db)
    (record,) = _by_source(records, pipeline.source.config["topic.prefix"])["cm.pay"]
    assert record.row is not None
    assert record.row["city"] == "Seoul"
    assert record.row["Code"] != "X1"


def test_define_primary_key_keys_only_the_table_it_names_with_its_case(postgres_db: Any) -> None:
    """DMS User Guide, define-primary-key: the rule's object-locator names one table, case-sensitively.

    Debezium matches ``message.key.columns`` case-insensitively (Key.CustomKeyMapper via Predicates.includes), so
    a key defined for ``Orders`` would also re-key its neighbour ``orders``; the entry's ``(?-i)`` turns that off.
    """
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema ks; create table ks."Orders" (id int primary key, tenant int);'
            'insert into ks."Orders" values (1, 10);'
            "create table ks.orders (id int primary key, tenant int); insert into ks.orders values (2, 20);"
        )
    source, target = _pg_endpoints()
    key_rule = transform(2, "table", "define-primary-key", schema="ks", table="Orders")
    key_rule["primary-key-def"] = {"name": "pk_tenant", "columns": ["tenant"]}
    rules = [include(1, "ks", "%"), key_rule]
    pipeline = pipeline_for(mapped(inventory([task("keys", source, target, rules)], [source, target])), "keys")
    records, _ = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    assert [r.key_fields for r in captured["ks.Orders"]] == [("tenant",)]
    assert [r.key_fields for r in captured["ks.orders"]] == [("id",)]


def test_define_primary_key_columns_with_regex_characters_key_exactly_those_columns(postgres_db: Any) -> None:
    """DMS User Guide, define-primary-key: the key is the columns named. Debezium reads each name in
    ``message.key.columns`` as a regex, so "amt$" must not be an anchor and "a.b" must not also key "aXb"."""
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema kr; create table kr.t (id int primary key, "amt$" int, "a.b" int, "aXb" int);'
            "insert into kr.t values (1, 2, 3, 4);"
        )
    source, target = _pg_endpoints()
    key_rule = transform(2, "table", "define-primary-key", schema="kr", table="t")
    key_rule["primary-key-def"] = {"name": "pk_odd", "columns": ["amt$", "a.b"]}
    rules = [include(1, "kr", "t", action="explicit"), key_rule]
    pipeline = pipeline_for(mapped(inventory([task("rxkeys", source, target, rules)], [source, target])), "rxkeys")
    records, _ = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    assert [r.key_fields for r in captured["kr.t"]] == [("amt$", "a.b")]


def test_define_primary_key_names_with_whitespace_and_list_separators_key_exactly_those_columns(
    postgres_db: Any,
) -> None:
    """DMS keys by the exact names; Debezium splits message.key.columns on ';', ':' and ',' and trims its parts,
    so the entry must still name "k w"."o:d;" and the columns "tenant id", "tid " and "a,b" and nothing else."""
    with postgres_db.connect() as conn:
        conn.execute(
            'create schema "k w"; create table "k w"."o:d;" (id int primary key, "tenant id" int, tenant_id int,'
            ' "tid " int, tid int, "a,b" int, a int, b int); insert into "k w"."o:d;" values (1, 2, 3, 4, 5, 6, 7, 8);'
        )
    source, target = _pg_endpoints()
    key_rule = transform(2, "table", "define-primary-key", schema="k w", table="o:d;")
    key_rule["primary-key-def"] = {"name": "pk_odd", "columns": ["tenant id", "tid ", "a,b"]}
    rules = [include(1, "k w", "o:d;", action="explicit"), key_rule]
    pipeline = pipeline_for(mapped(inventory([task("wskeys", source, target, rules)], [source, target])), "wskeys")
    assert not [f for f in pipeline.findings if f.code == "transformation.primary-key" and f.severity.value != "info"]
    records, _ = _run(pipeline, postgres_db)
    captured = _by_source(records, pipeline.source.config["topic.prefix"])
    # "k_w.o_d_": the topic form of "k w"."o:d;"
    assert [r.key_fields for r in captured["k_w.o_d_"]] == [("tenant id", "tid ", "a,b")]


def test_columns_that_differ_only_in_case_stop_debezium_and_are_reported(postgres_db: Any) -> None:
    """DMS replicates a table with columns "Id" and id; Debezium 3.6.3 refuses it outright. The mapping warns, and
    the engine's catalog query (the one the plan prints) lists exactly that table."""
    from dms2msk.engines import find_engine
    from dms2msk.verify.engine import embedded_properties

    with postgres_db.connect() as conn:
        conn.execute(
            'create schema cl; create table cl.t ("Id" int primary key, id int); insert into cl.t values (1, 2);'
            "create table cl.fine (id int primary key); insert into cl.fine values (3);"
        )
    source, target = _pg_endpoints()
    estate = inventory([task("clash", source, target, [include(1, "cl", "%")])], [source, target])
    pipeline = pipeline_for(mapped(estate), "clash")
    assert any(f.code == "source.case-clash-columns" and f.severity.value == "warning" for f in pipeline.findings)
    engine = find_engine("postgres")
    assert engine is not None
    query = engine.case_clash_columns_query("clash")
    assert query is not None
    with postgres_db.connect() as conn:
        assert {tuple(r) for r in conn.execute(query).fetchall()} == {("clash", "", "", ""), ("clash", "cl", "t", "id")}

    properties = embedded_properties(
        pipeline.source.config,
        credentials={"username": postgres_db.user, "password": postgres_db.password},
        overrides={
            "database.hostname": postgres_db.host,
            "database.port": str(postgres_db.port),
            "database.dbname": postgres_db.dbname,
        },
        drop_keys=pipeline.source.cluster_config_keys,
    )
    assert pipeline.sink is not None
    with EmbeddedRun(properties, pipeline.sink.config) as run:
        run.wait_until(lambda _r: run.outcome.error is not None, 60)
    assert "differ only by case" in str(run.outcome.error)
