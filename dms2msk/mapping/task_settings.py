"""DMS task settings (``MigrationType``, CDC start, ``ReplicationTaskSettings``) → connector properties.

Public API::

    mapped = map_task_settings(task, engine=engine, ctx=ctx, has_sink=True)
    mapped.snapshot_mode      # initial | initial_only | no_data
    mapped.source             # source properties (snapshot threads, signals, LOB options, ...)
    mapped.sink               # sink properties (schema.evolution, batch, errors.*, truncate, ...)
    mapped.source_cluster_keys  # source keys render sets to the bootstrap servers
    mapped.target_schema      # TargetMetadata.TargetSchema, for target table naming
    mapped.source_reads       # extra topics the source consumes (the Kafka signal channel)
    mapped.source_groups      # the source's extra consumer groups (the signal channel's)
    mapped.sink_writes        # extra topics the sink produces to (its dead-letter topic)

Every setting DMS documents gets a finding saying what it became or why it
has no equivalent; a malformed document or an unknown section is reported and
the DMS defaults are used, never an exception. DMS defaults apply to what the
document leaves out (e.g. ``DataErrorPolicy`` ``LOG_ERROR``), because that is
what the task did.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..engines import Engine, EngineContext
from ..engines.versions import MIGRATION_TYPE_SNAPSHOT_MODE
from ..model import Finding, ReplicationTask, Severity
from ..typecheck import MAX_FREE_FORM_DEPTH, nesting_depth
from . import naming

WHERE = "ReplicationTaskSettings"

MSK_IAM_CLIENT: dict[str, str] = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}
"""Kafka client settings for MSK IAM authentication (aws-msk-iam-auth)."""

KNOWN_SECTIONS = (
    "TargetMetadata",
    "FullLoadSettings",
    "Logging",
    "ControlTablesSettings",
    "StreamBufferSettings",
    "ChangeProcessingDdlHandlingPolicy",
    "ErrorBehavior",
    "ChangeProcessingTuning",
    "ValidationSettings",
    "PostProcessingRules",
    "CharacterSetSettings",
    "LoopbackPreventionSettings",
    "BeforeImageSettings",
    "FailTaskWhenCleanTaskResourceFailed",
    "TTSettings",
    "CloudWatchLogGroup",
    "CloudWatchLogStream",
)

NOT_APPLICABLE_SECTIONS: dict[str, str] = {
    "Logging": "connector logs go to the connector's CloudWatch log group (render creates it)",
    "ControlTablesSettings": "Debezium keeps its position in Kafka (offsets and schema-history topics), "
    "not in control tables on the target",
    "StreamBufferSettings": "DMS stream buffers have no Kafka Connect equivalent",
    "PostProcessingRules": "DMS post-processing has no Kafka Connect equivalent",
    "FailTaskWhenCleanTaskResourceFailed": "DMS task clean-up has no Kafka Connect equivalent",
    "CloudWatchLogGroup": "the connector has its own CloudWatch log group",
    "CloudWatchLogStream": "the connector has its own CloudWatch log group",
}
"""Sections that only tune DMS itself: reported as info, nothing to carry over."""

_BINLOG_POSITION = re.compile(r"^(?P<file>[^:#\s]+\.\d+):(?P<pos>\d+)$")
_CHECKPOINT_PAIR = re.compile(r"(?P<file>[A-Za-z0-9_.-]+\.\d+):(?P<pos>\d+)")


@dataclass
class TaskSettingsMapping:
    snapshot_mode: str
    source: dict[str, str] = field(default_factory=dict)
    sink: dict[str, str] = field(default_factory=dict)
    source_cluster_keys: list[str] = field(default_factory=list)
    source_reads: list[str] = field(default_factory=list)
    source_groups: list[str] = field(default_factory=list)
    sink_writes: list[str] = field(default_factory=list)
    target_schema: str | None = None
    document: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


_TOO_DEEP = object()


def parse_settings_document(text: str | None, ctx: EngineContext) -> dict[str, Any]:
    """The settings JSON as a dict; ``{}`` (DMS defaults) with a finding when it is missing or malformed."""
    if text is None or not text.strip():
        ctx.notes.info(
            "task-settings.defaults",
            "the task has no ReplicationTaskSettings; DMS defaults are carried over",
            where=WHERE,
        )
        return {}
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        ctx.notes.warning(
            "task-settings.invalid-json",
            f"ReplicationTaskSettings is not valid JSON: {exc.msg}; DMS defaults are used instead",
            where=f"{WHERE} line {exc.lineno} column {exc.colno}",
            hint="fix the task settings JSON (aws dms modify-replication-task) and scan again",
        )
        return {}
    except RecursionError:  # deeper than Python's parser goes
        document = _TOO_DEEP
    if document is _TOO_DEEP or nesting_depth(document) > MAX_FREE_FORM_DEPTH:
        ctx.notes.warning(
            "task-settings.too-deep",
            f"ReplicationTaskSettings nests more than {MAX_FREE_FORM_DEPTH} levels deep; DMS defaults are used instead",
            where=WHERE,
            hint="fix the task settings JSON (aws dms modify-replication-task) and scan again",
        )
        return {}
    if not isinstance(document, dict):
        ctx.notes.warning(
            "task-settings.not-an-object",
            f"ReplicationTaskSettings is a JSON {type(document).__name__}, not an object; DMS defaults are used",
            where=WHERE,
        )
        return {}
    return document


def _section(document: dict[str, Any], name: str, ctx: EngineContext) -> dict[str, Any]:
    value = document.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.notes.warning(
            "task-settings.section.not-an-object",
            f"{name} is a JSON {type(value).__name__}, not an object; its DMS defaults are used",
            where=f"{WHERE}.{name}",
        )
        return {}
    return value


def _bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def map_task_settings(
    task: ReplicationTask,
    *,
    engine: Engine,
    ctx: EngineContext,
    has_sink: bool,
) -> TaskSettingsMapping:
    """Map one task's settings; ``ctx.notes`` collects the findings (also returned in ``findings``)."""
    start = len(ctx.notes.items)
    document = parse_settings_document(task.task_settings, ctx)
    mapped = TaskSettingsMapping(snapshot_mode=_snapshot_mode(task, ctx), document=document)
    _cdc_start(task, engine, ctx, mapped)
    _unknown_sections(document, ctx)
    for name, value in document.items():
        if value is None and name in KNOWN_SECTIONS:
            ctx.notes.info(
                "task-settings.section.null", f"{name} is null: its DMS defaults apply", where=f"{WHERE}.{name}"
            )
    _target_metadata(document, engine, ctx, mapped, has_sink)
    _full_load(document, task, ctx, mapped, has_sink)
    _ddl_policy(document, engine, ctx, mapped, has_sink)
    _error_behavior(document, ctx, mapped, has_sink)
    _change_processing(document, ctx, mapped, has_sink)
    _validation(document, ctx)
    _other_sections(document, ctx)
    mapped.findings = ctx.notes.items[start:]
    return mapped


# --------------------------------------------------------------------------- #
# MigrationType and CDC start                                                  #
# --------------------------------------------------------------------------- #


def _snapshot_mode(task: ReplicationTask, ctx: EngineContext) -> str:
    migration = (task.migration_type or "").strip().lower()
    mode = MIGRATION_TYPE_SNAPSHOT_MODE.get(migration)
    if mode is None:
        ctx.notes.warning(
            "task.migration-type.unknown",
            f"MigrationType {task.migration_type!r} is not full-load, cdc or full-load-and-cdc; "
            "full-load-and-cdc is assumed",
            became="snapshot.mode=initial",
            where="MigrationType",
        )
        return "initial"
    meaning = {
        "initial": "snapshot the selected tables, then stream changes",
        "initial_only": "snapshot the selected tables, then stop (the connector keeps running idle)",
        "no_data": "stream changes from the connector's start, no snapshot",
    }[mode]
    ctx.notes.info(
        "task.migration-type",
        f"MigrationType {migration}: {meaning}",
        became=f"snapshot.mode={mode}",
        where="MigrationType",
    )
    return mode


def binlog_position(text: str) -> tuple[str, int] | None:
    """``(file, position)`` from a DMS MySQL ``CdcStartPosition`` (``file:pos`` or a ``checkpoint:`` string).

    For a checkpoint the earliest ``file:pos`` it names is used: starting a little early
    re-applies a few changes, which the upserting sink absorbs; starting late loses them.
    """
    text = text.strip()
    match = _BINLOG_POSITION.match(text)
    if match:
        return match["file"], int(match["pos"])
    if text.lower().startswith("checkpoint:"):
        pairs = [(m["file"], int(m["pos"])) for m in _CHECKPOINT_PAIR.finditer(text)]
        if pairs:
            return min(pairs)
    return None


def _signal_channel(ctx: EngineContext, mapped: TaskSettingsMapping) -> str:
    """Turn on the Kafka signal channel (so no signal table is needed in the source database)."""
    topic = naming.signal_topic(ctx.topic_prefix)
    group = naming.signal_group(ctx.topic_prefix)
    mapped.source.update(
        {
            "signal.enabled.channels": "source,kafka",
            "signal.kafka.topic": topic,
            "signal.kafka.groupId": group,
            **{f"signal.consumer.{k}": v for k, v in MSK_IAM_CLIENT.items()},
        }
    )
    mapped.source_cluster_keys.append("signal.kafka.bootstrap.servers")
    mapped.source_reads.append(topic)
    mapped.source_groups.append(group)
    return topic


def _cdc_start(task: ReplicationTask, engine: Engine, ctx: EngineContext, mapped: TaskSettingsMapping) -> None:
    position = (task.cdc_start_position or "").strip()
    start_time = (task.cdc_start_time or "").strip()
    if task.cdc_stop_position:
        ctx.notes.warning(
            "task.cdc-stop-position",
            f"CdcStopPosition {task.cdc_stop_position} has no Debezium equivalent; the connector streams until "
            "it is stopped",
            hint="stop or delete the connector at the wanted time",
            where="CdcStopPosition",
        )
    binlog = engine.SNAPSHOT_FAMILY == "binlog"
    if not position and not start_time:
        if binlog and task.recovery_checkpoint and mapped.snapshot_mode == "no_data":
            parsed = binlog_position(task.recovery_checkpoint)
            if parsed and ctx.version.has_set_binlog_position_signal:
                ctx.notes.info(
                    "task.cut-over.binlog",
                    f"to continue exactly where DMS stopped, send a set-binlog-position signal for {parsed[0]}:"
                    f"{parsed[1]} (the task's RecoveryCheckpoint) after stopping the DMS task",
                    where="RecoveryCheckpoint",
                )
        return
    if mapped.snapshot_mode != "no_data":
        ctx.notes.info(
            "task.cdc-start.ignored",
            "a CDC start position only applies to cdc tasks; this task starts with a snapshot",
            where="CdcStartPosition" if position else "CdcStartTime",
        )
        return
    if position and binlog:
        parsed = binlog_position(position)
        if parsed is None:
            ctx.notes.warning(
                "task.cdc-start.unparsed",
                f"CdcStartPosition {position!r} is not a binlog file:position; streaming starts at the current "
                "position",
                hint="stop writes or accept a gap, or re-run with a file:position start",
                where="CdcStartPosition",
            )
            return
        file, pos = parsed
        if ctx.version.has_set_binlog_position_signal:
            topic = _signal_channel(ctx, mapped)
            signal = json.dumps(
                {"type": "set-binlog-position", "data": {"binlog_filename": file, "binlog_position": pos}},
                separators=(",", ":"),
            )
            ctx.notes.warning(
                "task.cdc-start.binlog-signal",
                f"CdcStartPosition {file}:{pos} is reached with a set-binlog-position signal once the connector runs",
                became=f"signal.enabled.channels=source,kafka, signal.kafka.topic={topic}",
                hint=f"produce key {ctx.topic_prefix!r}, value {signal} to topic {topic} right after the "
                "connector starts",
                where="CdcStartPosition",
            )
        else:
            ctx.notes.warning(
                "task.cdc-start.binlog-unsupported-version",
                f"CdcStartPosition {file}:{pos} cannot be set in Debezium {ctx.version} (the set-binlog-position "
                "signal needs 3.5+); the connector starts at the current binlog position",
                hint="cut over without a gap: stop writes to the captured tables, let DMS drain, start the "
                "connector, resume writes; or choose debezium_version 3.6.3.Final",
                where="CdcStartPosition",
            )
        return
    what = f"CdcStartPosition {position!r}" if position else f"CdcStartTime {start_time!r}"
    ctx.notes.warning(
        "task.cdc-start.unsupported",
        f"{what} has no {engine.DISPLAY_NAME} connector equivalent; streaming starts when the connector starts",
        hint="cut over without a gap: start the connector before stopping DMS (the upserting sink absorbs the "
        "overlap), or backfill the gap with an incremental snapshot (execute-snapshot signal with "
        "additional-conditions)",
        where="CdcStartPosition" if position else "CdcStartTime",
    )


# --------------------------------------------------------------------------- #
# Sections                                                                     #
# --------------------------------------------------------------------------- #


def _unknown_sections(document: dict[str, Any], ctx: EngineContext) -> None:
    for name in document:
        if name in KNOWN_SECTIONS:
            continue
        close = difflib.get_close_matches(name, KNOWN_SECTIONS, n=1, cutoff=0.75)
        ctx.notes.warning(
            "task-settings.unknown-section",
            f"{name} is not a DMS task-settings section; DMS ignores it and so does dms2msk",
            hint=f"did you mean {close[0]}? (its DMS defaults applied)" if close else "remove it",
            where=f"{WHERE}.{name}",
        )


def _target_metadata(
    document: dict[str, Any], engine: Engine, ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool
) -> None:
    section = _section(document, "TargetMetadata", ctx)
    where = f"{WHERE}.TargetMetadata"
    target_schema = section.get("TargetSchema")
    if isinstance(target_schema, str) and target_schema.strip():
        mapped.target_schema = target_schema.strip()
        ctx.notes.info(
            "task-settings.target-schema",
            f"TargetSchema {mapped.target_schema}: tables are written to that schema unless a rename rule says "
            "otherwise",
            became="sink table name format",
            where=f"{where}.TargetSchema",
        )
    support_lobs = _bool(section.get("SupportLobs"), True)
    full_lob = _bool(section.get("FullLobMode"), False)
    limited = _bool(section.get("LimitedSizeLobMode"), True)
    lob_max_kb = _int(section.get("LobMaxSize")) or 32
    lob_props = engine.lob_properties(ctx, support_lobs)
    mapped.source.update(lob_props)
    became = ", ".join(f"{k}={v}" for k, v in lob_props.items()) or None
    lob_difference = engine.cdc_lob_update_difference(ctx) if support_lobs else None
    if lob_difference and mapped.snapshot_mode != "initial_only":  # only change capture differs
        ctx.notes.warning(
            "task-settings.lob.updates",
            lob_difference,
            became=became,
            hint="if the target must keep DMS's values, leave those columns out with remove-column rules",
            where=f"{where}.SupportLobs",
        )
    if not support_lobs:
        ctx.notes.warning(
            "task-settings.lob.not-supported",
            "SupportLobs false: DMS left LOB columns out; Debezium replicates them",
            became=became,
            hint="to keep them out, add remove-column rules for the LOB columns (they become column.exclude.list)",
            where=f"{where}.SupportLobs",
        )
    elif full_lob:
        ctx.notes.warning(
            "task-settings.lob.full",
            "FullLobMode: Debezium sends whole LOB values inside the change event; a row larger than the Kafka "
            "message limit (1 MB by default) stops the connector",
            became=became,
            hint="raise producer.override.max.request.size and the topics' max.message.bytes for large LOBs",
            where=f"{where}.FullLobMode",
        )
    elif limited:
        ctx.notes.info(
            "task-settings.lob.limited",
            f"LimitedSizeLobMode (LobMaxSize {lob_max_kb} KB): Debezium does not truncate LOBs; values up to the "
            "Kafka message limit pass whole",
            became=became,
            hint="DMS truncated larger values; Debezium keeps them, so target columns must be large enough",
            where=f"{where}.LimitedSizeLobMode",
        )
    if _bool(section.get("BatchApplyEnabled"), False):
        _batch_apply(document, ctx, mapped, has_sink, where=f"{where}.BatchApplyEnabled")
    ignored = [
        key
        for key in (
            "ParallelLoadThreads",
            "ParallelLoadBufferSize",
            "ParallelLoadQueuesPerThread",
            "ParallelApplyThreads",
            "ParallelApplyBufferSize",
            "ParallelApplyQueuesPerThread",
            "LoadMaxFileSize",
            "InlineLobMaxSize",
            "LobChunkSize",
            "TaskRecoveryTableEnabled",
        )
        if section.get(key) not in (None, 0, False)
    ]
    if ignored:
        ctx.notes.info(
            "task-settings.not-applicable",
            f"TargetMetadata {', '.join(ignored)} tune the DMS apply; a connector runs one task per pipeline",
            where=where,
        )


def _batch_apply(
    document: dict[str, Any], ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool, *, where: str
) -> None:
    if not has_sink:
        ctx.notes.info("task-settings.batch-apply", "BatchApplyEnabled: no sink connector to batch", where=where)
        return
    tuning = _section(document, "ChangeProcessingTuning", ctx)
    split = _int(tuning.get("BatchSplitSize")) or 0
    mapped.sink["use.reduction.buffer"] = "true"
    became = "use.reduction.buffer=true"
    if split > 0:
        mapped.sink["batch.size"] = str(split)
        mapped.sink["consumer.override.max.poll.records"] = str(split)
        became += f", batch.size={split}, consumer.override.max.poll.records={split}"
    ctx.notes.info(
        "task-settings.batch-apply",
        "BatchApplyEnabled: the sink applies changes in batches, keeping the last change per key",
        became=became,
        where=where,
    )


def _full_load(
    document: dict[str, Any], task: ReplicationTask, ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool
) -> None:
    section = _section(document, "FullLoadSettings", ctx)
    where = f"{WHERE}.FullLoadSettings"
    prep = str(section.get("TargetTablePrepMode") or "DROP_AND_CREATE").upper()
    if has_sink:
        mapped.sink["schema.evolution"] = "basic"
        if mapped.snapshot_mode == "no_data":
            ctx.notes.info(
                "task-settings.target-table-prep",
                f"TargetTablePrepMode {prep} only matters for a full load; this task is cdc only",
                became="schema.evolution=basic",
                where=f"{where}.TargetTablePrepMode",
            )
        elif prep == "DO_NOTHING":
            ctx.notes.info(
                "task-settings.target-table-prep",
                "TargetTablePrepMode DO_NOTHING: existing tables are kept; missing ones are created, as DMS does",
                became="schema.evolution=basic",
                where=f"{where}.TargetTablePrepMode",
            )
        elif prep in ("DROP_AND_CREATE", "TRUNCATE_BEFORE_LOAD"):
            action = "drop" if prep == "DROP_AND_CREATE" else "truncate"
            ctx.notes.warning(
                "task-settings.target-table-prep",
                f"TargetTablePrepMode {prep}: the JDBC sink never drops or truncates tables before the snapshot",
                became="schema.evolution=basic",
                hint=f"{action} the target tables before the first start of the sink connector",
                where=f"{where}.TargetTablePrepMode",
            )
        else:
            ctx.notes.warning(
                "task-settings.target-table-prep.unknown",
                f"TargetTablePrepMode {prep!r} is not a DMS value",
                became="schema.evolution=basic",
                where=f"{where}.TargetTablePrepMode",
            )
    threads = _int(section.get("MaxFullLoadSubTasks"))
    if threads and threads > 1 and mapped.snapshot_mode != "no_data":
        mapped.source["snapshot.max.threads"] = str(threads)
        ctx.notes.info(
            "task-settings.full-load-subtasks",
            f"MaxFullLoadSubTasks {threads}: the snapshot reads up to {threads} tables at once",
            became=f"snapshot.max.threads={threads}",
            where=f"{where}.MaxFullLoadSubTasks",
        )
    ignored = [
        key
        for key in (
            "CreatePkAfterFullLoad",
            "StopTaskCachedChangesApplied",
            "StopTaskCachedChangesNotApplied",
            "TransactionConsistencyTimeout",
            "CommitRate",
        )
        if key in section
    ]
    if ignored:
        ctx.notes.info(
            "task-settings.not-applicable",
            f"FullLoadSettings {', '.join(ignored)} tune the DMS full load; Debezium's snapshot has no equivalent",
            where=where,
        )


def _ddl_policy(
    document: dict[str, Any], engine: Engine, ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool
) -> None:
    section = _section(document, "ChangeProcessingDdlHandlingPolicy", ctx)
    where = f"{WHERE}.ChangeProcessingDdlHandlingPolicy"
    if not has_sink:
        return
    truncate = _bool(section.get("HandleSourceTableTruncated"), True)
    if truncate and not engine.CDC_TRUNCATE_REPLICATED:
        # The connector's default already skips truncate events; say so, and keep the sink from applying any.
        mapped.source["skipped.operations"] = "t"
        mapped.sink["truncate.enabled"] = "false"
        ctx.notes.info(
            "task-settings.ddl.truncate",
            f"HandleSourceTableTruncated: DMS does not process TRUNCATE from a {engine.DISPLAY_NAME} source during "
            "CDC (DMS User Guide, source limitations), so the target keeps its rows; the pipeline does the same",
            became="source skipped.operations=t, sink truncate.enabled=false",
            where=f"{where}.HandleSourceTableTruncated",
        )
    elif truncate:
        mapped.source["skipped.operations"] = "none"
        mapped.sink["truncate.enabled"] = "true"
        ctx.notes.info(
            "task-settings.ddl.truncate",
            "HandleSourceTableTruncated: TRUNCATE on the source truncates the target table",
            became="source skipped.operations=none, sink truncate.enabled=true",
            where=f"{where}.HandleSourceTableTruncated",
        )
    if _bool(section.get("HandleSourceTableDropped"), True):
        ctx.notes.warning(
            "task-settings.ddl.drop",
            "HandleSourceTableDropped: the JDBC sink never drops target tables",
            hint="drop target tables by hand when their source table is dropped",
            where=f"{where}.HandleSourceTableDropped",
        )
    if _bool(section.get("HandleSourceTableAltered"), True):
        ctx.notes.info(
            "task-settings.ddl.alter",
            "HandleSourceTableAltered: new source columns are added to the target; renamed, dropped or retyped "
            "columns are not changed there",
            became="schema.evolution=basic",
            where=f"{where}.HandleSourceTableAltered",
        )


_TOLERANT_POLICIES = ("LOG_ERROR", "IGNORE_RECORD")


def _error_behavior(document: dict[str, Any], ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool) -> None:
    section = _section(document, "ErrorBehavior", ctx)
    where = f"{WHERE}.ErrorBehavior"
    policy = str(section.get("DataErrorPolicy") or "LOG_ERROR").upper()
    override = ctx.settings.connectors.errors_tolerance
    if has_sink:
        tolerance = override or ("all" if policy in _TOLERANT_POLICIES else "none")
        mapped.sink["errors.tolerance"] = tolerance
        if tolerance == "all":
            dlq = naming.dlq_topic(ctx.topic_prefix)
            mapped.sink.update(
                {
                    "errors.deadletterqueue.topic.name": dlq,
                    "errors.deadletterqueue.context.headers.enable": "true",
                    "errors.log.enable": "true",
                    "errors.log.include.messages": "false",
                }
            )
            mapped.sink_writes.append(dlq)
            became = f"errors.tolerance=all, errors.deadletterqueue.topic.name={dlq}"
            message = (
                f"DataErrorPolicy {policy}: records the sink cannot write go to a dead-letter topic with the error "
                "in its headers, and the sink goes on"
            )
        else:
            became = "errors.tolerance=none"
            message = f"DataErrorPolicy {policy}: the sink stops at the first record it cannot write"
        if override:
            message += f" (errors_tolerance={override} from the settings file)"
        severity_warning = policy == "SUSPEND_TABLE"
        ctx.notes.add(
            Severity.WARNING if severity_warning else Severity.INFO,
            "task-settings.error-behavior",
            message
            + (
                "; DMS suspended only the failing table, Kafka Connect stops the whole sink" if severity_warning else ""
            ),
            became=became,
            where=f"{where}.DataErrorPolicy",
        )
        retries = _int(section.get("RecoverableErrorCount"))
        interval = _int(section.get("RecoverableErrorInterval"))
        if retries is not None and retries >= 0:
            mapped.sink["flush.max.retries"] = str(retries)
            if interval is not None and interval > 0:
                mapped.sink["flush.retry.delay.ms"] = str(interval * 1000)
            ctx.notes.info(
                "task-settings.recoverable-errors",
                f"RecoverableErrorCount {retries}: the sink retries a failed write that many times",
                became="flush.max.retries" + (", flush.retry.delay.ms" if interval else ""),
                where=f"{where}.RecoverableErrorCount",
            )
        insert = str(section.get("ApplyErrorInsertPolicy") or "LOG_ERROR").upper()
        update = str(section.get("ApplyErrorUpdatePolicy") or "LOG_ERROR").upper()
        ctx.notes.info(
            "task-settings.apply-conflicts",
            f"ApplyErrorInsertPolicy {insert} / ApplyErrorUpdatePolicy {update}: the sink upserts by primary key, "
            "so duplicate inserts and updates of missing rows both succeed",
            became="insert.mode=upsert",
            where=f"{where}.ApplyErrorInsertPolicy",
        )
    for key in ("DataTruncationErrorPolicy", "TableErrorPolicy", "EventErrorPolicy", "ApplyErrorEscalationPolicy"):
        if key in section:
            ctx.notes.info(
                "task-settings.not-applicable",
                f"{key} {section[key]}: Kafka Connect has one error policy per connector (errors.tolerance)",
                where=f"{where}.{key}",
            )


def _change_processing(
    document: dict[str, Any], ctx: EngineContext, mapped: TaskSettingsMapping, has_sink: bool
) -> None:
    section = _section(document, "ChangeProcessingTuning", ctx)
    where = f"{WHERE}.ChangeProcessingTuning"
    target = _section(document, "TargetMetadata", ctx)
    # Some tools write BatchApplyEnabled under ChangeProcessingTuning; DMS reads it from TargetMetadata.
    if _bool(section.get("BatchApplyEnabled"), False) and not _bool(target.get("BatchApplyEnabled"), False):
        _batch_apply(document, ctx, mapped, has_sink, where=f"{where}.BatchApplyEnabled")
    tuned = sorted(k for k in section if k != "BatchApplyEnabled")
    if tuned:
        ctx.notes.info(
            "task-settings.not-applicable",
            f"ChangeProcessingTuning {', '.join(tuned)} tune DMS memory and commit sizes; the connectors use "
            "Kafka Connect defaults",
            where=where,
        )


def _validation(document: dict[str, Any], ctx: EngineContext) -> None:
    section = _section(document, "ValidationSettings", ctx)
    if not section:
        return
    where = f"{WHERE}.ValidationSettings"
    if _bool(section.get("EnableValidation"), False):
        ctx.notes.warning(
            "task-settings.validation",
            "EnableValidation: DMS compared source and target rows; Kafka Connect has no data validation",
            hint="compare row counts and checksums during cut-over, or run dms2msk verify against the databases",
            where=f"{where}.EnableValidation",
        )
    else:
        ctx.notes.info(
            "task-settings.validation", "ValidationSettings: validation is off; nothing to carry over", where=where
        )


def _other_sections(document: dict[str, Any], ctx: EngineContext) -> None:
    for name, why in NOT_APPLICABLE_SECTIONS.items():
        if name in document:
            ctx.notes.info("task-settings.not-applicable", f"{name}: {why}", where=f"{WHERE}.{name}")
    before = _section(document, "BeforeImageSettings", ctx)
    if before and _bool(before.get("EnableBeforeImage"), False):
        ctx.notes.info(
            "task-settings.before-image",
            "EnableBeforeImage: every Debezium change event carries the row before the change ('before'); the "
            "JDBC sink writes only the new row",
            became="change event 'before' field",
            hint="a full before image needs REPLICA IDENTITY FULL (PostgreSQL) or binlog_row_image=FULL (MySQL)",
            where=f"{WHERE}.BeforeImageSettings",
        )
    elif "BeforeImageSettings" in document:
        ctx.notes.info(
            "task-settings.not-applicable",
            "BeforeImageSettings: before images are off",
            where=f"{WHERE}.BeforeImageSettings",
        )
    time_travel = _section(document, "TTSettings", ctx)
    if time_travel and _bool(time_travel.get("EnableTT"), False):
        ctx.notes.warning(
            "task-settings.time-travel",
            "TTSettings EnableTT: DMS Time Travel logs have no Kafka Connect equivalent; the topics keep change "
            "history for their retention period",
            hint="raise the topics' retention.ms, or add an S3 sink connector for long-term history",
            where=f"{WHERE}.TTSettings",
        )
    elif "TTSettings" in document:
        ctx.notes.info("task-settings.not-applicable", "TTSettings: Time Travel is off", where=f"{WHERE}.TTSettings")
    loopback = document.get("LoopbackPreventionSettings")
    if loopback:
        ctx.notes.warning(
            "task-settings.loopback",
            "LoopbackPreventionSettings: DMS bidirectional-replication loop prevention has no equivalent",
            hint="in bidirectional setups filter the other side's writes with a Filter SMT on a marker column",
            where=f"{WHERE}.LoopbackPreventionSettings",
        )
    elif "LoopbackPreventionSettings" in document:
        ctx.notes.info(
            "task-settings.not-applicable",
            "LoopbackPreventionSettings: not set",
            where=f"{WHERE}.LoopbackPreventionSettings",
        )
    charset = document.get("CharacterSetSettings")
    if charset:
        ctx.notes.warning(
            "task-settings.character-set",
            "CharacterSetSettings: DMS character replacement has no equivalent; Debezium sends strings as the "
            "database returns them",
            where=f"{WHERE}.CharacterSetSettings",
        )
    elif "CharacterSetSettings" in document:
        ctx.notes.info(
            "task-settings.not-applicable", "CharacterSetSettings: not set", where=f"{WHERE}.CharacterSetSettings"
        )
