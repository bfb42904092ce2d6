"""The one Debezium version value: parsing, ordering, and the one notion of "supported".

Settings, the mapper, the property catalog, render's settings check, plan and
verify all read a release through :class:`DebeziumVersion` instead of splitting
strings. A release is *supported* when dms2msk has a property catalog for it
(:data:`SUPPORTED_RELEASES`); other well-formed 2.7.x and 3.x releases still
parse, so per-version facts (renamed keys, snapshot modes) can be asked about.

This module imports nothing of dms2msk but its errors, so ``config`` and the
engine registry can both use it without an import cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from .errors import ConfigError

_RELEASE = re.compile(
    r"^(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?(?:[.-]?(?P<qualifier>final|cr\d+|beta\d+|alpha\d+))?$",
    re.IGNORECASE,
)
_IN_A_NAME = re.compile(r"(\d+)[.\-_](\d+)[.\-_](\d+)(?:[.\-_](final|cr\d+|beta\d+|alpha\d+)\b)?", re.IGNORECASE)
"""A release inside a plugin name or S3 key; a suffix that is no Debezium qualifier (``.zip``) is not one."""
_QUALIFIER_CASE = {"final": "Final", "cr": "CR", "beta": "Beta", "alpha": "Alpha"}
_STAGES = ("Alpha", "Beta", "CR", "Final")
_OLDEST_MAPPED = (2, 7)
"""The mapper's per-version facts start at 2.7; older releases (and 4.x) are not parsed as mappable."""
_NEWEST_MAJOR = 3

SUPPORTED_RELEASES: tuple[str, ...] = ("2.7.3.Final", "3.6.3.Final")
"""The releases with a property catalog (dms2msk/catalog/data), oldest first: what "supported" means."""


def _qualifier(text: str | None) -> str:
    """``final`` -> ``Final``, ``cr1`` -> ``CR1``: the spelling of Debezium's release names."""
    if not text:
        return "Final"
    word = text.rstrip("0123456789").lower()
    return _QUALIFIER_CASE[word] + text[len(word) :]


@total_ordering
@dataclass(frozen=True)
class DebeziumVersion:
    """A parsed Debezium release such as ``2.7.3.Final``, ``3.6.3.Final`` or ``3.0.0.CR1``."""

    major: int
    minor: int
    patch: int = 0
    qualifier: str = "Final"

    @classmethod
    def parse(cls, text: str, *, setting: str = "debezium_version") -> DebeziumVersion:
        """The release ``text`` names; a ConfigError naming ``setting`` when it is not a 2.7.x or 3.x release."""
        match = _RELEASE.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ConfigError(
                f"{setting} {text!r} is not a Debezium release number",
                hint=f'use a release such as "2.7.3.Final" or "3.6.3.Final" for {setting}',
            )
        version = cls(
            int(match["major"]), int(match["minor"]), int(match["patch"] or 0), _qualifier(match["qualifier"])
        )
        if (version.major, version.minor) < _OLDEST_MAPPED or version.major > _NEWEST_MAJOR:
            raise ConfigError(
                f"{setting} {text!r} is not supported",
                hint=f"dms2msk generates configs for Debezium {' and '.join(SUPPORTED_RELEASES)}; set {setting} "
                "to one of them",
            )
        return version

    @classmethod
    def full_name(cls, text: str) -> DebeziumVersion | None:
        """The release ``text`` spells in full as Debezium does (``3.6.3.Final``, ``3.0.0.CR1``), else None.

        Settings must spell the release in full: the text becomes plugin ZIP names and Maven versions.
        """
        match = _RELEASE.match(text) if isinstance(text, str) else None
        if not match or match["patch"] is None or match["qualifier"] is None:
            return None
        version = cls(int(match["major"]), int(match["minor"]), int(match["patch"]), _qualifier(match["qualifier"]))
        return version if str(version) == text else None

    @classmethod
    def find(cls, text: str | None) -> DebeziumVersion | None:
        """The release a plugin name or S3 key ends with (``...-mysql-2.7.3.final.zip``); None when none is there."""
        match = _IN_A_NAME.search(text or "")
        if not match:
            return None
        major, minor, patch, qualifier = match.groups()
        return cls(int(major), int(minor), int(patch), _qualifier(qualifier))

    def _key(self) -> tuple[int, int, int, int, int]:
        # Pre-releases come before the release: 3.0.0.Alpha1 < 3.0.0.Beta2 < 3.0.0.CR1 < 3.0.0.Final.
        word = self.qualifier.rstrip("0123456789")
        stage = _STAGES.index(word) if word in _STAGES else -1
        number = self.qualifier[len(word) :]
        return (self.major, self.minor, self.patch, stage, int(number) if number else 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DebeziumVersion):
            return NotImplemented
        return self._key() < other._key()

    def at_least(self, major: int, minor: int = 0) -> bool:
        return (self.major, self.minor) >= (major, minor)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}.{self.qualifier}"

    @property
    def catalog_release(self) -> str | None:
        """The supported release this version is (``3.6.3`` and ``3.6.3.final`` are ``3.6.3.Final``), or None."""
        name = str(self)
        return next((release for release in SUPPORTED_RELEASES if release == name), None)

    @property
    def supported(self) -> bool:
        """True when dms2msk has a property catalog for this release."""
        return self.catalog_release is not None

    def is_major_change_from(self, other: DebeziumVersion) -> bool:
        return self.major != other.major

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
