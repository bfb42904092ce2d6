"""Catalog extraction and verify read the source connector lists from the engine registry (no copied lists)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dms2msk import engines
from dms2msk.catalog import DATA_DIR, extract
from dms2msk.engines.engine import Engine, EngineName
from dms2msk.verify import engine as verify_engine
from dms2msk.verify import offline


class _NewSource(Engine):
    """An engine as a future engine module would add it: a new connector class with a schema history."""

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.example.ExampleConnector"
    SOURCE_PLUGIN_KIND = "example"
    USES_SCHEMA_HISTORY = True


@pytest.fixture
def registry_with_a_new_source(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    known = engines.all_engines()
    monkeypatch.setattr(engines, "all_engines", lambda: {**known, EngineName.SYBASE: _NewSource})
    verify_engine.history_connectors.cache_clear()
    yield
    verify_engine.history_connectors.cache_clear()


@pytest.mark.usefixtures("registry_with_a_new_source")
def test_a_new_engine_module_is_extracted_and_verified_without_other_edits() -> None:
    assert ("example", _NewSource.SOURCE_CONNECTOR_CLASS, _NewSource.SOURCE_CONNECTOR_CLASS + "Config") in (
        extract.source_connectors()
    )
    assert _NewSource.SOURCE_CONNECTOR_CLASS in verify_engine.history_connectors()
    props = verify_engine.embedded_properties({"connector.class": _NewSource.SOURCE_CONNECTOR_CLASS}, credentials={})
    assert props["schema.history.internal"] == "io.debezium.relational.history.MemorySchemaHistory"


def test_the_registry_lists_are_the_ones_the_checked_in_catalog_was_extracted_with() -> None:
    catalog = json.loads((DATA_DIR / "debezium-3.6.3.Final.json").read_text(encoding="utf-8"))
    extracted = {cls: spec["kind"] for cls, spec in catalog["connectors"].items()}
    assert {cls: kind for kind, cls, _config in extract.source_connectors()} == extracted
    assert set(offline.CONFIG_CLASSES) == set(extracted)
    assert offline.CONFIG_CLASSES["io.debezium.connector.mysql.MySqlConnector"] == (
        "io.debezium.connector.mysql.MySqlConnectorConfig"
    )
    # MariaDB shares MySQL's fields and has no jar here; it keeps a schema history like MySQL.
    assert "io.debezium.connector.mariadb.MariaDbConnector" not in offline.CONFIG_CLASSES
    assert verify_engine.history_connectors() == {
        "io.debezium.connector.mysql.MySqlConnector",
        "io.debezium.connector.mariadb.MariaDbConnector",
        "io.debezium.connector.sqlserver.SqlServerConnector",
        "io.debezium.connector.oracle.OracleConnector",
        "io.debezium.connector.db2.Db2Connector",
    }
