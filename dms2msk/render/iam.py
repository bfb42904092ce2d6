"""The connector execution role's Kafka permissions, and the IAM limits they must fit, checked at render.

What a connector reads, writes and consumes is decided by the mapping (typed fields of ``Connector``);
this module only lays it out for ``modules/connector`` and makes sure the policy that module builds
fits IAM's quota, so a large task fails (or shrinks) at render rather than at ``terraform apply``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Settings
from ..errors import ConfigError
from ..model import Connector, Pipeline

INLINE_POLICY_LIMIT = 10_240
"""IAM quota: aggregate size of a role's inline policies, in characters, whitespace not counted
(IAM User Guide, "IAM and AWS STS quotas"). The connector role has one inline policy."""

_CLUSTER_UUID = "00000000-0000-0000-0000-000000000000-99"  # MSK's cluster UUID suffix, at its longest
_KMS_KEY_ARN_LENGTH = len("arn:aws-us-gov:kms:ap-southeast-4:123456789012:key/") + 36
_SECRET_SUFFIX = "-AbCdEf"  # the six characters Secrets Manager appends to a secret's ARN
_PLUGIN_OBJECT_KEY_ALLOWANCE = 200  # plugins/<plugin key>.zip under the module's key prefix


@dataclass(frozen=True)
class RoleScope:
    """What the estimate needs to know about where the role's ARNs point."""

    partition: str
    region: str
    account_id: str
    cluster_name: str
    bucket: str
    # offset.storage.topic of the worker configuration: every connector on it keeps its offsets there
    # (MSK Connect's per-connector default topic is then not used), so every role reads and writes it.
    shared_offsets_topic: str | None = None

    @classmethod
    def of(
        cls, settings: Settings, region: str, account_id: str, bucket: str, shared_offsets_topic: str | None = None
    ) -> RoleScope:
        partition, cluster_name = "aws", settings.cluster.name
        existing = settings.cluster.existing_cluster_arn if settings.cluster.mode == "existing" else None
        if existing and existing.count(":") >= 5 and existing.count("/") >= 2:
            partition = existing.split(":")[1]
            cluster_name = existing.split(":", 5)[5].split("/")[1]
        return cls(partition, region, account_id, cluster_name, bucket, shared_offsets_topic)


_CONNECTOR_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,127}$")
"""MSK Connect's connector names (1-128 letters, digits, '-'); modules/connector validates the same rule."""


def check_connector_name(pipeline: Pipeline, connector: Connector) -> None:
    """Refuse at render a name MSK Connect (and ``terraform validate``) would refuse later.

    The mapping shortens long task identifiers (``naming.connector_name``); a name that still breaks
    the rule has characters no DMS task identifier has.
    """
    if not _CONNECTOR_NAME.match(connector.name):
        raise ConfigError(
            f"connector name {connector.name!r} of task {pipeline.task_identifier!r} breaks MSK Connect's rule: "
            "1-128 characters of letters, digits and '-', starting with a letter or digit",
            hint="rename the DMS task (letters, digits and hyphens, as DMS itself requires) and scan again",
        )


def topic_arguments(connector: Connector, shared_offsets_topic: str | None = None) -> dict[str, list[str]]:
    """``write_topics``, ``read_topics`` and ``consumer_groups`` of the connector module, sorted.

    The worker configuration's pinned offsets topic is read by every worker, but only source connectors
    keep offsets there (a sink's progress is its consumer group): sinks may read it, not write it. Kafka's
    permissions are per topic, not per record key, so each source may write every source's offsets; the
    README says so.
    """
    shared = (shared_offsets_topic,) if shared_offsets_topic else ()
    writes_shared = shared if connector.role == "source" else ()
    return {
        "write_topics": sorted(set(connector.writes_topics) | set(writes_shared)),
        "read_topics": sorted(set(connector.reads_topics) | set(shared)),
        "consumer_groups": sorted(set(connector.consumer_groups)),
    }


def checked_topic_arguments(pipeline: Pipeline, connector: Connector, scope: RoleScope) -> dict[str, list[str]]:
    """The module's topic arguments, narrowed to the pipeline's topic prefix when exact names exceed IAM's quota.

    Exact topic names are the least privilege, but about sixty of them overflow the 10,240-character
    inline policy; ``<topic prefix>.*`` then grants the same pipeline's topics (and nothing of any other
    pipeline, whose prefixes differ). A policy still over the quota is refused with the rule.
    """
    if not connector.reads_topics and not connector.writes_topics:
        # The mapping always says; a hand-built Connector that does not would get a role with no topic.
        raise ConfigError(
            f"connector {connector.name} (task {pipeline.task_identifier}) names no topic it reads or writes",
            hint="set Connector.reads_topics / writes_topics (names or prefixes ending in '*'), as map_inventory does",
        )
    arguments = topic_arguments(connector, scope.shared_offsets_topic)
    if estimated_policy_size(connector, arguments, scope) <= INLINE_POLICY_LIMIT:
        return arguments
    arguments = {key: _with_prefix(values, pipeline.topic_prefix) for key, values in arguments.items()}
    size = estimated_policy_size(connector, arguments, scope)
    if size > INLINE_POLICY_LIMIT:
        raise ConfigError(
            f"the execution role policy of connector {connector.name} (task {pipeline.task_identifier}) would be "
            f"about {size} characters; IAM allows {INLINE_POLICY_LIMIT} characters of inline policy per role",
            hint="split the task's table mappings over several DMS tasks (one connector pair each), or "
            "reduce the secrets and topics the connector uses",
        )
    return arguments


def _with_prefix(names: Sequence[str], prefix: str) -> list[str]:
    """Exact names under ``<prefix>.`` become the one prefix ``<prefix>.*``; other names stay."""
    under = f"{prefix}."
    kept = {name for name in names if not name.startswith(under)}
    if len(kept) < len(names):
        kept.add(f"{under}*")
    return sorted(kept)


def estimated_policy_size(connector: Connector, arguments: dict[str, list[str]], scope: RoleScope) -> int:
    """The size IAM counts for the policy ``modules/connector`` builds, from the same statements.

    ARNs not known at render (the cluster's UUID, new secrets, the plugin object, KMS keys) are
    taken at their longest, so the estimate is never below the real size.
    """
    kafka = f"arn:{scope.partition}:kafka:{scope.region}:{scope.account_id}"
    cluster_arn = f"{kafka}:cluster/{scope.cluster_name}/{_CLUSTER_UUID}"
    topic_arn = f"{kafka}:topic/{scope.cluster_name}/{_CLUSTER_UUID}"
    group_arn = f"{kafka}:group/{scope.cluster_name}/{_CLUSTER_UUID}"
    internal = [f"{topic_arn}/{p}_*_{connector.name}_*" for p in ("__amazon_msk_connect", "__msk_connect")]
    groups = ["__amazon_msk_connect_*", *(["connect-" + connector.name] if connector.role == "sink" else [])]
    groups.extend(arguments["consumer_groups"])
    create, describe, read, write = (
        f"kafka-cluster:{a}" for a in ("CreateTopic", "DescribeTopic", "ReadData", "WriteData")
    )
    groups_actions = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    statements: list[dict[str, object]] = [
        _statement("ConnectToCluster", ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], [cluster_arn]),
        _statement("ReadBrokerDefaults", ["kafka-cluster:DescribeClusterDynamicConfiguration"], [cluster_arn]),
        _statement("MskConnectInternalTopicsOfThisConnector", [create, describe, read, write], internal),
        _statement("WriteTopics", [create, describe, write], [f"{topic_arn}/{t}" for t in arguments["write_topics"]]),
        _statement("ReadTopics", [describe, read], [f"{topic_arn}/{t}" for t in arguments["read_topics"]]),
        _statement("ConsumerGroups", groups_actions, [f"{group_arn}/{g}" for g in groups]),
        _statement(
            "ReadConnectorSecrets",
            ["secretsmanager:GetSecretValue"],
            [_secret_arn(s.arn, s.name, scope) for s in connector.secrets],
        ),
        _statement(
            "DecryptSecretsThroughSecretsManager",
            ["kms:Decrypt"],
            ["k" * _KMS_KEY_ARN_LENGTH] * (1 + len(connector.secrets)),
        )
        | {"Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{scope.region}.amazonaws.com"}}},
        _statement(
            "ReadPluginObject",
            ["s3:GetObject"],
            [f"arn:{scope.partition}:s3:::{scope.bucket}/" + "k" * _PLUGIN_OBJECT_KEY_ALLOWANCE],
        ),
    ]
    document = {"Version": "2012-10-17", "Statement": [s for s in statements if s["Resource"]]}
    return len(json.dumps(document, separators=(",", ":")))


def _statement(sid: str, actions: list[str], resources: list[str]) -> dict[str, object]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


def _secret_arn(arn: str | None, name: str, scope: RoleScope) -> str:
    if arn:
        return arn
    return f"arn:{scope.partition}:secretsmanager:{scope.region}:{scope.account_id}:secret:{name}{_SECRET_SUFFIX}"
