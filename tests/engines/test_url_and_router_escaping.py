"""ServerName, database names and Kafka topics reach JDBC URLs and RegexRouter replacements escaped (#12.10).

The real classes decide: Kafka Connect's RegexRouter and the JDBC drivers' own URL parsers, from the
Debezium 3.6.3 jars on the JVM (tests/support/jvm.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import MappingResult, Severity
from tests.support.mapping import make_inventory

HOSTILE_TOPIC = "orders$1\\"
SMUGGLING_DATABASE = "app?sslfactory=org.x.Evil&socketFactory=y"


def _map(**kw: Any) -> MappingResult:
    return map_inventory(make_inventory(**kw), Settings(debezium_version="3.6.3.Final"))


def _blockers(result: MappingResult) -> set[str]:
    return {f.code for f in result.findings if f.severity is Severity.BLOCKER} | {
        f.code for p in result.pipelines for f in p.findings if f.severity is Severity.BLOCKER
    }


def _kafka_route() -> tuple[MappingResult, dict[str, str]]:
    result = _map(target_engine="kafka", target={"settings": {"KafkaSettings": {"Topic": HOSTILE_TOPIC}}})
    pipelines = result.pipelines
    config = pipelines[0].source.config if pipelines else {}
    return result, config


def test_a_kafka_topic_kafka_would_refuse_is_a_blocker() -> None:
    result, _config = _kafka_route()
    assert "target.kafka.topic.invalid" in _blockers(result)


@pytest.mark.real
def test_the_real_regex_router_routes_to_exactly_the_dms_topic(jvm: None) -> None:
    from dms2msk.jvm import jclass

    _result, config = _kafka_route()
    regex = config["transforms.dmsTopic.regex"]
    replacement = config["transforms.dmsTopic.replacement"]
    router = jclass("org.apache.kafka.connect.transforms.RegexRouter")()
    settings = jclass("java.util.HashMap")()
    settings.put("regex", regex)
    settings.put("replacement", replacement)
    router.configure(settings)
    record = jclass("org.apache.kafka.connect.source.SourceRecord")(None, None, "t1.shop.orders", None, None, None)

    assert str(router.apply(record).topic()) == HOSTILE_TOPIC


def _sink_url(engine: str, database: str, server: str = "db.example.com") -> tuple[MappingResult, str]:
    result = _map(target_engine=engine, target={"database_name": database, "server_name": server, "port": 1433})
    sink = result.pipelines[0].sink if result.pipelines else None
    return result, sink.config["connection.url"] if sink else ""


@pytest.mark.real
def test_pgjdbc_reads_the_percent_encoded_database_back_exactly(jvm: None) -> None:
    from dms2msk.jvm import jclass

    result, url = _sink_url("postgres", SMUGGLING_DATABASE)
    parsed = jclass("org.postgresql.Driver").parseURL(url, jclass("java.util.Properties")())

    assert str(parsed.getProperty("PGDBNAME")) == SMUGGLING_DATABASE
    assert parsed.getProperty("sslfactory") is None and parsed.getProperty("socketFactory") is None
    assert "endpoint.database-name.unsafe" not in _blockers(result)


@pytest.mark.real
def test_mssql_jdbc_reads_the_braced_database_back_exactly(jvm: None) -> None:
    from dms2msk.jvm import jclass

    database = "sales;integratedSecurity=true}x"
    _result, url = _sink_url("sqlserver", database)
    info = jclass("com.microsoft.sqlserver.jdbc.SQLServerDriver")().getPropertyInfo(
        url, jclass("java.util.Properties")()
    )
    values = {str(i.name): (str(i.value) if i.value is not None else None) for i in info}

    assert values["databaseName"] == database
    assert values["integratedSecurity"] in (None, "false")


def test_a_database_name_a_driver_cannot_take_escaped_is_refused() -> None:
    result, url = _sink_url("mysql", SMUGGLING_DATABASE)
    assert "endpoint.database-name.unsafe" in _blockers(result)
    assert "sslfactory" not in url and url.endswith("/invalid-database-name")


def test_a_server_name_that_is_no_host_is_refused_in_every_connector() -> None:
    from dms2msk.engines.engine import INVALID_HOST

    hostile = "db.example.com/app?socketFactory=x#"
    result = _map(source={"server_name": hostile}, target={"server_name": hostile})
    assert "endpoint.server-name.invalid" in _blockers(result)
    (pipeline,) = result.pipelines
    assert pipeline.source.config["database.hostname"] == INVALID_HOST
    assert pipeline.sink is not None and INVALID_HOST in pipeline.sink.config["connection.url"]
    assert all("socketFactory" not in v for c in pipeline.connectors for v in c.config.values())


def test_plain_names_are_written_as_they_are() -> None:
    result, url = _sink_url("mysql", "shop_db-2")
    assert url == "jdbc:mysql://db.example.com:1433/shop_db-2"
    assert not _blockers(result)


def test_a_source_database_name_debezium_would_put_raw_into_its_url_is_refused() -> None:
    result = _map(source_engine="postgres", source={"database_name": SMUGGLING_DATABASE})
    assert "endpoint.database-name.unsafe" in _blockers(result)
    assert all("sslfactory" not in v for p in result.pipelines for v in p.source.config.values())
