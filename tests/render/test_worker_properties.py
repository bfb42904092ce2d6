"""Worker properties: computed in Python from ``[workers]``, recorded in the manifest, planned by the real module."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dms2msk import terraform
from dms2msk.config import Settings, WorkerSettings, check_worker_settings, load_settings
from dms2msk.errors import ConfigError
from dms2msk.model import MappingResult, from_jsonable
from dms2msk.plan.diff import shown
from dms2msk.render import build_files, hcl, render
from dms2msk.render.worker import (
    module_arguments,
    offsets_topic,
    properties_file_content,
    worker_configuration,
    worker_properties,
)

from .seed_pipeline import seed_result

REGION = "ap-northeast-2"
WORKER_ADDRESS = "module.worker_config.aws_mskconnect_worker_configuration.this[0]"

TUNED = WorkerSettings(
    schemas_enable=False,
    offset_flush_interval_ms=60000,
    offset_flush_timeout_ms=20000,
    task_shutdown_graceful_timeout_ms=0,
    config_providers=("ssm", "secretsmanager", "s3import"),
    s3import_local_dir="/opt/kafka-certs",
    offset_storage_topic="__amazon_msk_connect_offsets_team-a",
    extra_properties={
        "errors.log.enable": "true",
        "consumer.override.ssl.truststore.password": "${secretsmanager:dms2msk/truststore:password}",
    },
)
"""Every worker setting away from its default, with a config-provider reference that HCL must not interpolate."""


def _manifest_workers(out: Path) -> Any:
    manifest = json.loads((out / "dms2msk.json").read_text(encoding="utf-8"))
    return from_jsonable(MappingResult, manifest["mapping"]).worker_configuration


# --------------------------------------------------------------------------- #
# Python side                                                                  #
# --------------------------------------------------------------------------- #


def test_default_properties_are_the_reference_worker_configuration() -> None:
    properties = worker_properties(Settings(), REGION)
    assert properties == {
        "config.providers": "secretsmanager",
        "config.providers.secretsmanager.class": "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider",
        "config.providers.secretsmanager.param.region": REGION,
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "true",
        "offset.flush.interval.ms": "10000",
        "offset.flush.timeout.ms": "5000",
        # Pinned, so a replaced source connector of the same name resumes (AWS: msk-connect-set-offset-storage-topic).
        "offset.storage.topic": "__amazon_msk_connect_offsets_dms2msk",
        "task.shutdown.graceful.timeout.ms": "10000",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "true",
    }
    content = properties_file_content(properties)
    # Sorted by key (as the module's sort(keys(...))), which is not the order of the sorted lines.
    assert content.splitlines() == [f"{key}={properties[key]}" for key in sorted(properties)]
    assert content.endswith("\n")


def test_tuned_properties_follow_every_setting() -> None:
    properties = worker_properties(Settings(workers=TUNED), REGION)
    assert properties["config.providers"] == "s3import,secretsmanager,ssm"
    assert properties["config.providers.s3import.param.local.dir"] == "/opt/kafka-certs"
    assert {properties[f"config.providers.{p}.param.region"] for p in ("s3import", "secretsmanager", "ssm")} == {REGION}
    assert properties["value.converter.schemas.enable"] == "false"
    assert properties["task.shutdown.graceful.timeout.ms"] == "0"
    assert properties["errors.log.enable"] == "true"
    assert properties["offset.storage.topic"] == "__amazon_msk_connect_offsets_team-a"


def test_offsets_topic_follows_the_name_prefix_and_is_recorded_typed() -> None:
    settings = Settings(name_prefix="billing")
    assert worker_properties(settings, REGION)["offset.storage.topic"] == "__amazon_msk_connect_offsets_billing"
    assert worker_configuration(settings, REGION).offsets_topic == "__amazon_msk_connect_offsets_billing"


def test_extra_properties_override_the_computed_ones() -> None:
    workers = WorkerSettings(extra_properties={"offset.flush.interval.ms": "30000"})
    assert worker_properties(Settings(workers=workers), REGION)["offset.flush.interval.ms"] == "30000"


def test_module_arguments_bind_the_region_to_the_root_variable() -> None:
    settings = Settings(workers=TUNED)
    arguments = module_arguments(worker_configuration(settings, REGION), settings, REGION)
    properties = arguments["properties"]
    assert properties["config.providers.ssm.param.region"] == hcl.Expression("var.region")
    assert properties["config.providers.s3import.param.local.dir"] == "/opt/kafka-certs"
    assert list(properties) == sorted(properties)
    rendered = hcl.value(properties)
    # The provider reference reaches AWS literally: HCL gets it escaped.
    assert '"$${secretsmanager:dms2msk/truststore:password}"' in rendered


def test_manifest_records_the_worker_configuration_and_render_stays_deterministic(tmp_path: Path) -> None:
    settings = Settings(workers=TUNED)
    first, _ = build_files(seed_result(), settings)
    second, _ = build_files(seed_result(), settings)
    assert first == second
    render(seed_result(), settings, tmp_path / "out")
    recorded = _manifest_workers(tmp_path / "out")
    assert recorded == worker_configuration(settings, REGION)
    assert recorded.name == "dms2msk-workers"
    assert recorded.properties_file_content == properties_file_content(worker_properties(settings, REGION))
    main = (tmp_path / "out" / "main.tf").read_text(encoding="utf-8")
    worker_block = main[main.index('module "worker_config"') :].split("\n}\n", 1)[0]
    assert '"offset.flush.interval.ms"' in worker_block and '"60000"' in worker_block


def test_an_old_manifest_without_workers_still_loads() -> None:
    assert from_jsonable(MappingResult, {"pipelines": []}).worker_configuration is None
    assert from_jsonable(Settings, {"name_prefix": "x"}).workers == WorkerSettings()


# --------------------------------------------------------------------------- #
# Settings                                                                     #
# --------------------------------------------------------------------------- #


def test_workers_table_loads_from_toml_and_json(tmp_path: Path) -> None:
    toml = tmp_path / "settings.toml"
    toml.write_text(
        "[workers]\nschemas_enable = false\noffset_flush_interval_ms = 60000\n"
        'config_providers = ["secretsmanager", "ssm"]\n'
        '[workers.extra_properties]\n"errors.log.enable" = "true"\n',
        encoding="utf-8",
    )
    loaded = load_settings(toml).workers
    assert loaded == WorkerSettings(
        schemas_enable=False,
        offset_flush_interval_ms=60000,
        config_providers=("secretsmanager", "ssm"),
        extra_properties={"errors.log.enable": "true"},
    )
    as_json = tmp_path / "settings.json"
    as_json.write_text(json.dumps({"workers": {"offset_flush_timeout_ms": 8000}}), encoding="utf-8")
    assert load_settings(as_json).workers.offset_flush_timeout_ms == 8000
    assert load_settings(None).workers == WorkerSettings()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("offset_flush_interval_ms = 500", "workers.offset_flush_interval_ms 500: must be a whole number"),
        ('offset_flush_timeout_ms = "5000"', "[workers] offset_flush_timeout_ms = '5000' must be a whole number"),
        ("task_shutdown_graceful_timeout_ms = -1", "at least 0"),
        ('schemas_enable = "yes"', "must be true or false"),
        ('key_converter = "not a class"', "fully qualified Java class name"),
        ('config_providers = ["vault"]', "unknown provider(s) vault"),
        ('config_providers = ["ssm"]', "must include secretsmanager"),
        ('config_providers = "secretsmanager"', "must be a list"),
        ('s3import_local_dir = "certs"', "absolute folder path"),
        ('extra_properties = { "a b" = "1" }', "a worker property name has only"),
        ('extra_properties = { "linger.ms" = 5 }', 'extra_properties."linger.ms" = 5 must be a string'),
        ('extra_properties = { "x" = "a\\nb=c" }', "must be one line"),
        ('extra_properties = { "ssl.key.password" = "hunter2" }', "literal secret"),
        ("flush = 1", "unknown worker setting(s) flush"),
        ('offset_storage_topic = "my offsets"', "a Kafka topic name has"),
        ('offset_storage_topic = "offsets"', "must start with __amazon_msk_connect_"),
        (
            'extra_properties = { "offset.storage.topic" = "__amazon_msk_connect_x" }',
            "set workers.offset_storage_topic",
        ),
    ],
)
def test_bad_worker_settings_are_refused_with_the_setting_named(tmp_path: Path, table: str, expected: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[workers]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert expected in caught.value.message
    hint = caught.value.hint or ""
    assert "workers" in hint or str(path) in hint
    assert "hunter2" not in str(caught.value)


def test_render_refuses_bad_worker_settings_built_in_code(tmp_path: Path) -> None:
    bad = Settings(workers=WorkerSettings(offset_flush_interval_ms=10))
    with pytest.raises(ConfigError, match="offset_flush_interval_ms"):
        render(seed_result(), bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_secret_reference_in_extra_properties_is_accepted() -> None:
    check_worker_settings(WorkerSettings(extra_properties={"ssl.key.password": "${secretsmanager:tls:key}"}))


# --------------------------------------------------------------------------- #
# Real Terraform: the module plans exactly what the manifest says              #
# --------------------------------------------------------------------------- #


def _planned_worker(plan: dict[str, Any]) -> dict[str, Any]:
    (worker,) = [r for r in terraform.planned_resources(plan) if r["address"] == WORKER_ADDRESS]
    return worker["values"]


@pytest.mark.real
@pytest.mark.parametrize("workers", [WorkerSettings(), TUNED], ids=["default", "tuned"])
def test_module_plans_the_content_the_manifest_records(plan_of, tmp_path: Path, workers: WorkerSettings) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(workers=workers), out)
    recorded = _manifest_workers(out)
    planned = _planned_worker(plan_of(out))
    assert planned["properties_file_content"] == recorded.properties_file_content
    # The real provider plans the pinned, compacted offsets topic a replaced source connector resumes from.
    pinned = offsets_topic(Settings(workers=workers))
    assert f"\noffset.storage.topic={pinned}\n" in planned["properties_file_content"]
    assert planned["name"] == recorded.name
    assert planned["description"] == recorded.description


def _typed_arguments(workers: WorkerSettings) -> dict[str, Any]:
    """The module's typed variables for ``workers`` (how a user of the module alone would call it)."""
    return {
        "key_converter": workers.key_converter,
        "value_converter": workers.value_converter,
        "schemas_enable": workers.schemas_enable,
        "offset_flush_interval_ms": workers.offset_flush_interval_ms,
        "offset_flush_timeout_ms": workers.offset_flush_timeout_ms,
        "task_shutdown_graceful_timeout_ms": workers.task_shutdown_graceful_timeout_ms,
        "config_providers": list(workers.config_providers),
        "s3import_local_dir": workers.s3import_local_dir,
        "offset_storage_topic": offsets_topic(Settings(workers=workers)),
        "extra_properties": workers.extra_properties,
    }


@pytest.mark.real
def test_typed_module_variables_agree_with_python(tf_plugin_dir, tf_environment, tmp_path: Path) -> None:
    """The module's typed interface (its defaults included) gives what Python computes for the same settings."""
    from dms2msk.resources import modules_dir

    root = tmp_path / "root"
    (root / "modules").mkdir(parents=True)
    module = modules_dir() / "worker-config"
    for path in module.glob("*.tf"):
        (root / "modules" / path.name).write_bytes(path.read_bytes())
    tuned = {"name": "tuned", "region": REGION, **_typed_arguments(TUNED)}
    (root / "main.tf").write_text(
        f"""provider "aws" {{
  region                      = "{REGION}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}

module "defaults" {{
  source = "./modules"

  name   = "defaults"
  region = "{REGION}"
}}

module "tuned" {{
  source = "./modules"

{hcl.attributes(tuned, 1)}}}

output "defaults" {{
  value = module.defaults.properties
}}

output "tuned" {{
  value = module.tuned.properties
}}
""",
        encoding="utf-8",
    )
    outputs = terraform.plan_json(root, plugin_dir=tf_plugin_dir)["planned_values"]["outputs"]
    assert outputs["defaults"]["value"] == properties_file_content(worker_properties(Settings(), REGION))
    assert outputs["tuned"]["value"] == properties_file_content(worker_properties(Settings(workers=TUNED), REGION))


@pytest.mark.real
def test_module_refuses_a_property_name_it_cannot_write(tf_plugin_dir, tf_environment, tmp_path: Path) -> None:
    from dms2msk.errors import ToolError
    from dms2msk.resources import modules_dir

    root = tmp_path / "root"
    (root / "modules").mkdir(parents=True)
    for path in (modules_dir() / "worker-config").glob("*.tf"):
        (root / "modules" / path.name).write_bytes(path.read_bytes())
    (root / "main.tf").write_text(
        'provider "aws" {\n  region                      = "ap-northeast-2"\n  skip_credentials_validation = true\n'
        "  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n}\n\n"
        'module "bad" {\n  source     = "./modules"\n  name       = "bad"\n  region     = "ap-northeast-2"\n'
        '  properties = { "a b" = "1" }\n}\n',
        encoding="utf-8",
    )
    with pytest.raises(ToolError, match="properties keys may have only"):
        terraform.plan_json(root, plugin_dir=tf_plugin_dir)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[cluster]\nbroker_cout = 3\n", "unknown cluster setting(s) broker_cout"),
        ("[connectors]\nmcu = 2\n", "unknown connector setting(s) mcu"),
        ("brokers = 3\n", "unknown setting(s) brokers"),
        ('[network]\nsubnet_ids = "subnet-0a"\n', "[network] subnet_ids = 'subnet-0a' must be a list of strings"),
        ('tags = "team=data"\n', "tags = 'team=data' must be a table of string values"),
    ],
)
def test_every_settings_section_refuses_unknown_keys_and_wrong_shapes(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert expected in caught.value.message
    assert str(path) in (caught.value.hint or "")


# --------------------------------------------------------------------------- #
# Which worker properties hold a secret (issue #12.7)                          #
# --------------------------------------------------------------------------- #

SECRET_PROPERTIES = (
    "value.converter.basic.auth.user.info",
    "key.converter.schema.registry.basic.auth.user.info",
    "producer.ssl.key.pwd",
    "consumer.sasl.pass",
    "ssl.key.password",
    "sasl.jaas.config",
    "ssl.keystore.key",
    "producer.override.sasl.oauthbearer.client-secret",
    "value.converter.bearer.auth.token",
)
NOT_SECRET_PROPERTIES = (
    "value.converter.basic.auth.credentials.source",
    "key.converter.basic.auth.credentials.source",
    "ssl.keystore.location",
    "ssl.keystore.type",
    "sasl.mechanism",
    "value.converter.schema.registry.url",
)


@pytest.mark.parametrize("name", SECRET_PROPERTIES)
def test_a_literal_value_of_a_secret_property_is_refused_with_the_provider_advice(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_worker_settings(WorkerSettings(extra_properties={name: "hunter2"}))
    assert "literal secret" in caught.value.message and name in caught.value.message
    assert "${secretsmanager:" in (caught.value.hint or "")
    assert "hunter2" not in str(caught.value)
    check_worker_settings(WorkerSettings(extra_properties={name: "${secretsmanager:kafka-auth:value}"}))
    assert shown(name, "hunter2") == "(hidden)"  # and the plan's reports never print one


@pytest.mark.parametrize("name", NOT_SECRET_PROPERTIES)
def test_a_property_that_only_mentions_credentials_is_not_a_secret(name: str) -> None:
    check_worker_settings(WorkerSettings(extra_properties={name: "USER_INFO"}))
    assert shown(name, "USER_INFO") == "USER_INFO"
