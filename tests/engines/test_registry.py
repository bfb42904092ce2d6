"""Every DMS EngineName resolves to an engine class; lookups fail helpfully."""

from __future__ import annotations

import pytest

from dms2msk.engines import EngineName, TargetKind, all_engines, find_engine, get_engine
from dms2msk.errors import InputError

SOURCES = {
    "mysql": "io.debezium.connector.mysql.MySqlConnector",
    "aurora": "io.debezium.connector.mysql.MySqlConnector",
    "mariadb": "io.debezium.connector.mariadb.MariaDbConnector",
    "postgres": "io.debezium.connector.postgresql.PostgresConnector",
    "aurora-postgresql": "io.debezium.connector.postgresql.PostgresConnector",
    "sqlserver": "io.debezium.connector.sqlserver.SqlServerConnector",
    "oracle": "io.debezium.connector.oracle.OracleConnector",
    "db2": "io.debezium.connector.db2.Db2Connector",
    "db2-zos": "io.debezium.connector.db2.Db2Connector",
    "mongodb": "io.debezium.connector.mongodb.MongoDbConnector",
    "docdb": "io.debezium.connector.mongodb.MongoDbConnector",
}
JDBC_TARGETS = {"mysql", "aurora", "mariadb", "postgres", "aurora-postgresql", "sqlserver", "oracle", "db2"}


@pytest.mark.parametrize("member", list(EngineName))
def test_every_enum_member_has_an_engine(member: EngineName) -> None:
    engine = find_engine(member.value)
    assert engine is not None and engine.name == member
    assert engine.DISPLAY_NAME
    if engine.is_source_supported:
        assert engine.source_plugin and engine.source_plugin.startswith("debezium-connector-")
        assert engine.SNAPSHOT_FAMILY
    else:
        assert engine.NO_SOURCE_REASON
    if engine.TARGET_KIND is TargetKind.NONE:
        assert engine.TARGET_ALTERNATIVES
    if engine.TARGET_KIND is TargetKind.JDBC:
        assert engine.JDBC_URL_TEMPLATE and engine.sink_plugin == "debezium-connector-jdbc"


def test_registry_is_complete() -> None:
    assert set(all_engines()) == set(EngineName)


@pytest.mark.parametrize(("name", "connector_class"), sorted(SOURCES.items()))
def test_source_connector_classes(name: str, connector_class: str) -> None:
    assert connector_class == get_engine(name).SOURCE_CONNECTOR_CLASS


def test_jdbc_targets() -> None:
    jdbc = {m.value for m in EngineName if get_engine(m.value).TARGET_KIND is TargetKind.JDBC}
    assert jdbc >= JDBC_TARGETS
    assert get_engine("kafka").TARGET_KIND is TargetKind.KAFKA
    for name in ("s3", "redshift", "kinesis", "dynamodb", "opensearch", "elasticsearch", "neptune"):
        assert get_engine(name).TARGET_KIND is TargetKind.NONE


def test_relatives_subclass() -> None:
    from dms2msk.engines.mysql import Aurora, Mysql
    from dms2msk.engines.postgres import AuroraPostgres, Postgres

    assert issubclass(Aurora, Mysql) and issubclass(AuroraPostgres, Postgres)


def test_lookup_is_case_insensitive_and_unknown_names_suggest() -> None:
    assert get_engine("PostgreS").name is EngineName.POSTGRES
    assert find_engine("informix") is None and find_engine(None) is None
    with pytest.raises(InputError) as raised:
        get_engine("postgress")
    assert "postgres" in str(raised.value)
