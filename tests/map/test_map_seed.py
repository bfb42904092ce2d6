"""The seed pipeline (MySQL demosrc.products -> MySQL demosink.productinfo) mapped from examples/estate.json."""

from __future__ import annotations

import json

import pytest

from dms2msk.config import Settings
from dms2msk.estate import load_estate
from dms2msk.mapping import map_inventory
from dms2msk.model import MappingResult, Pipeline, dumps, from_jsonable
from dms2msk.sinks.jdbc import JdbcSink
from tests.support.mapping import estate_inventory

SECRET = "AmazonMSK_dev/simplydemo/demosrc"
IAM = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}


def seed(version: str) -> Pipeline:
    result = map_inventory(estate_inventory(), Settings(debezium_version=version))
    return next(p for p in result.pipelines if p.task_identifier == "simplydemo-products")


@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
def test_seed_source(version: str) -> None:
    pipeline = seed(version)
    source = pipeline.source
    assert source.name == "simplydemo-products-source" and source.role == "source"
    assert source.plugin == "debezium-connector-mysql"
    config = source.config
    expected = {
        "connector.class": "io.debezium.connector.mysql.MySqlConnector",
        "tasks.max": "1",
        "topic.prefix": "simplydemo-products",
        "database.hostname": f"${{secretsmanager:{SECRET}:host}}",
        "database.port": f"${{secretsmanager:{SECRET}:port}}",
        "database.user": f"${{secretsmanager:{SECRET}:username}}",
        "database.password": f"${{secretsmanager:{SECRET}:password}}",
        "database.include.list": "(?-i:demosrc)",
        "table.include.list": "(?-i:demosrc\\.products)",
        "column.exclude.list": "(?-i:demosrc\\.products\\.image)",
        "snapshot.mode": "initial",
        "heartbeat.interval.ms": "10000",
        "schema.history.internal.kafka.topic": "simplydemo-products-schema-history",
        "database.connectionTimeZone": "UTC",
    }
    for key, value in expected.items():
        assert config[key] == value, key
    for client in ("producer", "consumer"):
        for key, value in IAM.items():
            assert config[f"schema.history.internal.{client}.{key}"] == value
    assert int(config["database.server.id"]) > 0
    # The seed's obsolete or non-Debezium keys are not carried over.
    for stale in (
        "database.server.name",
        "auto.create",
        "auto.evolve",
        "bootstrap.servers",
        "schema.history.internal.kafka.bootstrap.servers",
    ):
        assert stale not in config
    assert source.cluster_config_keys == ("schema.history.internal.kafka.bootstrap.servers",)
    assert all(isinstance(v, str) for v in config.values())
    (secret,) = source.secrets
    assert secret.existing and secret.name == SECRET and secret.arn and secret.arn.startswith("arn:aws:secretsmanager:")
    assert set(secret.fields) == {"username", "password", "host", "port"}


@pytest.mark.parametrize(
    ("version", "format_key"), [("2.7.3.Final", "table.name.format"), ("3.6.3.Final", "collection.name.format")]
)
def test_seed_sink(version: str, format_key: str) -> None:
    pipeline = seed(version)
    sink = pipeline.sink
    assert sink is not None and sink.name == "simplydemo-products-sink" and sink.plugin == "debezium-connector-jdbc"
    config = sink.config
    assert config["connector.class"] == JdbcSink.CONNECTOR_CLASS
    assert config["topics"] == "simplydemo-products.demosrc.products"
    assert (
        config["connection.url"] == "jdbc:mysql://demosink.cluster-abc.ap-northeast-2.rds.amazonaws.com:3306/demosink"
    )
    assert config["connection.username"] == "${secretsmanager:dms2msk/simplydemo-products/sink:username}"
    assert config["connection.password"] == "${secretsmanager:dms2msk/simplydemo-products/sink:password}"
    assert (config["insert.mode"], config["delete.enabled"], config["primary.key.mode"]) == (
        "upsert",
        "true",
        "record_key",
    )
    assert config["schema.evolution"] == "basic"
    assert format_key in config
    other = {"table.name.format", "collection.name.format"} - {format_key}
    assert not other & set(config)
    assert "transforms.filterFields.blacklist" not in config  # removed in Kafka 4.0; the column is dropped at source
    # The target table is productinfo: the sink's router chain turns the topic into it.
    routers = [k for k in config if k.endswith(".replacement")]
    assert any(config[k] == "productinfo" for k in routers)
    (secret,) = sink.secrets
    assert not secret.existing and secret.name == "dms2msk/simplydemo-products/sink"
    assert secret.fields == ("username", "password")


def test_pipeline_identity_and_network() -> None:
    pipeline = seed("2.7.3.Final")
    assert pipeline.key == "simplydemo_products"
    assert pipeline.topic_prefix == "simplydemo-products"
    assert pipeline.debezium_version == "2.7.3.Final"
    assert pipeline.network.subnet_ids == ("subnet-01", "subnet-02", "subnet-03")
    assert pipeline.network.security_group_ids == ("sg-dms-replication",)
    assert pipeline.network.source == "replication instance simplydemo-ri"
    assert pipeline.source.database and pipeline.source.database.port == 3306
    assert pipeline.sink and pipeline.sink.database and pipeline.sink.database.host.startswith("demosink.")


def test_network_override() -> None:
    from dms2msk.config import NetworkSettings

    settings = Settings(network=NetworkSettings(subnet_ids=("subnet-x", "subnet-y")))
    result = map_inventory(estate_inventory(), settings)
    network = result.pipelines[0].network
    assert network.subnet_ids == ("subnet-x", "subnet-y") and network.security_group_ids == ("sg-dms-replication",)
    assert network.source.startswith("settings file")


def test_second_task_cdc_to_postgres() -> None:
    result = map_inventory(estate_inventory(), Settings(debezium_version="3.6.3.Final"))
    pipeline = next(p for p in result.pipelines if p.task_identifier == "shop-orders-to-analytics")
    assert pipeline.source.config["snapshot.mode"] == "no_data"
    assert pipeline.source.config["table.include.list"] == "(?-i:(?!(?:shop\\.tmp_.*)$)(?:shop\\..*))"
    assert pipeline.sink is not None
    assert pipeline.sink.config["connection.url"].startswith("jdbc:postgresql://analytics.")
    assert pipeline.sink.config["topics.regex"].startswith("(?i)shop\\-orders\\-to\\-analytics\\.")
    assert pipeline.sink.config["use.reduction.buffer"] == "true"  # BatchApplyEnabled
    assert pipeline.sink.config["errors.tolerance"] == "all"  # DataErrorPolicy LOG_ERROR
    assert pipeline.sink.config["errors.deadletterqueue.topic.name"] == "shop-orders-to-analytics-dlq"


def test_no_password_reaches_the_result() -> None:
    estate = load_estate()
    passwords = [e["password"] for e in estate["endpoints"] if "password" in e]
    passwords += [s["value"]["password"] for s in estate["secrets"]]
    text = dumps(map_inventory(estate_inventory(estate)))
    assert passwords and not [p for p in passwords if p in text]


def test_deterministic_and_round_trips() -> None:
    first = dumps(map_inventory(estate_inventory()))
    assert first == dumps(map_inventory(estate_inventory()))
    back = from_jsonable(MappingResult, json.loads(first))
    assert dumps(back) == first


def test_result_metadata() -> None:
    r27 = map_inventory(estate_inventory(), Settings(debezium_version="2.7.3.Final"))
    r3 = map_inventory(estate_inventory(), Settings(debezium_version="3.6.3.Final"))
    # The default is Debezium 3.6.3 on MSK Connect 3.7.x (README: "Debezium version").
    assert map_inventory(estate_inventory()).debezium_version == "3.6.3.Final"
    assert (r27.debezium_version, r27.kafkaconnect_version) == ("2.7.3.Final", "2.7.1")
    assert (r3.debezium_version, r3.kafkaconnect_version) == ("3.6.3.Final", "3.7.x")
    assert not r27.partial and [p.key for p in r27.pipelines] == sorted(p.key for p in r27.pipelines)
    assert set(r27.findings) >= {f for p in r27.pipelines for f in p.findings}
