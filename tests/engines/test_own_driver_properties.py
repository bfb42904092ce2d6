"""Driver pass-through keys an engine writes itself are not reported as possible misspellings."""

from __future__ import annotations

from dms2msk.catalog import check_properties
from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from tests.support.mapping import make_inventory

MYSQL = "io.debezium.connector.mysql.MySqlConnector"


def test_mysql_server_timezone_maps_without_a_typo_finding() -> None:
    inventory = make_inventory(source={"settings": {"MySQLSettings": {"ServerTimezone": "Asia/Seoul"}}})
    (pipeline,) = map_inventory(inventory, Settings()).pipelines
    assert pipeline.source.config["database.connectionTimeZone"] == "Asia/Seoul"
    assert not [f for f in pipeline.findings if f.code.startswith("catalog.") and "connectionTimeZone" in f.message]


def test_a_real_misspelling_next_to_it_is_still_reported() -> None:
    config = {"connector.class": MYSQL, "database.connectionTimeZone": "UTC", "database.connectionTimeZon": "UTC"}
    flagged = {p.key for p in check_properties(MYSQL, config, "3.6.3.Final")}
    assert "database.connectionTimeZon" in flagged
    assert "database.connectionTimeZone" not in flagged
