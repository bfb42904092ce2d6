"""Babelfish for Aurora PostgreSQL.

Debezium has no Babelfish (TDS) connector; capture the PostgreSQL side with an aurora-postgresql endpoint.

DMS uses Babelfish as a target over TDS. The JDBC sink can write to the same cluster through its PostgreSQL port.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Babelfish(Engine):
    name = EngineName.BABELFISH
    DISPLAY_NAME = "Babelfish for Aurora PostgreSQL"
    NO_SOURCE_REASON = (
        "Debezium has no Babelfish (TDS) connector; capture the PostgreSQL side with an aurora-postgresql endpoint"
    )
    TARGET_ALTERNATIVES = (
        "write through the PostgreSQL port of the same cluster: change the DMS target to aurora-"
        "postgresql (JDBC sink, PostgreSQL dialect), keeping in mind Babelfish's schema mapping"
    )
