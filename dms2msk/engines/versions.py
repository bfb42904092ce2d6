"""What changes between the Debezium versions dms2msk supports (2.7.x and 3.x).

Only facts the mapper acts on live here: snapshot modes per connector family,
renamed JDBC-sink keys, and features that appeared in a given release. The
full property catalog per version is :mod:`dms2msk.catalog`; this module says
which *name* to emit, the catalog then checks that the name exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from ..errors import ConfigError

SUPPORTED_MAJOR_MINOR = ((2, 7), (3, 0))
"""Oldest release of each supported line: 2.7.x, and every 3.x."""

_VERSION_PATTERN = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:[.-]?([A-Za-z][A-Za-z0-9]*))?$")


@total_ordering
@dataclass(frozen=True)
class DebeziumVersion:
    """A parsed Debezium release such as ``2.7.3.Final`` or ``3.6.3.Final``."""

    major: int
    minor: int
    patch: int = 0
    qualifier: str = "Final"

    @classmethod
    def parse(cls, text: str) -> DebeziumVersion:
        match = _VERSION_PATTERN.match(text.strip())
        if not match:
            raise ConfigError(
                f"debezium_version {text!r} is not a Debezium release number",
                hint='use a release such as "2.7.3.Final" or "3.6.3.Final"',
            )
        major, minor, patch, qualifier = match.groups()
        version = cls(int(major), int(minor), int(patch or 0), qualifier or "Final")
        if (version.major, version.minor) < (2, 7) or version.major > 3:
            raise ConfigError(
                f"debezium_version {text!r} is not supported",
                hint="dms2msk generates configs for Debezium 2.7.x and 3.x",
            )
        return version

    def _key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DebeziumVersion):
            return NotImplemented
        return self._key() < other._key()

    def at_least(self, major: int, minor: int = 0) -> bool:
        return (self.major, self.minor) >= (major, minor)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}.{self.qualifier}"

    # ------------------------------------------------------------------ #
    # JDBC sink keys                                                       #
    # ------------------------------------------------------------------ #

    @property
    def sink_table_format_key(self) -> str:
        """``table.name.format`` was renamed ``collection.name.format`` in 3.1 (old name kept as an alias)."""
        return "collection.name.format" if self.at_least(3, 1) else "table.name.format"

    @property
    def sink_time_zone_key(self) -> str:
        """``database.time_zone`` was renamed ``use.time.zone`` in 3.1."""
        return "use.time.zone" if self.at_least(3, 1) else "database.time_zone"

    @property
    def has_naming_transforms(self) -> bool:
        """``CollectionNameTransformation`` / ``FieldNameTransformation`` SMTs exist since 3.2."""
        return self.at_least(3, 2)

    @property
    def has_set_binlog_position_signal(self) -> bool:
        """The MySQL/MariaDB ``set-binlog-position`` signal exists since 3.5.0."""
        return self.at_least(3, 5)

    @property
    def has_mariadb_connector(self) -> bool:
        """The dedicated MariaDB connector exists since 2.7.0 (always true for supported versions)."""
        return self.at_least(2, 7)

    @property
    def kafka_removed_replacefield_aliases(self) -> bool:
        """Kafka 4.0 removed ReplaceField's ``blacklist``/``whitelist``; Debezium 3.x plugins may run on it."""
        return self.at_least(3, 0)


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
