"""MongoDB and Amazon DocumentDB.

Source: ``io.debezium.connector.mongodb.MongoDbConnector`` reading change
streams. A DMS ``schema-name`` is a MongoDB database and ``table-name`` a
collection, so selections become ``database.include.list`` and
``collection.include.list``; removed columns become ``field.exclude.list``.
DMS table mode (``NestingLevel=one``) flattens documents; Debezium emits
whole documents, which a JDBC sink needs flattened by
``ExtractNewDocumentState`` (shipped in the MongoDB plugin, not the JDBC one).
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlencode

from .engine import (
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
)


class Mongodb(Engine):
    name = EngineName.MONGODB
    DISPLAY_NAME = "MongoDB"

    SOURCE_CONNECTOR_CLASS = "io.debezium.connector.mongodb.MongoDbConnector"
    SOURCE_PLUGIN_KIND = "mongodb"
    SNAPSHOT_FAMILY = "mongodb"
    USES_SCHEMA_HISTORY = False
    SETTINGS_OBJECTS = ("MongoDbSettings",)
    DEFAULT_PORT = 27017

    IDENTIFIER_STYLE = IdentifierStyle(
        "mongodb",
        schema_list_key="database.include.list",
        table_list_key="collection.include.list",
        column_include_key=None,
        column_exclude_key="field.exclude.list",
        column_lists_literal=True,
        source_schema_field="db",
    )
    """MongoDB has no field include list; DMS include-column becomes a finding."""

    REHEARSAL_SERVICE = RehearsalService(
        image="mongo:7",
        port=27017,
        environment={},
        command=("--replSet", "rs0", "--bind_ip_all"),
        user="",
        note="initiate the replica set once: docker compose exec source-db mongosh --eval 'rs.initiate()'",
        client="mongosh",
    )

    CONNECTION_OPTIONS: ClassVar[dict[str, str]] = {}
    """Query options of ``mongodb.connection.string`` this engine always needs."""

    TARGET_KIND = TargetKind.NONE
    TARGET_ALTERNATIVES = (
        "DMS writes MongoDB targets as documents; the Debezium MongoDB sink connector "
        "(io.debezium.connector.mongodb.sink.MongoDbSinkConnector) or the MongoDB Kafka sink can consume the topics"
    )

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        # No title: the README lists these, and the plan step points at the Debezium MongoDB documentation.
        return (
            Prerequisite(
                summary=(
                    "A replica set or sharded cluster (change streams need one).",
                    "Oplog large enough to cover a connector outage.",
                    "Roles for the connector user: `read` on the captured databases and `read` on `local`/`config` "
                    "as the Debezium MongoDB documentation lists.",
                )
            ),
        )

    def connection_properties(self, ctx: EngineContext) -> dict[str, str]:
        creds = ctx.credentials
        settings = self.engine_settings(ctx.endpoint)
        options = dict(self.CONNECTION_OPTIONS)
        auth_source = settings.get("AuthSource")
        if auth_source:
            options["authSource"] = str(auth_source)
        if (ctx.endpoint.ssl_mode or "none").lower() != "none":
            options["tls"] = "true"
        query = f"/?{urlencode(options, safe='')}" if options else "/"
        host = creds.host or ""
        port = creds.port or str(self.DEFAULT_PORT)
        config = {
            "mongodb.connection.string": f"mongodb://{host}:{port}{query}",
            "mongodb.user": creds.username,
            "mongodb.password": creds.password,
        }
        if str(settings.get("AuthType", "password")).lower() == "no":
            del config["mongodb.user"], config["mongodb.password"]
        return config

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} {self.SETTINGS_OBJECTS[0]}"
        nesting = str(settings.get("NestingLevel", "none")).lower()
        if nesting == "one":
            ctx.notes.warning(
                "endpoint.mongodb.table-mode",
                "NestingLevel one (DMS table mode) flattens documents into columns; Debezium emits whole documents",
                hint="on the sink side add io.debezium.connector.mongodb.transforms.ExtractNewDocumentState "
                "(bundle the MongoDB connector jar into the sink plugin)",
                where=f"{where}.NestingLevel",
            )
        if settings.get("ExtractDocId"):
            ctx.notes.info(
                "endpoint.mongodb.doc-id",
                "ExtractDocId: Debezium always keys events by _id",
                became="record key id",
                where=f"{where}.ExtractDocId",
            )
        if settings.get("ReplicateShardCollections"):
            ctx.notes.info(
                "endpoint.mongodb.sharded",
                "ReplicateShardCollections: point mongodb.connection.string at the mongos router",
                where=f"{where}.ReplicateShardCollections",
            )
        return {}

    def ssl_properties(self, ctx: EngineContext) -> dict[str, str]:
        # TLS is carried in the connection string options (see connection_properties).
        return {}


class Docdb(Mongodb):
    """Amazon DocumentDB: MongoDB-compatible change streams; Debezium does not document DocumentDB support."""

    name = EngineName.DOCDB
    DISPLAY_NAME = "Amazon DocumentDB"
    SETTINGS_OBJECTS = ("DocDbSettings",)
    CONNECTION_OPTIONS: ClassVar[dict[str, str]] = {
        "replicaSet": "rs0",
        "readPreference": "secondaryPreferred",
        "retryWrites": "false",
    }
    """DocumentDB clusters are one replica set named rs0 and do not support retryable writes."""

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        ctx.notes.warning(
            "endpoint.docdb.unconfirmed",
            "Debezium's MongoDB connector is not documented for DocumentDB; change streams must be enabled per "
            "collection",
            hint="db.adminCommand({modifyChangeStreams: 1, database: '<db>', collections: [''], enable: true}); "
            "test with dms2msk verify before cut-over",
            where=ctx.where,
        )
        return super().settings_properties(ctx)
