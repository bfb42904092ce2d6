"""The local rehearsal bundle: compose file and connector JSONs checked structurally (Docker cannot run here)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dms2msk.cli.rehearse import cli as rehearse_cli
from dms2msk.config import NetworkSettings, Settings
from dms2msk.rehearse import IAM_CLIENT_KEYS, LOCAL_BOOTSTRAP, write_bundle
from dms2msk.render import render
from tests.debezium.estate import endpoint, include, inventory, mapped, task, transform

NETWORK = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-0a", "subnet-0b"), security_group_ids=("sg-0a",))


def _out(tmp_path: Path, version: str = "3.6.3.Final") -> Path:
    pg = endpoint("pg-src", "source", "postgres")
    my = endpoint("my-src", "source", "mysql", port=3306, database=None)
    target = endpoint("pg-tgt", "target", "postgres", host="tgt.internal")
    rules = [include(1, "shop", "%"), transform(2, "column", "remove-column", schema="shop", table="c", column="x")]
    inv = inventory([task("pg-task", pg, target, rules), task("my-task", my, target, rules)], [pg, my, target])
    settings = replace(Settings(debezium_version=version), network=NETWORK)
    out = tmp_path / "out"
    render(mapped(inv, settings), settings, out, inventory=inv)
    return out


def _allowed_difference(key: str, msk: str | None, local: str | None) -> bool:
    """The four documented local differences, and nothing else."""
    if local is None:  # removed: only MSK IAM client settings
        return any(key.endswith("." + k) or key == k for k in IAM_CLIENT_KEYS)
    if msk == "${bootstrap_servers}":
        return local == LOCAL_BOOTSTRAP
    if msk is not None and "${secretsmanager:" in msk:
        return re.fullmatch(r"\$\{file:/secrets/(source|sink)\.properties:(username|password)\}", local) is not None
    return key in ("database.hostname", "database.port", "connection.url", "mongodb.connection.string")


@pytest.mark.parametrize("version", ["3.6.3.Final", "2.7.3.Final"])
def test_bundle_structure_and_connectors_equal_msk_except_documented(tmp_path: Path, version: str) -> None:
    out = _out(tmp_path, version)
    folders = write_bundle(out)
    assert sorted(f.name for f in folders) == ["my_task", "pg_task"]
    for folder in folders:
        compose = yaml.safe_load((folder / "compose.yaml").read_text())
        services = compose["services"]
        assert set(services) == {"source-db", "kafka", "connect", "target-db"}
        assert services["connect"]["image"] == f"quay.io/debezium/connect:{version}"
        assert "broker,controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]
        source_command = " ".join(services["source-db"].get("command", []))
        assert (
            ("wal_level=logical" in source_command)
            if folder.name == "pg_task"
            else ("--binlog-format=ROW" in source_command)
        )
        for script in ("deploy.sh", "check.sh"):
            assert subprocess.run(["bash", "-n", str(folder / script)], capture_output=True).returncode == 0
            assert (folder / script).stat().st_mode & 0o111
        readme = (folder / "README.md").read_text()
        assert "no Docker" in readme and "Local differences" in readme
        local_names = sorted(p.name for p in (folder / "connectors").glob("*.json"))
        assert local_names == [
            f"{folder.name.replace('_', '-')}-sink.json",
            f"{folder.name.replace('_', '-')}-source.json",
        ]
        for name in local_names:
            msk = json.loads((out / "connectors" / name).read_text())
            local = json.loads((folder / "connectors" / name).read_text())
            assert local["name"] == msk["name"]
            differing = {
                k: (msk["config"].get(k), local["config"].get(k))
                for k in set(msk["config"]) | set(local["config"])
                if msk["config"].get(k) != local["config"].get(k)
            }
            assert differing, "the local config should at least point at the local database"
            bad = {k: v for k, v in differing.items() if not _allowed_difference(k, *v)}
            assert bad == {}
            assert not any(k not in msk["config"] for k in local["config"])  # nothing added
            assert "AWS_MSK_IAM" not in json.dumps(local)
        # The IAM settings the MySQL source carries on MSK (schema history clients) are gone locally.
        if folder.name == "my_task":
            msk_source = json.loads((out / "connectors" / "my-task-source.json").read_text())["config"]
            assert any(v == "AWS_MSK_IAM" for v in msk_source.values())
            local_source = json.loads((folder / "connectors" / "my-task-source.json").read_text())["config"]
            assert local_source["schema.history.internal.kafka.bootstrap.servers"] == LOCAL_BOOTSTRAP


def test_no_password_in_the_bundle_and_a_rewrite_keeps_files_it_did_not_write(tmp_path: Path) -> None:
    out = _out(tmp_path)
    result = CliRunner().invoke(rehearse_cli, [str(out), "--task", "pg-task", "--out", str(tmp_path / "local")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "local" / "pg_task"
    compose = yaml.safe_load((folder / "compose.yaml").read_text())
    assert compose["services"]["source-db"]["environment"]["POSTGRES_PASSWORD"].startswith("${SOURCE_DB_PASSWORD:?")
    texts = "\n".join(p.read_text() for p in folder.rglob("*") if p.is_file())
    assert "password=<set by deploy.sh>" in texts
    assert not (folder / "secrets" / "source.properties").exists()
    # A second run rewrites the bundle's own files and keeps every file it did not write, in the bundle and beside.
    (folder / "NOTES.md").write_text("mine")
    (tmp_path / "local" / "other-work.txt").write_text("mine too")
    (folder / "compose.yaml").write_text("edited")
    assert (
        CliRunner().invoke(rehearse_cli, [str(out), "--task", "pg-task", "--out", str(tmp_path / "local")]).exit_code
        == 0
    )
    assert (folder / "NOTES.md").read_text() == "mine"
    assert (tmp_path / "local" / "other-work.txt").read_text() == "mine too"
    assert yaml.safe_load((folder / "compose.yaml").read_text()) == compose


def test_unknown_task_and_missing_folder_are_clear(tmp_path: Path) -> None:
    out = _out(tmp_path)
    result = CliRunner().invoke(rehearse_cli, [str(out), "--task", "nope"])
    assert result.exit_code == 1 and "no pipeline for task 'nope'" in result.output and "pg-task" in result.output
    missing = CliRunner().invoke(rehearse_cli, [str(tmp_path / "absent")])
    assert missing.exit_code == 1 and "render" in missing.output


def test_the_bundle_gets_normal_modes(tmp_path: Path) -> None:
    """Nothing secret is in the bundle (deploy.sh asks for the passwords): not mkdtemp's 0700."""
    out = _out(tmp_path)
    previous_umask = os.umask(0o022)
    try:
        (folder,) = write_bundle(out, task="pg-task")
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "compose.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((folder / "deploy.sh").stat().st_mode) == 0o755


def test_a_bundle_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    out = _out(tmp_path)
    (tmp_path / "file").write_text("a regular file")
    result = CliRunner().invoke(rehearse_cli, [str(out), "--out", str(tmp_path / "file" / "local")])
    assert result.exit_code == 1, result.output
    assert f"cannot create the bundle folder {tmp_path / 'file' / 'local'}" in result.output


# The users each image creates, from the images' documentation (Docker Hub / vendor pages): postgres creates
# POSTGRES_USER (default "postgres"); mysql and mariadb have root; mssql has sa; Oracle Free has system;
# the Db2 community image creates the DB2INSTANCE user.
_IMAGE_USERS = {
    "postgres": lambda env: {env.get("POSTGRES_USER", "postgres")},
    "mysql": lambda env: {"root"} | ({env["MYSQL_USER"]} if "MYSQL_USER" in env else set()),
    "mariadb": lambda env: {"root"} | ({env["MARIADB_USER"]} if "MARIADB_USER" in env else set()),
}
# The database each image creates: POSTGRES_DB (default: the user's name), MYSQL_DATABASE, MARIADB_DATABASE.
_IMAGE_DATABASES = {
    "postgres": lambda env: {env.get("POSTGRES_DB", env.get("POSTGRES_USER", "postgres"))},
    "mysql": lambda env: {env["MYSQL_DATABASE"]} if "MYSQL_DATABASE" in env else set(),
    "mariadb": lambda env: {env["MARIADB_DATABASE"]} if "MARIADB_DATABASE" in env else set(),
}
_JDBC_URL = re.compile(
    r"jdbc:(?P<kind>postgresql|mysql|mariadb)://(?P<host>[^:/]+):(?P<port>\d+)/(?P<database>[^?;/]*)"
)


def _image_kind(image: str) -> str:
    return image.split(":", 1)[0].rsplit("/", 1)[-1]


def _deploy_default_user(deploy: str, variable: str) -> str:
    match = re.search(r"\$\{" + variable + r":-([^}]*)\}", deploy)
    assert match, f"deploy.sh has no default for {variable}"
    return match.group(1)


@pytest.mark.parametrize(("source_engine", "target_engine"), [("postgres", "postgres"), ("mysql", "mysql")])
def test_every_url_database_and_user_the_bundle_names_exists_in_it(
    tmp_path: Path, source_engine: str, target_engine: str
) -> None:
    port = {"postgres": 5432, "mysql": 3306}
    source = endpoint("src", "source", source_engine, port=port[source_engine], database="sales_db")
    # The target's host and port come from its DMS secret: ${secretsmanager:...:host} in the MSK URL.
    target = endpoint("tgt", "target", target_engine, host=None, port=None, database="warehouse")
    inv = inventory([task("t1", source, target, [include(1, "shop", "%")])], [source, target])
    settings = replace(Settings(debezium_version="3.6.3.Final"), network=NETWORK)
    out = tmp_path / "out"
    render(mapped(inv, settings), settings, out, inventory=inv)
    assert (
        "${secretsmanager:" in json.loads((out / "connectors" / "t1-sink.json").read_text())["config"]["connection.url"]
    )
    (folder,) = write_bundle(out)

    services = yaml.safe_load((folder / "compose.yaml").read_text())["services"]
    deploy = (folder / "deploy.sh").read_text()
    readme = (folder / "README.md").read_text()
    sink = json.loads((folder / "connectors" / "t1-sink.json").read_text())["config"]
    source_config = json.loads((folder / "connectors" / "t1-source.json").read_text())["config"]

    # The sink's URL names the compose service, its container port and a database the image creates.
    url = _JDBC_URL.fullmatch(sink["connection.url"])
    assert url, sink["connection.url"]
    target_service = services[url["host"]]
    target_env = target_service["environment"]
    assert url["host"] == "target-db"
    assert any(p.endswith(f":{url['port']}") for p in target_service["ports"])
    assert url["database"] == "warehouse"
    assert url["database"] in _IMAGE_DATABASES[_image_kind(target_service["image"])](target_env)

    # The source connector reaches source-db on its port, in the database the image creates (when it names one).
    source_service = services[source_config["database.hostname"]]
    assert any(p.endswith(f":{source_config['database.port']}") for p in source_service["ports"])
    if "database.dbname" in source_config:
        created = _IMAGE_DATABASES[_image_kind(source_service["image"])](source_service["environment"])
        assert source_config["database.dbname"] in created

    # deploy.sh's default users are users the images create, and the README says how to change them.
    for variable, service in (("SOURCE_DB_USER", source_service), ("TARGET_DB_USER", target_service)):
        user = _deploy_default_user(deploy, variable)
        assert user in _IMAGE_USERS[_image_kind(service["image"])](service["environment"]), (variable, user)
        assert variable in readme


def test_rehearse_json_lists_each_bundle(tmp_path: Path) -> None:
    out = _out(tmp_path)
    result = CliRunner().invoke(rehearse_cli, [str(out), "--format", "json", "--out", str(tmp_path / "local")])
    assert result.exit_code == 0, result.output
    bundles = json.loads(result.output)["bundles"]
    assert sorted(b["pipeline"] for b in bundles) == ["my_task", "pg_task"]
    for bundle in bundles:
        assert {"compose.yaml", "deploy.sh", "check.sh", "README.md"} <= set(bundle["files"])
        assert Path(bundle["folder"]).is_dir()
