"""Read an AWS DMS estate (one or more regions) into an :class:`~dms2msk.model.Inventory`.

Design points, because every extra Describe call is throttling risk on a large estate:

* each collection is read with the list call at its largest page size (DMS ``MaxRecords`` 100);
  no per-task or per-endpoint Describe call is made, tags come from ``ListTagsForResource`` with
  ``ResourceArnList`` (up to :data:`TAG_ARNS_PER_CALL` ARNs per call);
* Secrets Manager is asked only for the metadata of the secrets endpoints reference
  (``ListSecrets`` filtered by name, ten names a call; ``DescribeSecret`` for any it does not
  show); no secret value is ever read;
* regions are scanned concurrently, one boto3 session per thread (sessions are not thread-safe),
  and within a region the independent tag and secret lookups overlap on a few threads;
* botocore's adaptive retry mode absorbs throttling; every HTTP request, retry and the time the
  API took to answer are counted with botocore event hooks (:class:`ScanStats`);
* a failing call (AccessDenied, throttling beyond the retries, unreachable endpoint, a 200 answer
  that is not the API's) becomes a :class:`~dms2msk.model.ScanProblem` of its region; everything
  else is still read, and the region records which kinds it could not read completely;
* region names are checked against botocore's partition data before any call; a region that
  times out twice, or runs past its time budget, is given up so the other regions finish;
* when no region could be read at all, :class:`NothingScanned` is raised instead of returning an
  empty inventory.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .awscalls import short_message
from .errors import AwsError, InputError
from .model import (
    LISTING_OPERATIONS,
    Endpoint,
    Inventory,
    RegionInventory,
    ReplicationInstance,
    ReplicationTask,
    ScanProblem,
    SecretMetadata,
    ServerlessCompute,
    TableStatistic,
)

log = logging.getLogger(__name__)

DMS_MAX_RECORDS = 100
"""Largest ``MaxRecords`` the DMS Describe calls accept (service model: minimum 20, maximum 100)."""

TAG_ARNS_PER_CALL = 100
"""ARNs sent per ``ListTagsForResource`` call (``ResourceArnList``); kept at a DMS page's size."""

SECRET_NAMES_PER_CALL = 10
"""Names per ``ListSecrets`` name filter (the API's maximum number of filter values)."""

SECRETS_PAGE_SIZE = 100
"""``ListSecrets`` ``MaxResults`` maximum."""

LOOKUP_WORKERS = 4
"""Concurrent ``ListTagsForResource``/``DescribeSecret`` calls per region (independent lookups)."""

DEFAULT_RETRY_ATTEMPTS = 8
"""Total attempts per call in botocore's adaptive mode (the first one plus seven retries)."""

DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to open a connection to an AWS endpoint."""

DEFAULT_READ_TIMEOUT = 30.0
"""Seconds to wait for an answer (DMS Describe pages of 100 records answer in well under a second)."""

DEFAULT_REGION_TIMEOUT = 300.0
"""Seconds one region may take: no new request of a region starts after it (in-flight ones end by the read
timeout), so a stuck region is reported while the others finish."""

TIMEOUTS_BEFORE_GIVING_UP = 2
"""A region whose requests timed out this often is unresponsive: its remaining calls are not attempted."""

SECRET_FIELD_PATTERN = re.compile(r"password|securitydbencryption", re.IGNORECASE)
"""Setting names that carry a secret (``Password``, ``SaslPassword``, Oracle's ``SecurityDbEncryption``...)."""

_REGION_FATAL_ERRORS = (
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "ReadTimeoutError",
    "NoCredentialsError",
    "NoRegionError",
    "UnknownRegionError",
    "RegionTimeout",
    "RegionUnresponsive",
)
"""Errors after which no other call of the region can succeed: report once, stop the region."""
_NOT_IMPLEMENTED_CODES = {"500", "501", "NotImplemented", "NotImplementedError", "InternalFailure"}

_TIMEOUT_ERRORS = ("ReadTimeoutError", "ConnectTimeoutError")

ClientFactory = Callable[[str, str], Any]
"""``(service, region) -> botocore client``; the default builds one from a per-thread boto3 session."""

ProgressCallback = Callable[["ScanProgress"], None]


@dataclass(frozen=True)
class ScanProgress:
    """One step of one region, for a progress display."""

    region: str
    step: str  # e.g. "replication instances", "tasks", "done"
    items: int  # items read so far in this step


@dataclass
class RegionStats:
    api_calls: int = 0
    http_requests: int = 0
    api_seconds: float = 0.0
    wall_seconds: float = 0.0
    by_operation: dict[str, int] = field(default_factory=dict)

    @property
    def retries(self) -> int:
        return max(self.http_requests - self.api_calls, 0)


@dataclass
class ScanStats:
    """Requests, retries and time of one scan, per region (filled in by botocore event hooks)."""

    regions: dict[str, RegionStats] = field(default_factory=dict)
    wall_seconds: float = 0.0

    @property
    def api_calls(self) -> int:
        return sum(r.api_calls for r in self.regions.values())

    @property
    def http_requests(self) -> int:
        return sum(r.http_requests for r in self.regions.values())

    @property
    def retries(self) -> int:
        return sum(r.retries for r in self.regions.values())

    @property
    def api_seconds(self) -> float:
        """Sum of the time the API took to answer each HTTP request (over all regions)."""
        return sum(r.api_seconds for r in self.regions.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "api_calls": self.api_calls,
            "http_requests": self.http_requests,
            "retries": self.retries,
            "api_seconds": round(self.api_seconds, 4),
            "wall_seconds": round(self.wall_seconds, 4),
            "regions": {
                name: {
                    "api_calls": r.api_calls,
                    "http_requests": r.http_requests,
                    "retries": r.retries,
                    "api_seconds": round(r.api_seconds, 4),
                    "wall_seconds": round(r.wall_seconds, 4),
                    "by_operation": dict(sorted(r.by_operation.items())),
                }
                for name, r in sorted(self.regions.items())
            },
        }


@dataclass(frozen=True)
class ScanResult:
    inventory: Inventory
    stats: ScanStats
    # --region values that are no AWS region name -> why: reported, not scanned, and kept out of the inventory
    # (every later command reads region names back and would refuse the whole file for one of them).
    rejected_regions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Timeouts:
    """How long the scan waits: per connection, per answer, and in total per region."""

    connect_seconds: float = DEFAULT_CONNECT_TIMEOUT
    read_seconds: float = DEFAULT_READ_TIMEOUT
    region_seconds: float = DEFAULT_REGION_TIMEOUT


class NothingScanned(AwsError):
    """No region could be read at all; ``inventory`` holds each region's problems (and nothing else)."""

    def __init__(self, inventory: Inventory) -> None:
        problems = [p for region in inventory.regions for p in region.problems]
        listed = "; ".join(f"{p.region}: {p.operation}: {p.code}: {p.message}" for p in problems[:6])
        more = f" (and {len(problems) - 6} more)" if len(problems) > 6 else ""
        hints = problem_hints(problems)
        super().__init__(
            f"no region could be read: {listed}{more}",
            hint=" ".join(hints) if hints else "check the credentials, the region names and the network",
        )
        self.inventory = inventory


class ForeignResponse(Exception):
    """An HTTP 200 whose body is not the API's (a proxy's or a portal's page): nothing in it can be trusted."""


class RegionTimeout(Exception):
    """The region ran past its time budget; its remaining calls are not attempted."""


class RegionUnresponsive(Exception):
    """The region's requests timed out repeatedly; its remaining calls are not attempted."""


@functools.cache
def _partitions() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Each AWS partition's region-name pattern and known regions, from botocore's bundled data."""
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")
    return tuple(
        (re.compile(partition["regionRegex"]), tuple(partition.get("regions") or ()))
        for partition in loader.load_data("endpoints")["partitions"]
    )


def region_name_problem(name: str) -> str | None:
    """None for a region botocore knows, or one its partition's name pattern admits (newer than botocore)."""
    if any(name in regions or pattern.match(name) for pattern, regions in _partitions()):
        return None
    known = sorted({region for _pattern, regions in _partitions() for region in regions})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    suggestion = f"did you mean {' or '.join(close)}?" if close else f"known regions: {', '.join(known)}"
    return f"{name!r} is not an AWS region name; {suggestion}"


def _rejected_region_names(region_names: list[str]) -> dict[str, str]:
    """The --region values that are no AWS region name, with why; all of them wrong stops the scan before any call.

    One bad name among good ones is reported for that region while the others scan (it is never called).
    """
    rejected = {name: problem for name in region_names if (problem := region_name_problem(name)) is not None}
    if rejected and len(rejected) == len(region_names):
        raise InputError(
            f"--region: {'; '.join(rejected.values())}",
            hint="correct the --region value(s) and run the scan again; nothing was scanned and no file was written. "
            + REGION_NAMES_HINT,
        )
    return rejected


def read_nothing(region: RegionInventory) -> bool:
    """True when not one DMS collection of the region was listed completely: nothing usable came back."""
    return set(LISTING_OPERATIONS.values()) <= set(region.unread)


REGION_NAMES_HINT = "Region names: see `aws ec2 describe-regions --query 'Regions[].RegionName'`."

_HINTS = (
    (
        ("AccessDenied", "UnauthorizedOperation", "AuthorizationError", "NotAuthorized"),
        "IAM: grant the scanning identity dms:Describe*, dms:ListTagsForResource, secretsmanager:ListSecrets and "
        "secretsmanager:DescribeSecret in that region (an SCP or a permissions boundary may also deny them).",
    ),
    (
        ("NoCredentials", "InvalidClientTokenId", "UnrecognizedClient", "ExpiredToken", "InvalidSignature"),
        "Credentials: pass --profile or set the AWS credentials (aws sts get-caller-identity must work).",
    ),
    (
        ("Throttl", "RequestLimitExceeded", "TooManyRequests", "SlowDown"),
        "Throttling outlasted the retries: scan fewer regions at once, raise --max-attempts, or ask for a higher "
        "DMS API rate quota.",
    ),
    (
        ("ReadTimeout", "ConnectTimeout", "RegionUnresponsive", "EndpointConnection", "ConnectionClosed", "ProxyConn"),
        "Network: check that this host reaches dms.REGION.amazonaws.com and secretsmanager.REGION.amazonaws.com "
        "on 443 (HTTPS_PROXY/NO_PROXY, a VPC endpoint, a firewall); --read-timeout and --region-timeout bound "
        "the wait.",
    ),
    (
        ("ForeignResponse",),
        "A proxy or portal answered instead of AWS: check HTTPS_PROXY/NO_PROXY and --endpoint-url.",
    ),
    (("UnknownRegion",), REGION_NAMES_HINT),
    (
        ("RegionTimeout",),
        "A region ran past --region-timeout: if it is only large (thousands of tasks), raise --region-timeout.",
    ),
)


def problem_hints(problems: Iterable[ScanProblem]) -> list[str]:
    """The hints that apply to these problems (IAM, credentials, throttling, network...), once each.

    The message counts too: a region given up names the errors it kept getting (``ThrottlingException``).
    """
    texts = [f"{p.code} {p.message}" for p in problems]
    return [hint for markers, hint in _HINTS if any(marker in text for text in texts for marker in markers)]


class _RegionGuard:
    """botocore hooks that stop a stuck region and refuse answers that are not the API's.

    * before each HTTP attempt: past the region's deadline, or after :data:`TIMEOUTS_BEFORE_GIVING_UP`
      timeouts, the attempt is not made (the exception ends the call and, being region-fatal, the region);
    * before parsing: a 200 whose body is not a JSON object, from a JSON-protocol API (DMS, Secrets
      Manager), raises :class:`ForeignResponse` instead of being read as an empty list.
    """

    def __init__(self, region: str, deadline: float) -> None:
        self.region = region
        self.deadline = deadline
        self.timeouts = 0
        self.errors: dict[str, int] = {}  # error codes of failed attempts, for the message when giving up
        self._lock = threading.Lock()

    def attach(self, client: Any) -> None:
        events = client.meta.events
        events.register("before-send.*.*", self._before_send)
        events.register("response-received.*.*", self._response_received)
        events.register("before-parse.*.*", self._before_parse)

    def _before_send(self, **_: Any) -> None:
        with self._lock:
            if time.perf_counter() > self.deadline:
                raise RegionTimeout(f"{self.region} ran past its time budget (--region-timeout){self._so_far()}")
            if self.timeouts >= TIMEOUTS_BEFORE_GIVING_UP:
                raise RegionUnresponsive(f"{self.region} timed out {self.timeouts} times{self._so_far()}")

    def _so_far(self) -> str:
        errors = ", ".join(f"{code} x{count}" for code, count in sorted(self.errors.items()))
        return f"; failed attempts so far: {errors}; calls abandoned" if errors else "; calls abandoned"

    def _response_received(self, exception: Exception | None = None, parsed_response: Any = None, **_: Any) -> None:
        code = type(exception).__name__ if exception is not None else None
        if code is None and isinstance(parsed_response, dict):
            code = (parsed_response.get("Error") or {}).get("Code")
        if code is None:
            return
        with self._lock:
            self.errors[code] = self.errors.get(code, 0) + 1
            if code in _TIMEOUT_ERRORS:
                self.timeouts += 1

    @staticmethod
    def _before_parse(operation_model: Any = None, response_dict: Any = None, **_: Any) -> None:
        if operation_model is None or not isinstance(response_dict, dict) or response_dict.get("status_code") != 200:
            return
        if operation_model.service_model.resolved_protocol != "json":
            return
        body = response_dict.get("body") or b""
        try:
            parsed = json.loads(body) if body else {}
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            content_type = (response_dict.get("headers") or {}).get("content-type", "no content type")
            start = re.sub(r"\s+", " ", body[:60].decode("utf-8", "replace")).strip()
            raise ForeignResponse(
                f"HTTP 200 with a body that is not the {operation_model.service_model.service_id} API's JSON "
                f"({content_type}, begins {start!r}): a proxy or portal answered instead of AWS"
            )


class _RequestCounter:
    """botocore event handlers counting one region's calls, HTTP attempts and API response time."""

    def __init__(self, stats: RegionStats) -> None:
        self.stats = stats
        self._lock = threading.Lock()
        self._sent_at = threading.local()

    def attach(self, client: Any) -> None:
        events = client.meta.events
        # before-parameter-build: once per API call (also when a stub answers it);
        # before-send: once per HTTP attempt (retries included); response-received: the attempt is back.
        events.register("before-parameter-build.*.*", self._before_call)
        events.register("before-send.*.*", self._before_send)
        events.register("response-received.*.*", self._response_received)

    def _before_call(self, model: Any = None, **_: Any) -> None:
        with self._lock:
            self.stats.api_calls += 1
            name = getattr(model, "name", "?")
            self.stats.by_operation[name] = self.stats.by_operation.get(name, 0) + 1

    def _before_send(self, **_: Any) -> None:
        with self._lock:
            self.stats.http_requests += 1
        self._sent_at.value = time.perf_counter()

    def _response_received(self, **_: Any) -> None:
        started = getattr(self._sent_at, "value", None)
        if started is None:
            return
        self._sent_at.value = None
        with self._lock:
            self.stats.api_seconds += time.perf_counter() - started


def _default_client_factory(
    profile: str | None,
    endpoint_url: str | None,
    retry_attempts: int,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
) -> ClientFactory:
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "adaptive", "total_max_attempts": retry_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        user_agent_extra=f"dms2msk/{__version__}",
    )
    session = boto3.Session(profile_name=profile)  # one per region thread: sessions are not thread-safe

    single_attempt = config.merge(Config(retries={"mode": "standard", "total_max_attempts": 1}))

    def factory(service: str, region: str, *, single_attempt_only: bool = False) -> Any:
        chosen = single_attempt if single_attempt_only else config
        return session.client(service, region_name=region, endpoint_url=endpoint_url, config=chosen)

    return factory


def scan(
    regions: Iterable[str],
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    progress: ProgressCallback | None = None,
    max_workers: int | None = None,
    include_table_statistics: bool = False,
    retry_attempts: int = DEFAULT_RETRY_ATTEMPTS,
    client_factory: Callable[[str], ClientFactory] | None = None,
    timeouts: Timeouts | None = None,
) -> Inventory:
    """Read the DMS estate of ``regions``. Problems are recorded in the inventory (partial regions).

    ``include_table_statistics`` adds each task's row counts (one ``DescribeTableStatistics`` call
    per 100 tables of every task, so it is off by default). Raises :class:`NothingScanned` when no
    region could be read at all (the problems are on the exception).
    """
    return scan_with_stats(
        regions,
        profile=profile,
        endpoint_url=endpoint_url,
        progress=progress,
        max_workers=max_workers,
        retry_attempts=retry_attempts,
        client_factory=client_factory,
        include_table_statistics=include_table_statistics,
        timeouts=timeouts,
    ).inventory


def scan_with_stats(
    regions: Iterable[str],
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    progress: ProgressCallback | None = None,
    max_workers: int | None = None,
    retry_attempts: int = DEFAULT_RETRY_ATTEMPTS,
    client_factory: Callable[[str], ClientFactory] | None = None,
    include_table_statistics: bool = False,
    timeouts: Timeouts | None = None,
) -> ScanResult:
    """:func:`scan`, also returning the request counts and timings.

    ``client_factory(region)`` returns a ``(service, region) -> client`` factory for that region's
    thread; tests use it to hand in clients wrapped by botocore's Stubber.
    """
    region_names = list(dict.fromkeys(regions))  # keep order, drop duplicates
    if not region_names:
        raise ValueError("scan needs at least one region")
    rejected = _rejected_region_names(region_names)
    region_names = [name for name in region_names if name not in rejected]
    timeouts = timeouts or Timeouts()
    stats = ScanStats(regions={name: RegionStats() for name in region_names})
    scanned_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def scan_one(region: str) -> RegionInventory:
        factory = (
            client_factory(region)
            if client_factory is not None
            else _default_client_factory(
                profile, endpoint_url, retry_attempts, timeouts.connect_seconds, timeouts.read_seconds
            )
        )
        started = time.perf_counter()
        try:
            guard = _RegionGuard(region, started + timeouts.region_seconds)
            scanner = _RegionScanner(region, factory, stats.regions[region], progress, endpoint_url is not None, guard)
            return scanner.run(include_table_statistics=include_table_statistics)
        finally:
            stats.regions[region].wall_seconds = time.perf_counter() - started

    started = time.perf_counter()
    workers = max_workers or min(len(region_names), 8)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dms2msk-scan") as pool:
        region_inventories = tuple(pool.map(scan_one, region_names))
    stats.wall_seconds = time.perf_counter() - started
    inventory = Inventory(scanned_at=scanned_at, regions=region_inventories, tool_version=__version__)
    if all(read_nothing(region) for region in region_inventories):
        raise NothingScanned(inventory)
    log.info(
        "scanned %d region(s): %d API calls, %d HTTP requests, %d retries, %.2fs",
        len(region_names),
        stats.api_calls,
        stats.http_requests,
        stats.retries,
        stats.wall_seconds,
    )
    return ScanResult(inventory=inventory, stats=stats, rejected_regions=rejected)


@dataclass(frozen=True)
class _Failed:
    """An exception a concurrent call raised, carried back to the region's thread."""

    error: Exception


class _RegionAbort(Exception):
    """The region's endpoint cannot be reached at all: stop scanning it."""


class _RegionScanner:
    def __init__(
        self,
        region: str,
        client_factory: ClientFactory,
        stats: RegionStats,
        progress: ProgressCallback | None,
        emulator: bool,
        guard: _RegionGuard | None = None,
    ) -> None:
        self.region = region
        self.client_factory = client_factory
        self.counter = _RequestCounter(stats)
        self.guard = guard or _RegionGuard(region, math.inf)
        self.progress = progress
        self.emulator = emulator
        self.problems: list[ScanProblem] = []
        self.complete: set[str] = set()  # kinds read completely (every page, every batch)
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            client = self.client_factory(service, self.region)
            self.counter.attach(client)
            self.guard.attach(client)
            self._clients[service] = client
        return self._clients[service]

    def optional_api_client(self) -> Any:
        """The DMS client for calls an emulator may not implement.

        An emulator answers an API it lacks with HTTP 500, which botocore would retry as a transient
        error; against an emulator one attempt is enough. Against AWS the normal client is used.
        """
        if not self.emulator:
            return self.client("dms")
        if "dms:single-attempt" not in self._clients:
            try:
                client = self.client_factory("dms", self.region, single_attempt_only=True)
            except TypeError:  # a custom factory without the option
                return self.client("dms")
            self.counter.attach(client)
            self.guard.attach(client)
            self._clients["dms:single-attempt"] = client
        return self._clients["dms:single-attempt"]

    def report(self, step: str, items: int) -> None:
        if self.progress is not None:
            try:
                self.progress(ScanProgress(self.region, step, items))
            except Exception:  # a broken progress display must not break the scan
                log.debug("progress callback failed", exc_info=True)

    def run(self, *, include_table_statistics: bool = False) -> RegionInventory:
        raw_instances: list[dict[str, Any]] = []
        raw_groups: list[dict[str, Any]] = []
        raw_endpoints: list[dict[str, Any]] = []
        raw_tasks: list[dict[str, Any]] = []
        raw_configs: list[dict[str, Any]] = []
        tags: dict[str, dict[str, str]] = {}
        secrets: dict[str, SecretMetadata] = {}
        statistics: dict[str, tuple[TableStatistic, ...]] = {}
        try:
            raw_instances = self.collect(
                "DescribeReplicationInstances", "replication instances", "ReplicationInstances"
            )
            raw_groups = self.collect(
                "DescribeReplicationSubnetGroups", "replication subnet groups", "ReplicationSubnetGroups"
            )
            raw_endpoints = self.collect("DescribeEndpoints", "endpoints", "Endpoints")
            raw_tasks = self.collect("DescribeReplicationTasks", "tasks", "ReplicationTasks")
            raw_configs = self.collect_replication_configs()
            arns = [i["ReplicationInstanceArn"] for i in raw_instances]
            arns += [e["EndpointArn"] for e in raw_endpoints]
            arns += [t["ReplicationTaskArn"] for t in raw_tasks]
            arns += [c["ReplicationConfigArn"] for c in raw_configs]
            tags = self.collect_tags(arns)
            secrets = self.collect_secrets(raw_endpoints)
            if include_table_statistics:
                statistics = self.collect_table_statistics(raw_tasks)
        except _RegionAbort:
            pass  # the problem is recorded; keep what was read before it
        self.report("done", 0)
        expected = [*LISTING_OPERATIONS.values(), "tags", "secrets"]
        if include_table_statistics:
            expected.append("table-statistics")

        groups = {g.get("ReplicationSubnetGroupIdentifier"): g for g in raw_groups}
        instances = tuple(_instance(raw, groups, tags) for raw in raw_instances)
        endpoints = tuple(self.endpoint(raw, tags, secrets) for raw in raw_endpoints)
        tasks = tuple(_task(raw, tags, statistics) for raw in raw_tasks) + tuple(
            _serverless_task(raw, groups, tags) for raw in raw_configs
        )
        return RegionInventory(
            region=self.region,
            account_id=_account_from_arns(i.arn for i in (*instances, *endpoints, *tasks)),
            replication_instances=tuple(sorted(instances, key=lambda i: i.identifier)),
            endpoints=tuple(sorted(endpoints, key=lambda e: e.identifier)),
            tasks=tuple(sorted(tasks, key=lambda t: t.identifier)),
            problems=tuple(self.problems),
            unread=tuple(kind for kind in expected if kind not in self.complete),
        )

    # -- calls ------------------------------------------------------------------------------

    def problem(self, operation: str, exc: Exception, resource: str | None = None) -> None:
        code, message = _error_code_and_message(exc)
        self.problems.append(
            ScanProblem(region=self.region, operation=operation, code=code, message=message, resource=resource)
        )
        log.warning("%s: %s failed (%s): %s", self.region, operation, code, message)
        if type(exc).__name__ in _REGION_FATAL_ERRORS:
            raise _RegionAbort from exc

    def pages(
        self, operation: str, result_key: str, *, client: Any = None, **kwargs: Any
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of a DMS Describe call at the largest page size, following ``Marker``."""
        dms = client or self.client("dms")
        method = getattr(dms, _snake(operation))
        marker: str | None = None
        while True:
            request = {"MaxRecords": DMS_MAX_RECORDS, **kwargs}
            if marker:
                request["Marker"] = marker
            response = method(**request)
            yield list(response.get(result_key) or [])
            marker = response.get("Marker")
            if not marker:
                return

    def collect(self, operation: str, step: str, result_key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        try:
            for page in self.pages(operation, result_key):
                items.extend(page)
                self.report(step, len(items))
        except _RegionAbort:
            raise
        except Exception as exc:
            self.problem(operation, exc)
            return items
        self.complete.add(LISTING_OPERATIONS[operation])
        return items

    def collect_replication_configs(self) -> list[dict[str, Any]]:
        """DMS Serverless replication configs.

        moto does not implement ``DescribeReplicationConfigs`` (it answers HTTP 500). Against an
        emulator (``--endpoint-url``) a not-implemented answer means "no serverless configs" and is
        only logged; against AWS every failure is a problem, because configs could be missed.
        """
        items: list[dict[str, Any]] = []
        try:
            for page in self.pages(
                "DescribeReplicationConfigs", "ReplicationConfigs", client=self.optional_api_client()
            ):
                items.extend(page)
                self.report("serverless replication configs", len(items))
        except _RegionAbort:
            raise
        except Exception as exc:
            code, _message = _error_code_and_message(exc)
            if self.emulator and code in _NOT_IMPLEMENTED_CODES:
                log.info("%s: the emulator does not implement DescribeReplicationConfigs; none read", self.region)
                self.complete.add(LISTING_OPERATIONS["DescribeReplicationConfigs"])
                return []
            self.problem("DescribeReplicationConfigs", exc)
            return items
        self.complete.add(LISTING_OPERATIONS["DescribeReplicationConfigs"])
        return items

    def call_all(self, calls: list[Callable[[], Any]]) -> list[Any]:
        """Run independent calls on :data:`LOOKUP_WORKERS` threads; results (or exceptions) in order.

        botocore clients are thread-safe; overlapping the calls hides the client's own per-request
        work behind the API's response time. Errors are handled by the caller, in order.
        """

        def guarded(call: Callable[[], Any]) -> Any:
            try:
                return call()
            except Exception as exc:
                return _Failed(exc)

        if len(calls) <= 1:
            return [guarded(call) for call in calls]
        with ThreadPoolExecutor(max_workers=LOOKUP_WORKERS, thread_name_prefix=f"dms2msk-{self.region}") as pool:
            return list(pool.map(guarded, calls))

    def collect_tags(self, arns: list[str]) -> dict[str, dict[str, str]]:
        tags: dict[str, dict[str, str]] = {arn: {} for arn in arns}
        dms = self.client("dms")
        batches = [arns[start : start + TAG_ARNS_PER_CALL] for start in range(0, len(arns), TAG_ARNS_PER_CALL)]
        responses = self.call_all(
            [lambda batch=batch: dms.list_tags_for_resource(ResourceArnList=batch) for batch in batches]
        )
        read = 0
        failed = False
        for batch, response in zip(batches, responses, strict=True):
            if isinstance(response, _Failed):
                failed = True
                self.problem("ListTagsForResource", response.error, resource=f"{len(batch)} resources from {batch[0]}")
                continue
            for tag in response.get("TagList") or []:
                arn = tag.get("ResourceArn")
                if arn in tags and tag.get("Key") is not None:
                    tags[arn][tag["Key"]] = tag.get("Value") or ""
            read += len(batch)
            self.report("tags", read)
        if not failed:
            self.complete.add("tags")
        return tags

    def collect_secrets(self, raw_endpoints: list[dict[str, Any]]) -> dict[str, SecretMetadata]:
        """Metadata of the secrets the endpoints reference: ``ListSecrets`` by name, 10 names a call.

        A secret the list does not show (another account's, a partial ARN, ``ListSecrets`` denied)
        is asked for with ``DescribeSecret``; a problem is recorded only when that fails too.
        Neither call returns a secret value; ``GetSecretValue`` is never called.
        """
        secret_ids = sorted({sid for raw in raw_endpoints if (sid := _secret_id(raw))})
        found: dict[str, SecretMetadata] = {}
        if not secret_ids:
            self.complete.add("secrets")
            return found
        secretsmanager = self.client("secretsmanager")
        batches = [
            secret_ids[start : start + SECRET_NAMES_PER_CALL]
            for start in range(0, len(secret_ids), SECRET_NAMES_PER_CALL)
        ]
        listed = self.call_all([lambda batch=batch: self._list_secrets(secretsmanager, batch) for batch in batches])
        for batch, secrets in zip(batches, listed, strict=True):
            if isinstance(secrets, _Failed):
                if type(secrets.error).__name__ in _REGION_FATAL_ERRORS:
                    self.problem("ListSecrets", secrets.error)
                log.info("%s: ListSecrets failed (%s); using DescribeSecret", self.region, secrets.error)
                continue
            for secret_id in batch:
                match = next((m for m in secrets if _same_secret(secret_id, m)), None)
                if match is not None:
                    found[secret_id] = _secret_metadata(secret_id, match)
        missing = [secret_id for secret_id in secret_ids if secret_id not in found]
        described = self.call_all(
            [lambda secret_id=secret_id: secretsmanager.describe_secret(SecretId=secret_id) for secret_id in missing]
        )
        for secret_id, response in zip(missing, described, strict=True):
            if isinstance(response, _Failed):
                self.problem("DescribeSecret", response.error, resource=secret_id)
                continue
            found[secret_id] = _secret_metadata(secret_id, response)
        self.report("secrets", len(found))
        if len(found) == len(secret_ids):
            self.complete.add("secrets")
        return found

    @staticmethod
    def _list_secrets(secretsmanager: Any, secret_ids: list[str]) -> list[dict[str, Any]]:
        names = sorted({_secret_name(secret_id) for secret_id in secret_ids})
        request: dict[str, Any] = {"Filters": [{"Key": "name", "Values": names}], "MaxResults": SECRETS_PAGE_SIZE}
        secrets: list[dict[str, Any]] = []
        while True:
            response = secretsmanager.list_secrets(**request)
            secrets.extend(response.get("SecretList") or [])
            if not response.get("NextToken"):
                return secrets
            request["NextToken"] = response["NextToken"]

    def collect_table_statistics(self, raw_tasks: list[dict[str, Any]]) -> dict[str, tuple[TableStatistic, ...]]:
        found: dict[str, tuple[TableStatistic, ...]] = {}
        for raw in raw_tasks:
            arn = raw["ReplicationTaskArn"]
            try:
                found[arn] = table_statistics(arn, client=self.optional_api_client())
            except Exception as exc:
                code, _message = _error_code_and_message(exc)
                if self.emulator and code in _NOT_IMPLEMENTED_CODES:
                    log.info("%s: the emulator does not implement DescribeTableStatistics; none read", self.region)
                    self.complete.add("table-statistics")
                    return found
                self.problem("DescribeTableStatistics", exc, resource=arn)
            self.report("table statistics", len(found))
        if len(found) == len(raw_tasks):
            self.complete.add("table-statistics")
        return found

    def endpoint(
        self, raw: dict[str, Any], tags: dict[str, dict[str, str]], secrets: dict[str, SecretMetadata]
    ) -> Endpoint:
        settings = {
            name: _without_secrets(value)
            for name, value in sorted(raw.items())
            if name.endswith("Settings") and isinstance(value, dict) and value
        }
        secret_id = _secret_id(raw)
        role_arn = next(
            (v["SecretsManagerAccessRoleArn"] for v in settings.values() if v.get("SecretsManagerAccessRoleArn")),
            None,
        )
        port = raw.get("Port")
        return Endpoint(
            arn=raw["EndpointArn"],
            identifier=raw["EndpointIdentifier"],
            endpoint_type=str(raw.get("EndpointType", "")).lower(),
            engine=raw.get("EngineName", ""),
            server_name=raw.get("ServerName"),
            port=int(port) if port not in (None, "") else None,
            database_name=raw.get("DatabaseName"),
            username=raw.get("Username"),
            ssl_mode=raw.get("SslMode"),
            extra_connection_attributes=_scrub_attributes(raw.get("ExtraConnectionAttributes")),
            secrets_manager_secret_id=secret_id,
            secrets_manager_access_role_arn=role_arn,
            secret=secrets.get(secret_id) if secret_id else None,
            settings=settings,
            status=raw.get("Status"),
            tags=tags.get(raw["EndpointArn"], {}),
        )


# -- conversion ---------------------------------------------------------------------------------


def _instance(
    raw: dict[str, Any], groups: dict[str | None, dict[str, Any]], tags: dict[str, dict[str, str]]
) -> ReplicationInstance:
    embedded = raw.get("ReplicationSubnetGroup") or {}
    group_id = embedded.get("ReplicationSubnetGroupIdentifier")
    # The subnet-groups call is the authority; the copy inside the instance is a fallback.
    group = groups.get(group_id) or embedded
    return ReplicationInstance(
        arn=raw["ReplicationInstanceArn"],
        identifier=raw["ReplicationInstanceIdentifier"],
        instance_class=raw.get("ReplicationInstanceClass", ""),
        multi_az=bool(raw.get("MultiAZ", False)),
        allocated_storage_gb=int(raw.get("AllocatedStorage") or 0),
        engine_version=raw.get("EngineVersion"),
        availability_zone=raw.get("AvailabilityZone"),
        publicly_accessible=bool(raw.get("PubliclyAccessible", False)),
        subnet_group=group_id,
        vpc_id=group.get("VpcId"),
        subnet_ids=_subnet_ids(group),
        subnet_zones=_subnet_zones(group),
        security_group_ids=tuple(
            g["VpcSecurityGroupId"] for g in raw.get("VpcSecurityGroups") or [] if g.get("VpcSecurityGroupId")
        ),
        kms_key_arn=raw.get("KmsKeyId"),
        status=raw.get("ReplicationInstanceStatus"),
        tags=tags.get(raw["ReplicationInstanceArn"], {}),
    )


def _task(
    raw: dict[str, Any], tags: dict[str, dict[str, str]], statistics: dict[str, tuple[TableStatistic, ...]]
) -> ReplicationTask:
    return ReplicationTask(
        arn=raw["ReplicationTaskArn"],
        identifier=raw["ReplicationTaskIdentifier"],
        migration_type=raw.get("MigrationType", ""),
        source_endpoint_arn=raw.get("SourceEndpointArn", ""),
        target_endpoint_arn=raw.get("TargetEndpointArn", ""),
        replication_instance_arn=raw.get("ReplicationInstanceArn"),
        table_mappings=raw.get("TableMappings") or "",
        task_settings=raw.get("ReplicationTaskSettings") or "",
        cdc_start_position=raw.get("CdcStartPosition"),
        cdc_start_time=_iso(raw.get("CdcStartTime")),
        cdc_stop_position=raw.get("CdcStopPosition"),
        recovery_checkpoint=raw.get("RecoveryCheckpoint"),
        status=raw.get("Status"),
        tags=tags.get(raw["ReplicationTaskArn"], {}),
        table_statistics=statistics.get(raw["ReplicationTaskArn"], ()),
    )


def _serverless_task(
    raw: dict[str, Any], groups: dict[str | None, dict[str, Any]], tags: dict[str, dict[str, str]]
) -> ReplicationTask:
    compute = raw.get("ComputeConfig") or {}
    group = groups.get(compute.get("ReplicationSubnetGroupId")) or {}
    return ReplicationTask(
        arn=raw["ReplicationConfigArn"],
        identifier=raw["ReplicationConfigIdentifier"],
        migration_type=raw.get("ReplicationType", ""),
        source_endpoint_arn=raw.get("SourceEndpointArn", ""),
        target_endpoint_arn=raw.get("TargetEndpointArn", ""),
        serverless=ServerlessCompute(
            min_capacity_units=compute.get("MinCapacityUnits"),
            max_capacity_units=compute.get("MaxCapacityUnits"),
            multi_az=bool(compute.get("MultiAZ", False)),
            subnet_group=compute.get("ReplicationSubnetGroupId"),
            vpc_id=group.get("VpcId"),
            subnet_ids=_subnet_ids(group),
            subnet_zones=_subnet_zones(group),
            security_group_ids=tuple(compute.get("VpcSecurityGroupIds") or ()),
        ),
        table_mappings=raw.get("TableMappings") or "",
        task_settings=raw.get("ReplicationSettings") or "",
        tags=tags.get(raw["ReplicationConfigArn"], {}),
    )


_SECRET_ARN_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")


def _secret_name(secret_id: str) -> str:
    """The secret's name from a name or a full ARN (which ends in ``-`` and six random characters)."""
    if secret_id.startswith("arn:") and ":secret:" in secret_id:
        return _SECRET_ARN_SUFFIX.sub("", secret_id.split(":secret:", 1)[1])
    return secret_id


def _same_secret(secret_id: str, listed: dict[str, Any]) -> bool:
    # The name filter matches prefixes: keep only the secret the endpoint names exactly.
    if secret_id.startswith("arn:"):
        return listed.get("ARN") == secret_id
    return listed.get("Name") == secret_id


def _secret_metadata(secret_id: str, data: dict[str, Any]) -> SecretMetadata:
    return SecretMetadata(
        arn=data.get("ARN", secret_id), name=data.get("Name", secret_id), kms_key_id=data.get("KmsKeyId")
    )


def _subnet_ids(group: dict[str, Any]) -> tuple[str, ...]:
    return tuple(s["SubnetIdentifier"] for s in group.get("Subnets") or [] if s.get("SubnetIdentifier"))


def _subnet_zones(group: dict[str, Any]) -> dict[str, str]:
    """Subnet id -> availability zone (``SubnetAvailabilityZone.Name``), for MSK's distinct-AZ rule."""
    return {
        s["SubnetIdentifier"]: s["SubnetAvailabilityZone"]["Name"]
        for s in group.get("Subnets") or []
        if s.get("SubnetIdentifier") and (s.get("SubnetAvailabilityZone") or {}).get("Name")
    }


def _secret_id(raw_endpoint: dict[str, Any]) -> str | None:
    for name, value in sorted(raw_endpoint.items()):
        if name.endswith("Settings") and isinstance(value, dict) and value.get("SecretsManagerSecretId"):
            return str(value["SecretsManagerSecretId"])
    return None


def _without_secrets(value: Any) -> Any:
    """The settings object without any key that holds a secret (at any depth)."""
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if not SECRET_FIELD_PATTERN.search(str(k))}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    if isinstance(value, dt.datetime):
        return _iso(value)
    return value


def _scrub_attributes(attributes: str | None) -> str | None:
    """Extra connection attributes (``k=v;k=v``) without secret-bearing pairs."""
    if not attributes:
        return attributes
    kept = [part for part in attributes.split(";") if not SECRET_FIELD_PATTERN.search(part.split("=", 1)[0])]
    return ";".join(kept)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def _account_from_arns(arns: Iterable[str]) -> str | None:
    """The account id from the resources' ARNs (saves an STS call per region)."""
    for arn in arns:
        parts = arn.split(":")
        if len(parts) > 4 and parts[4]:
            return parts[4]
    return None


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def _error_code_and_message(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error") or {}
        code = str(error.get("Code") or type(exc).__name__)
        return code, short_message(str(error.get("Message") or exc), response)
    return type(exc).__name__, str(exc)


# -- minimum request count ------------------------------------------------------------------------


def minimum_requests(
    *,
    replication_instances: int,
    subnet_groups: int,
    endpoints: int,
    tasks: int,
    serverless_configs: int,
    referenced_secrets: int,
) -> int:
    """Fewest API requests one region's scan needs: every page at its largest size.

    One page per collection even when it is empty, one ``ListTagsForResource`` per
    :data:`TAG_ARNS_PER_CALL` resources, one ``ListSecrets`` per :data:`SECRET_NAMES_PER_CALL`
    referenced secrets (assuming each name filter matches fewer than a page of secrets).
    """

    def pages(count: int) -> int:
        return max(1, math.ceil(count / DMS_MAX_RECORDS))

    tagged = replication_instances + endpoints + tasks + serverless_configs
    return (
        pages(replication_instances)
        + pages(subnet_groups)
        + pages(endpoints)
        + pages(tasks)
        + pages(serverless_configs)
        + math.ceil(tagged / TAG_ARNS_PER_CALL)
        + math.ceil(referenced_secrets / SECRET_NAMES_PER_CALL)
    )


# -- table statistics ----------------------------------------------------------------------------


def table_statistics(
    task_arn: str,
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
    client: Any = None,
) -> tuple[TableStatistic, ...]:
    """Row counts per table of one task (``DescribeTableStatistics``, all pages at 100 records)."""
    if client is None:
        region = region or task_arn.split(":")[3]
        client = _default_client_factory(profile, endpoint_url, DEFAULT_RETRY_ATTEMPTS)("dms", region)
    statistics: list[TableStatistic] = []
    marker: str | None = None
    while True:
        request: dict[str, Any] = {"ReplicationTaskArn": task_arn, "MaxRecords": DMS_MAX_RECORDS}
        if marker:
            request["Marker"] = marker
        response = client.describe_table_statistics(**request)
        for row in response.get("TableStatistics") or []:
            statistics.append(
                TableStatistic(
                    schema_name=row.get("SchemaName", ""),
                    table_name=row.get("TableName", ""),
                    full_load_rows=int(row.get("FullLoadRows") or 0),
                    inserts=int(row.get("Inserts") or 0),
                    updates=int(row.get("Updates") or 0),
                    deletes=int(row.get("Deletes") or 0),
                    table_state=row.get("TableState"),
                )
            )
        marker = response.get("Marker")
        if not marker:
            return tuple(statistics)
