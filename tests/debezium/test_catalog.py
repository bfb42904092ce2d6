"""Unit tests of the version catalog (no JVM): unknown keys, enum values, SMT chains, versions."""

from __future__ import annotations

import pytest

from dms2msk.catalog import (
    UnsupportedVersionError,
    check_properties,
    errors_only,
    is_supported,
    load_catalog,
    normalize_version,
    supported_versions,
)

PG = "io.debezium.connector.postgresql.PostgresConnector"
MYSQL = "io.debezium.connector.mysql.MySqlConnector"
MARIADB = "io.debezium.connector.mariadb.MariaDbConnector"
JDBC = "io.debezium.connector.jdbc.JdbcSinkConnector"


def _pg_config(**extra: str) -> dict[str, str]:
    base = {
        "connector.class": PG,
        "tasks.max": "1",
        "topic.prefix": "orders",
        "database.hostname": "db.example.internal",
        "database.port": "5432",
        "database.user": "${secretsmanager:dms/src:username}",
        "database.password": "${secretsmanager:dms/src:password}",
        "database.dbname": "app",
        "plugin.name": "pgoutput",
        "slot.name": "dms2msk_orders",
        "publication.autocreate.mode": "filtered",
        "table.include.list": r"public\.orders",
        "snapshot.mode": "initial",
        "column.mask.with.12.chars": r"public\.orders\.card",
        "snapshot.select.statement.overrides": "public.orders",
        "snapshot.select.statement.overrides.public.orders": "SELECT * FROM public.orders WHERE id > 10",
        "producer.override.sasl.mechanism": "AWS_MSK_IAM",
    }
    return base | extra


@pytest.mark.parametrize("version", supported_versions())
def test_a_typical_postgres_source_config_has_no_problems(version: str) -> None:
    assert check_properties(PG, _pg_config(), version) == []


def test_unknown_key_is_reported_with_its_name() -> None:
    problems = check_properties(PG, _pg_config(**{"databse.user": "x"}), "3.6.3.Final")
    assert [(p.key, p.code) for p in problems] == [("databse.user", "unknown-property")]


def test_snapshot_mode_never_is_valid_for_27_but_removed_in_36() -> None:
    assert check_properties(PG, _pg_config(**{"snapshot.mode": "never"}), "2.7.3.Final") == []
    problems = check_properties(PG, _pg_config(**{"snapshot.mode": "never"}), "3.6.3.Final")
    assert [(p.key, p.code) for p in problems] == [("snapshot.mode", "bad-value")]
    assert "no_data" in problems[0].message


def test_schema_only_is_a_27_mysql_mode_only() -> None:
    config = {"connector.class": MYSQL, "snapshot.mode": "schema_only", "database.server.id": "5"}
    assert check_properties(MYSQL, config, "2.7.3.Final") == []
    assert [p.code for p in check_properties(MYSQL, config, "3.6.3.Final")] == ["bad-value"]


def test_schema_history_client_prefixes_only_for_history_connectors() -> None:
    key = "schema.history.internal.producer.security.protocol"
    assert check_properties(MYSQL, {key: "SASL_SSL"}, "3.6.3.Final") == []
    assert check_properties(MARIADB, {key: "SASL_SSL"}, "3.6.3.Final") == []
    assert [p.code for p in check_properties(PG, {key: "SASL_SSL"}, "3.6.3.Final")] == ["unknown-property"]


def test_jdbc_sink_collection_name_format_renamed_between_versions() -> None:
    assert check_properties(JDBC, {"collection.name.format": "x_${topic}"}, "3.6.3.Final") == []
    assert [p.code for p in check_properties(JDBC, {"collection.name.format": "x"}, "2.7.3.Final")] == [
        "unknown-property"
    ]
    assert check_properties(JDBC, {"table.name.format": "x"}, "2.7.3.Final") == []
    deprecated = check_properties(JDBC, {"table.name.format": "x"}, "3.6.3.Final")
    assert [(p.code, p.severity) for p in deprecated] == [("deprecated", "warning")]
    assert errors_only(deprecated) == []


def test_replace_field_blacklist_removed_with_kafka_4() -> None:
    config = {
        "transforms": "drop",
        "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
        "transforms.drop.blacklist": "secret",
    }
    assert check_properties(JDBC, config, "2.7.3.Final") == []
    problems = check_properties(JDBC, config, "3.6.3.Final")
    assert [(p.key, p.code) for p in problems] == [("transforms.drop.blacklist", "unknown-property")]
    assert "exclude" in (problems[0].hint or "")


def test_smt_chain_problems() -> None:
    config = {
        "transforms": "unwrap,ghost",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.unwrap.delete.tombstone.handling.mode": "explode",
        "transforms.ghost.type": "com.example.NoSuchTransform",
        "transforms.orphan.regex": "x",
        "transforms.unwrap.predicate": "missing",
    }
    codes = sorted((p.key, p.code) for p in check_properties(PG, config, "3.6.3.Final"))
    assert codes == [
        ("transforms.ghost.type", "unknown-transform"),
        ("transforms.orphan.regex", "unlisted-alias"),
        ("transforms.unwrap.delete.tombstone.handling.mode", "bad-value"),
        ("transforms.unwrap.predicate", "unknown-predicate"),
    ]


def test_predicates_are_checked() -> None:
    config = {
        "transforms": "route",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": "a",
        "transforms.route.replacement": "b",
        "transforms.route.predicate": "isOrders",
        "predicates": "isOrders",
        "predicates.isOrders.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.isOrders.pattern": "orders.*",
    }
    assert check_properties(JDBC, config, "3.6.3.Final") == []
    config["predicates.isOrders.regex"] = "x"
    assert [p.key for p in check_properties(JDBC, config, "3.6.3.Final")] == ["predicates.isOrders.regex"]


def test_config_provider_references_are_not_value_checked() -> None:
    assert check_properties(PG, _pg_config(**{"snapshot.mode": "${file:/x:mode}"}), "3.6.3.Final") == []


def test_database_pass_through_is_a_warning() -> None:
    problems = check_properties(PG, _pg_config(**{"database.loginTimeout": "10"}), "3.6.3.Final")
    assert [(p.code, p.severity) for p in problems] == [("pass-through", "warning")]


def test_unknown_class_and_version() -> None:
    assert [p.code for p in check_properties("com.example.Nope", {}, "3.6.3.Final")] == ["unknown-connector-class"]
    with pytest.raises(UnsupportedVersionError) as raised:
        check_properties(PG, {}, "3.2.1.Final")
    assert "2.7.3.Final" in str(raised.value) and "3.6.3.Final" in str(raised.value)


def test_version_names() -> None:
    assert is_supported("3.6.3") and is_supported("2.7.3.Final")
    assert not is_supported("3.5.0.Final")
    assert normalize_version("3.6.3") == "3.6.3.Final"


@pytest.mark.parametrize("version", supported_versions())
def test_every_connector_kind_has_a_catalog(version: str) -> None:
    catalog = load_catalog(version)
    kinds = {spec.kind for spec in catalog.connectors.values()}
    assert kinds == {"mysql", "mariadb", "postgres", "sqlserver", "oracle", "db2", "mongodb", "jdbc"}
    assert all(spec.provenance for spec in catalog.connectors.values())
