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

    def test_lobs_reselect_placeholders_and_report_dms_logminer_lob_updates(self) -> None:
        """Debezium's Oracle docs: with lob.enabled an UPDATE that leaves a LOB alone carries the unavailable
        value placeholder; the reselect post processor (documented for Oracle LOB columns) reads it back. The DMS
        guide: with LogMiner, DMS does not replicate UPDATEs of LOB and XMLTYPE columns - a reported difference."""
        for version in ("2.7.3.Final", "3.6.3.Final"):
            pipeline = self.validate_source(
                {
                    "lob.enabled": "true",
                    "post.processors": "reselector",
                    "reselector.type": "io.debezium.processors.reselect.ReselectColumnsPostProcessor",
                    "reselector.reselect.unavailable.values": "true",
                    "reselector.reselect.null.values": "false",
                },
                version=version,
            )
            warning = next(f for f in pipeline.findings if f.code == "task-settings.lob.updates")
            assert warning.severity.value == "warning" and "UPDATEs of LOB and XMLTYPE" in warning.message
            assert not any(f.code.startswith("catalog.") for f in pipeline.findings)
        # A full load captures no changes: nothing differs there.
        full_load = self.pipeline(migration_type="full-load")
        assert "task-settings.lob.updates" not in self.codes(full_load)

    def test_binary_reader_and_no_lobs(self) -> None:
        pipeline = self.validate_source(
            {
                "database.connection.adapter": "logminer",
                "lob.enabled": None,
                "post.processors": None,
                "log.mining.archive.log.only.mode": "true",
            },
            source={
                "settings": {"OracleSettings": {"UseBFile": True, "UseLogminerReader": False, "ArchivedLogsOnly": True}}
            },
            task_settings={"TargetMetadata": {"SupportLobs": False}},
        )
        assert {"endpoint.oracle.binary-reader", "task-settings.lob.not-supported"} <= self.codes(pipeline)
        assert "task-settings.lob.updates" not in self.codes(pipeline)

    def test_sink(self) -> None:
        self.validate_sink({"connection.url": "jdbc:oracle:thin:@//tgt.example.internal:1521/tgtdb"})


class TestOracleToPostgresCase(EngineValidator):
    engine = "oracle"
    partner = "postgres"

    def test_names_keep_their_case_as_with_dms(self) -> None:
        pipeline = self.validate_source({})
        assert pipeline.sink is not None and pipeline.sink.config["quote.identifiers"] == "true"
        assert "target.quote-identifiers" in self.codes(pipeline)

    @staticmethod
    def _lowercase(*targets: str) -> dict[str, object]:
        rules: list[dict[str, object]] = [
            {
                "rule-type": "selection",
                "rule-id": "1",
                "rule-name": "s",
                "object-locator": {"schema-name": "SALES", "table-name": "ORDERS"},
                "rule-action": "include",
            }
        ]
        for n, target in enumerate(targets, start=2):
            locator = {"schema-name": "%", "table-name": "%", "column-name": "%"}
            keep = ("schema-name", "table-name", "column-name")[: ("schema", "table", "column").index(target) + 1]
            rules.append(
                {
                    "rule-type": "transformation",
                    "rule-id": str(n),
                    "rule-name": f"lower-{target}",
                    "rule-target": target,
                    "object-locator": {k: v for k, v in locator.items() if k in keep},
                    "rule-action": "convert-lowercase",
                }
            )
        return {"rules": rules}

    def test_a_table_case_rule_keeps_schema_and_column_case(self) -> None:
        """DMS: a table rule changes only table names; "SALES" and the columns keep their case (quoted)."""
        pipeline = self.pipeline(table_mappings=self._lowercase("table"))
        assert pipeline.sink is not None and pipeline.sink.config.get("quote.identifiers") == "true"

    def test_case_rules_on_every_level_let_the_target_fold(self) -> None:
        pipeline = self.pipeline(table_mappings=self._lowercase("schema", "table", "column"))
        assert pipeline.sink is not None and "quote.identifiers" not in pipeline.sink.config

    def test_mysql_to_postgres_quotes_too(self) -> None:
        """DMS keeps a MySQL table `Orders` as "Orders" on PostgreSQL; only quoting keeps that case."""
        pipeline = self.pipeline(source_engine="mysql")
        assert pipeline.sink is not None and pipeline.sink.config.get("quote.identifiers") == "true"
