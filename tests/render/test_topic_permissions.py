"""The execution role's Kafka permissions: what each connector really reads, writes, creates and consumes.

The unit tests check the typed topic access the mapping decides; the ``real`` test plans a rendered
root with the real hashicorp/aws provider and reads the policy JSON the role would get.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dms2msk import terraform
from dms2msk.config import ClusterSettings, Settings
from dms2msk.errors import ConfigError
from dms2msk.mapping import map_inventory
from dms2msk.model import Inventory, MappingResult, SecretMetadata
from dms2msk.render import build_files, iam, render
from dms2msk.render.worker import offsets_topic
from tests.support.mapping import ACCOUNT, estate_inventory, make_inventory

REGION = "eu-west-1"
CLUSTER_ARN = f"arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/shared/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-3"
EXISTING_CLUSTER = {
    "cluster_mode": "existing",
    "existing_cluster_arn": CLUSTER_ARN,
    "existing_bootstrap_brokers_sasl_iam": "b-1.shared.kafka.eu-west-1.amazonaws.com:9098",
    "existing_broker_security_group_ids": ["sg-0brokers"],
}
SETTINGS = Settings(cluster=ClusterSettings(mode="existing", existing_cluster_arn=CLUSTER_ARN))
TOPIC_ARN = f"arn:aws:kafka:{REGION}:{ACCOUNT}:topic/shared/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-3"
GROUP_ARN = f"arn:aws:kafka:{REGION}:{ACCOUNT}:group/shared/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-3"


def _secret(role: str) -> dict[str, Any]:
    """An endpoint credential kept in an existing DMS secret, so every ARN of the policy is known at plan."""
    name = f"dms/{role}"
    metadata = SecretMetadata(arn=f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf", name=name)
    return {"secrets_manager_secret_id": metadata.arn, "secret": metadata}


def _inventory(identifier: str, tables: int = 1, **kwargs: Any) -> Inventory:
    rules = [
        {
            "rule-type": "selection",
            "rule-id": str(n + 1),
            "rule-name": f"r{n}",
            "object-locator": {"schema-name": "sales", "table-name": f"orders_{n:03d}" if tables > 1 else "orders"},
            "rule-action": "include",
        }
        for n in range(tables)
    ]
    kwargs.setdefault("target", {})
    kwargs["target"] = {**_secret("target"), **kwargs["target"]}
    return make_inventory(identifier=identifier, source=_secret("source"), table_mappings={"rules": rules}, **kwargs)


def _mapped(inventory: Inventory) -> MappingResult:
    return map_inventory(inventory, SETTINGS)


def _merged(*results: MappingResult) -> MappingResult:
    return dataclasses.replace(results[0], pipelines=tuple(p for r in results for p in r.pipelines))


# --------------------------------------------------------------------------- #
# What the mapping decides                                                     #
# --------------------------------------------------------------------------- #


def test_sink_writes_and_creates_its_dead_letter_topic() -> None:
    # DMS's default DataErrorPolicy is LOG_ERROR: the sink tolerates errors and sends records to a DLQ.
    (pipeline,) = _mapped(_inventory("t1")).pipelines
    sink = pipeline.sink
    assert sink is not None and sink.config["errors.deadletterqueue.topic.name"] == "t1-dlq"
    assert sink.writes_topics == ("t1-dlq",)
    assert sink.reads_topics == ("t1.sales.orders",)


def test_source_routed_to_a_dms_kafka_topic_writes_that_topic() -> None:
    inventory = _inventory(
        "t2", target_engine="kafka", target={"settings": {"KafkaSettings": {"Topic": "legacy-oracle-cdc"}}}
    )
    (pipeline,) = _mapped(inventory).pipelines
    assert pipeline.sink is None
    writes = pipeline.source.writes_topics
    assert "legacy-oracle-cdc" in writes
    # Every data topic is renamed by the RegexRouter, so the source never writes t2.<...>.
    assert "t2.*" not in writes


def test_signal_channel_is_read_with_its_consumer_group() -> None:
    inventory = _inventory("t3", task={"cdc_start_position": "mysql-bin.000003:4"}, migration_type="cdc")
    (pipeline,) = map_inventory(inventory, dataclasses.replace(SETTINGS, debezium_version="3.6.3.Final")).pipelines
    source = pipeline.source
    assert source.config["signal.kafka.topic"] in source.reads_topics
    assert source.config["signal.kafka.groupId"] in source.consumer_groups


# --------------------------------------------------------------------------- #
# IAM's size quota                                                             #
# --------------------------------------------------------------------------- #


def _module_arguments(result: MappingResult, module: str) -> dict[str, Any]:
    files, _ = build_files(result, SETTINGS)
    text = files["main.tf"].decode()
    start = text.index(f'module "{module}" {{')
    return {"text": text[start : text.index("\n}\n", start)]}


def test_many_exact_sink_topics_fall_back_to_the_pipeline_prefix() -> None:
    result = _mapped(_inventory("big", tables=90))
    (pipeline,) = result.pipelines
    assert pipeline.sink is not None and len(pipeline.sink.reads_topics) == 90
    scope = iam.RoleScope.of(SETTINGS, REGION, ACCOUNT, "bucket")
    exact = iam.topic_arguments(pipeline.sink)
    assert iam.estimated_policy_size(pipeline.sink, exact, scope) > iam.INLINE_POLICY_LIMIT
    arguments = iam.checked_topic_arguments(pipeline, pipeline.sink, scope)
    assert arguments["read_topics"] == ["big.*"]
    assert iam.estimated_policy_size(pipeline.sink, arguments, scope) <= iam.INLINE_POLICY_LIMIT
    # The rendered role: the data topics by prefix, plus the worker configuration's pinned offsets topic.
    rendered = " ".join(_module_arguments(result, "big_sink")["text"].split())
    assert 'read_topics = ["__amazon_msk_connect_offsets_dms2msk", "big.*"]' in rendered


def test_a_policy_over_the_quota_even_with_prefixes_is_refused_with_the_rule() -> None:
    (pipeline,) = _mapped(_inventory("t1")).pipelines
    many_secrets = pipeline.source.secrets * 120
    source = dataclasses.replace(pipeline.source, secrets=many_secrets)
    scope = iam.RoleScope.of(SETTINGS, REGION, ACCOUNT, "bucket")
    with pytest.raises(ConfigError) as caught:
        iam.checked_topic_arguments(pipeline, source, scope)
    assert "10240 characters of inline policy per role" in str(caught.value)
    assert caught.value.hint and "split the task" in caught.value.hint


# --------------------------------------------------------------------------- #
# The real provider's plan                                                     #
# --------------------------------------------------------------------------- #


def _statements(policy: str) -> list[dict[str, Any]]:
    statements = json.loads(policy)["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _granted(policy: str, action: str) -> set[str]:
    return {r for s in _statements(policy) if action in _as_list(s["Action"]) for r in _as_list(s["Resource"])}


@pytest.fixture(scope="module")
def iam_plan(tmp_path_factory: pytest.TempPathFactory, plan_of: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The plan (``terraform show -json``) of a root with a JDBC task, a Kafka-target task and a 90-table task."""
    jdbc = _mapped(_inventory("orders"))
    kafka = _mapped(
        _inventory(
            "legacy", target_engine="kafka", target={"settings": {"KafkaSettings": {"Topic": "legacy-oracle-cdc"}}}
        )
    )
    big = _mapped(_inventory("big", tables=90))
    out = tmp_path_factory.mktemp("iam") / "out"
    render(_merged(jdbc, kafka, big), SETTINGS, out)
    return plan_of(out, variables=EXISTING_CLUSTER)


@pytest.fixture(scope="module")
def planned_policies(iam_plan: dict[str, Any]) -> dict[str, str]:
    """Connector name -> the execution role's policy JSON, from the plan."""
    roles = {
        r["address"].split(".")[1]: r["values"]["policy"]
        for r in terraform.planned_resources(iam_plan)
        if r["type"] == "aws_iam_role_policy"
    }
    names = {"orders_source": "orders-source", "orders_sink": "orders-sink", "legacy_source": "legacy-source"}
    names["big_source"], names["big_sink"] = "big-source", "big-sink"
    assert set(roles) == set(names), roles.keys()
    return {names[module]: policy for module, policy in roles.items()}


@pytest.mark.real
def test_sink_role_may_create_and_write_its_dead_letter_topic(planned_policies: dict[str, str]) -> None:
    policy = planned_policies["orders-sink"]
    dlq = f"{TOPIC_ARN}/orders-dlq"
    assert dlq in _granted(policy, "kafka-cluster:WriteData")
    assert dlq in _granted(policy, "kafka-cluster:CreateTopic")
    assert f"{TOPIC_ARN}/orders.sales.orders" in _granted(policy, "kafka-cluster:ReadData")
    # The sink's offsets live in consumer group connect-<connector name>: that group, no other connector's.
    groups = _granted(policy, "kafka-cluster:AlterGroup")
    assert f"{GROUP_ARN}/connect-orders-sink" in groups
    assert not [g for g in groups if g.endswith("/connect-*")]


@pytest.mark.real
def test_source_routed_to_the_dms_kafka_topic_may_write_it(planned_policies: dict[str, str]) -> None:
    policy = planned_policies["legacy-source"]
    assert f"{TOPIC_ARN}/legacy-oracle-cdc" in _granted(policy, "kafka-cluster:WriteData")


@pytest.mark.real
def test_internal_topics_are_each_connectors_own(planned_policies: dict[str, str]) -> None:
    pinned = f"{TOPIC_ARN}/{offsets_topic(SETTINGS)}"  # shared on purpose: see the next test
    for name, policy in planned_policies.items():
        internal = {
            r
            for action in ("kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic")
            for r in _granted(policy, action)
            if "msk_connect_" in r and r != pinned
        }
        assert internal, name
        # Connector names have no '_', so "_<name>_" matches only this connector's offsets/configs/status.
        assert all(r.endswith(f"_*_{name}_*") for r in internal), (name, internal)
        others = [n for n in planned_policies if n != name]
        assert not [r for r in internal for other in others if f"_{other}_" in r]


@pytest.mark.real
def test_only_sources_may_write_the_pinned_offsets_topic(planned_policies: dict[str, str]) -> None:
    # Every worker reads the worker configuration's offsets topic; only sources keep offsets there.
    pinned = f"{TOPIC_ARN}/{offsets_topic(SETTINGS)}"
    for name, policy in planned_policies.items():
        assert pinned in _granted(policy, "kafka-cluster:ReadData"), name
        assert (pinned in _granted(policy, "kafka-cluster:WriteData")) == name.endswith("-source"), name


@pytest.mark.real
def test_render_estimate_is_never_below_the_planned_policy_size(planned_policies: dict[str, str]) -> None:
    # The big sink is the one that needed the prefix fallback; the estimate must bound every real size.
    for name, policy in planned_policies.items():
        planned_size = len(json.dumps(json.loads(policy), separators=(",", ":")))
        assert planned_size <= iam.INLINE_POLICY_LIMIT, name
        assert f"{TOPIC_ARN}/big.*" in _granted(planned_policies["big-sink"], "kafka-cluster:ReadData")
    result = _mapped(_inventory("orders"))
    (pipeline,) = result.pipelines
    scope = iam.RoleScope.of(SETTINGS, REGION, ACCOUNT, f"dms2msk-plugins-{ACCOUNT}-{REGION}")
    for connector in pipeline.connectors:
        estimate = iam.estimated_policy_size(connector, iam.topic_arguments(connector), scope)
        real = len(json.dumps(json.loads(planned_policies[connector.name]), separators=(",", ":")))
        assert real <= estimate <= real + 1200, (connector.name, real, estimate)


@pytest.mark.real
def test_log_key_serves_only_the_roots_log_groups(iam_plan: dict[str, Any]) -> None:
    (key,) = [r for r in terraform.planned_resources(iam_plan) if r["address"] == "module.kms.aws_kms_key.this[0]"]
    (logs,) = [s for s in _statements(key["values"]["policy"]) if s["Sid"] == "CloudWatchLogsEncryptsTheseLogGroups"]
    arns = _as_list(logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])
    prefix = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:"
    expected = {f"{prefix}/aws/mskconnect/{name}" for name in ("orders-source", "orders-sink", "legacy-source")}
    expected |= {f"{prefix}/aws/mskconnect/big-source", f"{prefix}/aws/mskconnect/big-sink"}
    expected.add(f"{prefix}/aws/msk/cluster/{SETTINGS.cluster.name}")
    assert set(arns) == expected


def test_no_estate_connector_policy_comes_near_the_quota() -> None:
    result = map_inventory(estate_inventory(), Settings())
    scope = iam.RoleScope.of(Settings(), "ap-northeast-2", ACCOUNT, "bucket")
    for pipeline in result.pipelines:
        for connector in pipeline.connectors:
            size = iam.estimated_policy_size(connector, iam.topic_arguments(connector), scope)
            assert size < iam.INLINE_POLICY_LIMIT / 2, (connector.name, size)


def test_module_passes_typed_access_not_parsed_properties() -> None:
    (pipeline,) = _mapped(_inventory("t1")).pipelines
    source = dataclasses.replace(pipeline.source, config={**pipeline.source.config, "topics.regex": "x.*"})
    assert iam.topic_arguments(source) == iam.topic_arguments(pipeline.source)


# --------------------------------------------------------------------------- #
# Identifier lengths                                                           #
# --------------------------------------------------------------------------- #

LONG_ID = "orders-" + "x" * 200  # 207 characters: DMS accepts up to 255, MSK Connect names only 128


def test_a_long_task_identifier_gets_short_stable_distinct_names() -> None:
    first = _mapped(_inventory(LONG_ID)).pipelines[0]
    again = _mapped(_inventory(LONG_ID)).pipelines[0]
    other = _mapped(_inventory(LONG_ID[:-1] + "y")).pipelines[0]
    names = [c.name for c in first.connectors]
    assert all(len(name) <= 128 for name in names) and names[0].endswith("-source")
    assert names == [c.name for c in again.connectors]
    assert not set(names) & {c.name for c in other.connectors}
    assert len(first.topic_prefix) <= 121 and first.topic_prefix != other.topic_prefix
    # Identifiers that already fit keep their names (running connectors are not renamed).
    assert _mapped(_inventory("t1")).pipelines[0].source.name == "t1-source"


def test_a_name_msk_connect_refuses_fails_render_with_the_rule() -> None:
    result = _mapped(_inventory("t1"))
    (pipeline,) = result.pipelines
    bad = dataclasses.replace(pipeline, source=dataclasses.replace(pipeline.source, name="t1_source"))
    with pytest.raises(ConfigError) as caught:
        build_files(dataclasses.replace(result, pipelines=(bad,)), SETTINGS)
    assert "1-128 characters of letters, digits and '-'" in str(caught.value)


@pytest.mark.real
def test_a_207_character_task_identifier_renders_a_root_terraform_validates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(_mapped(_inventory(LONG_ID)), SETTINGS, out)
    result = terraform.validate_dir(out)
    assert result.valid, result


@pytest.mark.parametrize(
    ("workers", "topic"),
    [
        ({}, "__amazon_msk_connect_offsets_dms2msk"),  # the default: one pinned topic per name prefix
        ({"offset_storage_topic": "__amazon_msk_connect_offsets_estate"}, "__amazon_msk_connect_offsets_estate"),
    ],
)
def test_the_pinned_offsets_topic_is_read_by_every_role_and_written_by_sources(
    workers: dict[str, str], topic: str
) -> None:
    from dms2msk.config import WorkerSettings

    # offset.storage.topic in the worker configuration replaces MSK Connect's per-connector offsets topic.
    settings = dataclasses.replace(SETTINGS, name_prefix="dms2msk", workers=WorkerSettings(**workers))
    result = map_inventory(_inventory("t1"), settings)
    files, _ = build_files(result, settings)
    text = " ".join(files["main.tf"].decode().split())
    for module in ("t1_source", "t1_sink"):
        block = text[text.index(f'module "{module}" {{') :]
        block = block[: block.index('module "', 10)] if 'module "' in block[10:] else block
        writes = block.split("write_topics = [", 1)[1].split("]", 1)[0]
        assert (f'"{topic}"' in writes) == module.endswith("_source"), module
        assert f'"{topic}"' in block.split("read_topics = [", 1)[1].split("]", 1)[0], module


def test_a_connector_naming_no_topic_is_refused_at_render() -> None:
    result = _mapped(_inventory("t1"))
    (pipeline,) = result.pipelines
    bare = dataclasses.replace(pipeline, source=dataclasses.replace(pipeline.source, reads_topics=(), writes_topics=()))
    with pytest.raises(ConfigError) as caught:
        build_files(dataclasses.replace(result, pipelines=(bare,)), SETTINGS)
    assert "names no topic it reads or writes" in str(caught.value)
