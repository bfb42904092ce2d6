"""A private PostgreSQL 15 server for the real-engine tests.

``initdb`` into a temporary folder, ``wal_level=logical`` so Debezium can use
``pgoutput``, listening on 127.0.0.1 on a free port with its unix socket in the
same folder. Local socket connections are trusted (the fixture's own admin
work); TCP needs a password generated for this test session only, so wrong
credentials can be tested too. The server is stopped and removed at the end.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN_NAMES = ("initdb", "pg_ctl", "postgres")


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    socket_dir: str

    def url(self, dbname: str | None = None, *, password: str | None = None) -> str:
        return f"postgresql://{self.user}:{password or self.password}@{self.host}:{self.port}/{dbname or self.dbname}"

    def connect(self, dbname: str | None = None, autocommit: bool = True):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.dbname,
            autocommit=autocommit,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> list[str]:
    """PostgreSQL refuses to run as root; under root, run it as the 'postgres' (or 'nobody') account."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    pytest.skip("running as root and no unprivileged account to run PostgreSQL as")


def _chown_for(prefix: list[str], path: Path) -> None:
    if prefix:
        account = pwd.getpwnam(prefix[2])
        for root, dirs, files in os.walk(path):
            for name in (root, *(os.path.join(root, n) for n in dirs + files)):
                os.chown(name, account.pw_uid, account.pw_gid)


def start_postgres(work: Path, *, wal_level: str = "logical") -> tuple[PostgresServer, Path, list[str]]:
    """Start a server under ``work``; returns it, its data folder and the run-as prefix (for stop)."""
    missing = [name for name in PG_BIN_NAMES if shutil.which(name) is None]
    if missing:
        pytest.skip(f"PostgreSQL server binaries missing: {', '.join(missing)}")
    prefix = _run_as()
    data_dir = work / "data"
    socket_dir = work / "socket"
    socket_dir.mkdir(parents=True)
    password = secrets.token_urlsafe(16)  # lives only for this test session
    pwfile = work / "pwfile"
    pwfile.write_text(password + "\n", encoding="utf-8")
    os.chmod(work, 0o755)
    _chown_for(prefix, work)
    user = "dms2msk_test"
    subprocess.run(
        [
            *prefix,
            "initdb",
            "-D",
            str(data_dir),
            "-U",
            user,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    pwfile.unlink()
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={socket_dir} "
        f"-c wal_level={wal_level} -c max_replication_slots=20 -c max_wal_senders=20 -c fsync=off "
        "-c shared_buffers=32MB -c max_connections=60"
    )
    subprocess.run(
        [
            *prefix,
            "pg_ctl",
            "-D",
            str(data_dir),
            "-l",
            str(work / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    server = PostgresServer("127.0.0.1", port, user, password, "postgres", str(socket_dir))
    # Wait until TCP with the password works (pg_ctl -w already waited for the socket).
    deadline = time.monotonic() + 30
    while True:
        try:
            with server.connect() as conn:
                conn.execute("select 1")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    return server, data_dir, prefix


def stop_postgres(data_dir: Path, prefix: list[str]) -> None:
    subprocess.run([*prefix, "pg_ctl", "-D", str(data_dir), "-m", "fast", "-w", "stop"], capture_output=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server with wal_level=logical, for the whole test session."""
    work = Path(tempfile.mkdtemp(prefix="dms2msk-pg-"))
    server, data_dir, prefix = start_postgres(work)
    try:
        yield server
    finally:
        stop_postgres(data_dir, prefix)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def postgres_db(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    """A fresh database on the session server, dropped after the test (with any slots left in it)."""
    name = "t_" + secrets.token_hex(4)
    with postgres_server.connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = PostgresServer(
        postgres_server.host,
        postgres_server.port,
        postgres_server.user,
        postgres_server.password,
        name,
        postgres_server.socket_dir,
    )
    try:
        yield db
    finally:
        with postgres_server.connect() as conn:
            for (slot,) in conn.execute(
                "select slot_name from pg_replication_slots where database = %s", (name,)
            ).fetchall():
                conn.execute("select pg_drop_replication_slot(%s)", (slot,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
