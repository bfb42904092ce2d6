"""Oracle: LogMiner adapter, Binary Reader finding, LOBs."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestOracle(EngineValidator):
    engine = "oracle"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.oracle.OracleConnector",
                "database.dbname": "srcdb",
                "database.port": "1521",
                "database.connection.adapter": "logminer",
                "lob.enabled": "true",
                "schema.history.internal.kafka.topic": "t1-schema-history",
            },
            task_settings={"TargetMetadata": {"SupportLobs": True}},
        )
        assert pipeline.source.plugin == "debezium-connector-oracle"

    def test_binary_reader_and_no_lobs(self) -> None:
        pipeline = self.validate_source(
            {
                "database.connection.adapter": "logminer",
                "lob.enabled": None,
                "log.mining.archive.log.only.mode": "true",
            },
            source={
                "settings": {"OracleSettings": {"UseBFile": True, "UseLogminerReader": False, "ArchivedLogsOnly": True}}
            },
            task_settings={"TargetMetadata": {"SupportLobs": False}},
        )
        assert {"endpoint.oracle.binary-reader", "task-settings.lob.not-supported"} <= self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:oracle:thin:@//tgt.example.internal:1521/tgtdb"})
