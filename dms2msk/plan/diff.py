"""Classify each MSK Connect resource: create, update in place, replace, delete or unchanged.

Replacement knowledge (hashicorp/aws 5.100.0, checked with ``terraform plan``):
on ``aws_mskconnect_connector`` only ``capacity``, ``connector_configuration``
and ``tags`` update in place; every other argument (name, kafkaconnect_version,
role, cluster, authentication, encryption, log delivery, plugin including its
revision, worker configuration including its revision) forces a new
connector. Custom plugins and worker configurations replace on any change but
``tags``, and a new plugin or worker-configuration ARN replaces every connector
that uses it. Worker configurations are diffed property by property against the
properties render recorded in the manifest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from ..model import WorkerConfiguration
from ..outdir import plugin_key as outdir_plugin_key
from ..render.worker import is_secret_property
from .desired import BOOTSTRAP_PLACEHOLDER, DesiredConnector, DesiredEstate
from .offsets import (
    OffsetsContext,
    existing_offsets_topics,
    offset_key_change,
    parse_properties,
    renamed_sources,
    resume_cost,
    why_no_resume,
)
from .types import (
    Action,
    Change,
    ExistingConnector,
    ExistingEstate,
    ExistingPlugin,
    ExistingWorkerConfiguration,
    ResourceDiff,
)

CONNECTOR_IN_PLACE = frozenset({"capacity", "connector_configuration", "tags"})
"""The only ``aws_mskconnect_connector`` arguments provider 5.100.0 updates without replacing."""

DESIRED_AUTHENTICATION = "IAM"
DESIRED_ENCRYPTION = "TLS"

LIVE_ADDED_KEYS = frozenset({"name"})
"""Keys Kafka Connect adds to a running connector's configuration; render never sets them."""

_MASKED = re.compile(r"^(\*+|<hidden>|\[hidden\]|\(hidden\)|<sensitive>|REDACTED|\*+REDACTED\*+)$", re.IGNORECASE)
_PROVIDER_REF = re.compile(r"^\$\{[a-z]+:[^}]+\}$")

_PLUGIN_ID = re.compile(
    r"(debezium-connector-[a-z0-9]+)[-_](\d+)[.\-_](\d+)[.\-_](\d+)(?:[.\-_]([a-z0-9]+))?", re.IGNORECASE
)


def shown(key: str, value: Any) -> Any:
    """A property value fit for a report: literal secrets are never printed, config-provider references are."""
    if isinstance(value, str) and is_secret_property(key) and not _PROVIDER_REF.match(value):
        return "(hidden)"
    return value


def plugin_identity(*texts: str | None) -> str | None:
    """``debezium-connector-mysql 2.7.3.final`` from a plugin name or S3 key (``<plugin-key>-<version>.zip``)."""
    for text in texts:
        match = _PLUGIN_ID.search(text or "")
        if match:
            key, major, minor, patch, qualifier = match.groups()
            version = f"{major}.{minor}.{patch}" + (f".{qualifier}" if qualifier else "")
            return f"{key.lower()} {version.lower()}"
    return None


def desired_plugin_identity(plugin_key: str, debezium_version: str) -> str:
    identity = plugin_identity(outdir_plugin_key(plugin_key, debezium_version))
    return identity or f"{plugin_key} {debezium_version.lower()}"


def _clean_config(config: dict[str, str], ignored: set[str]) -> dict[str, str]:
    return {k: v for k, v in config.items() if k not in ignored and v != BOOTSTRAP_PLACEHOLDER and not _MASKED.match(v)}


def _comparable(
    want: DesiredConnector, have: ExistingConnector, plugins_by_arn: dict[str, ExistingPlugin]
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The two sides as plain dicts over the arguments dms2msk knows, minus the noise."""
    notes: list[str] = []
    # Bootstrap servers come from the cluster; masked values and keys AWS adds say nothing about drift.
    ignored = set(want.cluster_config_keys) | {k for k, v in want.config.items() if v == BOOTSTRAP_PLACEHOLDER}
    ignored |= {k for k, v in have.config.items() if _MASKED.match(v)}
    ignored |= {k for k in LIVE_ADDED_KEYS if k not in want.config}
    before: dict[str, Any] = {"connector_configuration": _clean_config(have.config, ignored)}
    after: dict[str, Any] = {"connector_configuration": _clean_config(want.config, ignored)}
    if have.kafkaconnect_version is not None:
        before["kafkaconnect_version"] = have.kafkaconnect_version
        after["kafkaconnect_version"] = want.kafkaconnect_version
    if have.capacity:
        before["capacity"] = have.capacity
        after["capacity"] = want.capacity
    if have.authentication_type is not None:
        before["kafka_cluster_client_authentication"] = have.authentication_type
        after["kafka_cluster_client_authentication"] = DESIRED_AUTHENTICATION
    if have.encryption_type is not None:
        before["kafka_cluster_encryption_in_transit"] = have.encryption_type
        after["kafka_cluster_encryption_in_transit"] = DESIRED_ENCRYPTION
    identities = []
    for use in have.plugins:
        plugin = plugins_by_arn.get(use.arn)
        identity = plugin_identity(plugin.name, plugin.file_key) if plugin else None
        if identity is None:
            notes.append(f"plugin {use.arn} is not in the existing estate (or its name has no version): not compared")
            identities = []
            break
        identities.append(identity)
    if identities:
        before["plugin"] = sorted(identities)
        after["plugin"] = [desired_plugin_identity(want.plugin_key, want.debezium_version)]
    return before, after, notes


def _path_text(path: list[Any]) -> str:
    head, *rest = path
    if head == "connector_configuration" and rest:
        return f'connector_configuration["{rest[0]}"]'
    return str(head) + "".join(f"[{p!r}]" if not isinstance(p, int) else f"[{p}]" for p in rest)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    diff = DeepDiff(before, after, view="tree", ignore_order=True)
    changes: list[Change] = []
    for report in diff.values():
        for level in report:
            path = level.path(output_format="list")
            if not path:
                continue
            if path[0] == "connector_configuration" and len(path) > 2:
                path = path[:2]
            key = str(path[1]) if path[0] == "connector_configuration" and len(path) > 1 else ""
            old = None if type(level.t1).__name__ == "NotPresent" else level.t1
            new = None if type(level.t2).__name__ == "NotPresent" else level.t2
            if path[0] != "connector_configuration" or len(path) == 1:
                old, new = _top(before, path[0]), _top(after, path[0])
                path = path[:1]
            changes.append(
                Change(
                    path=_path_text(path),
                    before=shown(key, old),
                    after=shown(key, new),
                    forces_replacement=path[0] not in CONNECTOR_IN_PLACE,
                )
            )
    unique = {c.path: c for c in changes}  # one change per argument, e.g. a reordered plugin list
    return [unique[p] for p in sorted(unique)]


def _top(side: dict[str, Any], key: Any) -> Any:
    return side.get(key)


def source_replacement_cost(want: DesiredConnector, why: str = "") -> str:
    mode = want.config.get("snapshot.mode", "initial")
    head = (
        f"A new source connector gets a new offsets topic{f' ({why})' if why else ''}, so Debezium starts as if "
        f"for the first time (snapshot.mode={mode}): "
    )
    if mode in ("initial", "when_needed", "always", "recovery", "schema_only_recovery"):
        effect = (
            "it re-snapshots every captured table. The sink's upserts by primary key make the replay idempotent, "
            "but it reads the whole source and refills the topics."
        )
    elif mode == "initial_only":
        effect = "it loads a snapshot again and then stops; no change events flow."
    else:
        effect = (
            "it streams from the current position, so changes made between the old connector's stop and the new "
            "one's start are lost (a gap)."
        )
    slot = want.config.get("slot.name")
    fix = (
        " To avoid the loss: keep (or resume) the DMS task across the replacement as an overlap, or after the new "
        "connector runs, send an incremental snapshot signal (`execute-snapshot`) for the captured tables."
    )
    if slot:
        fix = (
            f" PostgreSQL keeps the position in replication slot `{slot}`: with the same slot name the new connector "
            "resumes from the slot's confirmed position, so keep the slot (do not drop it between delete and create)."
        )
    return head + effect + fix


def sink_replacement_cost(want: DesiredConnector) -> str:
    return (
        f"A new sink connector with the same name reuses consumer group `connect-{want.name}` and resumes from its "
        "committed offsets: writes pause for the replacement, nothing is lost or re-applied."
    )


def _connector_diff(
    want: DesiredConnector,
    have: ExistingConnector,
    plugins_by_arn: dict[str, ExistingPlugin],
    replaced_arns: set[str],
    worker_change: WorkerChange | None = None,
    offsets: OffsetsContext | None = None,
    kept_plugins: dict[str, ExistingPlugin] | None = None,
) -> ResourceDiff:
    before, after, notes = _comparable(want, have, plugins_by_arn)
    changes = _changes(before, after)
    replaced_plugins = [arn for arn in (u.arn for u in have.plugins) if arn in replaced_arns]
    reasons = list(notes)
    drift = _plugin_reference_change(want, have, kept_plugins or {})
    if drift is not None and not any(c.path == "plugin" for c in changes):
        changes.append(drift)
    if replaced_plugins and not any(c.forces_replacement for c in changes):
        changes.append(
            Change(
                path="plugin",  # worker configurations follow through worker_change below
                before=replaced_plugins,
                after="(new ARN)",
                forces_replacement=True,
            )
        )
    if worker_change is not None and worker_change.replaces(have):
        # A new worker-configuration ARN (or revision) is a new connector: the provider forces it.
        changes.append(
            Change(
                path="worker_configuration",
                before=have.worker_configuration_arn,
                after="(new ARN)",
                forces_replacement=True,
            )
        )
        reasons.append(f"its worker configuration is replaced ({worker_change.summary})")
    if any(c.forces_replacement for c in changes):
        action = Action.REPLACE
        reasons.append("forces replacement: " + ", ".join(c.path for c in changes if c.forces_replacement))
    elif changes:
        action = Action.UPDATE
    else:
        action = Action.UNCHANGED
    cost = None
    keyed = offset_key_change(changes) if action is Action.UPDATE and want.role == "source" else None
    if keyed:
        # Updated in place, yet the restarted connector finds no offsets under the new key.
        reasons.append(f"new offsets, the updated connector does not resume where it stopped: {keyed}")
        cost = source_replacement_cost(want, keyed)
    if action is Action.REPLACE and want.role != "source":
        reasons.append(f"resumes from its offsets (consumer group connect-{want.name})")
        cost = sink_replacement_cost(want)
    elif action is Action.REPLACE:
        offsets = offsets or OffsetsContext()
        old_version = _existing_debezium_version(have, plugins_by_arn)
        why = why_no_resume(
            have, changes, offsets.desired_topic, offsets.existing_topics, old_version, want.debezium_version
        )
        if why is None and offsets.desired_topic is not None:
            reasons.append(f"resumes from its offsets (topic {offsets.desired_topic})")
            cost = resume_cost(offsets.desired_topic, want.name)
        else:
            reasons.append(f"new offsets, the new connector does not resume where this one stopped: {why}")
            cost = source_replacement_cost(want, why or "")
    return ResourceDiff(
        kind="connector",
        name=want.name,
        action=action,
        pipeline=want.pipeline,
        task_identifier=want.task_identifier,
        role=want.role,
        changes=tuple(changes),
        reasons=tuple(reasons),
        cost=cost,
        address=have.address,
    )


def _plugin_reference_change(
    want: DesiredConnector, have: ExistingConnector, kept_plugins: dict[str, ExistingPlugin]
) -> Change | None:
    """The plugin ARN and revision the rendered connector refers to, against the connector's own (as Terraform does).

    The root passes the kept plugin's ``arn`` and ``latest_revision``; the provider replaces a connector
    whose ``plugin`` block differs in either. No kept plugin: the connector moves to a new one (created).
    """
    if not have.plugins:
        return None
    current = [(u.arn, u.revision) for u in have.plugins]
    plugin = kept_plugins.get(desired_plugin_identity(want.plugin_key, want.debezium_version))
    if plugin is None:
        return Change(path="plugin", before=[arn for arn, _ in current], after="(new ARN)", forces_replacement=True)
    same_arn = [arn for arn, _ in current] == [plugin.arn]
    revisions = (current[0][1], plugin.revision)
    same_revision = None in revisions or revisions[0] == revisions[1]
    if same_arn and same_revision:
        return None
    return Change(
        path="plugin",
        before=[f"{arn} revision {revision}" for arn, revision in current],
        after=f"{plugin.arn} revision {plugin.revision}",
        forces_replacement=True,
    )


def _existing_debezium_version(have: ExistingConnector, plugins_by_arn: dict[str, ExistingPlugin]) -> str | None:
    """The Debezium version of the existing connector's plugin, from its name or S3 key (None: unknown)."""
    for use in have.plugins:
        plugin = plugins_by_arn.get(use.arn)
        identity = plugin_identity(plugin.name, plugin.file_key) if plugin else None
        if identity:
            return identity.split(" ", 1)[1]
    return None


def _unknown_connector(want: DesiredConnector, reason: str) -> ResourceDiff:
    """A desired connector whose existing counterpart could not be read."""
    return ResourceDiff(
        kind="connector",
        name=want.name,
        action=Action.UNKNOWN,
        pipeline=want.pipeline,
        task_identifier=want.task_identifier,
        role=want.role,
        reasons=(reason,),
    )


def task_of_connector(name: str) -> str:
    for suffix in ("-source", "-sink"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def diff_estate(
    desired: DesiredEstate, existing: ExistingEstate, *, known_tasks: Iterable[str] = ()
) -> list[ResourceDiff]:
    """Every resource's action. ``known_tasks``: task identifiers of the inventories, for live ownership."""
    live = existing.source.startswith("live:")
    if not existing.known:
        return [
            _unknown_connector(w, "the existing estate could not be read")
            for w in sorted(desired.connectors.values(), key=lambda c: c.name)
        ]
    managed_tasks = {w.task_identifier for w in desired.connectors.values()} | set(known_tasks)
    # Live MSK Connect holds connectors of other teams too: only ours (by name) are compared or deleted.
    existing_connectors = {
        n: c for n, c in existing.connectors.items() if not live or task_of_connector(n) in managed_tasks
    }
    diffs: list[ResourceDiff] = []
    diffs += _plugin_diffs(desired, existing, existing_connectors, live)
    replaced_arns = {d.address or "" for d in diffs if d.action in (Action.REPLACE, Action.DELETE)}
    worker_diffs, worker_change = _worker_diffs(desired, existing, existing_connectors, live)
    plugins_by_arn = {p.arn: p for p in existing.plugins if p.arn}
    kept_plugins = {
        d.name: plugins_by_arn[d.address]
        for d in diffs
        if d.kind == "custom_plugin" and d.action is Action.UNCHANGED and d.address in plugins_by_arn
    }
    desired_workers = desired.worker_configuration
    offsets = OffsetsContext(
        desired_workers.offsets_topic if desired_workers else None, existing_offsets_topics(existing)
    )
    sources = {n: c.config for n, c in desired.connectors.items() if c.role == "source"}
    renamed = renamed_sources(sources, existing_connectors)
    for want in sorted(desired.connectors.values(), key=lambda c: c.name):
        have = existing_connectors.get(want.name)
        if want.name in existing.unreadable_connectors:
            diffs.append(_unknown_connector(want, "exists, but its details could not be read"))
        elif have is None:
            old_name = renamed.get(want.name)
            why = f"renamed from {old_name}: Kafka Connect keeps the offsets under the old name" if old_name else ""
            diffs.append(
                ResourceDiff(
                    kind="connector",
                    name=want.name,
                    action=Action.CREATE,
                    pipeline=want.pipeline,
                    task_identifier=want.task_identifier,
                    role=want.role,
                    reasons=(f"new offsets, the new connector does not resume where {old_name} stopped: {why}",)
                    if old_name
                    else (),
                    cost=source_replacement_cost(want, why) if old_name else None,
                )
            )
        else:
            diffs.append(
                _connector_diff(want, have, plugins_by_arn, replaced_arns, worker_change, offsets, kept_plugins)
            )
    for name in sorted(set(existing_connectors) - set(desired.connectors)):
        have = existing_connectors[name]
        role = "sink" if name.endswith("-sink") else "source"
        cost = (
            "Capture for this task stops and its offsets are deleted with the connector; keep the DMS task (or "
            "another capture) running until its target no longer needs changes."
            if role == "source"
            else "Changes stop reaching this target; the consumer group stays until it expires."
        )
        diffs.append(
            ResourceDiff(
                kind="connector",
                name=name,
                action=Action.DELETE,
                task_identifier=task_of_connector(name),
                role=role,
                reasons=("not in the rendered estate",),
                cost=cost,
                address=have.address,
            )
        )
    diffs += worker_diffs
    return diffs


def _plugin_diffs(
    desired: DesiredEstate, existing: ExistingEstate, connectors: dict[str, ExistingConnector], live: bool
) -> list[ResourceDiff]:
    """Plugins match by (plugin key, Debezium version) read from their name or S3 key.

    Render keys each plugin by key and version (``module.plugins...this["<key>-<version>"]``), so a new
    version is a new resource (create) and the old one is deleted once nothing uses it; that is what
    ``terraform plan`` shows on the rendered root. ``ResourceDiff.address`` carries the ARN of a deleted
    plugin so its connectors follow (replaced).
    """
    used_arns = {u.arn for c in connectors.values() for u in c.plugins}
    candidates = [p for p in existing.plugins if not live or p.arn in used_arns]
    by_identity: dict[str, ExistingPlugin] = {}
    for plugin in candidates:
        identity = plugin_identity(plugin.name, plugin.file_key)
        if identity:
            by_identity.setdefault(identity, plugin)
    wanted = sorted({desired_plugin_identity(c.plugin_key, c.debezium_version) for c in desired.connectors.values()})
    diffs: list[ResourceDiff] = []
    consumed: set[str] = set()
    for identity in wanted:
        if identity in by_identity:
            consumed.add(identity)
            diffs.append(
                ResourceDiff(
                    kind="custom_plugin", name=identity, action=Action.UNCHANGED, address=by_identity[identity].arn
                )
            )
            continue
        diffs.append(ResourceDiff(kind="custom_plugin", name=identity, action=Action.CREATE))
    for identity in sorted(set(by_identity) - consumed):
        plugin = by_identity[identity]
        diffs.append(
            ResourceDiff(
                kind="custom_plugin",
                name=identity,
                action=Action.DELETE,
                address=plugin.arn,
                reasons=(f"{plugin.name} is not used by the rendered estate",),
                cost="Custom plugins are immutable: every connector using this plugin is replaced (it moves to the "
                "new plugin with new offsets) or deleted.",
            )
        )
    return diffs


WORKER_REPLACEMENT_COST = (
    "Worker configurations are immutable: every connector that uses this one is replaced too. A sink resumes from "
    "its consumer group; a source resumes from its offsets only when the old configuration pinned the same offsets "
    "topic (each connector's entry says), otherwise it re-snapshots or streams from now, by its snapshot.mode."
)

PRESENCE_ONLY = (
    "the manifest has no worker properties (rendered by an older dms2msk): compared by presence only; "
    "re-render OUT to compare the properties"
)


@dataclass(frozen=True)
class WorkerChange:
    """What the desired worker configuration does to the connectors that run on the existing ones."""

    kept_arn: str | None  # the existing configuration that stays as it is; None: a new one is created
    summary: str  # e.g. "dms2msk-workers: offset.flush.interval.ms"
    kept_revision: int | None = None

    def replaces(self, connector: ExistingConnector) -> bool:
        """A connector on another configuration, or an older revision, gets the root's one: a new connector."""
        if connector.worker_configuration_arn is None:
            return False
        if connector.worker_configuration_arn != self.kept_arn:
            return True
        revision = connector.worker_configuration_revision
        return None not in (revision, self.kept_revision) and revision != self.kept_revision


def _property_changes(want: WorkerConfiguration, have: ExistingWorkerConfiguration) -> list[Change]:
    """Every attribute and property that differs; on a worker configuration each one forces a new resource."""
    before: dict[str, Any] = {"properties": parse_properties(have.properties or "")}
    after: dict[str, Any] = {"properties": dict(want.properties)}
    if have.name != want.name:
        before["name"], after["name"] = have.name, want.name
    if have.description is not None or want.description is not None:
        # The provider stores an absent description as "" (state) or leaves it out (API).
        before["description"], after["description"] = have.description or "", want.description or ""
    diff = DeepDiff(before, after, view="tree")
    changes: dict[str, Change] = {}
    for report in diff.values():
        for level in report:
            path = level.path(output_format="list")
            if not path:
                continue
            if path[0] == "properties" and len(path) > 1:
                key = str(path[1])
                old, new = before["properties"].get(key), after["properties"].get(key)
                text = f'properties_file_content["{key}"]'
                changes[text] = Change(text, shown(key, old), shown(key, new), forces_replacement=True)
            else:
                top = str(path[0])
                changes[top] = Change(top, before.get(top), after.get(top), forces_replacement=True)
    return [changes[p] for p in sorted(changes)]


def _change_summary(name: str, changes: list[Change]) -> str:
    names = [c.path.removeprefix("properties_file_content[").strip('"[]') for c in changes]
    return f"{name}: {', '.join(names)}" if names else name


def _worker_diffs(
    desired: DesiredEstate, existing: ExistingEstate, connectors: dict[str, ExistingConnector], live: bool
) -> tuple[list[ResourceDiff], WorkerChange | None]:
    """The desired worker configuration against the existing ones, property by property.

    Matched by name; with no name match, the existing configuration our connectors use most is the
    one the rendered root replaces (its name changes). A manifest without worker properties falls
    back to a presence comparison. The second value says which connectors follow a replacement.
    """
    usage: dict[str, int] = {}
    for connector in connectors.values():
        if connector.worker_configuration_arn:
            usage[connector.worker_configuration_arn] = usage.get(connector.worker_configuration_arn, 0) + 1
    want = desired.worker_configuration
    # Live MSK Connect holds other teams' configurations: ours are those our connectors use, or of our name.
    workers = [
        w
        for w in existing.worker_configurations
        if not live or w.arn in usage or (want is not None and w.name == want.name)
    ]
    if not desired.connectors:
        deleted = [
            ResourceDiff(kind="worker_configuration", name=w.name, action=Action.DELETE, address=w.address)
            for w in workers
        ]
        return deleted, None
    if want is None:
        return _worker_presence(desired, workers), None

    match = next((w for w in workers if w.name == want.name), None)
    if match is None and workers:
        match = sorted(workers, key=lambda w: (-usage.get(w.arn or "", 0), w.name))[0]
    diffs: list[ResourceDiff] = []
    change: WorkerChange | None
    if match is None:
        diffs.append(
            ResourceDiff(
                kind="worker_configuration",
                name=want.name,
                action=Action.CREATE,
                changes=tuple(
                    Change(f'properties_file_content["{k}"]', None, shown(k, v), forces_replacement=True)
                    for k, v in sorted(want.properties.items())
                ),
            )
        )
        change = WorkerChange(kept_arn=None, summary=f"{want.name} is created")
    elif match.properties is None:
        diffs.append(
            ResourceDiff(
                kind="worker_configuration",
                name=want.name,
                action=Action.UNKNOWN,
                address=match.address,
                reasons=(f"the properties of {match.name} could not be read: not compared",),
            )
        )
        change = None
    else:
        changes = _property_changes(want, match)
        if changes:
            reasons = ["forces replacement: " + ", ".join(c.path for c in changes)]
            if match.name != want.name:
                reasons.append(f"replaces {match.name} (the name changes)")
            diffs.append(
                ResourceDiff(
                    kind="worker_configuration",
                    name=want.name,
                    action=Action.REPLACE,
                    changes=tuple(changes),
                    reasons=tuple(reasons),
                    cost=WORKER_REPLACEMENT_COST,
                    address=match.address,
                )
            )
            change = WorkerChange(kept_arn=None, summary=_change_summary(want.name, changes))
        else:
            diffs.append(
                ResourceDiff(
                    kind="worker_configuration", name=want.name, action=Action.UNCHANGED, address=match.address
                )
            )
            change = WorkerChange(kept_arn=match.arn, summary=f"it moves to {want.name}", kept_revision=match.revision)
    for other in sorted((w for w in workers if w is not match), key=lambda w: w.name):
        diffs.append(
            ResourceDiff(
                kind="worker_configuration",
                name=other.name,
                action=Action.DELETE,
                address=other.address,
                reasons=(f"the rendered estate uses {want.name}",),
            )
        )
    return diffs, change


def _worker_presence(desired: DesiredEstate, workers: list[ExistingWorkerConfiguration]) -> list[ResourceDiff]:
    """Manifests of older versions carry no worker properties: compare by presence, and say so."""
    if not workers:
        return [
            ResourceDiff(
                kind="worker_configuration",
                name=f"{desired.settings.name_prefix} worker configuration",
                action=Action.CREATE,
                reasons=(PRESENCE_ONLY,),
            )
        ]
    return [
        ResourceDiff(
            kind="worker_configuration",
            name=w.name,
            action=Action.UNCHANGED,
            address=w.address,
            reasons=(PRESENCE_ONLY,),
        )
        for w in workers
    ]


def live_differences(
    want: DesiredConnector, have: ExistingConnector, plugins_by_arn: dict[str, ExistingPlugin]
) -> list[Change]:
    """What differs between a running connector and the manifest, argument by argument (``dms2msk status``)."""
    before, after, _notes = _comparable(want, have, plugins_by_arn)
    return _changes(before, after)


def worker_differences(want: WorkerConfiguration, have: ExistingWorkerConfiguration) -> list[Change]:
    """What differs between a worker configuration and the manifest's, property by property."""
    return _property_changes(want, have)
