"""PostgreSQL and Aurora PostgreSQL: pgoutput, a new slot, a filtered publication."""

from __future__ import annotations

from tests.engines.validator import EngineValidator

PG_MAPPINGS = {
    "rules": [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "all",
            "object-locator": {"schema-name": "public", "table-name": "%"},
            "rule-action": "include",
        }
    ]
}


class TestPostgres(EngineValidator):
    engine = "postgres"
    partner = "mysql"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                "database.dbname": "srcdb",
                "database.port": "5432",
                "plugin.name": "pgoutput",
                "slot.name": "dbz_t1",
                "publication.name": "dbz_t1",
                "publication.autocreate.mode": "filtered",
                "schema.include.list": "(?-i:public)",
                "schema.history.internal.kafka.topic": None,
                "database.sslmode": "require",
            },
            source={"ssl_mode": "require"},
            table_mappings=PG_MAPPINGS,
        )
        assert pipeline.source.cluster_config_keys == ()
        assert pipeline.source.plugin == "debezium-connector-postgres"

    def test_dms_slot_is_not_reused(self) -> None:
        pipeline = self.validate_source(
            {"slot.name": "dbz_t1"},
            source={
                "settings": {
                    "PostgreSQLSettings": {"SlotName": "dms_slot", "PluginName": "pglogical", "HeartbeatEnable": True}
                }
            },
        )
        finding = next(f for f in pipeline.findings if f.code == "endpoint.postgres.slot")
        assert finding.severity.value == "warning" and "dms_slot" in (finding.hint or "")
        assert {"endpoint.postgres.plugin", "endpoint.postgres.heartbeat"} <= self.codes(pipeline)

    def test_missing_database_name_is_a_blocker(self) -> None:
        pipeline = self.pipeline(source={"database_name": None})
        assert "endpoint.postgres.database-name.missing" in self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:postgresql://tgt.example.internal:5432/tgtdb"})


class TestAuroraPostgres(TestPostgres):
    engine = "aurora-postgresql"
