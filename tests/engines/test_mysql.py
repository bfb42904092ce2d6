"""MySQL and Aurora MySQL as source and target."""

from __future__ import annotations

import pytest

from dms2msk.sinks.jdbc import JdbcSink
from tests.engines.validator import EngineValidator


class TestMysql(EngineValidator):
    engine = "mysql"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.mysql.MySqlConnector",
                "tasks.max": "1",
                "topic.prefix": "t1",
                "database.hostname": "src.example.internal",
                "database.port": "3306",
                "database.user": "${secretsmanager:dms2msk/t1/source:username}",
                "database.password": "${secretsmanager:dms2msk/t1/source:password}",
                "database.include.list": "(?-i:sales)",
                "table.include.list": "(?-i:sales\\.orders)",
                "schema.history.internal.kafka.topic": "t1-schema-history",
                "schema.history.internal.producer.sasl.mechanism": "AWS_MSK_IAM",
                "schema.history.internal.consumer.security.protocol": "SASL_SSL",
                "snapshot.mode": "initial",
                "database.ssl.mode": None,
            }
        )
        assert pipeline.source.plugin == "debezium-connector-mysql"
        assert pipeline.source.cluster_config_keys == ("schema.history.internal.kafka.bootstrap.servers",)
        server_id = int(pipeline.source.config["database.server.id"])
        assert 100_000 <= server_id < 2**32
        assert server_id == int(self.pipeline().source.config["database.server.id"])  # stable

    @pytest.mark.parametrize(
        ("dms", "debezium"),
        [("none", "disabled"), ("require", "required"), ("verify-ca", "verify_ca"), ("verify-full", "verify_identity")],
    )
    def test_ssl_modes(self, dms: str, debezium: str) -> None:
        self.validate_source({"database.ssl.mode": debezium}, source={"ssl_mode": dms})

    def test_server_timezone(self) -> None:
        self.validate_source(
            {"database.connectionTimeZone": "Asia/Seoul"},
            source={"settings": {"MySQLSettings": {"ServerTimezone": "Asia/Seoul"}}},
        )
        pipeline = self.validate_source(
            {"database.connectionTimeZone": None},
            source={"settings": {"MySQLSettings": {"ServerTimezone": "Mars/Olympus"}}},
        )
        assert "endpoint.mysql.server-timezone.unmapped" in self.codes(pipeline)

    def test_after_connect_script_and_iam(self) -> None:
        pipeline = self.validate_source(
            {"database.initial.statements": "SET SESSION wait_timeout=600"},
            source={
                "settings": {
                    "MySQLSettings": {
                        "AfterConnectScript": "SET SESSION wait_timeout=600",
                        "AuthenticationMethod": "iam",
                    }
                }
            },
        )
        assert "endpoint.mysql.iam-auth" in self.codes(pipeline)

    def test_sink(self) -> None:
        pipeline = self.validate_sink(
            {
                "connector.class": JdbcSink.CONNECTOR_CLASS,
                "connection.url": "jdbc:mysql://tgt.example.internal:3306/tgtdb",
                "connection.username": "${secretsmanager:dms2msk/t1/sink:username}",
                "insert.mode": "upsert",
                "delete.enabled": "true",
                "primary.key.mode": "record_key",
                "topics": "t1.sales.orders",
            }
        )
        assert pipeline.sink is not None and pipeline.sink.plugin == "debezium-connector-jdbc"

    def test_multiple_databases_target(self) -> None:
        # Every selected table goes to database "sales" (its source schema), so the URL names it.
        self.validate_sink(
            {"connection.url": "jdbc:mysql://tgt.example.internal:3306/sales"},
            target={"database_name": None, "settings": {"MySQLSettings": {"TargetDbType": "multiple-databases"}}},
        )


class TestAurora(TestMysql):
    engine = "aurora"
