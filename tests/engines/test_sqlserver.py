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
                "table.include.list": "(?-i:sales\\.orders)",
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


def test_sqlserver_oracle_and_db2_select_by_table_list_only() -> None:
    """Their ConfigDefs exclude schema.include.list (checked against the jars by the catalog drift test)."""
    from dms2msk.catalog import load_catalog
    from dms2msk.config import Settings
    from dms2msk.mapping import map_inventory
    from tests.support.mapping import make_inventory

    for engine in ("sqlserver", "oracle", "db2"):
        for version in ("2.7.3.Final", "3.6.3.Final"):
            result = map_inventory(make_inventory(source_engine=engine), Settings(debezium_version=version))
            (pipeline,) = result.pipelines
            spec = load_catalog(version).connectors[pipeline.source.config["connector.class"]]
            assert "schema.include.list" not in spec.properties
            assert "schema.include.list" not in pipeline.source.config
            assert pipeline.source.config["table.include.list"] == "(?-i:sales\\.orders)", engine
            assert "catalog.unknown-property" not in {f.code for f in pipeline.findings}, engine
