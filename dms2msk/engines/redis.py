"""Redis OSS / ElastiCache: DMS cannot read from Redis.

Kafka Connect writes to Redis with a Redis sink connector.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Redis(Engine):
    name = EngineName.REDIS
    DISPLAY_NAME = "Redis OSS / ElastiCache"
    NO_SOURCE_REASON = "DMS cannot read from Redis"
    TARGET_ALTERNATIVES = "use a Redis sink connector (e.g. Redis Kafka Connect) on the MSK topics"
