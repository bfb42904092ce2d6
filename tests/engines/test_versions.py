"""Per-version Debezium knowledge: parsing, snapshot modes, renamed keys."""

from __future__ import annotations

import pytest

from dms2msk.engines.versions import MIGRATION_TYPE_SNAPSHOT_MODE, SNAPSHOT_MODES, DebeziumVersion, snapshot_modes
from dms2msk.errors import ConfigError


def test_parse_and_order() -> None:
    v27 = DebeziumVersion.parse("2.7.3.Final")
    v36 = DebeziumVersion.parse("3.6.3.Final")
    assert (v27.major, v27.minor, v27.patch) == (2, 7, 3) and v27 < v36
    assert str(DebeziumVersion.parse("3.1.0")) == "3.1.0.Final"


@pytest.mark.parametrize("text", ["latest", "1.9.7.Final", "2.5.0.Final", "4.0.0.Final", ""])
def test_unsupported_versions_are_config_errors(text: str) -> None:
    with pytest.raises(ConfigError):
        DebeziumVersion.parse(text)


def test_renamed_sink_keys() -> None:
    assert DebeziumVersion.parse("2.7.3.Final").sink_table_format_key == "table.name.format"
    assert DebeziumVersion.parse("3.0.8.Final").sink_table_format_key == "table.name.format"
    assert DebeziumVersion.parse("3.1.0.Final").sink_table_format_key == "collection.name.format"
    assert DebeziumVersion.parse("2.7.3.Final").sink_time_zone_key == "database.time_zone"
    assert DebeziumVersion.parse("3.6.3.Final").sink_time_zone_key == "use.time.zone"


def test_binlog_signal_needs_3_5() -> None:
    assert not DebeziumVersion.parse("3.4.0.Final").has_set_binlog_position_signal
    assert DebeziumVersion.parse("3.5.0.Final").has_set_binlog_position_signal


def test_removed_snapshot_modes() -> None:
    v27, v33, v36 = (DebeziumVersion.parse(v) for v in ("2.7.3.Final", "3.3.0.Final", "3.6.3.Final"))
    assert "schema_only" in snapshot_modes("binlog", v27)
    assert "schema_only" not in snapshot_modes("binlog", v33) and "never" in snapshot_modes("binlog", v33)
    assert "never" not in snapshot_modes("binlog", v36)
    assert "when_needed_no_data" in snapshot_modes("sqlserver", v36)
    assert "never" not in snapshot_modes("postgres", v33)


@pytest.mark.parametrize("family", sorted(SNAPSHOT_MODES))
@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
def test_migration_type_modes_exist_everywhere(family: str, version: str) -> None:
    modes = snapshot_modes(family, DebeziumVersion.parse(version))
    assert set(MIGRATION_TYPE_SNAPSHOT_MODE.values()) <= modes
