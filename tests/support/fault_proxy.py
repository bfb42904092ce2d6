"""A fault-injecting HTTP proxy on loopback, in front of the moto server.

AWS SDK clients are pointed at the proxy (``endpoint_url=proxy.url``); every request goes on to the
emulator unchanged unless a :class:`Fault` matches it by region and operation. The region is read from
the SigV4 ``Authorization`` credential scope, the operation from ``X-Amz-Target`` (JSON protocols: DMS,
Secrets Manager) or the ``Action`` form field (query protocols: EC2, STS).

Faults (``kind``):

* ``deny``: HTTP 400 ``AccessDeniedException`` (the JSON error body AWS sends);
* ``throttle``: HTTP 400 ``ThrottlingException``;
* ``5xx``: HTTP ``status`` (default 500) ``InternalFailure``;
* ``hang``: read the request, answer nothing for ``hang_seconds`` (then close the connection);
* ``foreign``: HTTP 200 with a body that is not the API's (by default an HTML page, as a captive
  portal or a misconfigured corporate proxy sends).

``skip`` lets that many matching requests through first (``skip=1`` on ``DescribeReplicationTasks``
fails its second page); ``times`` limits how often the fault fires (``None``: every later request).

Fixture: ``fault_proxy`` (function) yields a :class:`FaultProxy` in front of ``paginating_moto_endpoint``.
Without pytest: ``with FaultProxy(upstream_url) as proxy: proxy.add(Fault(...))``.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import pytest

FAULT_KINDS = ("deny", "throttle", "5xx", "hang", "foreign")
FOREIGN_HTML = (
    b"<!DOCTYPE html><html><head><title>Proxy login</title></head>"
    b"<body><h1>Please sign in to continue</h1></body></html>"
)
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization"}


@dataclass
class Fault:
    """One fault: which requests it hits (``region``/``operation``, None = any) and what it answers."""

    kind: str
    region: str | None = None
    operation: str | None = None
    skip: int = 0
    times: int | None = None
    status: int = 500
    hang_seconds: float = 30.0
    body: bytes = FOREIGN_HTML
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind {self.kind!r} is not one of {FAULT_KINDS}")

    def claims(self, region: str | None, operation: str | None) -> bool:
        """Whether this request gets the fault (counts matching requests; call once per request)."""
        if self.region is not None and self.region != region:
            return False
        if self.operation is not None and self.operation != operation:
            return False
        self.seen += 1
        if self.seen <= self.skip or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True


@dataclass
class Seen:
    """A request that reached the proxy, and whether a fault answered it."""

    region: str | None
    operation: str | None
    fault: str | None


@dataclass
class _State:
    upstream: urllib.parse.SplitResult
    faults: list[Fault] = field(default_factory=list)
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    closing: threading.Event = field(default_factory=threading.Event)


def request_region_and_operation(headers: dict[str, str], body: bytes) -> tuple[str | None, str | None]:
    """The SigV4 region and the API operation of an AWS request."""
    scope = _CREDENTIAL_SCOPE.search(headers.get("authorization", ""))
    region = scope.group(1) if scope else None
    target = headers.get("x-amz-target")
    if target:
        return region, target.rsplit(".", 1)[-1]
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    return region, (form.get("Action") or [None])[0]


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"__type": code, "message": message}).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: _State  # set on the subclass made per proxy

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the test reads proxy.requests instead

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        region, operation = request_region_and_operation(headers, body)
        with self.state.lock:
            fault = next((f for f in self.state.faults if f.claims(region, operation)), None)
            self.state.requests.append(Seen(region, operation, fault.kind if fault else None))
        if fault is None:
            self._forward(body, headers)
        elif fault.kind == "hang":
            self.state.closing.wait(fault.hang_seconds)
            self.close_connection = True
        elif fault.kind == "foreign":
            self._answer(200, fault.body, "text/html; charset=utf-8")
        elif fault.kind == "deny":
            message = f"User: arn:aws:iam::123456789012:user/test is not authorized to perform: {operation}"
            self._answer(400, _error_body("AccessDeniedException", message))
        elif fault.kind == "throttle":
            self._answer(400, _error_body("ThrottlingException", "Rate exceeded"))
        else:
            self._answer(fault.status, _error_body("InternalFailure", "injected server error"))

    def _answer(self, status: int, body: bytes, content_type: str = "application/x-amz-json-1.1") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "fault-proxy")
        self.end_headers()
        self.wfile.write(body)

    def _forward(self, body: bytes, headers: dict[str, str]) -> None:
        upstream = self.state.upstream
        connection = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port, timeout=60)
        try:
            forwarded = {k: v for k, v in headers.items() if k not in _HOP_BY_HOP}
            connection.request(self.command, self.path, body=body, headers=forwarded)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FaultProxy:
    """The proxy server on 127.0.0.1 (a free port), serving on a daemon thread."""

    def __init__(self, upstream_url: str) -> None:
        self._state = _State(upstream=urllib.parse.urlsplit(upstream_url))
        handler = type("FaultHandler", (_Handler,), {"state": self._state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[Seen]:
        with self._state.lock:
            return list(self._state.requests)

    def add(self, fault: Fault) -> Fault:
        with self._state.lock:
            self._state.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._state.lock:
            self._state.faults.clear()
            self._state.requests.clear()

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._state.closing.set()  # release hanging requests
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


@pytest.fixture
def fault_proxy(paginating_moto_endpoint: str) -> Iterator[FaultProxy]:
    """A fresh proxy (no faults yet) in front of a reset, paginating moto server."""
    with FaultProxy(paginating_moto_endpoint) as proxy:
        yield proxy
