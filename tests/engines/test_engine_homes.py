"""Knowledge moved into the engine modules is read back through the registry by the modules that used to repeat it.

Covers: LOB properties (mapper table-settings), settings objects (emulator seeding), shared connector fields
(offline validation), schema-history kinds (catalog), and the plan steps of Db2, MongoDB and DocumentDB.
"""

from __future__ import annotations

import json

import pytest

from dms2msk import catalog, estate
from dms2msk.capture import CaptureSet
from dms2msk.engines import EngineName, SourceFacts, all_engines, find_engine, find_source_engine
from dms2msk.errors import InputError
from dms2msk.legacy_manifest import legacy_capture_set
from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection
from dms2msk.mapping.transform import compile_transformations
from dms2msk.plan.migration import prerequisite_steps
from dms2msk.verify.offline import CONFIG_CLASSES, _shared_fields_note, validated_as
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task

# --------------------------------------------------------------------------- #
# Include-list names                                                          #
# --------------------------------------------------------------------------- #


def test_older_manifests_include_lists_keep_literal_entries_and_count_patterns() -> None:
    def names(include_list: str) -> CaptureSet:
        return legacy_capture_set({"table.include.list": include_list})

    capture = names(r"shop\.orders,app\..*,x[^.]y\.a.*b,(?-i:sales\.order\x2Citems)")
    assert capture.tables == (("shop", "orders"), ("sales", "order,items"))
    assert capture.whole_schemas == ("app",) and capture.patterns == 1 and capture.includes == 4
    assert names(r"shop\.orders") == names(r" shop\.orders ,")
    assert names(r"shop\.orders").named_one_by_one
    assert names("").tables == () and not names("").patterns


# --------------------------------------------------------------------------- #
# LOB properties                                                              #
# --------------------------------------------------------------------------- #


def _lob_plan(style_kind: str, mode: str, **kwargs: object) -> dict[str, str]:
    rules = [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "1",
            "object-locator": {"schema-name": "S", "table-name": "T"},
            "rule-action": "include",
        },
        {
            "rule-type": "table-settings",
            "rule-id": "2",
            "rule-name": "2",
            "object-locator": {"schema-name": "S", "table-name": "T"},
            "lob-settings": {"mode": mode},
        },
    ]
    parsed = parse_table_mappings(json.dumps({"rules": rules}), task="t1")
    style = STYLES[style_kind]
    selection = compile_selection(parsed.selections, style=style, task="t1", topic_prefix="app")
    plan = compile_transformations(
        parsed.transformations,
        selection,
        style=style,
        debezium_version="2.7.3.Final",
        task="t1",
        topic_prefix="app",
        table_settings=parsed.table_settings,
        **kwargs,  # type: ignore[arg-type]
    )
    return plan.source_properties


@pytest.mark.parametrize("kind", sorted(STYLES))
def test_lob_settings_turn_on_what_the_engine_of_the_style_lists(kind: str) -> None:
    engine = find_source_engine(style=STYLES[kind])
    assert engine is not None
    props = _lob_plan(kind, "limited")
    assert {k: props[k] for k in engine.LOB_PROPERTIES} == engine.LOB_PROPERTIES
    assert not set(engine.LOB_PROPERTIES) & set(_lob_plan(kind, "none"))


def test_the_engine_passed_decides_over_the_style() -> None:
    oracle = find_engine(EngineName.ORACLE)
    assert oracle is not None and oracle.LOB_PROPERTIES["lob.enabled"] == "true"
    assert _lob_plan("postgres", "limited", source_engine=oracle)["lob.enabled"] == "true"
    assert "lob.enabled" not in _lob_plan("postgres", "limited")


# --------------------------------------------------------------------------- #
# Settings objects, shared fields, schema history                             #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("name", [n for n, cls in all_engines().items() if cls.SETTINGS_OBJECTS])
def test_seeding_puts_the_secret_in_the_engine_s_settings_object(name: EngineName) -> None:
    assert estate.secret_settings_object(name.value) == all_engines()[name].SETTINGS_OBJECTS[0]


def test_seeding_says_when_an_engine_takes_no_settings_object() -> None:
    without = next(n for n, cls in all_engines().items() if not cls.SETTINGS_OBJECTS)
    with pytest.raises(InputError, match="no settings object"):
        estate.secret_settings_object(without.value)
    with pytest.raises(InputError, match="unknown DMS engine"):
        estate.secret_settings_object("postgress")


def test_offline_validation_goes_through_the_connector_whose_fields_an_engine_shares() -> None:
    for cls in all_engines().values():
        if not cls.SOURCE_CONNECTOR_CLASS:
            continue
        checked = validated_as(cls.SOURCE_CONNECTOR_CLASS)
        if cls.SOURCE_CONNECTOR_CLASS in CONFIG_CLASSES:
            assert checked == cls.SOURCE_CONNECTOR_CLASS
        elif cls.FIELDS_SHARED_WITH in CONFIG_CLASSES:
            assert checked == cls.FIELDS_SHARED_WITH
        else:
            assert checked not in CONFIG_CLASSES
    mariadb = find_engine(EngineName.MARIADB)
    assert mariadb is not None and mariadb.SOURCE_CONNECTOR_CLASS
    checked = validated_as(mariadb.SOURCE_CONNECTOR_CLASS)
    assert _shared_fields_note(mariadb.SOURCE_CONNECTOR_CLASS, checked) == (
        " (with the MySQL connector's fields, which MariaDB shares)"
    )
    assert validated_as("com.example.UnknownConnector") == "com.example.UnknownConnector"


def test_catalog_schema_history_kinds_are_the_registry_s() -> None:
    expected = {
        cls.SOURCE_PLUGIN_KIND for cls in all_engines().values() if cls.USES_SCHEMA_HISTORY and cls.SOURCE_PLUGIN_KIND
    }
    assert catalog.history_kinds() == expected
    assert {"mysql", "mariadb"} <= expected and "postgres" not in expected


# --------------------------------------------------------------------------- #
# Db2, MongoDB and DocumentDB plan steps                                      #
# --------------------------------------------------------------------------- #


def _steps(engine: str) -> list:
    source = endpoint("src", "source", engine)
    target = endpoint("dst", "target", "postgres", host="tgt.internal")
    rules = [include(1, "SHOP", "ORDERS"), include(2, "APP", "%")]
    return prerequisite_steps(
        pipeline_for(mapped(inventory([task("t1", source, target, rules)], [source, target])), "t1")
    )


def test_db2_steps_put_each_captured_table_into_capture_mode() -> None:
    steps = _steps("db2")
    capture, grants = steps
    assert "CALL ASNCDC.ADDTABLE('SHOP', 'ORDERS');" in capture.commands
    assert "CALL ASNCDC.ADDTABLE('APP', '<each captured table>');" in capture.commands
    assert capture.commands[0] == "VALUES ASNCDC.ASNCDCSERVICES('start','asncdc');"
    assert capture.commands[-1] == "VALUES ASNCDC.ASNCDCSERVICES('reinit','asncdc');"
    assert any("ASNCDC.IBMSNAP_REGISTER" in check for check in capture.checks)
    assert any(c.startswith('GRANT SELECT ON TABLE ASNCDC."CDC_SHOP_ORDERS" TO USER') for c in grants.commands)


def test_mongodb_steps_grant_find_and_change_stream_on_a_replica_set() -> None:
    replica_set, oplog, role = _steps("mongodb")
    assert "rs.status().ok" in replica_set.checks[0]
    assert "replSetResizeOplog" in oplog.commands[0]
    assert "'find', 'changeStream'" in role.commands[0] and "{role: 'read', db: 'SHOP'}" in role.commands[0]
    assert "secret dms/src" in role.title  # the connector user is the DMS secret's, named by its secret only


def test_documentdb_steps_enable_change_streams_per_captured_collection() -> None:
    streams, retention, grants = _steps("docdb")
    assert streams.commands == (
        "db.adminCommand({modifyChangeStreams: 1, database: 'SHOP', collection: 'ORDERS', enable: true})",
        "db.adminCommand({modifyChangeStreams: 1, database: 'APP', collection: '', enable: true})",
    )
    assert "change_stream_log_retention_duration" in retention.commands[0]
    assert "{role: 'read', db: 'APP'}" in grants.commands[0]
    facts = SourceFacts(config={"collection.include.list": r"a[bc]\.x"})
    docdb = find_engine(EngineName.DOCDB)
    assert docdb is not None
    assert "<database>" in docdb.source_prerequisites(facts)[0].commands[-1]  # a pattern gets a placeholder
