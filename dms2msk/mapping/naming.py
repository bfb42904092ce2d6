"""Names the mapper derives from DMS identifiers: keys, topic prefixes, connectors, secrets, server ids.

Every name is a pure function of the inventory, so mapping the same estate
twice gives the same names. ``topic.prefix`` and ``database.server.id`` must
never change once a connector runs (Debezium stores offsets under them), so
they are derived from the task identifier alone; the region is added only
when two regions have a task of the same name.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

SERVER_ID_MIN = 100_000
SERVER_ID_SPAN = 4_000_000_000
"""``database.server.id`` range: above ids people pick by hand, below 2**32."""

_NOT_KEY_CHARS = re.compile(r"[^a-z0-9_]+")
_NOT_TOPIC_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def terraform_key(text: str) -> str:
    """A Terraform-safe key: lower case, ``[a-z0-9_]``, starting with a letter."""
    key = _NOT_KEY_CHARS.sub("_", text.lower()).strip("_")
    key = re.sub(r"_+", "_", key)
    if not key or not key[0].isalpha():
        key = f"t_{key}" if key else "task"
    return key


def topic_safe(text: str) -> str:
    """Characters Debezium accepts in ``topic.prefix``: letters, digits, ``.``, ``_`` and ``-``."""
    return _NOT_TOPIC_CHARS.sub("_", text) or "task"


CONNECTOR_NAME_LIMIT = 128
"""MSK Connect's limit on a connector name (CreateConnector ``connectorName``: 1-128 characters)."""

_TASK_PART_LIMIT = CONNECTOR_NAME_LIMIT - len("-source")
"""DMS task identifiers run to 255 characters; the part of one that names a connector and its topics."""


def bounded(text: str, limit: int) -> str:
    """``text`` if it fits ``limit``, else its start and a hash of the whole: short, stable and still distinct."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{text[: limit - len(digest) - 1].rstrip('-')}-{digest}"


def connector_name(task_identifier: str, role: str) -> str:
    """``<task-identifier>-source`` / ``<task-identifier>-sink``, shortened with a hash past 128 characters.

    Identifiers that fit keep their name unchanged (connectors that already run keep it); longer ones
    could never be created, so shortening them renames nothing that exists.
    """
    return f"{bounded(task_identifier, _TASK_PART_LIMIT)}-{role}"


def new_secret_name(name_prefix: str, task_identifier: str, role: str) -> str:
    """The Secrets Manager name of a secret dms2msk declares: ``<prefix>/<task>/<source|sink>``."""
    return f"{name_prefix}/{task_identifier}/{role}"


def secret_reference(secret: str, json_key: str) -> str:
    """A config-provider reference the MSK secretsmanager provider resolves at connector start."""
    return f"${{secretsmanager:{secret}:{json_key}}}"


def dlq_topic(topic_prefix: str) -> str:
    """The sink's dead-letter topic; outside ``<prefix>.`` so the sink's own topic regex never reads it."""
    return f"{topic_prefix}-dlq"


def schema_history_topic(topic_prefix: str) -> str:
    return f"{topic_prefix}-schema-history"


def heartbeat_topic(topic_prefix: str) -> str:
    """Debezium's default heartbeat topic name (``heartbeat.topics.prefix`` default ``__debezium-heartbeat``)."""
    return f"__debezium-heartbeat.{topic_prefix}"


def signal_topic(topic_prefix: str) -> str:
    return f"{topic_prefix}-signals"


def signal_group(topic_prefix: str) -> str:
    """The consumer group of the source's Kafka signal channel (``signal.kafka.groupId``)."""
    return f"{topic_prefix}-signals"


def schema_history_group(topic_prefix: str) -> str:
    """The group Debezium's Kafka schema history consumes with: ``schema.history.internal.name``'s default."""
    return f"{topic_prefix}-schemahistory"


class EstateNames:
    """Pipeline keys, topic prefixes and server ids for every task of an estate, unique and stable.

    Built once from all ``(region, task identifier)`` pairs: a task identifier
    that appears in one region keeps its plain name; one that appears in
    several regions is qualified with the region everywhere.
    """

    def __init__(self, tasks: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(set(tasks))
        counts = Counter(identifier for _region, identifier in pairs)
        self._keys: dict[tuple[str, str], str] = {}
        self._prefixes: dict[tuple[str, str], str] = {}
        self._server_ids: dict[tuple[str, str], int] = {}
        used_keys: set[str] = set()
        used_ids: set[int] = set()
        for region, identifier in pairs:
            qualified = counts[identifier] > 1
            base = f"{identifier}_{region}" if qualified else identifier
            key = terraform_key(base)
            candidate, n = key, 2
            while candidate in used_keys:  # different identifiers that fold to one key
                candidate, n = f"{key}_{n}", n + 1
            used_keys.add(candidate)
            self._keys[(region, identifier)] = candidate
            # Bounded like the connector name: a prefix that long could never have run (no connector), and
            # every topic name (``<prefix>.<schema>.<table>``) must stay under Kafka's 249 characters.
            short = bounded(identifier, _TASK_PART_LIMIT)
            self._prefixes[(region, identifier)] = topic_safe(f"{region}.{short}" if qualified else short)
            server_id = _stable_server_id(f"{region}/{identifier}")
            while server_id in used_ids:
                server_id = SERVER_ID_MIN + (server_id - SERVER_ID_MIN + 1) % SERVER_ID_SPAN
            used_ids.add(server_id)
            self._server_ids[(region, identifier)] = server_id

    def key(self, region: str, identifier: str) -> str:
        return self._keys[(region, identifier)]

    def topic_prefix(self, region: str, identifier: str) -> str:
        return self._prefixes[(region, identifier)]

    def server_id(self, region: str, identifier: str) -> int:
        return self._server_ids[(region, identifier)]

    def is_qualified(self, region: str, identifier: str) -> bool:
        return "." in self._prefixes[(region, identifier)] and self._prefixes[(region, identifier)].startswith(region)


def _stable_server_id(text: str) -> int:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return SERVER_ID_MIN + int.from_bytes(digest[:8], "big") % SERVER_ID_SPAN
