"""Whether a replaced source connector resumes from its offsets or starts from nothing.

Kafka Connect stores a source connector's offsets under its connector NAME and the source
partition the connector reports; MSK Connect puts them into a topic named after the
connector's UUID unless the worker configuration pins ``offset.storage.topic`` (AWS MSK
developer guide, "Use custom offset storage topic"). So a replacement resumes only when the
old connector already wrote to the topic the new one reads, under the same name and the same
source partition. Sinks resume through their consumer group ``connect-<name>`` in every case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..debezium_version import DebeziumVersion
from .types import Change, ExistingConnector, ExistingEstate

OFFSETS_TOPIC_PROPERTY = "offset.storage.topic"

OFFSET_KEY_PROPERTIES = ("connector.class", "topic.prefix", "database.server.name")
"""Source properties Debezium's stored offsets are keyed by (the source partition's ``server`` is
``topic.prefix``, ``database.server.name`` before Debezium 2.0); a change makes the old offsets unreachable."""


def parse_properties(text: str) -> dict[str, str]:
    """A worker properties file as a dict: ``key=value`` (or ``key: value``) lines; comments and blanks skipped."""
    properties: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        positions = [i for i in (line.find("="), line.find(":")) if i >= 0]
        if not positions:
            properties[line] = ""
            continue
        cut = min(positions)
        properties[line[:cut].strip()] = line[cut + 1 :].strip()
    return properties


@dataclass(frozen=True)
class OffsetsContext:
    """The offsets topic the render pins, and the one each existing worker configuration pins."""

    desired_topic: str | None = None
    existing_topics: dict[str, str | None] = field(default_factory=dict)


def existing_offsets_topics(existing: ExistingEstate) -> dict[str, str | None]:
    """Worker-configuration ARN -> the offsets topic it pins (None: MSK Connect's per-connector topic)."""
    topics: dict[str, str | None] = {}
    for worker in existing.worker_configurations:
        if worker.arn and worker.properties is not None:
            topics[worker.arn] = parse_properties(worker.properties).get(OFFSETS_TOPIC_PROPERTY) or None
    return topics


def offset_key_change(changes: list[Change]) -> str | None:
    """Why the stored offsets stop applying when these properties change (None: they still apply)."""
    keyed = [c.path for c in changes if any(c.path == f'connector_configuration["{k}"]' for k in OFFSET_KEY_PROPERTIES)]
    if not keyed:
        return None
    return f"{', '.join(keyed)} changes, and Debezium keys the stored offsets by it: the old offsets do not apply"


def why_no_resume(
    have: ExistingConnector,
    changes: list[Change],
    desired_topic: str | None,
    existing_topics: dict[str, str | None],
    old_debezium_version: str | None,
    new_debezium_version: str,
) -> str | None:
    """None when the replacement resumes from its offsets; otherwise why it does not (or may not)."""
    if desired_topic is None:
        return "the rendered worker configuration pins no offsets topic (re-render OUT with this dms2msk)"
    arn = have.worker_configuration_arn
    if arn is None or arn not in existing_topics:
        return "the existing connector's worker configuration could not be read, so where its offsets are is unknown"
    old_topic = existing_topics[arn]
    if old_topic != desired_topic:
        where = f"topic {old_topic}" if old_topic else "MSK Connect's per-connector topic (named after its UUID)"
        return (
            f"its offsets are in {where}, the new connector reads {desired_topic}: the pinned topic takes effect "
            "with this replacement, later replacements resume"
        )
    keyed = offset_key_change(changes)
    if keyed:
        return keyed
    old, new = DebeziumVersion.find(old_debezium_version), DebeziumVersion.find(new_debezium_version)
    if old is not None and new is not None and new.is_major_change_from(old):
        return (
            f"Debezium {old_debezium_version} -> {new_debezium_version} is a major-version change: the plan cannot "
            "promise the new version reads the old offsets; check Debezium's release notes before applying"
        )
    return None


def resume_cost(desired_topic: str, name: str) -> str:
    return (
        f"The new source connector keeps the name {name} and reads the pinned offsets topic {desired_topic}: it "
        "resumes from its offsets (no re-snapshot). Events after the last committed offset are sent again, and the "
        "sink's upserts by primary key make that replay idempotent."
    )


def renamed_sources(wanted: dict[str, dict[str, str]], existing: dict[str, ExistingConnector]) -> dict[str, str]:
    """New source name -> the existing connector of another name that captured the same source partition.

    Same connector class and ``topic.prefix``: the same capture under a new name, whose offsets Kafka Connect
    keeps under the old name, so the new connector cannot resume from them.
    """
    renamed: dict[str, str] = {}
    for name, config in wanted.items():
        prefix = config.get("topic.prefix")
        if not prefix or name in existing:
            continue
        for old_name, old in sorted(existing.items()):
            same = old.config.get("topic.prefix") == prefix
            if old_name not in wanted and same and old.config.get("connector.class") == config.get("connector.class"):
                renamed[name] = old_name
                break
    return renamed
