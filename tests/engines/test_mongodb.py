"""MongoDB and DocumentDB: change streams, database/collection lists."""

from __future__ import annotations

from tests.engines.validator import EngineValidator


class TestMongodb(EngineValidator):
    engine = "mongodb"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "connector.class": "io.debezium.connector.mongodb.MongoDbConnector",
                "mongodb.connection.string": "mongodb://src.example.internal:27017/?authSource=admin",
                "mongodb.user": "${secretsmanager:dms2msk/t1/source:username}",
                "database.include.list": "(?-i:sales)",
                "collection.include.list": "(?-i:sales\\.orders)",
                "schema.history.internal.kafka.topic": None,
                "database.hostname": None,
            },
            source={"settings": {"MongoDbSettings": {"AuthSource": "admin", "NestingLevel": "one"}}},
        )
        assert "endpoint.mongodb.table-mode" in self.codes(pipeline)


class TestDocdb(EngineValidator):
    engine = "docdb"

    def test_source(self) -> None:
        pipeline = self.validate_source(
            {
                "mongodb.connection.string": "mongodb://src.example.internal:27017/"
                "?replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&tls=true"
            },
            source={"ssl_mode": "verify-full"},
        )
        assert "endpoint.docdb.unconfirmed" in self.codes(pipeline)
