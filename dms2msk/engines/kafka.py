"""Kafka as a DMS target: the topics are the target, so a pipeline has no sink connector.

DMS writes every table to one topic (``KafkaSettings.Topic``, default
``kafka-default-topic``) as ``{"data", "metadata"}`` JSON; Debezium writes one
topic per table with its own envelope. Where the DMS endpoint names a topic,
a ``RegexRouter`` on the source sends all tables there as DMS did.
"""

from __future__ import annotations

import re

from .engine import Engine, EngineContext, EngineName, TargetKind

DMS_DEFAULT_TOPIC = "kafka-default-topic"


LEGAL_TOPIC = re.compile(r"[A-Za-z0-9._-]{1,249}")
"""Kafka's rule for topic names (``org.apache.kafka.common.internals.Topic.validate``)."""


class Kafka(Engine):
    name = EngineName.KAFKA
    DISPLAY_NAME = "Apache Kafka / Amazon MSK"
    NO_SOURCE_REASON = "DMS cannot read from Kafka, and a Kafka topic needs no CDC connector"
    TARGET_KIND = TargetKind.KAFKA
    SETTINGS_OBJECTS = ("KafkaSettings",)

    def routing_target(self, ctx: EngineContext) -> tuple[str, str]:
        """``(regex, topic)`` for a source ``RegexRouter`` that sends every data topic to the DMS endpoint's topic."""
        settings = self.engine_settings(ctx.endpoint)
        where = f"{ctx.where} KafkaSettings"
        topic = str(settings.get("Topic") or DMS_DEFAULT_TOPIC)
        message_format = str(settings.get("MessageFormat") or "json")
        ctx.notes.warning(
            "target.kafka.format",
            f"the topic gets Debezium change events (before/after/source/op), not the {{data, metadata}} JSON DMS "
            f"wrote (MessageFormat {message_format})",
            hint="update the consumers, or add io.debezium.transforms.ExtractNewRecordState to flatten records",
            where=f"{where}.MessageFormat",
        )
        self._report_message_settings(ctx, settings, where)
        broker = settings.get("Broker")
        if broker:
            ctx.notes.info(
                "target.kafka.broker",
                f"DMS wrote to {broker}; the connector writes to the MSK cluster dms2msk renders",
                hint='set cluster.mode = "existing" and cluster.existing_cluster_arn to keep the same cluster',
                where=f"{where}.Broker",
            )
        ctx.notes.info(
            "target.kafka.topic",
            f"all captured tables are routed to topic {topic!r}, as DMS did",
            became=f"source RegexRouter -> {topic}",
            where=f"{where}.Topic",
        )
        if not LEGAL_TOPIC.fullmatch(topic) or topic in (".", ".."):
            ctx.notes.blocker(
                "target.kafka.topic.invalid",
                f"KafkaSettings.Topic {topic!r} of {ctx.where} is not a Kafka topic name (at most 249 letters, "
                "digits, '.', '_' or '-'); a connector routed there fails",
                hint="set a legal Topic on the DMS endpoint and scan again",
                where=f"{where}.Topic",
            )
        return f"{re.escape(ctx.topic_prefix)}\\..+", topic

    @staticmethod
    def _report_message_settings(ctx: EngineContext, settings: dict[str, object], where: str) -> None:
        """What becomes of the KafkaSettings that shape DMS's messages and partitioning."""
        if settings.get("IncludeTransactionDetails"):
            ctx.notes.warning(
                "target.kafka.transaction-details",
                "IncludeTransactionDetails: DMS put transaction ids into each message's metadata; the connector's "
                "events carry source.txId (PostgreSQL) / source positions, but no transaction block",
                hint="set provide.transaction.metadata=true on the source connector for a transaction block and topic",
                where=f"{where}.IncludeTransactionDetails",
            )
        prefix = (
            " prefixed with schema.table (PartitionIncludeSchemaTable)"
            if settings.get("PartitionIncludeSchemaTable")
            else ""
        )
        partition_note = (
            f"DMS keyed its messages by the primary key{prefix}; Debezium keys them by the primary-key struct as "
            "the key converter writes it, so the partition of a row differs (the order of one row's changes is kept)"
        )
        ctx.notes.warning(
            "target.kafka.partitioning",
            partition_note,
            hint="consumers that rely on partition numbers or key format must be updated",
            where=f"{where}.PartitionIncludeSchemaTable",
        )
        for key in ("IncludeTableAlterOperations", "IncludeControlDetails", "IncludePartitionValue"):
            if settings.get(key):
                ctx.notes.warning(
                    "target.kafka.message-setting",
                    f"{key}: DMS added these details to its messages; Debezium's envelope has no equivalent field "
                    "(schema changes go to the schema-history topic, not the data topic)",
                    where=f"{where}.{key}",
                )
