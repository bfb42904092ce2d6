"""The map stage: an :class:`~dms2msk.model.Inventory` becomes a :class:`~dms2msk.model.MappingResult`.

Usage::

    from dms2msk.mapping import map_inventory
    result = map_inventory(inventory, Settings(debezium_version="3.6.3.Final"))
    for pipeline in result.pipelines:
        pipeline.source.config       # Debezium source properties (bootstrap servers excepted)
        pipeline.sink and pipeline.sink.config
    result.skipped                   # tasks that could not be mapped; result.findings says why

Each DMS task becomes one :class:`~dms2msk.model.Pipeline`: a Debezium source
connector and, for a relational target, a Debezium JDBC sink. The pieces come
from the engines (:mod:`dms2msk.engines`), the table-mapping compilers
(:mod:`.rules`, :mod:`.selection`, :mod:`.transform`) and the task settings
(:mod:`.task_settings`). Every property is checked against the Debezium
version's catalog (:mod:`dms2msk.catalog`) before it is kept. A bad task
becomes a :class:`~dms2msk.model.SkippedTask` with findings; the other tasks
still map. The output depends only on the inventory and the settings.
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..config import Settings
from ..engines import Credentials, Engine, EngineContext, Notes, find_engine
from ..engines.engine import checked_host
from ..engines.versions import DebeziumVersion, snapshot_modes
from ..model import (
    Connector,
    DatabaseAccess,
    Endpoint,
    Finding,
    Inventory,
    MappingResult,
    NetworkDefaults,
    Pipeline,
    RegionInventory,
    ReplicationTask,
    SecretRef,
    Severity,
    SkippedTask,
)
from ..sinks import Sink, SinkConnection, SinkRequest, sink_for
from . import naming
from .capture import defined_keys
from .rules import ParsedMappings, parse_table_mappings
from .selection import IdentifierStyle, SelectionPlan, compile_selection
from .task_settings import MSK_IAM_CLIENT, TaskSettingsMapping, map_task_settings
from .transform import TransformPlan, compile_transformations

log = logging.getLogger(__name__)

TOPIC_CREATION: dict[str, str] = {
    "topic.creation.default.replication.factor": "-1",
    "topic.creation.default.partitions": "-1",
}
"""Let the connector create its topics with the cluster's defaults (KIP-158)."""

_ARN_SECRET = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[^:]+:\d+:secret:(?P<name>.+?)(?:-[A-Za-z0-9]{6})?$")

__all__ = ["map_inventory", "map_task"]


def map_inventory(inventory: Inventory, settings: Settings | None = None) -> MappingResult:
    """Map every task of ``inventory``; never raises for bad tasks (they are skipped with findings).

    Raises :class:`~dms2msk.errors.ConfigError` only when ``settings`` itself is
    unusable (an unsupported Debezium version), since no task could map then.
    """
    settings = settings or Settings()
    version = DebeziumVersion.parse(settings.debezium_version)
    _require_catalog(settings.debezium_version)
    names = naming.EstateNames((region.region, task.identifier) for region, task in inventory.iter_tasks())
    pipelines: list[Pipeline] = []
    skipped: list[SkippedTask] = []
    findings: list[Finding] = []
    for region, task in sorted(inventory.iter_tasks(), key=lambda rt: (rt[0].region, rt[1].identifier)):
        outcome = map_task(task, region, settings=settings, version=version, names=names)
        findings.extend(outcome.findings)
        if outcome.pipeline is not None:
            pipelines.append(outcome.pipeline)
        else:
            skipped.append(outcome.skipped)  # type: ignore[arg-type]
    pipelines.sort(key=lambda p: p.key)
    return MappingResult(
        pipelines=tuple(pipelines),
        skipped=tuple(skipped),
        findings=tuple(findings),
        debezium_version=settings.debezium_version,
        kafkaconnect_version=settings.effective_kafkaconnect_version,
    )


@dataclass
class TaskOutcome:
    pipeline: Pipeline | None
    skipped: SkippedTask | None
    findings: list[Finding]


def _skip(task: ReplicationTask, region: RegionInventory, notes: Notes, reason: str) -> TaskOutcome:
    return TaskOutcome(None, SkippedTask(task.identifier, region.region, reason), list(notes.items))


def map_task(
    task: ReplicationTask,
    region: RegionInventory,
    *,
    settings: Settings,
    version: DebeziumVersion,
    names: naming.EstateNames,
) -> TaskOutcome:
    """Map one task (see :func:`map_inventory`): resolve its endpoints, then build its source and its sink."""
    notes = Notes(task.identifier, region.region)
    resolved = _resolve_endpoints(task, region, notes)
    if isinstance(resolved, str):
        return _skip(task, region, notes, resolved)
    parsed = parse_table_mappings(task.table_mappings, task=task.identifier)
    notes.items.extend(_with_region(parsed.findings, region.region))
    if not parsed.valid:
        return _skip(task, region, notes, "TableMappings cannot be read")

    key, prefix = _pipeline_names(task, region, names, notes)
    source_engine, target_engine = resolved.source_engine, resolved.target_engine
    source_secret, source_ctx = _source_connection(task, region, resolved, key, prefix, names, settings, version, notes)
    sink_kind = sink_for(target_engine)
    has_sink = sink_kind is not None and sink_kind.CONNECTOR_CLASS is not None
    mapped_settings = map_task_settings(task, engine=source_engine, ctx=source_ctx, has_sink=has_sink)

    style = source_engine.IDENTIFIER_STYLE
    assert style is not None, f"{source_engine!r} is a source engine without IDENTIFIER_STYLE"  # engine tests
    selection = _selection(parsed, style, task, prefix, settings, notes)
    if selection.empty:
        return _skip(task, region, notes, "no table is selected")
    request = _sink_request(resolved, sink_kind, source_ctx, parsed, selection, mapped_settings)
    connection = _sink_connection(task, request, sink_kind, version)
    endpoint_database = connection.endpoint_database if connection is not None else None
    transform = _compile_transformations(
        parsed,
        selection,
        style=style,
        settings=settings,
        task=task,
        prefix=prefix,
        target_schema=mapped_settings.target_schema,
        source_engine=source_engine,
        schema_in_table_name=_schema_in_table_name(sink_kind, target_engine, endpoint_database),
        sink=sink_kind,
        notes=notes,
    )
    source = _build_source(
        task, source_engine, source_ctx, source_secret, selection, transform, mapped_settings, sink_kind, request
    )
    source = replace(source, key_columns=defined_keys(parsed.transformations))
    sink = _build_sink(resolved, sink_kind, request, transform, connection, notes)
    pipeline = Pipeline(
        key=key,
        task_identifier=task.identifier,
        task_arn=task.arn,
        region=region.region,
        migration_type=task.migration_type,
        source_engine=resolved.source.engine,
        target_engine=resolved.target.engine,
        source=source,
        sink=sink,
        topic_prefix=prefix,
        network=_network(task, region, settings),
        findings=tuple(notes.items),
        debezium_version=settings.debezium_version,
    )
    return TaskOutcome(pipeline, None, list(notes.items))


# --------------------------------------------------------------------------- #
# Endpoints                                                                    #
# --------------------------------------------------------------------------- #


def _pipeline_names(
    task: ReplicationTask, region: RegionInventory, names: naming.EstateNames, notes: Notes
) -> tuple[str, str]:
    """The pipeline's key and topic prefix (qualified with the region when the task name repeats across regions)."""
    key = names.key(region.region, task.identifier)
    prefix = names.topic_prefix(region.region, task.identifier)
    if names.is_qualified(region.region, task.identifier):
        notes.info(
            "task.name.region-qualified",
            f"a task named {task.identifier} exists in several regions; names are qualified with {region.region}",
            became=f"topic.prefix={prefix}, key={key}",
        )
    return key, prefix


@dataclass(frozen=True)
class ResolvedEndpoints:
    """A task's two endpoints from the inventory, with the engines that know them (the target's may be unknown)."""

    source: Endpoint
    target: Endpoint
    source_engine: Engine
    target_engine: Engine | None


def _resolve_endpoints(task: ReplicationTask, region: RegionInventory, notes: Notes) -> ResolvedEndpoints | str:
    """The task's endpoints and engines, or why the task cannot map (with a blocker in ``notes``)."""
    endpoints = {e.arn: e for e in region.endpoints}
    source_ep = endpoints.get(task.source_endpoint_arn)
    target_ep = endpoints.get(task.target_endpoint_arn)
    for role, arn, ep in (
        ("source", task.source_endpoint_arn, source_ep),
        ("target", task.target_endpoint_arn, target_ep),
    ):
        if ep is None:
            notes.blocker(
                "task.endpoint.missing",
                f"the task's {role} endpoint {arn} is not in the inventory of {region.region}",
                hint="check that the endpoint exists and that scan could read it (see the scan problems)",
                where=f"{'SourceEndpointArn' if role == 'source' else 'TargetEndpointArn'}",
            )
    if source_ep is None or target_ep is None:
        return "an endpoint of the task is missing from the inventory"
    source_engine = find_engine(source_ep.engine)
    if source_engine is None:
        notes.blocker(
            "engine.unknown",
            f"source endpoint {source_ep.identifier} has engine {source_ep.engine!r}, which dms2msk does not know",
            where=f"endpoint {source_ep.identifier} EngineName",
        )
        return f"unknown source engine {source_ep.engine!r}"
    if not source_engine.is_source_supported:
        notes.blocker(
            "engine.source.unsupported",
            f"{source_engine.DISPLAY_NAME} source ({source_ep.identifier}): {source_engine.NO_SOURCE_REASON}",
            hint=source_engine.SOURCE_ALTERNATIVES,
            where=f"endpoint {source_ep.identifier} EngineName",
        )
        return f"no Debezium source connector for engine {source_ep.engine}"
    return ResolvedEndpoints(source_ep, target_ep, source_engine, find_engine(target_ep.engine))


# --------------------------------------------------------------------------- #
# Source                                                                       #
# --------------------------------------------------------------------------- #


def _source_connection(
    task: ReplicationTask,
    region: RegionInventory,
    resolved: ResolvedEndpoints,
    key: str,
    prefix: str,
    names: naming.EstateNames,
    settings: Settings,
    version: DebeziumVersion,
    notes: Notes,
) -> tuple[SecretRef, EngineContext]:
    """The source connector's secret and the context its engine writes the connection properties from."""
    engine = resolved.source_engine
    secret, creds = _credentials(resolved.source, "source", task, key, settings, engine, notes)
    ctx = EngineContext(
        endpoint=resolved.source,
        settings=settings,
        version=version,
        credentials=creds,
        notes=notes,
        pipeline_key=key,
        topic_prefix=prefix,
        extra={"server_id": names.server_id(region.region, task.identifier)}
        if engine.SNAPSHOT_FAMILY == "binlog"
        else {},
    )
    return secret, ctx


def _selection(
    parsed: ParsedMappings,
    style: IdentifierStyle,
    task: ReplicationTask,
    prefix: str,
    settings: Settings,
    notes: Notes,
) -> SelectionPlan:
    """The tables the source captures; an empty selection gets its blocker here."""
    selection = compile_selection(
        parsed.selections,
        style=style,
        task=task.identifier,
        topic_prefix=prefix,
        scripting_smt_enabled=settings.scripting_smt_enabled,
    )
    notes.items.extend(_with_region(selection.findings, notes.region or ""))
    if selection.empty:
        notes.blocker(
            "selection.empty",
            "no selection rule selects a table the connector can capture",
            hint="add an include selection rule for the tables to replicate",
            where="TableMappings",
        )
    return selection


def _build_source(
    task: ReplicationTask,
    engine: Engine,
    ctx: EngineContext,
    secret: SecretRef,
    selection: SelectionPlan,
    transform: TransformPlan,
    mapped_settings: TaskSettingsMapping,
    sink: Sink | None,
    request: SinkRequest | None,
) -> Connector:
    """The Debezium source connector: engine properties, selection, rules, task settings, the sink's routing."""
    prefix, settings, notes = ctx.topic_prefix, ctx.settings, ctx.notes
    config, cluster_keys = _source_base(engine, ctx, prefix, settings, ctx.version, notes)
    config.update(engine.source_properties(ctx))
    config.update(selection.source_properties)
    config.update(transform.source_properties)
    config.update(mapped_settings.source)
    config["snapshot.mode"] = mapped_settings.snapshot_mode
    cluster_keys.extend(mapped_settings.source_cluster_keys)
    chain = selection.source_transforms
    routed_topic: str | None = None
    if sink is not None and request is not None:
        route, routed_topic = sink.source_route(request)
        if route.transforms:
            chain = chain.then(route)
    config.update(chain.properties())
    config = _checked(engine.SOURCE_CONNECTOR_CLASS or "", config, settings, notes, "source", engine.SNAPSHOT_FAMILY)

    topics = [f"{re.escape(prefix)}\\..+", naming.heartbeat_topic(prefix), prefix]
    if engine.USES_SCHEMA_HISTORY:
        topics.append(naming.schema_history_topic(prefix))
    topics.extend(mapped_settings.source_reads)
    reads, writes, groups = _source_topic_access(prefix, engine.USES_SCHEMA_HISTORY, routed_topic, mapped_settings)
    endpoint = ctx.endpoint
    return Connector(
        name=naming.connector_name(task.identifier, "source"),
        role="source",
        connector_class=engine.SOURCE_CONNECTOR_CLASS or "",
        plugin=engine.source_plugin or "",
        config=dict(sorted(config.items())),
        tasks_max=1,
        secrets=(secret,),
        database=DatabaseAccess.of(endpoint, engine.DEFAULT_PORT, engine.source_database(ctx)),
        topics=tuple(topics),
        reads_topics=reads,
        writes_topics=writes,
        consumer_groups=groups,
        cluster_config_keys=tuple(sorted(k for k in set(cluster_keys) if k)),
        captured_tables=selection.exact_tables,
        selection=selection.dms_patterns,
        plugin_requirements=selection.plugin_requirements,
    )


# --------------------------------------------------------------------------- #
# Sink                                                                         #
# --------------------------------------------------------------------------- #


def _sink_request(
    resolved: ResolvedEndpoints,
    sink: Sink | None,
    source_ctx: EngineContext,
    parsed: ParsedMappings,
    selection: SelectionPlan,
    mapped_settings: TaskSettingsMapping,
) -> SinkRequest | None:
    """What the sink kind builds from, or ``None`` when no kind writes the target."""
    if sink is None or resolved.target_engine is None:
        return None
    settings, notes = source_ctx.settings, source_ctx.notes
    return SinkRequest(
        task_identifier=notes.task or "",
        key=source_ctx.pipeline_key,
        prefix=source_ctx.topic_prefix,
        settings=settings,
        notes=notes,
        source_engine=resolved.source_engine,
        source_ctx=source_ctx,
        target_engine=resolved.target_engine,
        target_endpoint=resolved.target,
        parsed=parsed,
        selection=selection,
        mapped_settings=mapped_settings,
        checked=lambda connector_class, config: _checked(connector_class, config, settings, notes, "sink"),
    )


def _sink_connection(
    task: ReplicationTask, request: SinkRequest | None, sink: Sink | None, version: DebeziumVersion
) -> SinkConnection | None:
    """How the sink connector reaches its target; ``None`` for a target without a sink connector."""
    if request is None or sink is None or sink.CONNECTOR_CLASS is None:
        return None
    endpoint, engine = request.target_endpoint, request.target_engine
    secret, creds = _credentials(endpoint, "sink", task, request.key, request.settings, engine, request.notes)
    ctx = EngineContext(
        endpoint=endpoint,
        settings=request.settings,
        version=version,
        credentials=creds,
        notes=request.notes,
        pipeline_key=request.key,
        topic_prefix=request.prefix,
    )
    return SinkConnection(ctx, secret, sink.endpoint_database(request, ctx))


def _schema_in_table_name(sink: Sink | None, target: Engine | None, endpoint_database: str | None) -> bool:
    """Whether target table names carry the schema: the sink kind says; with no sink, as DMS named them."""
    if sink is not None and target is not None:
        return sink.schema_in_table_name(target, endpoint_database)
    return target is not None


def _build_sink(
    resolved: ResolvedEndpoints,
    sink: Sink | None,
    request: SinkRequest | None,
    transform: TransformPlan,
    connection: SinkConnection | None,
    notes: Notes,
) -> Connector | None:
    """The sink kind's connector (or its note that the topics are the target); a blocker when nothing writes it."""
    if sink is not None and request is not None:
        return sink.build(request, transform, connection)
    target_ep, target_engine = resolved.target, resolved.target_engine
    if target_engine is None:
        notes.blocker(
            "engine.unknown",
            f"target endpoint {target_ep.identifier} has engine {target_ep.engine!r}, which dms2msk does not know; "
            "no sink connector is generated",
            where=f"endpoint {target_ep.identifier} EngineName",
        )
    else:
        notes.blocker(
            "target.unsupported",
            f"{target_engine.DISPLAY_NAME} target {target_ep.identifier}: no Debezium sink writes to it; the source "
            "connector still fills the MSK topics",
            hint=target_engine.TARGET_ALTERNATIVES,
            where=f"endpoint {target_ep.identifier} EngineName",
        )
    return None


# --------------------------------------------------------------------------- #
# Pieces                                                                       #
# --------------------------------------------------------------------------- #


def _with_region(findings: Iterable[Finding], region: str) -> list[Finding]:
    from dataclasses import replace

    return [f if f.region else replace(f, region=region) for f in findings]


def _secret_name_for(endpoint: Endpoint, notes: Notes) -> str:
    """The name to put in ``${secretsmanager:NAME:key}`` for the endpoint's DMS secret."""
    if endpoint.secret and endpoint.secret.name:
        return endpoint.secret.name
    secret_id = endpoint.secrets_manager_secret_id or ""
    match = _ARN_SECRET.match(secret_id)
    if match:
        notes.info(
            "secret.name-from-arn",
            f"endpoint {endpoint.identifier} names its secret by ARN; the connector refers to it by name "
            f"{match['name']!r} (an ARN's colons would break the config-provider reference)",
            where=f"endpoint {endpoint.identifier} SecretsManagerSecretId",
        )
        return match["name"]
    return secret_id


def _credentials(
    endpoint: Endpoint,
    role: str,
    task: ReplicationTask,
    key: str,
    settings: Settings,
    engine: Engine,
    notes: Notes,
) -> tuple[SecretRef, Credentials]:
    """The secret a connector reads and the references into it (reusing the endpoint's DMS secret)."""
    ref = naming.secret_reference
    if endpoint.secrets_manager_secret_id:
        name = _secret_name_for(endpoint, notes)
        fields = ["username", "password"]
        host = checked_host(endpoint, notes)
        port = str(endpoint.port) if endpoint.port else None
        if host is None:
            host = ref(name, "host")
            fields.append("host")
        if port is None:
            port = ref(name, "port")
            fields.append("port")
        secret = SecretRef(
            key=f"{key}_{role}",
            name=name,
            existing=True,
            arn=endpoint.secret.arn if endpoint.secret else endpoint.secrets_manager_secret_id,
            kms_key_id=endpoint.secret.kms_key_id if endpoint.secret else None,
            fields=tuple(fields),
            description=f"DMS secret of endpoint {endpoint.identifier}, reused by the {role} connector",
        )
        notes.info(
            "secret.reused",
            f"the {role} connector reads the credentials of endpoint {endpoint.identifier} from its DMS secret",
            became=f"${{secretsmanager:{name}:...}} ({', '.join(fields)})",
            where=f"endpoint {endpoint.identifier} SecretsManagerSecretId",
        )
        return secret, Credentials(ref(name, "username"), ref(name, "password"), host, port)
    name = naming.new_secret_name(settings.name_prefix, task.identifier, role)
    secret = SecretRef(
        key=f"{key}_{role}",
        name=name,
        existing=False,
        fields=("username", "password"),
        description=f"Credentials of endpoint {endpoint.identifier} for the {role} connector of {task.identifier}",
    )
    notes.warning(
        "secret.new",
        f"endpoint {endpoint.identifier} keeps its password in DMS, which never returns it; the {role} connector "
        f"reads it from a new secret {name!r}",
        became=f"${{secretsmanager:{name}:username}}, ${{secretsmanager:{name}:password}}",
        hint="after terraform apply: aws secretsmanager put-secret-value "
        f"--secret-id {shlex.quote(name)} --secret-string "
        '\'{"username":"...","password":"..."}\'' + (f" (username {endpoint.username})" if endpoint.username else ""),
        where=f"endpoint {endpoint.identifier}",
    )
    if not endpoint.server_name:
        notes.blocker(
            "endpoint.server-name.missing",
            f"endpoint {endpoint.identifier} has neither a server name nor a secret that holds one",
            hint="set ServerName on the DMS endpoint, or use a Secrets Manager secret with host and port",
            where=f"endpoint {endpoint.identifier} ServerName",
        )
    port = endpoint.port or engine.DEFAULT_PORT
    return secret, Credentials(
        ref(name, "username"), ref(name, "password"), checked_host(endpoint, notes), str(port) if port else None
    )


def _source_base(
    engine: Engine,
    ctx: EngineContext,
    prefix: str,
    settings: Settings,
    version: DebeziumVersion,
    notes: Notes,
) -> tuple[dict[str, str], list[str]]:
    config: dict[str, str] = {
        "connector.class": engine.SOURCE_CONNECTOR_CLASS or "",
        "tasks.max": "1",
        "topic.prefix": prefix,
        "heartbeat.interval.ms": str(settings.connectors.heartbeat_interval_ms),
        **TOPIC_CREATION,
    }
    cluster_keys: list[str] = []
    if engine.USES_SCHEMA_HISTORY:
        config["schema.history.internal.kafka.topic"] = naming.schema_history_topic(prefix)
        for client in ("producer", "consumer"):
            for k, v in MSK_IAM_CLIENT.items():
                config[f"schema.history.internal.{client}.{k}"] = v
        cluster_keys.append("schema.history.internal.kafka.bootstrap.servers")
    return config, cluster_keys


def _source_topic_access(
    prefix: str, uses_schema_history: bool, routed_topic: str | None, mapped: TaskSettingsMapping
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """``(reads, writes, consumer groups)`` of a source connector, for its execution role.

    Data topics are ``<prefix>.<...>`` unless a RegexRouter sends them all to a DMS Kafka endpoint's
    topic; the schema change topic (``<prefix>``) and the heartbeat topic are never routed.
    """
    writes = [routed_topic or f"{prefix}.*", prefix, naming.heartbeat_topic(prefix)]
    reads = list(mapped.source_reads)
    groups = list(mapped.source_groups)
    if uses_schema_history:
        # Written on every DDL, replayed on every start.
        writes.append(naming.schema_history_topic(prefix))
        reads.append(naming.schema_history_topic(prefix))
        groups.append(naming.schema_history_group(prefix))
    return tuple(dict.fromkeys(reads)), tuple(dict.fromkeys(writes)), tuple(dict.fromkeys(groups))


def _network(task: ReplicationTask, region: RegionInventory, settings: Settings) -> NetworkDefaults:
    override = settings.network.for_region(region.region)
    instance = next((ri for ri in region.replication_instances if ri.arn == task.replication_instance_arn), None)
    if instance is not None:
        base = NetworkDefaults(
            vpc_id=instance.vpc_id,
            subnet_ids=tuple(instance.subnet_ids),
            security_group_ids=tuple(instance.security_group_ids),
            source=f"replication instance {instance.identifier}",
            subnet_zones=dict(instance.subnet_zones),
        )
    elif task.serverless is not None:
        base = NetworkDefaults(
            vpc_id=task.serverless.vpc_id,
            subnet_ids=tuple(task.serverless.subnet_ids),
            security_group_ids=tuple(task.serverless.security_group_ids),
            source=f"DMS Serverless replication config {task.identifier}",
            subnet_zones=dict(task.serverless.subnet_zones),
        )
    else:
        base = NetworkDefaults(source="none (the task's replication instance is not in the inventory)")
    if override.vpc_id or override.subnet_ids or override.security_group_ids:
        return NetworkDefaults(
            vpc_id=override.vpc_id or base.vpc_id,
            subnet_ids=tuple(override.subnet_ids) or base.subnet_ids,
            security_group_ids=tuple(override.security_group_ids) or base.security_group_ids,
            source="settings file [network]" + (f" over {base.source}" if base.source else ""),
            subnet_zones=base.subnet_zones,  # zones of scanned subnets; the settings' own may be unknown
        )
    return base


# --------------------------------------------------------------------------- #
# Catalog check                                                                #
# --------------------------------------------------------------------------- #


def _require_catalog(version: str) -> None:
    try:
        from ..catalog import load_catalog
    except ImportError:  # the catalog package is optional at import time only
        return
    load_catalog(version)  # raises ConfigError (UnsupportedVersionError) for a version without a catalog


def _checked(
    connector_class: str,
    config: dict[str, str],
    settings: Settings,
    notes: Notes,
    role: str,
    snapshot_family: str = "",
) -> dict[str, str]:
    """Drop every key the Debezium version does not know (or whose value it rejects), with a finding each."""
    try:
        from ..catalog import check_properties
    except ImportError:
        notes.warning(
            "catalog.unavailable",
            f"the property catalog could not be loaded; the {role} properties were not checked",
        )
        return config
    kept = dict(config)
    for problem in check_properties(connector_class, config, settings.debezium_version):
        severity = getattr(problem, "severity", "error")
        key = getattr(problem, "key", "")
        message = getattr(problem, "message", str(problem))
        hint = getattr(problem, "hint", None)
        code = getattr(problem, "code", "unknown-property")
        if severity != "error":
            notes.info(f"catalog.{code}", f"{role}: {message}", hint=hint, became=key)
            continue
        if key == "connector.class" or key not in kept:
            notes.blocker(f"catalog.{code}", f"{role}: {message}", hint=hint)
            continue
        value = kept.pop(key)
        shown = value if "secretsmanager" not in value else "<secret reference>"
        notes.add(
            Severity.BLOCKER if key in ("snapshot.mode", "topic.prefix") else Severity.WARNING,
            f"catalog.{code}",
            f"{role}: {message}; {key}={shown} was left out",
            hint=hint,
            became="not emitted",
        )
    _ensure_snapshot_mode(kept, snapshot_family, settings, notes)
    return kept


def _ensure_snapshot_mode(config: dict[str, str], family: str, settings: Settings, notes: Notes) -> None:
    """Keep ``snapshot.mode`` valid for the version even if the catalog does not list enum values."""
    mode = config.get("snapshot.mode")
    if mode is None or not family:
        return
    allowed = snapshot_modes(family, DebeziumVersion.parse(settings.debezium_version))
    if mode not in allowed:
        notes.blocker(
            "version.snapshot-mode",
            f"snapshot.mode {mode} does not exist in Debezium {settings.debezium_version} for this connector",
            hint=f"valid modes: {', '.join(sorted(allowed))}",
        )


# --------------------------------------------------------------------------- #
# Transformations                                                              #
# --------------------------------------------------------------------------- #


def _compile_transformations(
    parsed: ParsedMappings,
    selection: SelectionPlan,
    *,
    style: IdentifierStyle,
    settings: Settings,
    task: ReplicationTask,
    prefix: str,
    target_schema: str | None,
    source_engine: Engine,
    schema_in_table_name: bool,
    sink: Sink | None,
    notes: Notes,
) -> TransformPlan:
    plan = compile_transformations(
        parsed.transformations,
        selection,
        style=style,
        debezium_version=settings.debezium_version,
        task=task.identifier,
        topic_prefix=prefix,
        table_settings=parsed.table_settings,
        target_schema=target_schema,
        schema_in_table_name=schema_in_table_name,
        source_engine=source_engine,
    )
    findings = sink.rule_findings(plan.findings) if sink is not None else plan.findings
    notes.items.extend(_with_region(findings, notes.region or ""))
    return plan
