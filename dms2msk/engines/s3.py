"""Amazon S3: Debezium has no S3 source connector (DMS reads CSV files there).

Kafka Connect writes to S3 with an S3 sink connector, not the Debezium JDBC sink.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class S3(Engine):
    name = EngineName.S3
    DISPLAY_NAME = "Amazon S3"
    NO_SOURCE_REASON = "Debezium has no S3 source connector (DMS reads CSV files there)"
    TARGET_ALTERNATIVES = (
        "use an S3 sink connector on MSK Connect (e.g. the Confluent or Aiven S3 sink), Amazon Data "
        "Firehose with an MSK source, or Apache Iceberg's Kafka Connect sink"
    )
