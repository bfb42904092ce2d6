"""Amazon DynamoDB: DMS cannot read from DynamoDB.

Kafka Connect writes to DynamoDB with a DynamoDB sink connector, not the Debezium JDBC sink.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Dynamodb(Engine):
    name = EngineName.DYNAMODB
    DISPLAY_NAME = "Amazon DynamoDB"
    NO_SOURCE_REASON = "DMS cannot read from DynamoDB"
    TARGET_ALTERNATIVES = (
        "use a DynamoDB sink connector (e.g. the Confluent DynamoDB sink) or a Lambda consumer of the MSK topics"
    )
