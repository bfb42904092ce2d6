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

import json
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


def js_string(value: str) -> str:
    """A single-quoted JavaScript string literal for mongosh (JSON's escapes are valid JavaScript)."""
    return "'" + json.dumps(value)[1:-1].replace("'", "\\'") + "'"


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
        # From the Debezium MongoDB connector documentation ("Setting up MongoDB to work with a Debezium
        # connector"): a replica set or sharded cluster; a user that reads the oplog's database and, on a sharded
        # cluster, config, with the listDatabases action and, for change streams (the default), the cluster-wide
        # find and changeStream actions. Oplog sizing: MongoDB manual, replSetResizeOplog (admin database; size in
        # megabytes as a Double; minRetentionHours from 4.4; not available on Atlas).
        user = self.connector_user(facts)
        host = facts.host
        databases = facts.schemas or ("<database>",)
        read_roles = ", ".join(f"{{role: 'read', db: {js_string(db)}}}" for db in (*databases, "local", "config"))
        return (
            Prerequisite(
                summary=("A replica set or sharded cluster (change streams need one).",),
                title=f"Replica set on {host}",
                commands=(
                    "rs.initiate()  // only on a standalone mongod started with --replSet: makes it a one-member "
                    "replica set",
                ),
                checks=("rs.status().ok  // 1 on a replica set member", "db.hello().setName  // the replica set"),
                notes=("A replica set or sharded cluster already in use needs nothing here.",),
            ),
            Prerequisite(
                summary=("Oplog large enough to cover a connector outage.",),
                title=f"Oplog window on {host}",
                commands=(
                    "db.adminCommand({replSetResizeOplog: 1, size: Double(<megabytes>), minRetentionHours: <hours>})"
                    "  // on each member",
                ),
                checks=("rs.printReplicationInfo()  // the log length covers the longest connector outage",),
                notes=("MongoDB Atlas sets the minimum oplog window in the cluster settings instead.",),
            ),
            Prerequisite(
                summary=(
                    "Roles for the connector user: `read` on the captured databases and `read` on `local`/`config` "
                    "as the Debezium MongoDB documentation lists.",
                ),
                title=f"Role and grants for {user}",
                commands=(
                    "db.getSiblingDB('admin').createRole({role: 'debezium_capture', privileges: ["
                    "{resource: {db: '', collection: ''}, actions: ['find', 'changeStream']}, "
                    "{resource: {cluster: true}, actions: ['listDatabases']}], "
                    f"roles: [{read_roles}]}})",
                    f"db.getSiblingDB('admin').grantRolesToUser({js_string(user)}, "
                    "[{role: 'debezium_capture', db: 'admin'}])",
                ),
                checks=(
                    f"db.getSiblingDB('admin').getUser({js_string(user)}, {{showPrivileges: true}})  "
                    "// find, changeStream and listDatabases",
                ),
            ),
        )

    @staticmethod
    def connector_user(facts: SourceFacts) -> str:
        """The user the prerequisites name: the connector's ``mongodb.user`` (a secret reference names its secret)."""
        if facts.user != SourceFacts.user:
            return facts.user  # the plan names the user, or the secret and key that hold it
        reference = facts.config.get("mongodb.user", "")
        if reference.startswith("${"):
            return f"<the user in {reference}>"
        return reference or facts.user

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

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        # From the Amazon DocumentDB developer guide: "Using change streams with Amazon DocumentDB" (change streams
        # are off until modifyChangeStreams enables them per collection, per database with collection '', or for the
        # cluster; $listChangeStreams lists them; retention 3 hours by default, up to 7 days) and the cluster
        # parameters reference (change_stream_log_retention_duration: 3600-604800 seconds, dynamic). Roles: its
        # role-based access control guide (built-in read role per database).
        user = self.connector_user(facts)
        host = facts.host
        group = f"<cluster parameter group of {host}>"
        enable = [*(facts.tables or facts.named_tables), *((db, "") for db in facts.whole_schemas)]
        if facts.patterns or not enable:
            enable.append(("<database>", "<collection, or '' for all of the database>"))
        databases = facts.schemas or ("<database>",)
        return (
            Prerequisite(
                summary=(
                    "Change streams enabled on the captured collections: DocumentDB turns them on per collection or "
                    "database with `db.adminCommand({modifyChangeStreams: 1, ...})`.",
                ),
                title=f"Change streams on {host}",
                commands=tuple(
                    f"db.adminCommand({{modifyChangeStreams: 1, database: {js_string(db)}, "
                    f"collection: {js_string(collection)}, enable: true}})"
                    for db, collection in enable
                ),
                checks=(
                    "db.getSiblingDB('admin').runCommand({aggregate: 1, pipeline: [{$listChangeStreams: 1}], "
                    "cursor: {}})  // lists each captured collection or its database",
                ),
                notes=("Debezium does not document DocumentDB: rehearse with dms2msk verify before the cut-over.",),
            ),
            Prerequisite(
                summary=(
                    "Change stream retention (`change_stream_log_retention_duration`, 3 hours by default, at most 7 "
                    "days) longer than a connector outage.",
                ),
                title=f"Change stream retention on {host}",
                commands=(
                    f"aws docdb modify-db-cluster-parameter-group --db-cluster-parameter-group-name {group} "
                    f"--region {facts.region} --parameters "
                    '"ParameterName=change_stream_log_retention_duration,ParameterValue=<seconds>,ApplyMethod=immediate"',
                ),
                checks=(
                    f"aws docdb describe-db-cluster-parameters --db-cluster-parameter-group-name {group} "
                    f"--region {facts.region} --query "
                    "\"Parameters[?ParameterName=='change_stream_log_retention_duration'].ParameterValue\"",
                ),
            ),
            Prerequisite(
                summary=("Roles for the connector user: `read` on the captured databases.",),
                title=f"Grants for {user}",
                commands=(
                    f"db.getSiblingDB('admin').grantRolesToUser({js_string(user)}, ["
                    + ", ".join(f"{{role: 'read', db: {js_string(db)}}}" for db in databases)
                    + "])",
                ),
                checks=(f"db.getSiblingDB('admin').getUser({js_string(user)})  // read on each captured database",),
            ),
        )

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
