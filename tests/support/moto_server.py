"""A real ``moto_server`` process on loopback, shared by the tests (and the benchmark).

Fixtures:

* ``aws_dummy_credentials`` (session, autouse): dummy credentials and no shared
  config files, so no test can ever reach a real AWS account.
* ``moto_server`` (session): the running server; ``.endpoint_url`` and ``.reset()``.
* ``moto_endpoint`` (function): resets the emulator's state, yields its URL.
* ``paginating_moto_endpoint`` (function): the same on a second server whose DMS Describe calls
  page with ``MaxRecords``/``Marker`` as AWS documents (see :func:`patch_moto_dms_pagination`).

:class:`MotoServer` is also usable without pytest (``with MotoServer() as server:``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

DUMMY_AWS_ENV: dict[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    # Never read the developer's own ~/.aws files during tests.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
"""Environment for the test session: credentials an emulator accepts and AWS rejects."""

_UNSET_AWS_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL")


_REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

_DMS_PAGINATED_CALLS = {
    "describe_replication_instances": "ReplicationInstances",
    "describe_endpoints": "Endpoints",
    "describe_replication_tasks": "ReplicationTasks",
    "describe_replication_subnet_groups": "ReplicationSubnetGroups",
}


def patch_moto_dms_pagination() -> None:
    """Make moto's DMS Describe calls page with ``MaxRecords``/``Marker`` as the AWS API does.

    moto 5.2 ignores ``MaxRecords`` for instances, endpoints and subnet groups (one page with
    everything, no ``Marker``) and cuts ``DescribeReplicationTasks`` at ``MaxRecords`` without a
    ``Marker``, so more than 100 tasks cannot be read back at all. The patch lets moto build the full
    answer, then returns the requested page and a ``Marker`` when more records follow, which is
    the documented DMS behaviour. It is applied only in servers started with ``paginate_dms=True``.
    """
    from moto.dms.responses import DatabaseMigrationServiceResponse

    def paginated(original: Any, result_key: str) -> Any:
        def method(self: Any) -> str:
            params = json.loads(self.body or "{}")
            page_size = int(params.pop("MaxRecords", None) or 100)
            start = int(params.pop("Marker", None) or 0)
            params["MaxRecords"] = 1_000_000_000  # let moto return every record
            self.body = json.dumps(params)
            answer = json.loads(original(self))
            records = answer.get(result_key) or []
            answer[result_key] = records[start : start + page_size]
            if start + page_size < len(records):
                answer["Marker"] = str(start + page_size)
            return json.dumps(answer)

        return method

    for name, result_key in _DMS_PAGINATED_CALLS.items():
        setattr(
            DatabaseMigrationServiceResponse,
            name,
            paginated(getattr(DatabaseMigrationServiceResponse, name), result_key),
        )


def moto_server_executable() -> Path:
    """The ``moto_server`` script installed next to the running Python (the virtualenv's)."""
    candidate = Path(sys.executable).parent / "moto_server"
    if not candidate.exists():
        raise FileNotFoundError(f"moto_server not found next to {sys.executable}; install moto[server]")
    return candidate


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoServer:
    """One ``moto_server`` child process bound to 127.0.0.1 on a free port."""

    def __init__(self, *, start_timeout_s: float = 30.0, paginate_dms: bool = False) -> None:
        self.start_timeout_s = start_timeout_s
        self.paginate_dms = paginate_dms
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: tempfile._TemporaryFileWrapper[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        if self.port is None:
            raise RuntimeError("moto server is not started")
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        # Another process may grab the port between free_port() and the bind: retry a few times.
        last_error = ""
        for _attempt in range(5):
            self.port = free_port()
            self._log_file = tempfile.NamedTemporaryFile(prefix="moto-server-", suffix=".log")  # noqa: SIM115
            address = ["-H", "127.0.0.1", "-p", str(self.port)]
            env = {**os.environ, **DUMMY_AWS_ENV}
            if self.paginate_dms:
                # The same moto server, started through this module so the pagination patch is applied first.
                command = [sys.executable, "-m", "tests.support.moto_server", "--paginate-dms", *address]
                env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPOSITORY_ROOT), env.get("PYTHONPATH")]))
            else:
                command = [str(moto_server_executable()), *address]
            self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT, env=env)
            if self._wait_until_ready():
                return self
            last_error = self._log_tail()
            self.stop()
        raise RuntimeError(f"moto_server did not start: {last_error}")

    def _wait_until_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        return False

    def _log_tail(self) -> str:
        if self._log_file is None:
            return ""
        self._log_file.flush()
        return Path(self._log_file.name).read_text(encoding="utf-8", errors="replace")[-2000:]

    def reset(self) -> None:
        """Forget every resource the emulator holds (all services, all regions)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 200:
                raise RuntimeError(f"moto reset answered HTTP {response.status}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


@pytest.fixture(scope="session", autouse=True)
def aws_dummy_credentials() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _UNSET_AWS_ENV:
            patch.delenv(name, raising=False)
        for name, value in DUMMY_AWS_ENV.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def moto_server(aws_dummy_credentials: None) -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture
def moto_endpoint(moto_server: MotoServer) -> str:
    moto_server.reset()
    return moto_server.endpoint_url


@pytest.fixture(scope="session")
def paginating_moto_server(aws_dummy_credentials: None) -> Iterator[MotoServer]:
    with MotoServer(paginate_dms=True) as server:
        yield server


@pytest.fixture
def paginating_moto_endpoint(paginating_moto_server: MotoServer) -> str:
    paginating_moto_server.reset()
    return paginating_moto_server.endpoint_url


if __name__ == "__main__":  # python -m tests.support.moto_server [--paginate-dms] [moto_server options]
    arguments = sys.argv[1:]
    if "--paginate-dms" in arguments:
        arguments.remove("--paginate-dms")
        patch_moto_dms_pagination()
    from moto.server import main

    main(arguments)
