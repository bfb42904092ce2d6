"""Every setting's type is checked once, when the settings file is read (#15.7, the settings part of #12.15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli import cli
from dms2msk.config import load_settings
from dms2msk.errors import EXIT_ERROR, ConfigError
from dms2msk.model import dumps
from tests.support.mapping import make_inventory


@pytest.mark.parametrize(
    ("toml", "key", "value", "expected"),
    [
        ('[cluster]\nbroker_count = "three"\n', "broker_count", "'three'", "a whole number"),
        ('[connectors]\nworker_count = "two"\n', "worker_count", "'two'", "a whole number"),
        ('[cluster]\nebs_volume_size_gb = "100"\n', "ebs_volume_size_gb", "'100'", "a whole number"),
        ('[connectors]\nmcu_count = "1"\n', "mcu_count", "'1'", "a whole number"),
        ('scripting_smt_enabled = "false"\n', "scripting_smt_enabled", "'false'", "true or false"),
        ("[cluster]\nscram_enabled = 1\n", "scram_enabled", "1", "true or false"),
        ("[connectors]\nmcu_count = true\n", "mcu_count", "True", "a whole number"),
        ("debezium_version = 3.6\n", "debezium_version", "3.6", "a string"),
        ('[network]\nsubnet_ids = ["subnet-1", 2]\n', "subnet_ids", "['subnet-1', 2]", "a list of strings"),
        ("cluster = 3\n", "cluster", "3", "a table"),
        (
            '[network.regions."ap-northeast-2"]\nvpc_id = "vpc-1"\nsubnet_ids = "subnet-a"\n',
            "subnet_ids",
            "'subnet-a'",
            "a list of strings",
        ),
        ('[network.regions."ap-northeast-2"]\nvpc_id = 7\n', "vpc_id", "7", "a string"),
    ],
)
def test_a_value_of_the_wrong_type_names_the_key_the_value_and_the_type(
    tmp_path: Path, toml: str, key: str, value: str, expected: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    message = caught.value.message
    assert f"{key} = {value} must be {expected}" in message, message
    assert str(path) in message and str(path) in (caught.value.hint or "")


def test_the_same_checks_apply_to_a_json_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"connectors": {"worker_count": "2"}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[connectors\] worker_count = '2' must be a whole number"):
        load_settings(path)


def test_values_of_the_right_type_load() -> None:
    settings = load_settings(None)
    assert settings.connectors.mcu_count == 1 and settings.scripting_smt_enabled is False


def test_well_typed_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        "[cluster]\nbroker_count = 3\nebs_volume_size_gb = 200\n"
        "[connectors]\nmcu_count = 2\nworker_count = 2\n"
        '[network]\nsubnet_ids = ["subnet-1", "subnet-2"]\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.cluster.broker_count, settings.connectors.mcu_count) == (3, 2)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('name_prefix = "café"\n'.encode("latin-1"), "is not UTF-8 text: byte 0xe9"),
        (bytes(range(256)), "is not UTF-8 text"),
        (("[" * 100_000).encode(), "nested too deeply"),
        (b"[1, 2]", "must hold an object of settings, not a list"),
    ],
    ids=["latin-1", "binary", "deeply-nested", "not-an-object"],
)
def test_an_unreadable_settings_file_is_a_message_not_a_traceback(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    inventory = tmp_path / "inventory.json"
    inventory.write_text(dumps(make_inventory()), encoding="utf-8")

    result = CliRunner().invoke(cli, ["cost", "--config", str(path), "-i", str(inventory)])

    assert result.exit_code == EXIT_ERROR, result.output
    assert expected in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (RecursionError, UnicodeError))


def test_per_region_network_tables_are_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[network.regions."ap-northeast-2"]\nvpc_id = "vpc-1"\nsubnet_ids = ["subnet-a", "subnet-b"]\n',
        encoding="utf-8",
    )
    network = load_settings(path).network.regions["ap-northeast-2"]
    assert (network.vpc_id, network.subnet_ids) == ("vpc-1", ("subnet-a", "subnet-b"))
