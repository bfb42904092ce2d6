"""MariaDB: its own connector since 2.7, MariaDB driver SSL names."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestMariadb(EngineValidator):
    engine = "mariadb"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
                "database.include.list": "(?-i:sales)",
                "schema.history.internal.kafka.topic": "t1-schema-history",
            },
            source={"ssl_mode": "verify-full"},
        )
        assert pipeline.source.plugin == "debezium-connector-mariadb"
        assert "database.server.id" in pipeline.source.config

    def test_ssl_modes_use_the_mariadb_connectors_own_names(self) -> None:
        # MariaDbConnectorConfig.MariaDbSecureConnectionMode: disable, trust, verify-ca, verify-full.
        for dms_mode, expected in (("none", "disable"), ("require", "trust"), ("verify-full", "verify-full")):
            for version in ("2.7.3.Final", "3.6.3.Final"):
                result = self.map(source={"ssl_mode": dms_mode}, version=version)
                (pipeline,) = result.pipelines
                assert pipeline.source.config.get("database.ssl.mode") == expected, (dms_mode, version)
                assert "catalog.bad-value" not in self.codes(pipeline), [f.message for f in pipeline.findings]

    def test_the_catalog_rejects_mysql_ssl_names_for_mariadb(self) -> None:
        from dms2msk.catalog import load_catalog

        catalog = load_catalog("3.6.3.Final")
        spec = catalog.connectors["io.debezium.connector.mariadb.MariaDbConnector"].properties["database.ssl.mode"]
        assert spec.allowed == ("disable", "trust", "verify-ca", "verify-full")
        mysql = catalog.connectors["io.debezium.connector.mysql.MySqlConnector"].properties["database.ssl.mode"]
        assert "verify_identity" in mysql.allowed and "verify_identity" not in spec.allowed

    def test_server_timezone_is_a_finding(self) -> None:
        pipeline = self.validate_source(
            {"database.connectionTimeZone": None}, source={"settings": {"MySQLSettings": {"ServerTimezone": "UTC"}}}
        )
        assert "endpoint.mysql.server-timezone.unmapped" in self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:mariadb://tgt.example.internal:3306/tgtdb"})
