"""What changes between the Debezium versions dms2msk supports (2.7.x and 3.x).

Only facts the mapper acts on live here: snapshot modes per connector family,
renamed JDBC-sink keys, and features that appeared in a given release. The
full property catalog per version is :mod:`dms2msk.catalog`; this module says
which *name* to emit, the catalog then checks that the name exists.
"""

from __future__ import annotations

from ..debezium_version import DebeziumVersion

__all__ = ["MIGRATION_TYPE_SNAPSHOT_MODE", "SNAPSHOT_MODES", "DebeziumVersion", "snapshot_modes"]


def _modes(names: str) -> frozenset[str]:
    return frozenset(names.split())


SNAPSHOT_MODES: dict[str, dict[tuple[int, int], frozenset[str]]] = {
    "binlog": {
        (2, 7): _modes(
            "always when_needed initial schema_only no_data schema_only_recovery recovery never initial_only "
            "configuration_based custom"
        ),
        (3, 3): _modes("always when_needed initial no_data recovery never initial_only configuration_based custom"),
        (3, 6): _modes("always when_needed initial no_data recovery initial_only configuration_based custom"),
    },
    "postgres": {
        (2, 7): _modes("always initial never no_data initial_only when_needed configuration_based custom"),
        (3, 3): _modes("always initial no_data initial_only when_needed configuration_based custom"),
    },
    "sqlserver": {
        (2, 7): _modes(
            "always initial initial_only schema_only no_data recovery when_needed configuration_based custom"
        ),
        (3, 3): _modes("always initial initial_only no_data recovery when_needed configuration_based custom"),
        (3, 6): _modes(
            "always initial initial_only no_data recovery when_needed when_needed_no_data configuration_based custom"
        ),
    },
    "oracle": {
        (2, 7): _modes(
            "always initial initial_only schema_only no_data schema_only_recovery recovery when_needed "
            "configuration_based custom"
        ),
        (3, 3): _modes("always initial initial_only no_data recovery when_needed configuration_based custom"),
    },
    "db2": {
        (2, 7): _modes(
            "always initial initial_only schema_only no_data recovery when_needed configuration_based custom"
        ),
        (3, 3): _modes("always initial initial_only no_data recovery when_needed configuration_based custom"),
    },
    "mongodb": {
        (2, 7): _modes("always initial never no_data initial_only when_needed configuration_based custom"),
        (3, 3): _modes("always initial no_data initial_only when_needed configuration_based custom"),
    },
}
"""``snapshot.mode`` values per connector family, keyed by the first release that has exactly that set.

From the ``SnapshotMode`` enums at each tag (reference §4.4): ``schema_only`` and
``schema_only_recovery`` left the enums in 3.3, ``never`` left the binlog
connectors in 3.6 (and PostgreSQL/MongoDB in 3.3), SQL Server gained
``when_needed_no_data`` in 3.6.
"""


def snapshot_modes(family: str, version: DebeziumVersion) -> frozenset[str]:
    """The ``snapshot.mode`` values ``family`` accepts in ``version``."""
    table = SNAPSHOT_MODES[family]
    best = max(since for since in table if (version.major, version.minor) >= since)
    return table[best]


MIGRATION_TYPE_SNAPSHOT_MODE = {
    "full-load-and-cdc": "initial",
    "full-load": "initial_only",
    "cdc": "no_data",
}
"""DMS ``MigrationType`` → ``snapshot.mode``; valid in every supported version and connector."""
