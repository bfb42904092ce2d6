"""The one Debezium version value: parsing edge cases, ordering and the one notion of "supported"."""

from __future__ import annotations

import pytest

from dms2msk import catalog
from dms2msk.config import Settings
from dms2msk.debezium_version import SUPPORTED_RELEASES, DebeziumVersion
from dms2msk.errors import ConfigError
from dms2msk.render.checks import check_settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.7.3.Final", (2, 7, 3, "Final")),
        ("3.6.3.Final", (3, 6, 3, "Final")),
        ("3.0.0.CR1", (3, 0, 0, "CR1")),
        ("3.0.0.cr1", (3, 0, 0, "CR1")),
        ("3.1.0.Beta2", (3, 1, 0, "Beta2")),
        ("3.6.3", (3, 6, 3, "Final")),
        (" 3.6.3.final ", (3, 6, 3, "Final")),
    ],
)
def test_parse(text: str, expected: tuple[int, int, int, str]) -> None:
    version = DebeziumVersion.parse(text)
    assert (version.major, version.minor, version.patch, version.qualifier) == expected
    assert str(version) == ".".join(str(part) for part in expected)


@pytest.mark.parametrize("text", ["latest", "", "3", "3..6", "3.6.3.SNAPSHOT", "v3.6.3", "3.6.3.Final.1"])
def test_a_bad_string_is_a_config_error_naming_the_setting(text: str) -> None:
    with pytest.raises(ConfigError) as raised:
        DebeziumVersion.parse(text, setting="--debezium-version")
    assert "--debezium-version" in raised.value.message and repr(text) in raised.value.message
    assert raised.value.hint and "3.6.3.Final" in raised.value.hint


def test_order_puts_pre_releases_before_the_release() -> None:
    parsed = [DebeziumVersion.parse(t) for t in ("3.0.0.Final", "3.0.0.CR1", "2.7.3.Final", "3.0.0.Alpha1", "3.6.3")]
    assert [str(v) for v in sorted(parsed)] == [
        "2.7.3.Final",
        "3.0.0.Alpha1",
        "3.0.0.CR1",
        "3.0.0.Final",
        "3.6.3.Final",
    ]
    assert DebeziumVersion.parse("3.6.3") == DebeziumVersion.parse("3.6.3.Final")


def test_supported_means_a_catalog_exists() -> None:
    assert [str(DebeziumVersion.parse(release)) for release in SUPPORTED_RELEASES] == list(SUPPORTED_RELEASES)
    for release in SUPPORTED_RELEASES:
        assert catalog.load_catalog(release).debezium_version == release
    assert DebeziumVersion.parse("3.6.3.final").catalog_release == "3.6.3.Final"
    assert not DebeziumVersion.parse("3.5.0.Final").supported
    assert not DebeziumVersion.parse("3.0.0.CR1").supported
    with pytest.raises(catalog.UnsupportedVersionError) as raised:
        catalog.load_catalog("3.2.1.Final")
    assert "2.7.3.Final, 3.6.3.Final" in raised.value.message
    assert catalog.is_supported("3.6.3") and not catalog.is_supported("latest")


@pytest.mark.parametrize("text", ["3.6.3", "3.6.3.final", "3.6.3-Final", "3.6", "3.6.3.Final "])
def test_settings_must_spell_the_release_in_full(text: str) -> None:
    # The text becomes plugin ZIP names and Maven versions, so a short or re-cased spelling is refused.
    assert DebeziumVersion.full_name(text) is None
    with pytest.raises(ConfigError, match="must be a Debezium release"):
        check_settings(Settings(debezium_version=text), ["subnet-1", "subnet-2"])


def test_settings_name_the_setting_for_a_bad_version() -> None:
    with pytest.raises(ConfigError) as raised:
        _ = Settings(debezium_version="latest").debezium_major
    assert "debezium_version 'latest'" in raised.value.message


def test_find_reads_the_release_of_a_plugin_name() -> None:
    old = DebeziumVersion.find("plugins/debezium-connector-mysql-2.7.3.final.zip")
    assert old == DebeziumVersion(2, 7, 3, "Final")
    assert DebeziumVersion.parse("3.6.3.Final").is_major_change_from(old)
    assert not DebeziumVersion.parse("2.7.4.Final").is_major_change_from(old)
    assert DebeziumVersion.find("debezium-connector-mysql") is None
    assert str(DebeziumVersion.find("debezium-connector-mysql-3.0.0.CR1.zip")) == "3.0.0.CR1"
    assert str(DebeziumVersion.find("debezium-connector-mysql-2.7.3.zip")) == "2.7.3.Final"
