"""Amazon Kinesis Data Streams: DMS cannot read from Kinesis.

The MSK topics replace the stream; consumers read Kafka instead.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Kinesis(Engine):
    name = EngineName.KINESIS
    DISPLAY_NAME = "Amazon Kinesis Data Streams"
    NO_SOURCE_REASON = "DMS cannot read from Kinesis"
    TARGET_ALTERNATIVES = "consume the MSK topics directly, or forward them to Kinesis with a Kinesis sink connector"
