"""Render without Terraform: layout, escaping, determinism, atomic replacement, settings checks."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from dms2msk.config import ClusterSettings, ConnectorSettings, NetworkSettings, Settings
from dms2msk.errors import ConfigError, InputError
from dms2msk.model import MappingResult, from_jsonable
from dms2msk.render import BOOTSTRAP_PLACEHOLDER, build_files, connector_documents, hcl, render

from .seed_pipeline import SINK_SECRET_NAME, SOURCE_SECRET_ARN, seed_pipeline, seed_result


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_hcl_escapes_template_sequences() -> None:
    assert hcl.quote("${secretsmanager:a:b}") == '"$${secretsmanager:a:b}"'
    assert hcl.quote("100%{x}") == '"100%%{x}"'
    assert hcl.quote('say "hi"\n') == '"say \\"hi\\"\\n"'
    # An already doubled sequence stays literal too: `$$${` reads back as `$${`.
    assert hcl.quote("$${x}") == '"$$${x}"'


def test_hcl_attributes_align_like_terraform_fmt() -> None:
    text = hcl.attributes({"a": "1", "longer": 2, "nested": {"k": True}, "z": None}, 1)
    assert text == '  a      = "1"\n  longer = 2\n  nested = {\n    k = true\n  }\n  z = null\n'


def test_out_layout_manifest_and_connector_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = render(seed_result(), Settings(), out)
    names = set(tree(out))
    for expected in (
        "versions.tf",
        "providers.tf",
        "variables.tf",
        "main.tf",
        "outputs.tf",
        "README.md",
        "dms2msk.json",
        "findings.json",
        "connectors/simplydemo-products-source.json",
        "connectors/simplydemo-products-sink.json",
        "modules/connector/main.tf",
        "modules/msk-cluster/variables.tf",
    ):
        assert expected in names, expected
    assert report.partial and report.skipped[0].task_identifier == "broken-mappings"

    manifest = json.loads((out / "dms2msk.json").read_text())
    assert set(manifest) == {"tool_version", "inventory_scanned_at", "inventory_unread", "settings", "mapping", "files"}
    written = {path: hashlib.sha256(data).hexdigest() for path, data in tree(out).items() if path != "dms2msk.json"}
    assert manifest["files"] == written  # the record of what render wrote, so a re-render keeps everything else
    mapping = from_jsonable(MappingResult, manifest["mapping"])
    assert mapping.pipelines[0] == seed_pipeline()

    documents = connector_documents(out)
    source = documents["simplydemo-products-source"]
    assert source["name"] == "simplydemo-products-source"
    assert source["config"]["schema.history.internal.kafka.bootstrap.servers"] == BOOTSTRAP_PLACEHOLDER
    assert source["config"]["database.password"] == f"${{secretsmanager:{SOURCE_SECRET_ARN}:password}}"
    sink = documents["simplydemo-products-sink"]["config"]
    assert sink["connection.password"] == f"${{secretsmanager:{SINK_SECRET_NAME}:password}}"

    findings = json.loads((out / "findings.json").read_text())
    assert findings["partial"] is True
    assert {f["code"] for f in findings["findings"]} >= {"task.table-mappings.invalid-json"}

    main = (out / "main.tf").read_text()
    assert 'module "simplydemo_products_source"' in main and 'module "simplydemo_products_sink"' in main
    assert f'"$${{secretsmanager:{SOURCE_SECRET_ARN}:password}}"' in main
    readme = (out / "README.md").read_text()
    assert "aws secretsmanager put-secret-value" in readme and SINK_SECRET_NAME in readme
    assert "binlog_format = ROW" in readme and "broken-mappings" in readme


def test_rendering_twice_is_byte_identical(tmp_path: Path) -> None:
    render(seed_result(), Settings(), tmp_path / "a")
    render(seed_result(), Settings(), tmp_path / "b")
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    render(seed_result(), Settings(), tmp_path / "a")  # re-render over itself
    assert tree(tmp_path / "a") == first


def test_network_overrides_and_defaults(tmp_path: Path) -> None:
    render(seed_result(), Settings(), tmp_path / "default")
    variables = (tmp_path / "default" / "variables.tf").read_text()
    assert '["subnet-0a", "subnet-0b", "subnet-0c"]' in variables  # from the replication instance, sorted
    assert '"vpc-0abc"' in variables
    settings = Settings(network=NetworkSettings(vpc_id="vpc-9", subnet_ids=("subnet-x", "subnet-y")))
    render(seed_result(), settings, tmp_path / "override")
    variables = (tmp_path / "override" / "variables.tf").read_text()
    assert '["subnet-x", "subnet-y"]' in variables and '"vpc-9"' in variables
    assert "subnet-0a" not in variables


def test_existing_out_not_written_by_dms2msk_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not written by dms2msk"):
        render(seed_result(), Settings(), out)
    assert tree(out) == {"notes.txt": b"mine"}
    render(seed_result(), Settings(), out, force=True)
    assert (out / "notes.txt").read_text() == "mine"  # kept
    assert (out / "main.tf").is_file()


def test_rerender_keeps_plugins_state_and_user_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    (out / "plugins").mkdir()
    (out / "plugins" / "debezium-connector-mysql-2.7.3.Final.zip").write_bytes(b"PK")
    (out / "terraform.tfstate").write_text("{}")
    (out / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    render(seed_result(with_skipped=False), Settings(), out)
    assert (out / "plugins" / "debezium-connector-mysql-2.7.3.Final.zip").read_bytes() == b"PK"
    assert (out / "terraform.tfstate").read_text() == "{}"
    assert (out / "backend.tf").is_file()
    assert json.loads((out / "findings.json").read_text())["partial"] is False
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no stage or backup left


def test_failing_render_leaves_existing_out_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    before = tree(out)
    bad = Settings(connectors=ConnectorSettings(mcu_count=3))
    with pytest.raises(ConfigError):
        render(seed_result(), bad, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_while_writing_leaves_out_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    render(seed_result(), Settings(), out)
    before = tree(out)
    from dms2msk.render import atomic

    real_write = atomic.write_tree

    def write_then_fail(stage: Path, files: dict[str, bytes]) -> None:
        real_write(stage, files)
        raise OSError("disk full")

    monkeypatch.setattr(atomic, "write_tree", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        render(seed_result(with_skipped=False), Settings(), out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


BAD_SETTINGS = [
    (Settings(cluster=ClusterSettings(broker_count=4)), "cluster.broker_count 4", "multiple of the number of subnets"),
    (Settings(cluster=ClusterSettings(kafka_version="3.7.1")), "cluster.kafka_version '3.7.1'", "MSK offers"),
    (Settings(debezium_version="9.9.9.Final"), "debezium_version '9.9.9.Final'", "debezium_version"),
    (Settings(debezium_version="latest"), "debezium_version 'latest'", "Debezium release"),
    (Settings(plugin_bucket="My_Bucket"), "plugin_bucket 'My_Bucket'", "S3 bucket name"),
    (Settings(plugin_bucket="a..b"), "plugin_bucket 'a..b'", "adjacent periods"),
    (Settings(connectors=ConnectorSettings(mcu_count=3)), "connectors.mcu_count 3", "1, 2, 4, 8"),
    (Settings(kafkaconnect_version="3.6.0"), "kafkaconnect_version '3.6.0'", "2.7.1 or 3.7.x"),
    (
        Settings(debezium_version="3.6.3.Final", kafkaconnect_version="2.7.1"),
        "kafkaconnect_version '2.7.1'",
        "Java 17",
    ),
    (Settings(cluster=ClusterSettings(mode="existing")), "existing_cluster_arn", "ARN of the MSK cluster"),
    (Settings(network=NetworkSettings(vpc_id="vpc-1", subnet_ids=("subnet-1",))), "subnets", "at least 2"),
    (
        Settings(network=NetworkSettings(subnet_ids=("subnet-1", "subnet-2"))),
        "without network.vpc_id",
        "the VPC they belong to",
    ),
]


@pytest.mark.parametrize(("settings", "value", "rule"), BAD_SETTINGS)
def test_bad_settings_fail_with_value_rule_and_setting(
    tmp_path: Path, settings: Settings, value: str, rule: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        render(seed_result(), settings, tmp_path / "out", config_file="dms2msk.toml")
    error = caught.value
    assert value in error.message and rule in error.message
    assert error.hint and "dms2msk.toml" in error.hint
    assert not (tmp_path / "out").exists()


def test_pipelines_of_another_region_are_skipped_with_a_finding(tmp_path: Path) -> None:
    result = seed_result(with_skipped=False)
    other = dataclasses.replace(seed_pipeline("eu-task", "eu_task"), region="eu-west-1")
    result = dataclasses.replace(result, pipelines=(*result.pipelines, other))
    report = render(result, Settings(), tmp_path / "out")
    assert report.pipelines == ("simplydemo_products",)
    assert [s.task_identifier for s in report.skipped] == ["eu-task"]
    assert "render.other-region" in {f.code for f in report.findings}


def test_the_subnets_hint_names_the_vpc_too(tmp_path: Path) -> None:
    settings = Settings(network=NetworkSettings(vpc_id="vpc-1", subnet_ids=("subnet-1",)))
    with pytest.raises(ConfigError) as caught:
        render(seed_result(), settings, tmp_path / "out", config_file="dms2msk.toml")
    assert caught.value.hint and "network.vpc_id" in caught.value.hint and "network.subnet_ids" in caught.value.hint


def test_the_readme_network_example_sets_the_vpc_with_the_subnets() -> None:
    import tomllib

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    network = tomllib.loads(example)["network"]
    assert network["subnet_ids"] and network["vpc_id"]


def _second_pipeline() -> Any:
    """Another task on the same DMS source secret, run by another replication instance."""
    other = seed_pipeline("other-task", "other_task")
    secret = dataclasses.replace(other.source.secrets[0], key="other_task_source")
    return dataclasses.replace(
        other,
        source=dataclasses.replace(other.source, secrets=(secret,)),
        network=dataclasses.replace(other.network, source="replication instance other-ri"),
    )


def test_generated_readme_names_a_shared_secret_once_and_the_network_sources_in_one_phrase() -> None:
    result = seed_result(with_skipped=False)
    result = dataclasses.replace(result, pipelines=(*result.pipelines, _second_pipeline()))
    files, _ = build_files(result, Settings())
    readme = files["README.md"].decode()
    shared_arn = result.pipelines[0].source.secrets[0].arn
    assert readme.count(f"- `{shared_arn}`") == 1
    assert "Network defaults come from replication instances other-ri and simplydemo-ri;" in readme

    overridden = Settings(network=NetworkSettings(security_group_ids=("sg-0mine",)))
    readme = build_files(result, overridden)[0]["README.md"].decode()
    assert (  # Markdown source: brackets and underscores escaped, shown as "[network] settings (security_group_ids)"
        "Network defaults come from the \\[network\\] settings (security\\_group\\_ids) and replication instances "
        "other-ri and simplydemo-ri;" in readme
    )


def _with_zones(subnets: dict[str, str]) -> MappingResult:
    result = seed_result(with_skipped=False)
    (pipeline,) = result.pipelines
    network = dataclasses.replace(pipeline.network, subnet_ids=tuple(subnets), subnet_zones=subnets)
    return dataclasses.replace(result, pipelines=(dataclasses.replace(pipeline, network=network),))


def test_more_subnets_than_msk_takes_are_refused_with_one_per_zone_suggested() -> None:
    zones = {"subnet-1": "ap-northeast-2a", "subnet-2": "ap-northeast-2b", "subnet-3": "ap-northeast-2c"}
    zones["subnet-4"] = "ap-northeast-2a"
    with pytest.raises(ConfigError) as caught:
        build_files(_with_zones(zones), Settings(), config_file="dms2msk.toml")
    assert "an MSK cluster takes 2 or 3 client subnets, each in a different availability zone" in str(caught.value)
    assert "ap-northeast-2a: subnet-1, subnet-4" in str(caught.value)
    assert caught.value.hint and 'subnet_ids = ["subnet-1", "subnet-2", "subnet-3"]' in caught.value.hint


def test_two_subnets_in_one_zone_are_refused_and_an_existing_cluster_does_not_care() -> None:
    zones = {"subnet-1": "ap-northeast-2a", "subnet-2": "ap-northeast-2a"}
    with pytest.raises(ConfigError) as caught:
        build_files(_with_zones(zones), Settings())
    assert "subnets in one availability zone" in str(caught.value)
    existing = Settings(
        cluster=ClusterSettings(
            mode="existing", existing_cluster_arn="arn:aws:kafka:ap-northeast-2:123456789012:cluster/c/u-1"
        )
    )
    build_files(_with_zones(zones), existing)  # MSK Connect takes them


def test_three_subnets_in_three_zones_pass() -> None:
    zones = {"subnet-1": "ap-northeast-2a", "subnet-2": "ap-northeast-2b", "subnet-3": "ap-northeast-2c"}
    files, _ = build_files(_with_zones(zones), Settings())
    assert "subnet-3" in files["variables.tf"].decode()


def test_the_generated_readme_states_the_sink_settings_the_sink_really_has() -> None:
    """Each `key=value` the README's target prerequisites name is the rendered sink's own property."""
    from dms2msk.mapping import map_inventory
    from tests.support.mapping import make_inventory

    settings = Settings(network=NetworkSettings(vpc_id="vpc-0abc", subnet_ids=("subnet-0a", "subnet-0b")))
    result = map_inventory(make_inventory(source_engine="mysql", target_engine="postgres"), settings)
    files, _ = build_files(result, settings)
    readme = files["README.md"].decode()
    (sink,) = [json.loads(data) for name, data in files.items() if name.endswith("-sink.json")]
    target = readme[readme.index("Target (") :].split("\n\n", 2)[1]
    stated = re.findall(r"`([a-z][a-z.]+) ?= ?([\w-]+)`", target)
    assert stated, target
    for key, value in stated:
        assert sink["config"].get(key) == value, (key, value)
    assert "created" in target  # schema.evolution=basic creates missing tables: the README must not say otherwise
