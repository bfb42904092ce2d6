"""Hostile table names (dashes, commas, quotes, spaces, mixed case) through every consumer of the capture set.

These consumers used to parse the connector's include lists and ``message.key.columns`` back (issue 14): the
primary-key check, the Db2 and DocumentDB prerequisite commands, the cost's topic count. Each now reads the typed
capture set mapping records; the names must come out exactly as the DMS rules spell them. The SQL of the key
check runs on real PostgreSQL and MariaDB in tests/plan/test_capture_set_names_real.py.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from dms2msk.capture import capture_set
from dms2msk.cost.estimate import _count_tables
from dms2msk.engines.include_lists import case_sensitive_key_entry
from dms2msk.mapping import map_inventory
from dms2msk.mapping.selection import fq_regex
from dms2msk.model import Pipeline, TableKey, dumps, from_jsonable
from dms2msk.plan.keys import check_primary_keys, primary_key_status
from dms2msk.plan.migration import prerequisite_steps
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task
from tests.support.corpus import corpus_files, require_corpus
from tests.support.mapping import make_inventory

HOSTILE = ("order-items", "order,items", "it's", "Order Items", "MixedCase")
"""Table names DMS selects by exact name (explicit rules) that an include regex must escape."""


def _define_pk(rule_id: int, schema: str, table: str, *columns: str) -> dict:
    return {
        "rule-type": "transformation",
        "rule-id": str(rule_id),
        "rule-name": f"pk{rule_id}",
        "rule-target": "table",
        "rule-action": "define-primary-key",
        "object-locator": {"schema-name": schema, "table-name": table},
        "primary-key-def": {"name": f"pk{rule_id}", "columns": list(columns)},
    }


def _pipeline(engine: str, rules: list[dict], target: str = "postgres") -> Pipeline:
    source = endpoint("src", "source", engine)
    sink = endpoint("dst", "target", target, host="tgt.internal")
    result = mapped(inventory([task("t1", source, sink, rules)], [source, sink]))
    return pipeline_for(result, "t1")


def _explicit(schema: str, names: tuple[str, ...] = HOSTILE, first_id: int = 1) -> list[dict]:
    return [include(first_id + i, schema, name, action="explicit") for i, name in enumerate(names)]


# --------------------------------------------------------------------------- #
# Mapping records the capture set                                              #
# --------------------------------------------------------------------------- #


def test_mapping_records_hostile_tables_and_key_columns_by_their_exact_names() -> None:
    rules = [*_explicit("Shop"), _define_pk(20, "Shop", "order-items", "id"), _define_pk(21, "Shop", "it's", "Key")]
    pipeline = _pipeline("postgres", rules)
    source = pipeline.source
    assert set(source.captured_tables) == {("Shop", name) for name in HOSTILE}
    assert source.key_columns == (TableKey("Shop", "order-items", ("id",)), TableKey("Shop", "it's", ("Key",)))
    # The typed data survives the manifest's JSON round trip that plan and cost read.
    assert from_jsonable(Pipeline, json.loads(dumps(pipeline))).source == source


def test_key_columns_with_list_separators_are_expressed_and_recorded() -> None:
    """A name holding ',', ';' or ':' is written into message.key.columns as a regex escape, and recorded as a key."""
    rules = [
        *_explicit("shop"),
        _define_pk(20, "shop", "order,items", "id"),
        _define_pk(21, "shop", "Order Items", "a"),
    ]
    pipeline = _pipeline("mysql", rules)
    assert pipeline.source.key_columns == (
        TableKey("shop", "order,items", ("id",)),
        TableKey("shop", "Order Items", ("a",)),
    )
    assert not [f for f in pipeline.findings if f.code == "transformation.primary-key" and f.severity.value != "info"]
    # The property Debezium reads names the same two tables (a test may read it; the plan no longer does).
    entries = pipeline.source.config["message.key.columns"].split(";")
    assert [e.rsplit(":", 1)[1] for e in entries] == ["id", "a"] and "order\\x2Citems" in entries[0]


# --------------------------------------------------------------------------- #
# Primary-key check                                                            #
# --------------------------------------------------------------------------- #


def test_key_rules_on_hostile_tables_confirm_them_without_a_report() -> None:
    """define-primary-key on every captured table: the check needs no query answer (message.key.columns keys them)."""
    names = ("order-items", "it's", "Order Items", "MixedCase")
    rules = [*_explicit("shop", names), *(_define_pk(20 + i, "shop", n, "id") for i, n in enumerate(names))]
    pipeline = _pipeline("mysql", rules)
    status = primary_key_status(pipeline, None)
    assert not status.unverified and set(status.with_key) == {f"shop.{n}" for n in names}
    check = check_primary_keys(pipeline, None, None)
    assert check.status == "confirmed"
    assert set(check.captured_tables or ()) == {f"shop.{n}" for n in names}


def test_unkeyed_hostile_tables_are_listed_by_their_exact_names() -> None:
    pipeline = _pipeline("postgres", _explicit("Shop"))
    check = check_primary_keys(pipeline, None, None)
    assert check.status == "unverified"
    assert set(check.unverified) == {f"Shop.{n}" for n in HOSTILE}
    assert check.coverage == "5 captured tables"


def test_selection_matches_report_rows_case_sensitively_as_dms_does() -> None:
    capture = capture_set(
        _pipeline("postgres", [*_explicit("Shop"), include(9, "app", "tmp%", action="exclude")]).source
    )
    assert all(capture.selects("Shop", name) for name in HOSTILE)
    assert not capture.selects("shop", "MixedCase") and not capture.selects("Shop", "mixedcase")
    assert not capture.selects("Shop", "order_items")  # explicit: '-' and '_' are themselves, not wildcards
    wildcard = capture_set(
        _pipeline("postgres", [include(1, "Shop", "%"), include(2, "Shop", "tmp%", action="exclude")]).source
    )
    assert wildcard.selects("Shop", "order,items") and wildcard.selects("Shop", "it's")
    assert not wildcard.selects("Shop", "tmp-x") and not wildcard.selects("shop", "orders")


# --------------------------------------------------------------------------- #
# Db2 and DocumentDB prerequisite commands                                     #
# --------------------------------------------------------------------------- #


def test_db2_adds_each_hostile_table_by_name_next_to_a_pattern_rule() -> None:
    """Beside a pattern rule, the named tables are still added by name; the pattern gets a placeholder."""
    rules = [*_explicit("SHOP"), include(9, "APP", "AUDIT%")]
    capture, _grants = prerequisite_steps(_pipeline("db2", rules))
    added = [c for c in capture.commands if c.startswith("CALL ASNCDC.ADDTABLE(")]
    assert added == [
        "CALL ASNCDC.ADDTABLE('SHOP', 'order-items');",
        "CALL ASNCDC.ADDTABLE('SHOP', 'order,items');",
        "CALL ASNCDC.ADDTABLE('SHOP', 'it''s');",
        "CALL ASNCDC.ADDTABLE('SHOP', 'Order Items');",
        "CALL ASNCDC.ADDTABLE('SHOP', 'MixedCase');",
        "CALL ASNCDC.ADDTABLE('<schema>', '<table>');",
    ]


def test_documentdb_enables_change_streams_on_each_hostile_collection_by_name() -> None:
    rules = [*_explicit("Shop-DB"), include(9, "logs", "%")]
    streams, _retention, grants = prerequisite_steps(_pipeline("docdb", rules))
    enabled = [c.split("database: ", 1)[1].split(", enable", 1)[0] for c in streams.commands]
    assert enabled == [
        "'Shop-DB', collection: 'order-items'",
        "'Shop-DB', collection: 'order,items'",
        "'Shop-DB', collection: 'it\\'s'",
        "'Shop-DB', collection: 'Order Items'",
        "'Shop-DB', collection: 'MixedCase'",
        "'logs', collection: ''",  # every collection of logs: enabled for the database
    ]
    assert "{role: 'read', db: 'Shop-DB'}" in grants.commands[0] and "{role: 'read', db: 'logs'}" in grants.commands[0]


# --------------------------------------------------------------------------- #
# Cost                                                                         #
# --------------------------------------------------------------------------- #


def test_cost_counts_one_data_topic_per_hostile_table() -> None:
    assert _count_tables(_pipeline("postgres", _explicit("Shop"))) == len(HOSTILE)
    # The same table named by two rules is one topic.
    twice = [*_explicit("shop", ("order,items", "it's")), include(8, "shop", "order,items", action="explicit")]
    assert _count_tables(_pipeline("mysql", twice)) == 2
    # A pattern rule: one topic per include rule, the estimate's assumption when the tables are not named.
    assert _count_tables(_pipeline("mysql", [*_explicit("shop", ("a-b",)), include(9, "app", "%")])) == 2


# --------------------------------------------------------------------------- #
# Manifests of older versions: the one legacy reader                           #
# --------------------------------------------------------------------------- #


def test_older_manifests_key_columns_and_tables_come_from_the_one_legacy_reader() -> None:
    pipeline = _pipeline("mysql", [*_explicit("shop"), _define_pk(20, "shop", "order-items", "id")])
    old_source = replace(pipeline.source, selection=(), captured_tables=(), key_columns=None)
    old = capture_set(old_source)
    assert old.legacy is not None  # read from the properties, as no typed field is there
    assert old.key_columns == (TableKey("shop", "order-items", ("id",)),)
    assert set(old.tables) == {("shop", name) for name in HOSTILE} and old.named_one_by_one
    assert old.selects("shop", "order,items") and not old.selects("shop", "order_items")
    # A manifest with the rules but without key_columns (None) still reads the keys from the property.
    assert capture_set(replace(pipeline.source, key_columns=None)).key_columns == old.key_columns


@pytest.mark.parametrize("path", corpus_files("mappings", "*.json"), ids=lambda p: p.name)
@pytest.mark.parametrize("engine", ["mysql", "postgres"])
def test_typed_key_columns_agree_with_message_key_columns_over_the_corpus(path: Path, engine: str) -> None:
    """What the plan reads (key_columns) and what Debezium reads (message.key.columns) say the same, rule by rule."""
    require_corpus()
    result = map_inventory(make_inventory(source_engine=engine, table_mappings=path.read_text(encoding="utf-8")))
    for pipeline in result.pipelines:
        keys = pipeline.source.key_columns or ()
        expected = ";".join(
            case_sensitive_key_entry(fq_regex((k.schema, True), (k.table, True)), list(k.columns)) for k in keys
        )
        assert pipeline.source.config.get("message.key.columns", "") == expected
