"""Amazon Neptune: DMS cannot read from Neptune.

No Kafka Connect sink writes Neptune graphs from relational change events.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Neptune(Engine):
    name = EngineName.NEPTUNE
    DISPLAY_NAME = "Amazon Neptune"
    NO_SOURCE_REASON = "DMS cannot read from Neptune"
    TARGET_ALTERNATIVES = (
        "keep this target on DMS, or write a consumer that maps change events to Gremlin/openCypher writes"
    )
