"""MariaDB: its own connector since 2.7, MariaDB driver SSL names."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestMariadb(EngineValidator):
    engine = "mariadb"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
                "database.include.list": "sales",
                "schema.history.internal.kafka.topic": "t1-schema-history",
            },
            source={"ssl_mode": "verify-full"},
        )
        assert pipeline.source.plugin == "debezium-connector-mariadb"
        assert "database.server.id" in pipeline.source.config

    def test_ssl_mode_uses_mariadb_names_or_is_reported(self) -> None:
        from dms2msk.engines.mariadb import Mariadb

        assert Mariadb.SSL_MODES["verify-full"] == "verify-full"
        pipeline = self.pipeline(source={"ssl_mode": "verify-full"})
        # The version catalog has the last word: a value it rejects is left out with a finding, never emitted.
        if "database.ssl.mode" in pipeline.source.config:
            assert pipeline.source.config["database.ssl.mode"] == "verify-full"
        else:
            assert any(f.code == "catalog.bad-value" and "database.ssl.mode" in f.message for f in pipeline.findings)

    def test_server_timezone_is_a_finding(self) -> None:
        pipeline = self.validate_source(
            {"database.connectionTimeZone": None}, source={"settings": {"MySQLSettings": {"ServerTimezone": "UTC"}}}
        )
        assert "endpoint.mysql.server-timezone.unmapped" in self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:mariadb://tgt.example.internal:3306/tgtdb"})
