"""Db2 LUW and Db2 for z/OS."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestDb2(EngineValidator):
    engine = "db2"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.db2.Db2Connector",
                "database.dbname": "srcdb",
                "database.port": "50000",
                "db2.platform": None,
            }
        )
        assert "endpoint.db2.capture" in self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:db2://tgt.example.internal:50000/tgtdb"})


class TestDb2Zos(EngineValidator):
    engine = "db2-zos"

    def test_platform(self) -> None:
        self.validate_source({"db2.platform": "ZOS"}, version="3.6.3.Final")
