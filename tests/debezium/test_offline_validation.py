"""Every generated source config, checked by the real connector classes' own validation (no database needed)."""

from __future__ import annotations

from typing import Any

import pytest

from dms2msk.config import Settings
from dms2msk.model import Connector
from dms2msk.verify import verify_offline
from dms2msk.verify.offline import check_connector
from dms2msk.verify.report import FAILED, NOT_CHECKABLE, OK

from .estate import endpoint, include, inventory, mapped, task, transform

pytestmark = pytest.mark.real

SOURCES = {
    "mysql": dict(port=3306, database=None),
    "mariadb": dict(port=3306, database=None),
    "sqlserver": dict(port=1433, database="sales"),
    "oracle": dict(port=1521, database="ORCL"),
    "db2": dict(port=50000, database="SAMPLE"),
    "postgres": dict(port=5432, database="app"),
}


def _estate(engine: str) -> Any:
    source = endpoint(f"{engine}-src", "source", engine, **SOURCES[engine])
    target = endpoint("pg-tgt", "target", "postgres", host="tgt.internal")
    schema = "SALES" if engine in ("oracle", "db2") else "sales"
    rules = [
        include(1, schema, "%"),
        include(2, schema, "TMP%" if schema == "SALES" else "tmp%", action="exclude"),
        transform(
            3,
            "column",
            "remove-column",
            schema=schema,
            table="ORDERS" if schema == "SALES" else "orders",
            column="CARD" if schema == "SALES" else "card",
        ),
        transform(4, "table", "convert-lowercase", schema=schema, table="%"),
    ]
    return inventory([task(f"{engine}-task", source, target, rules)], [source, target])


@pytest.mark.parametrize("engine", sorted(SOURCES))
@pytest.mark.parametrize("version", ["3.6.3.Final", "2.7.3.Final"])
def test_generated_configs_pass_the_real_validation(jvm: None, engine: str, version: str) -> None:
    result = mapped(_estate(engine), Settings(debezium_version=version))
    assert len(result.pipelines) == 1, [f.message for f in result.findings if f.severity == "blocker"]
    report = verify_offline(list(result.pipelines), version)
    failed = [f"{c.connector} {c.subject}: {c.message}" for c in report.checks if c.status == FAILED]
    assert failed == []
    source_checks = [c for c in report.checks if c.connector.endswith("-source")]
    validation = next(c for c in source_checks if c.subject == "connector validation")
    # 3.6.3 configs meet the real classes; 2.7.3 ones are held to the 2.7.3 catalog (no 2.7 jars here).
    assert validation.status == (OK if version == "3.6.3.Final" else NOT_CHECKABLE)


@pytest.mark.parametrize(
    ("connector_class", "plugin", "bad_key", "bad_value"),
    [
        ("io.debezium.connector.mysql.MySqlConnector", "debezium-connector-mysql", "database.server.id", "abc"),
        (
            "io.debezium.connector.mariadb.MariaDbConnector",
            "debezium-connector-mariadb",
            "snapshot.locking.mode",
            "everything",
        ),
        (
            "io.debezium.connector.sqlserver.SqlServerConnector",
            "debezium-connector-sqlserver",
            "snapshot.mode",
            "never",
        ),
        (
            "io.debezium.connector.oracle.OracleConnector",
            "debezium-connector-oracle",
            "database.connection.adapter",
            "binary_reader",
        ),
        ("io.debezium.connector.db2.Db2Connector", "debezium-connector-db2", "db2.platform", "AS400"),
    ],
)
def test_bad_values_and_unknown_keys_fail(
    jvm: None, connector_class: str, plugin: str, bad_key: str, bad_value: str
) -> None:
    config = {
        "connector.class": connector_class,
        "topic.prefix": "t",
        "database.hostname": "h",
        "database.port": "1",
        "database.user": "${secretsmanager:s:username}",
        "database.password": "${secretsmanager:s:password}",
        "database.dbname": "d",
        "database.names": "d",
        "database.server.id": "5",
        "schema.history.internal.kafka.topic": "t.history",
        "schema.history.internal.kafka.bootstrap.servers": "${bootstrap_servers}",
        bad_key: bad_value,
        "table.include.lst": "x",
    }
    connector = Connector(name="t-source", role="source", connector_class=connector_class, plugin=plugin, config=config)
    failed = {(c.subject, c.status) for c in check_connector("t", connector, "3.6.3.Final") if c.status == FAILED}
    assert (bad_key, FAILED) in failed
    assert ("table.include.lst", FAILED) in failed


def test_smt_configuration_is_checked_for_real(jvm: None) -> None:
    config = {
        "transforms": "route,unwrap",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": "(unclosed",
        "transforms.route.replacement": "x",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "connection.url": "jdbc:postgresql://h/d",
    }
    sink = Connector(
        name="t-sink",
        role="sink",
        connector_class="io.debezium.connector.jdbc.JdbcSinkConnector",
        plugin="debezium-connector-jdbc",
        config=config,
    )
    results = {c.subject: c for c in check_connector("t", sink, "3.6.3.Final")}
    assert results["transforms.route"].status == FAILED
    assert "regex" in results["transforms.route"].message
    assert results["transforms.unwrap"].status == OK
    assert results["connector validation"].status == NOT_CHECKABLE


def _mysql_source(**overrides: str) -> Connector:
    config = {
        "connector.class": "io.debezium.connector.mysql.MySqlConnector",
        "topic.prefix": "t",
        "database.hostname": "${secretsmanager:s:host}",
        "database.port": "${secretsmanager:s:port}",
        "database.user": "${secretsmanager:s:username}",
        "database.password": "${secretsmanager:s:password}",
        "database.server.id": "5",
        "schema.history.internal.kafka.topic": "t.history",
        "schema.history.internal.kafka.bootstrap.servers": "${bootstrap_servers}",
        **overrides,
    }
    return Connector(
        name="t-source",
        role="source",
        connector_class=config["connector.class"],
        plugin="debezium-connector-mysql",
        config=config,
    )


def test_a_port_from_a_secret_passes_the_integer_check(jvm: None) -> None:
    # The worker substitutes the reference before the connector starts: only a real value is type-checked.
    checks = check_connector("t", _mysql_source(), "3.6.3.Final")
    assert [c for c in checks if c.status == FAILED] == []
    assert any(c.subject == "connector validation" and c.status == OK for c in checks)


def test_a_bad_value_is_reported_once(jvm: None) -> None:
    checks = check_connector("t", _mysql_source(**{"database.port": "not-a-port"}), "3.6.3.Final")
    failed = [c for c in checks if c.status == FAILED]
    assert [c.subject for c in failed] == ["database.port"]


@pytest.mark.parametrize("engine", ["mysql", "postgres"])
def test_a_port_read_from_the_dms_secret_passes_the_real_validation(jvm: None, engine: str) -> None:
    # A DMS endpoint with no port of its own: the connector reads it from the secret (${secretsmanager:...:port}),
    # which the worker resolves to a number; offline, the stand-in must be a number too.
    source = endpoint(f"{engine}-src", "source", engine, port=None, database=SOURCES[engine]["database"])
    target = endpoint("pg-tgt", "target", "postgres", host="tgt.internal")
    result = mapped(inventory([task(f"{engine}-task", source, target, [include(1, "sales", "%")])], [source, target]))
    (pipeline,) = result.pipelines
    assert pipeline.source.config["database.port"].startswith("${secretsmanager:")
    report = verify_offline([pipeline], "3.6.3.Final")
    failed = [f"{c.connector} {c.subject}: {c.message}" for c in report.checks if c.status == FAILED]
    assert failed == []
    source_checks = [c for c in report.checks if c.connector.endswith("-source")]
    assert next(c for c in source_checks if c.subject == "connector validation").status == OK
