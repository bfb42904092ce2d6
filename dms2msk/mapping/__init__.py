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
from dataclasses import dataclass

from ..config import Settings
from ..engines import Credentials, Engine, EngineContext, Notes, TargetKind, find_engine
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
from . import naming
from .capture import defined_keys
from .rules import ParsedMappings, parse_table_mappings
from .selection import IdentifierStyle, SelectionPlan, compile_selection
from .smt import Smt, SmtChain
from .task_settings import MSK_IAM_CLIENT, TaskSettingsMapping, map_task_settings
from .transform import NAME_ACTIONS, TransformPlan, compile_transformations, java_replacement

log = logging.getLogger(__name__)

JDBC_SINK_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector"

SINK_DEFAULTS: dict[str, str] = {
    "insert.mode": "upsert",
    "delete.enabled": "true",
    "primary.key.mode": "record_key",
}
"""What DMS does on a relational target: write by primary key, apply deletes."""

TOPIC_CREATION: dict[str, str] = {
    "topic.creation.default.replication.factor": "-1",
    "topic.creation.default.partitions": "-1",
}
"""Let the connector create its topics with the cluster's defaults (KIP-158)."""

_ARN_SECRET = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[^:]+:\d+:secret:(?P<name>.+?)(?:-[A-Za-z0-9]{6})?$")

__all__ = ["JDBC_SINK_CLASS", "map_inventory", "map_task"]


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
    """Map one task (see :func:`map_inventory`)."""
    notes = Notes(task.identifier, region.region)
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
        return _skip(task, region, notes, "an endpoint of the task is missing from the inventory")
    source_engine = find_engine(source_ep.engine)
    if source_engine is None:
        notes.blocker(
            "engine.unknown",
            f"source endpoint {source_ep.identifier} has engine {source_ep.engine!r}, which dms2msk does not know",
            where=f"endpoint {source_ep.identifier} EngineName",
        )
        return _skip(task, region, notes, f"unknown source engine {source_ep.engine!r}")
    if not source_engine.is_source_supported:
        notes.blocker(
            "engine.source.unsupported",
            f"{source_engine.DISPLAY_NAME} source ({source_ep.identifier}): {source_engine.NO_SOURCE_REASON}",
            hint=source_engine.SOURCE_ALTERNATIVES,
            where=f"endpoint {source_ep.identifier} EngineName",
        )
        return _skip(task, region, notes, f"no Debezium source connector for engine {source_ep.engine}")

    parsed = parse_table_mappings(task.table_mappings, task=task.identifier)
    notes.items.extend(_with_region(parsed.findings, region.region))
    if not parsed.valid:
        return _skip(task, region, notes, "TableMappings cannot be read")

    key = names.key(region.region, task.identifier)
    prefix = names.topic_prefix(region.region, task.identifier)
    if names.is_qualified(region.region, task.identifier):
        notes.info(
            "task.name.region-qualified",
            f"a task named {task.identifier} exists in several regions; names are qualified with {region.region}",
            became=f"topic.prefix={prefix}, key={key}",
        )

    source_secret, source_creds = _credentials(source_ep, "source", task, key, settings, source_engine, notes)
    source_ctx = EngineContext(
        endpoint=source_ep,
        settings=settings,
        version=version,
        credentials=source_creds,
        notes=notes,
        pipeline_key=key,
        topic_prefix=prefix,
        extra={"server_id": names.server_id(region.region, task.identifier)}
        if source_engine.SNAPSHOT_FAMILY == "binlog"
        else {},
    )
    target_engine = find_engine(target_ep.engine)
    target_kind = target_engine.TARGET_KIND if target_engine else TargetKind.NONE
    has_sink = target_kind is TargetKind.JDBC
    mapped_settings = map_task_settings(task, engine=source_engine, ctx=source_ctx, has_sink=has_sink)

    # ---- selection ---------------------------------------------------------
    style = source_engine.IDENTIFIER_STYLE
    assert style is not None, f"{source_engine!r} is a source engine without IDENTIFIER_STYLE"  # engine tests
    selection = compile_selection(
        parsed.selections,
        style=style,
        task=task.identifier,
        topic_prefix=prefix,
        scripting_smt_enabled=settings.scripting_smt_enabled,
    )
    notes.items.extend(_with_region(selection.findings, region.region))
    if selection.empty:
        notes.blocker(
            "selection.empty",
            "no selection rule selects a table the connector can capture",
            hint="add an include selection rule for the tables to replicate",
            where="TableMappings",
        )
        return _skip(task, region, notes, "no table is selected")

    # ---- transformations ---------------------------------------------------
    target_ctx: EngineContext | None = None
    sink_secret: SecretRef | None = None
    endpoint_database: str | None = None
    if has_sink:
        assert target_engine is not None
        sink_secret, sink_creds = _credentials(target_ep, "sink", task, key, settings, target_engine, notes)
        target_ctx = EngineContext(
            endpoint=target_ep,
            settings=settings,
            version=version,
            credentials=sink_creds,
            notes=notes,
            pipeline_key=key,
            topic_prefix=prefix,
        )
        endpoint_database = target_engine.target_database(target_ctx)
    transform = _compile_transformations(
        parsed,
        selection,
        style=style,
        settings=settings,
        task=task,
        prefix=prefix,
        target_schema=mapped_settings.target_schema,
        source_engine=source_engine,
        target_engine=target_engine,
        endpoint_database=endpoint_database,
        notes=notes,
    )

    # ---- source connector --------------------------------------------------
    source_config, source_cluster_keys = _source_base(source_engine, source_ctx, prefix, settings, version, notes)
    source_config.update(source_engine.source_properties(source_ctx))
    source_config.update(selection.source_properties)
    source_config.update(transform.source_properties)
    source_config.update(mapped_settings.source)
    source_config["snapshot.mode"] = mapped_settings.snapshot_mode
    source_cluster_keys.extend(mapped_settings.source_cluster_keys)
    source_chain = selection.source_transforms
    routed_topic: str | None = None
    if target_kind is TargetKind.KAFKA and target_engine is not None:
        kafka_ctx = EngineContext(
            endpoint=target_ep,
            settings=settings,
            version=version,
            credentials=source_creds,
            notes=notes,
            pipeline_key=key,
            topic_prefix=prefix,
        )
        regex, routed_topic = target_engine.routing_target(kafka_ctx)  # type: ignore[attr-defined]
        route = Smt(
            "dmsTopic",
            "org.apache.kafka.connect.transforms.RegexRouter",
            {"regex": regex, "replacement": java_replacement(routed_topic)},
        )
        source_chain = source_chain.then(SmtChain((route,)))
    source_config.update(source_chain.properties())
    source_config = _checked(
        source_engine.SOURCE_CONNECTOR_CLASS or "",
        source_config,
        settings,
        notes,
        "source",
        source_engine.SNAPSHOT_FAMILY,
    )

    source_topics = [f"{re.escape(prefix)}\\..+", naming.heartbeat_topic(prefix), prefix]
    if source_engine.USES_SCHEMA_HISTORY:
        source_topics.append(naming.schema_history_topic(prefix))
    source_topics.extend(mapped_settings.source_reads)
    source_reads, source_writes, source_groups = _source_topic_access(
        prefix, source_engine.USES_SCHEMA_HISTORY, routed_topic, mapped_settings
    )
    source = Connector(
        name=naming.connector_name(task.identifier, "source"),
        role="source",
        connector_class=source_engine.SOURCE_CONNECTOR_CLASS or "",
        plugin=source_engine.source_plugin or "",
        config=dict(sorted(source_config.items())),
        tasks_max=1,
        secrets=(source_secret,),
        database=DatabaseAccess(
            source_ep.identifier,
            source_ep.engine,
            source_ep.server_name,
            source_ep.port or source_engine.DEFAULT_PORT,
            name=source_engine.source_database(source_ctx),
        ),
        topics=tuple(source_topics),
        reads_topics=source_reads,
        writes_topics=source_writes,
        consumer_groups=source_groups,
        cluster_config_keys=tuple(sorted(k for k in set(source_cluster_keys) if k)),
        captured_tables=selection.exact_tables,
        selection=selection.dms_patterns,
        key_columns=defined_keys(parsed.transformations),
        plugin_requirements=selection.plugin_requirements,
    )

    # ---- sink connector ----------------------------------------------------
    sink: Connector | None = None
    if has_sink and target_engine is not None and target_ctx is not None and sink_secret is not None:
        url_database = _url_database(target_engine, target_ep, endpoint_database, transform, notes)
        sink_config: dict[str, str] = {"connector.class": JDBC_SINK_CLASS, "tasks.max": "1"}
        topics = _sink_topics(source_engine, source_ctx, selection, prefix)
        sink_config.update(topics)
        sink_config.update(target_engine.sink_properties(target_ctx, url_database))
        sink_config.update(SINK_DEFAULTS)
        sink_config.update(mapped_settings.sink)
        sink_config.update(transform.sink_properties_all)
        sink_config.update(_identifier_quoting(source_engine, target_engine, parsed, sink_config, notes))
        sink_config = _checked(JDBC_SINK_CLASS, sink_config, settings, notes, "sink")
        sink_topic_values = tuple(
            v for k, v in sorted(topics.items()) for v in (v.split(",") if k == "topics" else [v])
        )
        sink = Connector(
            name=naming.connector_name(task.identifier, "sink"),
            role="sink",
            connector_class=JDBC_SINK_CLASS,
            plugin=target_engine.sink_plugin or "debezium-connector-jdbc",
            config=dict(sorted(sink_config.items())),
            tasks_max=1,
            secrets=(sink_secret,),
            database=DatabaseAccess(
                target_ep.identifier,
                target_ep.engine,
                target_ep.server_name,
                target_ep.port or target_engine.DEFAULT_PORT,
                name=url_database,
            ),
            topics=sink_topic_values + tuple(mapped_settings.sink_writes),
            # An exact topic list is what the sink reads; a topics.regex stays inside the source's prefix.
            reads_topics=sink_topic_values if "topics" in topics else (f"{prefix}.*",),
            writes_topics=tuple(mapped_settings.sink_writes),
            cluster_config_keys=(),
            plugin_requirements=(),
        )
        notes.info(
            "target.jdbc-sink",
            f"{target_engine.DISPLAY_NAME} target {target_ep.identifier} is written by the Debezium JDBC sink",
            became=f"{sink.name}: insert.mode=upsert, delete.enabled=true, primary.key.mode=record_key",
            where=f"endpoint {target_ep.identifier}",
        )
    elif target_kind is TargetKind.KAFKA:
        notes.info(
            "target.kafka",
            f"Kafka target {target_ep.identifier}: the MSK topics are the target, no sink connector",
            where=f"endpoint {target_ep.identifier}",
        )
    elif target_engine is None:
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

    pipeline = Pipeline(
        key=key,
        task_identifier=task.identifier,
        task_arn=task.arn,
        region=region.region,
        migration_type=task.migration_type,
        source_engine=source_ep.engine,
        target_engine=target_ep.engine,
        source=source,
        sink=sink,
        topic_prefix=prefix,
        network=_network(task, region, settings),
        findings=tuple(notes.items),
        debezium_version=settings.debezium_version,
    )
    return TaskOutcome(pipeline, None, list(notes.items))


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


def _sink_topics(engine: Engine, ctx: EngineContext, selection: SelectionPlan, prefix: str) -> dict[str, str]:
    """``topics`` when every selected table is named exactly, else an anchored ``topics.regex``."""
    includes = getattr(selection, "includes", ())
    excludes = getattr(selection, "excludes", ())
    database = None
    source_database = getattr(engine, "source_database", None)
    if callable(source_database):
        database = source_database(ctx)
    exact = [(p.exact_schema, p.exact_table) for p in includes]
    if exact and not excludes and all(s and t for s, t in exact):
        names = sorted({engine.topic_name(prefix, s, t, database) for s, t in exact})  # type: ignore[arg-type]
        return {"topics": ",".join(names)}
    db_part = f"{re.escape(database)}\\." if database and engine.topic_regex_parts(database) == 3 else ""
    alternatives = "|".join(f"(?:{r})" for r in getattr(selection, "table_include_regexes", ()))
    # The entries match with letter case ((?-i:...)); (?i) only keeps the prefix and separators lenient.
    return {"topics.regex": f"(?i){re.escape(prefix)}\\.{db_part}(?:{alternatives})"}


_FOLD_RULE = {"lower": "convert-lowercase", "upper": "convert-uppercase"}


def _identifier_quoting(
    source: Engine, target: Engine, parsed: ParsedMappings, sink_config: dict[str, str], notes: Notes
) -> dict[str, str]:
    """``quote.identifiers=true`` wherever the target folds unquoted names, unless folding is exactly DMS's result.

    DMS creates the objects it writes with the names it computed, quoted: ``"Sales"."OrderLines"("LineId")``
    stays mixed case on PostgreSQL, whatever the source engine. A case rule changes only its own rule-target
    (a table rule leaves schema and column names as they are), so unquoted names are exact only when rules
    convert every schema, table and column to the case the target folds to.
    """
    if "quote.identifiers" in sink_config or target.TARGET_CASE not in _FOLD_RULE:
        return {}
    if _everything_folded(parsed, _FOLD_RULE[target.TARGET_CASE]):
        return {}
    notes.info(
        "target.quote-identifiers",
        f"{target.DISPLAY_NAME} folds unquoted names to {target.TARGET_CASE} case; DMS created its target objects "
        f"with the names it computed (quoted), so the sink quotes them too ({source.DISPLAY_NAME} names keep their "
        "case unless a case rule changes them)",
        became="quote.identifiers=true",
    )
    return {"quote.identifiers": "true"}


def _everything_folded(parsed: ParsedMappings, fold_action: str) -> bool:
    """True when the first naming rule of every schema, table and column is a case rule to the target's case."""
    renames = [r for r in sorted(parsed.transformations, key=lambda r: r.order_key) if r.action in NAME_ACTIONS]
    levels = ("schema", "table", "column")
    for depth, level in enumerate(levels, start=1):
        first = next((r for r in renames if r.target == level), None)
        if first is None or first.action != fold_action:
            return False
        locator = (first.locator.schema_name, first.locator.table_name, first.locator.column_name)[:depth]
        if any(name != "%" for name in locator):
            return False
    return True


def _url_database(
    engine: Engine, endpoint: Endpoint, endpoint_database: str | None, transform: TransformPlan, notes: Notes
) -> str | None:
    """The database in ``connection.url``: the endpoint's, or (MySQL family without one) where the rules send all."""
    if engine.SINK_QUALIFIES_BY_SCHEMA:
        return endpoint_database
    if endpoint_database is None:
        return transform.target_database
    if transform.target_database and transform.target_database != endpoint_database:
        notes.warning(
            "target.mysql.database",
            f"the rules send the tables to database {transform.target_database!r}, but endpoint "
            f"{endpoint.identifier} writes every table into {endpoint_database!r} (TargetDbType specific-database), "
            "as DMS did",
            became=f"connection.url database {endpoint_database}",
            hint="set TargetDbType multiple-databases on the endpoint to write into the renamed database",
            where=f"endpoint {endpoint.identifier} DatabaseName",
        )
    return endpoint_database


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
    target_engine: Engine | None,
    endpoint_database: str | None,
    notes: Notes,
) -> TransformPlan:
    # PostgreSQL, Oracle, Db2, SQL Server targets qualify tables by schema; a MySQL-family target writes into
    # the database of connection.url, unless the endpoint names none (TargetDbType multiple-databases).
    schema_in_table_name = bool(target_engine and (target_engine.SINK_QUALIFIES_BY_SCHEMA or endpoint_database is None))
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
    findings = plan.findings
    if target_engine is not None and target_engine.TARGET_KIND is TargetKind.KAFKA:
        findings = _without_sink(findings)
    notes.items.extend(_with_region(findings, notes.region or ""))
    return plan


# What the compiler says about the sink's table naming and SMT chain; a Kafka target has no sink.
_SINK_ONLY_CODES = frozenset(
    {"transformation.target-schema", "transformation.tables-merge", "transformation.topic-clash"}
)
_SINK_SIDE_CODES = frozenset(
    {
        "transformation.schema",
        "transformation.table-name",
        "transformation.column-name",
        "transformation.change-data-type",
        "transformation.add-column",
    }
)


def _without_sink(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings for a Kafka target: sink-only ones dropped, sink-side rules reported as not carried over."""
    from dataclasses import replace

    kept: list[Finding] = []
    for finding in findings:
        if finding.code in _SINK_ONLY_CODES:
            continue
        claimed = finding.became is not None or finding.severity is Severity.WARNING
        if finding.code in _SINK_SIDE_CODES and claimed and finding.severity is not Severity.BLOCKER:
            rule = f"rule {finding.rule_id} ({finding.rule_name})" if finding.rule_id else "a rule"
            finding = replace(
                finding,
                severity=Severity.WARNING,
                became=None,
                message=f"{rule} is not carried over: DMS applied it to the records it wrote to the Kafka topic, and "
                "a Kafka target has no sink connector to apply it (the topic carries source names)",
                hint="apply the change in the consumers, or ask for a source-side SMT",
            )
        kept.append(finding)
    return tuple(kept)
