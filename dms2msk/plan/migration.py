"""The ordered migration plan per DMS task, the cut-over rule, decommissioning and drift.

The cut-over rule is "no gap and no loss": the new source connector streams
before the DMS task stops (an overlap), and the sink's upserts by primary key
make the overlap idempotent. A table whose primary key dms2msk cannot confirm
blocks that cut-over until the user picks one of the options given.

Without a sink the rule differs: for a Kafka target the topics are the target and
consumers see the overlap's changes twice; for a target no Debezium sink writes
(Redshift, S3, Redis, an unknown engine) nothing would feed it once DMS stops, so
the task keeps DMS: no stop, no decommission of what it uses.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import replace

from deepdiff import DeepDiff

from ..capture import capture_set
from ..engines import Placeholder, SourceFacts, find_engine
from ..engines.engine import placeholder_of
from ..findings import FindingCode, finding_text
from ..model import Connector, Inventory, Pipeline, RegionInventory, ReplicationTask, SecretRef, to_jsonable
from ..sinks import Sink, sink_for, sink_of_connector
from .desired import DesiredEstate
from .keys import PrimaryKeyCheck, check_primary_keys
from .types import Action, Blocker, DecommissionItem, DriftItem, ResourceDiff, Step, TaskMigration

VOLATILE_TASK_FIELDS = ("status", "recovery_checkpoint")
VOLATILE_FIELDS = ("status",)


def _q(text: str) -> str:
    return shlex.quote(text)


# --------------------------------------------------------------------------- #
# Primary keys                                                                 #
# --------------------------------------------------------------------------- #


PK_OPTIONS = (
    "Add a primary key (or a unique NOT NULL key the sink can use) to the table in source and target, then re-run "
    "`dms2msk render` and `dms2msk plan`.",
    "Add a DMS `define-primary-key` transformation rule for the table to the task's table mappings (it names the "
    "key columns), re-scan and re-render; the sink then upserts by those columns.",
    "Cut the table over without overlap in a write freeze: stop writes to it, wait until DMS CDCLatencyTarget is 0, "
    "stop the DMS task, then start the source connector (snapshot.mode=no_data); no gap, at the cost of a short "
    "downtime window.",
    "Reload the table instead: empty it in the target and let the connector snapshot it (snapshot.mode=initial) "
    "with the sink in insert mode; DMS must be stopped first so nothing writes twice.",
)


# --------------------------------------------------------------------------- #
# Steps per engine                                                             #
# --------------------------------------------------------------------------- #


def _secret_holding(connector: Connector, key: str) -> SecretRef | None:
    """The secret the connector reads ``key`` (``username``, ``host``, ``port``) from, if it reads it from one."""
    return next((secret for secret in connector.secrets if key in secret.fields), None)


def _in_secret(secret: SecretRef, key: str) -> Placeholder:
    return Placeholder(f"<the {key} in secret {secret.name}>")


def _secret_lookup(secret: SecretRef, keys: tuple[str, ...], region: str) -> str:
    """A command that prints ``keys`` of ``secret`` (never the password: only the keys asked for)."""
    jq = f".{keys[0]}" if len(keys) == 1 else ' + " " + '.join(f"(.{key} | tostring)" for key in keys)
    return (
        f"aws secretsmanager get-secret-value --region {region} --secret-id {_q(secret.name)} "
        f"--query SecretString --output text | jq -r {_q(jq)}"
    )


def _user_of(pipeline: Pipeline, endpoint_user: str | None = None) -> str:
    """The connector user; ``endpoint_user`` is the DMS endpoint's Username, which a new secret is to hold."""
    secret = _secret_holding(pipeline.source, "username")
    if secret is not None and not secret.existing and endpoint_user:
        return endpoint_user  # the provision step puts this user into the new secret (the mapping's hint says so)
    if secret is not None:
        return _in_secret(secret, "username")
    user = pipeline.source.config.get("database.user")
    return user if user and not user.startswith("${") else Placeholder("<connector user>")


def _host_of(pipeline: Pipeline) -> str:
    db = pipeline.source.database
    if db and db.host:
        return db.host
    secret = _secret_holding(pipeline.source, "host")
    return _in_secret(secret, "host") if secret is not None else Placeholder("<source host>")


def _fill_in_notes(pipeline: Pipeline, step: Step) -> tuple[str, ...]:
    """For each placeholder of the step that a secret key fills, the command that prints its value."""
    text = " ".join((step.title, *step.commands, *step.checks, *step.notes))
    notes = []
    for key in ("username", "host"):
        secret = _secret_holding(pipeline.source, key)
        if secret is None or _in_secret(secret, key) not in text:
            continue
        if secret.existing:
            lookup = _secret_lookup(secret, (key,), pipeline.region)
            notes.append(f"Fill in {_in_secret(secret, key)} with the output of `{lookup}`.")
        else:  # created by the provision step, after this one: nothing to read yet
            notes.append(f"Fill in {_in_secret(secret, key)} with the {key} the provision step puts into that secret.")
    return tuple(notes)


def source_facts(pipeline: Pipeline, endpoint_user: str | None = None) -> SourceFacts:
    """What the source's prerequisite commands name: its user, host and the capture set mapping recorded."""
    capture = capture_set(pipeline.source)
    return SourceFacts(
        user=_user_of(pipeline, endpoint_user),
        host=_host_of(pipeline),
        region=pipeline.region,
        config=pipeline.source.config,
        schemas=capture.schemas,
        tables=capture.tables if capture.named_one_by_one else (),
        named_tables=capture.tables,
        whole_schemas=capture.whole_schemas,
        patterns=bool(capture.patterns),
    )


def prerequisite_steps(pipeline: Pipeline, endpoint_user: str | None = None) -> list[Step]:
    """The source database's prerequisites as plan steps, from the engine module of the source."""
    engine = pipeline.source_engine
    facts = source_facts(pipeline, endpoint_user)
    user = facts.user
    source_engine = find_engine(engine)
    prerequisites = source_engine.source_prerequisites(facts) if source_engine is not None else ()
    steps = [
        Step(phase="source prerequisites", title=p.title, commands=p.commands, checks=p.checks, notes=p.notes)
        for p in prerequisites
        if p.title is not None
    ]
    steps = [replace(step, notes=step.notes + _fill_in_notes(pipeline, step)) for step in steps]
    return steps or [
        Step(
            phase="source prerequisites",
            title=f"Change capture prerequisites for {engine}",
            notes=(
                f"Follow the Debezium {pipeline.source.plugin} documentation for {engine}: log access and grants "
                f"for {user}.",
            ),
        )
    ]


# --------------------------------------------------------------------------- #
# One task                                                                     #
# --------------------------------------------------------------------------- #


def _connector_arn_lookup(name: str, region: str) -> str:
    return (
        f"aws kafkaconnect list-connectors --connector-name-prefix {_q(name)} --region {region} "
        "--query 'connectors[0].connectorArn' --output text"
    )


def _describe_connector(name: str, region: str) -> str:
    return (
        f'aws kafkaconnect describe-connector --connector-arn "$({_connector_arn_lookup(name, region)})" '
        f"--region {region} --query connectorState"
    )


def target_sink(pipeline: Pipeline) -> Sink | None:
    """The sink kind that feeds the task's target once DMS stops (a connector, or the topics themselves of a
    Kafka target), or ``None`` when nothing but DMS writes it."""
    found = sink_of_connector(pipeline.sink.connector_class) if pipeline.sink is not None else None
    return found or sink_for(find_engine(pipeline.target_engine))


def _topics_are_the_target(sink: Sink | None) -> bool:
    return sink is not None and sink.CONNECTOR_CLASS is None


def stays_on_dms(pipeline: Pipeline) -> bool:
    """True when nothing but DMS writes the task's target: the task is not cut over or decommissioned."""
    return target_sink(pipeline) is None


def _why_no_sink(pipeline: Pipeline) -> str:
    """The mapping's own blocker saying why no sink was generated (and what could write the target instead)."""
    reasons = [
        _sentence(finding_text(f) + (f" ({f.hint})" if f.hint else ""))
        for f in pipeline.findings
        if f.severity.value == "blocker" and f.code.startswith(("target.", "engine."))
    ]
    return " ".join(reasons) or f"No Debezium sink writes to a {pipeline.target_engine} target."


def _sentence(text: str) -> str:
    """``text`` ending with a full stop, so the sentence that follows it in a paragraph reads as a new one."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _snapshot_meaning(mode: str | None, migration_type: str, has_sink: bool = True) -> str:
    if mode in (None, "initial", "when_needed", "always"):
        again = (
            "Rows DMS already loaded are upserted again by primary key (idempotent)."
            if has_sink
            else "Rows DMS already delivered are written to the topics again."
        )
        return f"snapshot.mode={mode or 'initial'}: the connector reads every captured table first, then streams. " + (
            again if migration_type != "full-load" else ""
        )
    if mode == "initial_only":
        return "snapshot.mode=initial_only: a one-time load, no streaming (like a DMS full-load task)."
    return (
        f"snapshot.mode={mode}: no data snapshot; the connector streams from its start position, so it must start "
        "while DMS is still applying changes (overlap)."
    )


def _how_to_report(check: PrimaryKeyCheck) -> str:
    return (
        f"Run this on the source database and pass its output to `dms2msk plan ... --primary-key-report FILE` "
        f"(CSV or TSV as `psql -A -F, -t`, `psql --csv` or `mysql -B` write it, or JSON): {check.query}"
    )


def primary_key_blocker(pipeline: Pipeline, check: PrimaryKeyCheck) -> Blocker | None:
    """The ``cutover.primary-key`` blocker, or None when every captured table has a key the sink can use."""
    if check.status in ("confirmed", "not-needed"):
        return None
    if check.status == "missing":
        source = ", ".join(check.sources) or "the mapping"
        count = len(check.without_key)
        message = (
            f"The overlap is idempotent only for tables the sink can upsert by key; {source} lists "
            f"{count} captured table{'s' if count != 1 else ''} without one: {', '.join(check.without_key)}."
        )
        if check.keyed_by_rule:
            message += f" Keyed by a define-primary-key rule (message.key.columns): {', '.join(check.keyed_by_rule)}."
        if not check.sources and check.query:
            message += " " + _how_to_report(check)
        return Blocker(pipeline.task_identifier, "cutover.primary-key", message, PK_OPTIONS)
    listed = ", ".join(f"{t} (unverified)" for t in check.unverified) or "(the captured tables)"
    message = f"The overlap is idempotent only for tables with a primary key; not confirmed for: {listed}. "
    if check.query:
        message += _how_to_report(check)
    else:
        message += (
            f"dms2msk has no query for engine {pipeline.source_engine!r}: check the captured tables' keys by hand."
        )
    return Blocker(pipeline.task_identifier, "cutover.primary-key", message, PK_OPTIONS)


def primary_key_step(check: PrimaryKeyCheck) -> Step | None:
    """The step that confirms keys before the cut-over: the query to run, or what the report confirmed."""
    if check.status == "not-needed":
        return None
    title = "Confirm that every captured table has a key the sink can upsert by"
    commands = (check.query,) if check.query else ()
    report = f"`dms2msk plan ... --primary-key-report FILE` with the output of the query for {check.label}"
    if check.status == "confirmed":
        notes = [f"Checked: primary keys confirmed by {', '.join(check.sources)} for {check.coverage}."]
        if check.keyed_by_rule:
            notes.append(f"Listed, but keyed by message.key.columns: {', '.join(check.keyed_by_rule)}.")
        checks = (f"Re-run the query after schema changes and pass it with {report}.",)
        return Step("primary keys", title, commands, checks, tuple(notes))
    if check.status == "missing" and check.sources:
        return Step(
            "primary keys",
            title,
            commands,
            (f"After the fix, the query lists none of: {', '.join(check.without_key)}.",),
            (f"{', '.join(check.sources)} lists captured tables without a key (see blockers).",),
        )
    checks = (f"The query's output lists no captured table; pass it with {report}.",)
    return Step("primary keys", title, commands, checks)


def case_clash_step(pipeline: Pipeline) -> list[Step]:
    """The check for tables whose column names differ only in case, which Debezium refuses and DMS replicates."""
    engine = find_engine(pipeline.source_engine)
    query = engine.case_clash_columns_query(pipeline.task_identifier) if engine is not None else None
    if query is None:
        return []
    return [
        Step(
            "source prerequisites",
            "No captured table has columns that differ only in case",
            (query,),
            ("The query lists no captured table (its last row, with empty names, only marks the check as run).",),
            (
                'Debezium stops on a table with two columns such as "Id" and id; DMS replicates it. Rename one '
                "of the two columns, or keep that table on DMS.",
            ),
        )
    ]


def naming_difference_step(pipeline: Pipeline) -> list[Step]:
    """The mapping's warnings that the target's tables are named otherwise than DMS named them, to accept first."""
    from ..advise import TARGET_NAMING_CODES
    from ..mapping.selection import TOPIC_SANITIZED_CODE

    codes = TARGET_NAMING_CODES | {TOPIC_SANITIZED_CODE}
    warnings = [f for f in pipeline.findings if f.severity.value == "warning" and f.code in codes]
    notes = tuple(dict.fromkeys(_sentence(f.message) for f in warnings))
    if not notes:
        return []
    return [
        Step(
            "pre-apply checks",
            "Accept where the target tables are named otherwise than DMS named them",
            (),
            ("Each difference below is accepted, or the task's rules are changed and the estate rendered again.",),
            notes,
        )
    ]


def task_migration(
    pipeline: Pipeline,
    region: RegionInventory | None,
    task: ReplicationTask | None,
    resources: list[ResourceDiff],
    out_dir: str,
    primary_keys: PrimaryKeyCheck | None = None,
) -> TaskMigration:
    """The ordered steps and blockers of one task; ``primary_keys`` is the key check (none: unverified)."""
    source_name = pipeline.source.name
    sink_name = pipeline.sink.name if pipeline.sink else None
    mode = pipeline.source.config.get("snapshot.mode")
    r = pipeline.region
    arn = pipeline.task_arn
    blockers: list[Blocker] = []
    overlap = pipeline.migration_type in ("cdc", "full-load-and-cdc")

    keys = primary_keys or check_primary_keys(pipeline, task, None)
    if pipeline.sink is None:
        # No sink upserts anything, so the sink's primary-key requirement does not apply.
        keys = PrimaryKeyCheck("not-needed", keys.label, None)
    key_blocker = primary_key_blocker(pipeline, keys)
    if key_blocker is not None:
        blockers.append(key_blocker)
    sink_kind = target_sink(pipeline)
    if pipeline.sink is not None and overlap and sink_kind is not None and not sink_kind.IDEMPOTENT_OVERLAP:
        blockers.append(
            Blocker(
                task_identifier=pipeline.task_identifier,
                code="cutover.sink-not-idempotent",
                message=f"Sink {sink_name} does not make a change written twice land once: rows written by both "
                "DMS and the connector during the overlap would be duplicated.",
                options=("Cut the tables over without overlap in a write freeze (see the primary keys options).",),
            )
        )
    elif pipeline.sink is not None:
        insert_mode = pipeline.sink.config.get("insert.mode", "insert")
        if overlap and insert_mode != "upsert":
            blockers.append(
                Blocker(
                    task_identifier=pipeline.task_identifier,
                    code=FindingCode.CUTOVER_SINK_NOT_IDEMPOTENT,
                    message=(
                        f"Sink {sink_name} writes with insert.mode={insert_mode}: rows written by both DMS and the "
                        "connector during the overlap would be duplicated or rejected."
                    ),
                    options=("Set the sink to insert.mode=upsert with primary.key.mode=record_key and re-render.",),
                )
            )
    blockers += [
        Blocker(
            task_identifier=pipeline.task_identifier,
            code=f.code,
            message=finding_text(f),
            options=(f.hint,) if f.hint else (),
        )
        for f in pipeline.findings
        if f.severity.value == "blocker"
    ]

    steps: list[Step] = list(prerequisite_steps(pipeline, _source_endpoint_user(region, task)))
    key_step = primary_key_step(keys)
    if key_step is not None:
        steps.append(key_step)
    steps += case_clash_step(pipeline) + naming_difference_step(pipeline)
    network_commands = [command for c in pipeline.connectors for command in _reachability_commands(c, r)]
    steps.append(
        Step(
            phase="network",
            title="Reachability from the connector subnets",
            commands=(
                *network_commands,
                f"dms2msk verify {_q(out_dir)}  # loads the configs in the real Debezium classes",
            ),
            checks=(
                "The connector security group reaches the brokers on TCP 9098 (IAM) and each database port.",
                f"Subnets {', '.join(pipeline.network.subnet_ids) or '(from the settings)'} have a route to the "
                "databases and to Secrets Manager (VPC endpoint or NAT), which the config provider calls.",
            ),
        )
    )
    new_secrets = sorted({s.name for c in pipeline.connectors for s in c.secrets if not s.existing})
    steps.append(
        Step(
            phase="provision",
            title="Cluster, plugins, worker configuration and secrets",
            commands=(
                f"dms2msk plugins build {_q(out_dir)}",
                f"terraform -chdir={out_dir} init",
                f"terraform -chdir={out_dir} plan -out=tfplan",
                *(
                    f"aws secretsmanager put-secret-value --region {r} --secret-id {_q(name)} "
                    '--secret-string file://secret.json  # {"username": ..., "password": ...}; delete the file'
                    for name in new_secrets
                ),
            ),
            checks=(
                "The plan's actions agree with this report (resources table).",
                "New secrets have a value before any connector starts (the config provider fails otherwise).",
            ),
            notes=("Secret values are put with the CLI from a file, never through Terraform, so no state holds them.",),
        )
    )
    steps.append(
        Step(
            phase="pre-apply checks",
            title="Check the generated connectors before they touch production",
            commands=(f"dms2msk verify {_q(out_dir)}", f"dms2msk rehearse {_q(out_dir)}"),
            checks=("Both exit 0: the configs load in the real connector classes and the rehearsal replicates.",),
        )
    )
    source_notes = [_snapshot_meaning(mode, pipeline.migration_type, pipeline.sink is not None)]
    replaced = [d for d in resources if d.action is Action.REPLACE and d.name == source_name]
    if replaced and replaced[0].cost:
        source_notes.append(replaced[0].cost)
    steps.append(
        Step(
            phase="start source",
            title=f"Start {source_name} while DMS task {pipeline.task_identifier} keeps running",
            commands=(f"terraform -chdir={out_dir} apply tfplan", _describe_connector(source_name, r)),
            checks=(
                "connectorState is RUNNING.",
                f"Topics with prefix `{pipeline.topic_prefix}.` receive events; the worker log group shows "
                "the snapshot (if any) completed and streaming started.",
            ),
            notes=tuple(source_notes),
        )
    )
    if sink_name:
        steps.append(
            Step(
                phase="start sink",
                title=f"{sink_name} applies the topics to the target",
                commands=(
                    _describe_connector(sink_name, r),
                    f"kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config client-iam.properties "
                    f"--describe --group connect-{sink_name}",
                ),
                checks=("connectorState is RUNNING.", "Consumer lag falls to 0 and stays near it."),
            )
        )
    kafka_target = _topics_are_the_target(sink_kind)
    if kafka_target:
        steps.append(_consumer_step(pipeline))
    elif sink_kind is not None:  # DMS alone keeps writing a target no sink feeds: nothing to count
        steps.append(
            Step(
                phase="row counts",
                title="Compare row counts with DMS's table statistics",
                commands=(
                    f"aws dms describe-table-statistics --replication-task-arn {arn} --region {r} "
                    "--query 'TableStatistics[].[SchemaName,TableName,FullLoadRows,Inserts,Deletes,TableState]' "
                    "--output table",
                    "SELECT COUNT(*) FROM <each target table>;  -- and the same on the source",
                ),
                checks=("Source and target counts match per table while writes are paused or quiet.",),
            )
        )
    if sink_kind is None:
        cutover = (
            f"No cut-over: nothing but DMS writes the {pipeline.target_engine} target of task "
            f"{pipeline.task_identifier}. {_why_no_sink(pipeline)} {source_name} only fills the MSK topics; DMS task "
            f"{pipeline.task_identifier} keeps running and keeps feeding its target, and neither it nor its target "
            "endpoint is to be stopped or deleted until something else writes that target."
        )
        steps.append(
            Step(
                phase="cut over",
                title=f"Keep DMS task {pipeline.task_identifier} running: it alone feeds the target",
                commands=(
                    f"aws dms describe-replication-tasks --region {r} --filters "
                    f"Name=replication-task-arn,Values={arn} --query 'ReplicationTasks[0].Status'",
                ),
                checks=("The DMS task is still running after the connectors start.",),
                notes=(_why_no_sink(pipeline),),
            )
        )
    elif kafka_target:
        cutover = _kafka_cutover(pipeline)
        steps.append(_stop_dms_step(pipeline, source_name))
    elif overlap:
        cutover = (
            f"Overlap cut-over: {source_name} starts streaming while DMS task {pipeline.task_identifier} "
            "still applies changes; both write the same rows and the sink's upserts by primary key make the "
            "double apply idempotent. DMS is stopped only after its target latency is 0 and the sink's lag is "
            "0, so no change falls in a gap. Tables without a confirmed key block this (see blockers and the "
            "primary keys step)."
        )
        steps.append(_stop_dms_step(pipeline, source_name))
    else:
        cutover = (
            f"Full-load task: {source_name} loads every table by snapshot (upserts by primary key, idempotent over "
            "rows DMS loaded) and then streams; nothing depends on the DMS task after the counts match."
        )
        steps.append(
            Step(
                phase="cut over",
                title="Switch readers and writers to the new pipeline",
                commands=(
                    f"aws dms describe-replication-tasks --region {r} --filters "
                    f"Name=replication-task-arn,Values={arn} --query 'ReplicationTasks[0].Status'",
                ),
                checks=("The DMS full-load task is stopped (finished) and row counts match.",),
            )
        )
    steps.append(_roll_back_step(pipeline, source_name, stopped_dms=sink_kind is not None))
    return TaskMigration(
        task_identifier=pipeline.task_identifier,
        task_arn=arn,
        region=r,
        migration_type=pipeline.migration_type,
        pipeline=pipeline.key,
        source_connector=source_name,
        sink_connector=sink_name,
        snapshot_mode=mode,
        cutover=cutover,
        steps=tuple(steps),
        blockers=tuple(blockers),
        primary_keys=keys,
    )


def _source_endpoint_user(region: RegionInventory | None, task: ReplicationTask | None) -> str | None:
    """The Username of the task's source endpoint in the inventory, if the plan has one."""
    if region is None or task is None:
        return None
    endpoint = next((e for e in region.endpoints if e.arn == task.source_endpoint_arn), None)
    return endpoint.username if endpoint is not None else None


def _reachability_commands(connector: Connector, region: str) -> list[str]:
    """The security-group check of the connector's database; a host or port kept in a secret is printed first."""
    db = connector.database
    if db is None:
        return []
    host_secret = None if db.host else _secret_holding(connector, "host")
    port_secret = _secret_holding(connector, "port")
    from_secret = tuple(key for key, secret in (("host", host_secret), ("port", port_secret)) if secret is not None)
    commands = []
    secret = host_secret or port_secret
    if secret is not None:
        commands.append(
            f"{_secret_lookup(secret, from_secret, region)}  # the {' and '.join(from_secret)} of endpoint "
            f"{db.endpoint_identifier}"
        )
    if db.host:
        host = db.host
    elif host_secret is not None:
        host = _in_secret(host_secret, "host")
    else:
        host = Placeholder(f"<host of endpoint {db.endpoint_identifier}>")
    if port_secret is not None:
        port = f"the TCP port in secret {port_secret.name}"
    else:
        port = f"TCP {db.port}" if db.port else f"the database port of endpoint {db.endpoint_identifier}"
    commands.append(
        f"aws ec2 describe-security-group-rules --region {region} --filters Name=group-id,Values="
        f"{placeholder_of('security group of', host)}  # must allow {port} from the connector security group"
    )
    return commands


def _stop_dms_step(pipeline: Pipeline, source_name: str) -> Step:
    r, arn = pipeline.region, pipeline.task_arn
    lag = "the sink lag is 0 and " if pipeline.sink is not None else "every consumer reads the new topic and "
    arrival = "reaches the target through the connector" if pipeline.sink else "reaches the connector's topic"
    return Step(
        phase="cut over",
        title=f"Stop DMS task {pipeline.task_identifier} after the overlap",
        commands=(
            f"aws cloudwatch get-metric-statistics --region {r} --namespace AWS/DMS --metric-name "
            f"CDCLatencyTarget --dimensions Name=ReplicationTaskIdentifier,Value=<task resource id> "
            "--statistics Maximum --period 60 --start-time <5 minutes ago> --end-time <now>",
            f"aws dms stop-replication-task --replication-task-arn {arn} --region {r}",
            f"aws dms wait replication-task-stopped --filters Name=replication-task-arn,Values={arn} --region {r}",
            _describe_connector(source_name, r),
        ),
        checks=(
            f"Before the stop: the connector is RUNNING, {lag}DMS CDCLatencyTarget is 0.",
            f"After the stop: a marker row written on the source {arrival}.",
            *(("Row counts match again (previous step).",) if pipeline.sink is not None else ()),
        ),
        notes=(
            "If DMS applied an older row image after the connector applied a newer one in the last seconds "
            "before the stop, re-apply current rows with an incremental snapshot signal (`execute-snapshot`) "
            "for the tables changed in that window.",
        )
        if pipeline.sink is not None
        else (),
    )


def _roll_back_step(pipeline: Pipeline, source_name: str, *, stopped_dms: bool) -> Step:
    r, arn = pipeline.region, pipeline.task_arn
    delete = (
        f"aws kafkaconnect delete-connector --region {r} --connector-arn "
        f'"$({_connector_arn_lookup(source_name, r)})"  # or terraform destroy -target on its module'
    )
    if not stopped_dms:
        return Step(
            phase="roll back",
            title="Remove the connectors",
            commands=(delete,),
            checks=("DMS never stopped: deleting the connectors is enough.",),
        )
    return Step(
        phase="roll back",
        title="Return to DMS",
        commands=(
            delete,
            f"aws dms start-replication-task --replication-task-arn {arn} --region {r} "
            "--start-replication-task-type resume-processing",
        ),
        checks=(
            "Before the DMS stop: deleting the connectors is enough; DMS never stopped.",
            "After the DMS stop: resume-processing continues from DMS's own checkpoint (taken at the stop), so "
            "changes made since are applied; set ErrorBehavior.ApplyErrorInsertPolicy=INSERT_RECORD so rows the "
            "connector already wrote do not fail the task.",
        ),
    )


# --------------------------------------------------------------------------- #
# Decommission                                                                 #
# --------------------------------------------------------------------------- #


def decommission(
    inventory: Inventory, migrated_task_arns: set[str]
) -> tuple[list[DecommissionItem], list[DecommissionItem]]:
    """What can be deleted once the migrated tasks are cut over, and what a remaining task still uses.

    An endpoint, replication instance or subnet group is deletable only when
    every task (and serverless config) that uses it is in the migrated set, and
    only when the scan listed every task, config and instance of its region: in a
    region read partially, unread tasks may use them, so they are all kept.
    """
    deletable: list[DecommissionItem] = []
    retained: list[DecommissionItem] = []
    for region in inventory.regions:
        r = region.region
        remaining = [t for t in region.tasks if t.arn not in migrated_task_arns]
        migrated = [t for t in region.tasks if t.arn in migrated_task_arns]
        for task in migrated:
            if task.serverless is not None:
                command = f"aws dms delete-replication-config --replication-config-arn {task.arn} --region {r}"
                kind = "replication-config"
            else:
                command = f"aws dms delete-replication-task --replication-task-arn {task.arn} --region {r}"
                kind = "replication-task"
            deletable.append(DecommissionItem(kind, task.identifier, task.arn, r, command, "migrated"))
        if region.users_unknown:
            retained += _users_unknown(region, migrated)
            continue
        endpoints = {e.arn: e for e in region.endpoints}
        used = sorted({a for t in migrated for a in (t.source_endpoint_arn, t.target_endpoint_arn)})
        for arn in used:
            endpoint = endpoints.get(arn)
            name = endpoint.identifier if endpoint else arn
            users = sorted(t.identifier for t in remaining if arn in (t.source_endpoint_arn, t.target_endpoint_arn))
            command = f"aws dms delete-endpoint --endpoint-arn {arn} --region {r}"
            note = ""
            if endpoint and endpoint.secrets_manager_secret_id:
                note = f"; keep its secret {endpoint.secrets_manager_secret_id}: the connectors read it"
            if users:
                retained.append(
                    DecommissionItem("endpoint", name, arn, r, command, f"still used by {', '.join(users)}")
                )
            else:
                deletable.append(
                    DecommissionItem("endpoint", name, arn, r, command, "used only by migrated tasks" + note)
                )
        instance_kept: dict[str, bool] = {}
        for instance in region.replication_instances:
            on_it = [t for t in region.tasks if t.replication_instance_arn == instance.arn]
            if not any(t.arn in migrated_task_arns for t in on_it):
                instance_kept[instance.arn] = True
                continue
            users = sorted(t.identifier for t in on_it if t.arn not in migrated_task_arns)
            command = f"aws dms delete-replication-instance --replication-instance-arn {instance.arn} --region {r}"
            instance_kept[instance.arn] = bool(users)
            item = DecommissionItem(
                "replication-instance",
                instance.identifier,
                instance.arn,
                r,
                command,
                f"still used by {', '.join(users)}" if users else "runs only migrated tasks",
            )
            (retained if users else deletable).append(item)
        groups_in_use: dict[str, list[str]] = {}
        for instance in region.replication_instances:
            if instance.subnet_group and instance_kept.get(instance.arn, True):
                groups_in_use.setdefault(instance.subnet_group, []).append(f"instance {instance.identifier}")
        for task in remaining:
            if task.serverless and task.serverless.subnet_group:
                groups_in_use.setdefault(task.serverless.subnet_group, []).append(f"config {task.identifier}")
        candidates = {
            i.subnet_group
            for i in region.replication_instances
            if i.subnet_group and not instance_kept.get(i.arn, True)
        }
        candidates |= {t.serverless.subnet_group for t in migrated if t.serverless and t.serverless.subnet_group}
        for group in sorted(g for g in candidates if g):
            command = (
                f"aws dms delete-replication-subnet-group --replication-subnet-group-identifier {group} --region {r}"
            )
            if group in groups_in_use:
                retained.append(
                    DecommissionItem(
                        "subnet-group", group, None, r, command, f"still used by {', '.join(groups_in_use[group])}"
                    )
                )
            else:
                deletable.append(
                    DecommissionItem(
                        "subnet-group", group, None, r, command, "used only by deletable instances or migrated configs"
                    )
                )
    return deletable, retained


def _users_unknown(region: RegionInventory, migrated: list[ReplicationTask]) -> list[DecommissionItem]:
    """Everything the migrated tasks share, kept: the scan could not list all of its users."""
    r = region.region
    reason = (
        f"not proposed for deletion: the scan could not list every {' and '.join(region.users_unknown)} of {r}, "
        f"so other users are unknown; re-run `dms2msk scan --region {r}` until it exits 0, then plan again"
    )
    endpoints = {e.arn: e for e in region.endpoints}
    items = [
        DecommissionItem(
            "endpoint",
            endpoints[arn].identifier if arn in endpoints else arn,
            arn,
            r,
            f"aws dms delete-endpoint --endpoint-arn {arn} --region {r}",
            reason,
        )
        for arn in sorted({a for t in migrated for a in (t.source_endpoint_arn, t.target_endpoint_arn) if a})
    ]
    instance_arns = {t.replication_instance_arn for t in migrated}
    for instance in region.replication_instances:
        if instance.arn in instance_arns:
            command = f"aws dms delete-replication-instance --replication-instance-arn {instance.arn} --region {r}"
            item = DecommissionItem("replication-instance", instance.identifier, instance.arn, r, command, reason)
            items.append(item)
    groups = {i.subnet_group for i in region.replication_instances if i.arn in instance_arns and i.subnet_group}
    groups |= {t.serverless.subnet_group for t in migrated if t.serverless and t.serverless.subnet_group}
    for group in sorted(groups):
        command = f"aws dms delete-replication-subnet-group --replication-subnet-group-identifier {group} --region {r}"
        items.append(DecommissionItem("subnet-group", group, None, r, command, reason))
    return items


# --------------------------------------------------------------------------- #
# Drift                                                                        #
# --------------------------------------------------------------------------- #


def _keyed(items: Iterable[object], volatile: tuple[str, ...]) -> dict[str, dict]:
    keyed = {}
    for item in items:
        data = to_jsonable(item)
        for name in volatile:
            data.pop(name, None)
        keyed[data["arn"]] = data
    return keyed


def _drift_of(
    kind: str, region: str, before: dict[str, dict], after: dict[str, dict], *, listed_completely: bool = True
) -> list[DriftItem]:
    items = []
    for arn in sorted(set(before) | set(after)):
        old, new = before.get(arn), after.get(arn)
        name = (new or old or {}).get("identifier", arn)
        if old is None:
            items.append(DriftItem(kind, name, "added", region))
        elif new is None:
            # Absent from a list that was not read completely: maybe only unread, so not reported as removed.
            if listed_completely:
                items.append(DriftItem(kind, name, "removed", region))
        else:
            diff = DeepDiff(old, new, view="tree")
            paths = sorted(
                {
                    "/".join(str(p) for p in level.path(output_format="list")[:1])
                    for report in diff.values()
                    for level in report
                }
            )
            if paths:
                items.append(DriftItem(kind, name, "changed", region, tuple(paths)))
    return items


def inventory_drift(previous: Inventory, current: Inventory) -> list[DriftItem]:
    """How the DMS estate changed between two scans (tasks, endpoints, replication instances)."""
    items: list[DriftItem] = []
    old_regions = {r.region: r for r in previous.regions}
    new_regions = {r.region: r for r in current.regions}
    for name in sorted(set(old_regions) | set(new_regions)):
        old = old_regions.get(name) or RegionInventory(region=name)
        new = new_regions.get(name) or RegionInventory(region=name)
        unread = set(new.incomplete_kinds)
        items += _drift_of(
            "task",
            name,
            _keyed(old.tasks, VOLATILE_TASK_FIELDS),
            _keyed(new.tasks, VOLATILE_TASK_FIELDS),
            listed_completely=not unread & {"replication-tasks", "replication-configs"},
        )
        items += _drift_of(
            "endpoint",
            name,
            _keyed(old.endpoints, VOLATILE_FIELDS),
            _keyed(new.endpoints, VOLATILE_FIELDS),
            listed_completely="endpoints" not in unread,
        )
        items += _drift_of(
            "replication-instance",
            name,
            _keyed(old.replication_instances, VOLATILE_FIELDS),
            _keyed(new.replication_instances, VOLATILE_FIELDS),
            listed_completely="replication-instances" not in unread,
        )
    return items


def manifest_drift(previous: Inventory, desired: DesiredEstate) -> list[DriftItem]:
    """Without a current inventory: which tasks the render has that the previous scan had not, and back."""
    rendered = {p.task_arn: p for p in desired.mapping.pipelines}
    before = {t.arn: t for _region, t in previous.iter_tasks()}
    items = [
        DriftItem("task", rendered[a].task_identifier, "added", rendered[a].region)
        for a in sorted(set(rendered) - set(before))
    ]
    items += [DriftItem("task", before[a].identifier, "removed") for a in sorted(set(before) - set(rendered))]
    return items


def _kafka_cutover(pipeline: Pipeline) -> str:
    return (
        f"Kafka target: {pipeline.source.name} writes Debezium change events for the tables DMS task "
        f"{pipeline.task_identifier} wrote to its topic. No sink upserts anything: during the overlap both write "
        "every change, in two formats, so consumers see them twice and must be idempotent; consumers move to the "
        "new topic first (consumers step) and DMS is stopped once they read it."
    )


def _consumer_step(pipeline: Pipeline) -> Step:
    """How the consumers of the DMS topic move to the topic the source connector writes."""
    topic = "the connector's topic (finding target.kafka.topic names it)"
    return Step(
        phase="consumers",
        title=f"Move the consumers of DMS task {pipeline.task_identifier}'s topic to the connector's topic",
        commands=(
            "kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config client-iam.properties "
            "--describe --all-groups",
        ),
        checks=(
            f"Every consumer reads {topic} on the MSK cluster and parses Debezium's envelope (before/after/source/op)"
            " instead of DMS's {data, metadata} JSON (see the target.kafka findings).",
            "Consumers start from the offset of the first change they have not processed from DMS's topic, and "
            "tolerate changes they already saw (the key is the primary key).",
        ),
        notes=("No row counts: a Kafka target has no tables to count; compare the topics' message counts instead.",),
    )
