"""A private MariaDB server (Debian's mariadb-server package) with the binary log in ROW format.

``mariadb-install-db`` into a temporary folder and ``mariadbd --no-defaults``
on a free loopback port, socket in the same folder. Skips with a clear reason
only when the binaries are not installed (``apt-get install -y mariadb-server``).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .postgres import free_port


@dataclass(frozen=True)
class MariaDbServer:
    host: str
    port: int
    user: str
    password: str
    socket: str

    def connect(self, database: str | None = None):  # type: ignore[no-untyped-def]
        import pymysql

        return pymysql.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, database=database, autocommit=True
        )


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDbServer]:
    mariadbd = shutil.which("mariadbd") or ("/usr/sbin/mariadbd" if os.path.exists("/usr/sbin/mariadbd") else None)
    install_db = shutil.which("mariadb-install-db")
    if mariadbd is None or install_db is None:
        pytest.skip("MariaDB binaries missing: apt-get install -y mariadb-server")
    work = Path(tempfile.mkdtemp(prefix="dms2msk-mariadb-"))
    data_dir = work / "data"
    sock = work / "mariadb.sock"
    as_root = os.geteuid() == 0
    run_user = ["--user=mysql"] if as_root and _has_account("mysql") else []
    if run_user:
        os.chmod(work, 0o755)
        account = pwd.getpwnam("mysql")
        os.chown(work, account.pw_uid, account.pw_gid)
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={data_dir}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *run_user,
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",
            f"--datadir={data_dir}",
            f"--socket={sock}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--log-bin=mariadb-bin",
            "--binlog-format=ROW",
            "--server-id=1",
            f"--pid-file={work / 'mariadb.pid'}",
            "--skip-name-resolve",
            *run_user,
        ],
        stdout=subprocess.DEVNULL,
        stderr=(work / "server.log").open("wb"),
    )
    password = secrets.token_urlsafe(16)  # lives only for this test session
    user = "dms2msk_test"
    try:
        deadline = time.monotonic() + 60
        while True:
            result = subprocess.run(
                [
                    "mariadb",
                    "--no-defaults",
                    f"--socket={sock}",
                    "-uroot",
                    "-e",
                    f"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY '{password}'; "
                    f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%' WITH GRANT OPTION;",
                ],
                capture_output=True,
            )
            if result.returncode == 0:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"MariaDB did not start: {(work / 'server.log').read_text(errors='replace')}")
            time.sleep(0.5)
        yield MariaDbServer("127.0.0.1", port, user, password, str(sock))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)


def _has_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
