"""SQL Server: CDC tables, database.names, topics with the database name."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestSqlServer(EngineValidator):
    engine = "sqlserver"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.sqlserver.SqlServerConnector",
                "database.names": "srcdb",
                "database.port": "1433",
                "table.include.list": "sales\\.orders",
                "driver.encrypt": "true",
                "driver.trustServerCertificate": "true",
            },
            source={
                "ssl_mode": "require",
                "settings": {"MicrosoftSQLServerSettings": {"SafeguardPolicy": "rely-on-sql-server-replication-agent"}},
            },
        )
        finding = next(f for f in pipeline.findings if f.code == "endpoint.sqlserver.cdc")
        assert "SafeguardPolicy" in finding.message and finding.severity.value == "warning"
        assert pipeline.sink is not None and pipeline.sink.config["topics"] == "t1.srcdb.sales.orders"

    def test_sink(self) -> None:
        self.validate_sink(
            {
                "connection.url": "jdbc:sqlserver://tgt.example.internal:1433;databaseName=tgtdb;encrypt=true;"
                "trustServerCertificate=true"
            }
        )


class TestAzureSql(EngineValidator):
    engine = "azuredb"

    def test_unconfirmed_support_is_a_warning(self) -> None:
        pipeline = self.pipeline()
        assert pipeline.source.connector_class == "io.debezium.connector.sqlserver.SqlServerConnector"
        assert "endpoint.azure-sql.unconfirmed" in self.codes(pipeline)
