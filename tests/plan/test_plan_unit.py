"""Plan classification, bad input, live reading (Stubber), decommission, drift and the CLI."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from dms2msk.cli.plan import cli
from dms2msk.config import Settings, WorkerSettings
from dms2msk.model import RegionInventory, ScanProblem, WorkerConfiguration, dumps
from dms2msk.plan import Action, decommission, inventory_drift, plan, to_json, to_markdown
from dms2msk.plan.diff import parse_properties
from dms2msk.plan.report import exit_code
from dms2msk.render.worker import worker_configuration

from . import builders

PREFIX = "arn:aws:kafkaconnect:ap-northeast-2:123456789012"


WORKER_ARN = f"{PREFIX}:worker-configuration/dms2msk-workers/w-1"


def _desired_workers(settings: Settings | None = None) -> WorkerConfiguration:
    return worker_configuration(settings or Settings(debezium_version="2.7.3.Final"), builders.REGION)


def _worker_resource(content: str | None = None, name: str = "dms2msk-workers", description: str | None = None):
    """The worker configuration as a state v4 holds it (content decoded, as the provider stores it)."""
    wanted = _desired_workers()
    return {
        "mode": "managed",
        "type": "aws_mskconnect_worker_configuration",
        "name": "this",
        "module": "module.worker_config",
        "instances": [
            {
                "index_key": 0,
                "attributes": {
                    "arn": WORKER_ARN,
                    "name": name,
                    "description": wanted.description if description is None else description,
                    "latest_revision": 1,
                    "properties_file_content": wanted.properties_file_content if content is None else content,
                },
            }
        ],
    }


def _state(*connectors: tuple[str, dict[str, str], str], workers: dict | None = None) -> dict:
    """A state v4 with the given (name, config, plugin file key) connectors, their plugins and worker configuration."""
    resources = [workers or _worker_resource()]
    plugin_instances = []
    connector_instances = []
    for name, config, file_key in connectors:
        plugin_arn = f"{PREFIX}:custom-plugin/{file_key}/p"
        if not any(i["attributes"]["arn"] == plugin_arn for i in plugin_instances):
            plugin_instances.append(
                {
                    "index_key": file_key,
                    "attributes": {
                        "arn": plugin_arn,
                        "name": file_key.removesuffix(".zip"),
                        "content_type": "ZIP",
                        "location": [
                            {"s3": [{"bucket_arn": "arn:aws:s3:::b", "file_key": file_key, "object_version": ""}]}
                        ],
                    },
                }
            )
        connector_instances.append(
            {
                "index_key": name,
                "attributes": {
                    "arn": f"{PREFIX}:connector/{name}/c",
                    "name": name,
                    "kafkaconnect_version": "2.7.1",
                    "connector_configuration": config,
                    "capacity": [{"autoscaling": [], "provisioned_capacity": [{"mcu_count": 1, "worker_count": 1}]}],
                    "kafka_cluster_client_authentication": [{"authentication_type": "IAM"}],
                    "kafka_cluster_encryption_in_transit": [{"encryption_type": "TLS"}],
                    "plugin": [{"custom_plugin": [{"arn": plugin_arn, "revision": 1}]}],
                    "worker_configuration": [{"arn": WORKER_ARN, "revision": 1}],
                },
            }
        )
    resources.append(
        {
            "mode": "managed",
            "type": "aws_mskconnect_custom_plugin",
            "name": "this",
            "module": "module.p",
            "instances": plugin_instances,
        }
    )
    resources.append(
        {
            "mode": "managed",
            "type": "aws_mskconnect_connector",
            "name": "this",
            "module": "module.orders",
            "instances": connector_instances,
        }
    )
    return {"version": 4, "resources": resources}


def _existing_for(p, **overrides: dict[str, str]) -> list[tuple[str, dict[str, str], str]]:
    rows = []
    for c in p.connectors:
        config = {**c.config, **{k: "b-1:9098" for k in c.cluster_config_keys}, **overrides.get(c.role, {})}
        rows.append((c.name, config, f"plugins/{c.plugin}-{p.debezium_version}.zip"))
    return rows


@pytest.fixture
def orders_out(tmp_path: Path) -> Path:
    return builders.write_out(tmp_path / "out", builders.pipeline("orders"))


def _write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_first_migration_creates_everything_and_exits_4(orders_out: Path) -> None:
    result = plan(orders_out)
    actions = {(d.kind, d.name): d.action for d in result.resources}
    assert actions[("connector", "orders-source")] is Action.CREATE
    assert actions[("custom_plugin", "debezium-connector-mysql 2.7.3.final")] is Action.CREATE
    assert exit_code(result) == 4 and not result.partial


def test_noise_is_ignored_and_literal_secrets_are_never_shown(orders_out: Path, tmp_path: Path) -> None:
    p = builders.pipeline("orders")
    # Masked values, the key Kafka Connect adds, other bootstrap servers: no change. A literal password: a change.
    existing = _existing_for(
        p,
        source={"database.password": "****", "name": "orders-source"},
        sink={"connection.password": "hunter2-literal"},
    )
    result = plan(orders_out, state=_write(tmp_path / "s.json", _state(*existing)))
    by_name = {d.name: d for d in result.resources}
    assert by_name["orders-source"].action is Action.UNCHANGED
    sink = by_name["orders-sink"]
    assert sink.action is Action.UPDATE
    assert [c.path for c in sink.changes] == ['connector_configuration["connection.password"]']
    assert sink.changes[0].before == "(hidden)"
    assert sink.changes[0].after == "${secretsmanager:dms2msk/orders/sink:password}"
    for text in (to_json(result), to_markdown(result)):
        assert "hunter2-literal" not in text


def test_kafkaconnect_version_change_replaces_with_its_cost(orders_out: Path, tmp_path: Path) -> None:
    state = _state(*_existing_for(builders.pipeline("orders")))
    (connectors,) = [r for r in state["resources"] if r["type"] == "aws_mskconnect_connector"]
    for instance in connectors["instances"]:
        instance["attributes"]["kafkaconnect_version"] = "3.7.x"
    result = plan(orders_out, state=_write(tmp_path / "s.json", state))
    source = next(d for d in result.resources if d.name == "orders-source")
    assert source.action is Action.REPLACE
    assert source.changes[0].forces_replacement and source.changes[0].path == "kafkaconnect_version"
    # The existing worker configuration already pins the render's offsets topic: the replacement resumes.
    assert "resumes from its offsets (topic __amazon_msk_connect_offsets_dms2msk)" in source.reasons
    assert "no re-snapshot" in (source.cost or "") and "re-snapshots" not in (source.cost or "")


def _unpinned_workers() -> dict:
    """An existing worker configuration of a dms2msk that did not pin the offsets topic."""
    lines = _desired_workers().properties_file_content.splitlines(keepends=True)
    return _worker_resource(content="".join(line for line in lines if not line.startswith("offset.storage.topic=")))


def test_replacement_off_an_unpinned_worker_configuration_starts_from_nothing(tmp_path: Path) -> None:
    p = builders.pipeline("orders", snapshot_mode="initial")
    out = builders.write_out(tmp_path / "out", p)
    state = _state(*_existing_for(p), workers=_unpinned_workers())
    by_key = {(d.kind, d.name): d for d in plan(out, state=_write(tmp_path / "s.json", state)).resources}
    assert by_key[("worker_configuration", "dms2msk-workers")].action is Action.REPLACE
    source = by_key[("connector", "orders-source")]
    assert source.action is Action.REPLACE
    (why,) = [r for r in source.reasons if r.startswith("new offsets")]
    assert "per-connector topic" in why and "later replacements resume" in why
    assert "re-snapshots every captured table" in (source.cost or "")
    sink = by_key[("connector", "orders-sink")]
    assert "resumes from its offsets (consumer group connect-orders-sink)" in sink.reasons


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"topic.prefix": "orders_v2"}, 'connector_configuration["topic.prefix"] changes'),
        ({"connector.class": "io.debezium.connector.mariadb.MariaDbConnector"}, "connector.class"),
    ],
)
def test_a_change_of_what_offsets_are_keyed_by_does_not_resume(tmp_path: Path, change: dict, expected: str) -> None:
    p = builders.pipeline("orders")
    out = builders.write_out(tmp_path / "out", p)
    existing = _existing_for(p, source=change)
    state = _state(*existing)
    (connectors,) = [r for r in state["resources"] if r["type"] == "aws_mskconnect_connector"]
    for instance in connectors["instances"]:
        instance["attributes"]["kafkaconnect_version"] = "3.7.x"  # forces the replacement
    source = next(d for d in plan(out, state=_write(tmp_path / "s.json", state)).resources if d.name == "orders-source")
    assert source.action is Action.REPLACE
    assert any(r.startswith("new offsets") and expected in r for r in source.reasons), source.reasons
    assert "new offsets topic" in (source.cost or "")


def test_a_debezium_major_version_change_is_not_promised_to_resume(tmp_path: Path) -> None:
    p = builders.pipeline("orders", debezium_version="3.6.3.Final")
    out = builders.write_out(tmp_path / "out", p, settings=Settings(debezium_version="3.6.3.Final"))
    old = builders.pipeline("orders")  # the state runs 2.7.3 plugins
    state = _state(*_existing_for(old))
    source = next(d for d in plan(out, state=_write(tmp_path / "s.json", state)).resources if d.name == "orders-source")
    assert source.action is Action.REPLACE
    assert any("2.7.3.final -> 3.6.3.Final is a major-version change" in r for r in source.reasons), source.reasons


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"version": 3, "modules": []}, "format version 3"),
        ({"serial": 1}, "neither a Terraform state"),
        ("not json", "is not JSON"),
    ],
)
def test_bad_state_gives_a_partial_plan(orders_out: Path, tmp_path: Path, content, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    result = plan(orders_out, state=path)
    assert result.partial and exit_code(result) == 3
    assert expected in result.problems[0].message and result.problems[0].hint
    assert {d.action for d in result.resources} == {Action.UNKNOWN}
    assert result.migrations and result.migrations[0].steps  # the migration plan still stands


def test_a_state_file_that_is_not_there_is_an_error_naming_it(orders_out: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.tfstate"

    result = CliRunner().invoke(cli, [str(orders_out), "--state", str(missing)])

    assert result.exit_code == 1, result.output
    assert f"--state {missing}: no such file" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.output
    assert "unknown" not in result.stdout  # no plan with "unknown" resources is printed


def test_state_with_unknown_pipeline_is_marked_partial(orders_out: Path, tmp_path: Path) -> None:
    stranger = builders.pipeline("stranger")
    state = _state(*_existing_for(builders.pipeline("orders")), *_existing_for(stranger))
    inv = builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders"))
    result = plan(orders_out, state=_write(tmp_path / "s.json", state), inventory=inv)
    deletes = {d.name for d in result.resources if d.action is Action.DELETE and d.kind == "connector"}
    assert deletes == {"stranger-source", "stranger-sink"}
    assert result.partial
    assert any(
        "stranger" in p.message and "neither the rendered estate nor the inventory" in p.message
        for p in result.problems
    )


def _live_client(
    region: str, *, deny_list: bool = False, orders_config: dict | None = None, worker_content: str | None = None
):
    client = boto3.client("kafkaconnect", region_name=region, aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(client)
    if deny_list:
        stub.add_client_error("list_connectors", "AccessDeniedException", "User is not authorized", 403)
        stub.add_client_error("list_custom_plugins", "AccessDeniedException", "User is not authorized", 403)
        stub.add_client_error("list_worker_configurations", "AccessDeniedException", "not authorized", 403)
        stub.activate()
        return client
    plugin_arn = f"{PREFIX}:custom-plugin/dms2msk-debezium-connector-mysql-2-7-3-final/p-1"
    connector_arn = f"{PREFIX}:connector/orders-source/c-1"
    other_arn = f"{PREFIX}:connector/other-team-connector/c-2"
    summary = {
        "connectorArn": connector_arn,
        "connectorName": "orders-source",
        "kafkaConnectVersion": "2.7.1",
        "connectorState": "RUNNING",
    }
    stub.add_response(
        "list_connectors",
        {"connectors": [summary, {"connectorArn": other_arn, "connectorName": "other-team-connector"}]},
        {},
    )
    stub.add_response(
        "describe_connector",
        {
            "connectorArn": connector_arn,
            "connectorName": "orders-source",
            "connectorState": "RUNNING",
            "kafkaConnectVersion": "2.7.1",
            "connectorConfiguration": orders_config or {},
            "capacity": {"provisionedCapacity": {"mcuCount": 1, "workerCount": 1}},
            "kafkaClusterClientAuthentication": {"authenticationType": "IAM"},
            "kafkaClusterEncryptionInTransit": {"encryptionType": "TLS"},
            "plugins": [{"customPlugin": {"customPluginArn": plugin_arn, "revision": 1}}],
            "workerConfiguration": {"workerConfigurationArn": WORKER_ARN, "revision": 1},
            "serviceExecutionRoleArn": "arn:aws:iam::123456789012:role/dms2msk-connect",
        },
        {"connectorArn": connector_arn},
    )
    stub.add_client_error(
        "describe_connector",
        "AccessDeniedException",
        "not authorized",
        403,
        expected_params={"connectorArn": other_arn},
    )
    stub.add_response(
        "list_custom_plugins",
        {"customPlugins": [{"customPluginArn": plugin_arn, "name": "dms2msk-debezium-connector-mysql-2-7-3-final"}]},
        {},
    )
    stub.add_response(
        "describe_custom_plugin",
        {
            "customPluginArn": plugin_arn,
            "name": "dms2msk-debezium-connector-mysql-2-7-3-final",
            "customPluginState": "ACTIVE",
            "latestRevision": {
                "contentType": "ZIP",
                "revision": 1,
                "location": {
                    "s3Location": {
                        "bucketArn": "arn:aws:s3:::dms2msk-plugins",
                        "fileKey": "debezium-connector-mysql-2.7.3.Final.zip",
                    }
                },
            },
        },
        {"customPluginArn": plugin_arn},
    )
    stub.add_response(
        "list_worker_configurations",
        {"workerConfigurations": [{"workerConfigurationArn": WORKER_ARN, "name": "dms2msk-workers"}]},
        {},
    )
    stub.add_response(
        "describe_worker_configuration",
        {
            "workerConfigurationArn": WORKER_ARN,
            "name": "dms2msk-workers",
            "description": _desired_workers().description,
            "latestRevision": {
                "revision": 1,
                "propertiesFileContent": base64.b64encode(
                    (worker_content or _desired_workers().properties_file_content).encode()
                ).decode(),
            },
        },
        {"workerConfigurationArn": WORKER_ARN},
    )
    stub.activate()
    return client


def test_live_estate_read_with_stubbed_kafkaconnect(tmp_path: Path) -> None:
    p = builders.pipeline("orders", tables="shop.orders,shop.refunds")
    out = builders.write_out(tmp_path / "out", p)
    running = {
        **builders.pipeline("orders").source.config,
        "schema.history.internal.kafka.bootstrap.servers": "b:9098",
        "database.password": "********",
    }
    clients = {}

    def factory(region: str):
        clients[region] = _live_client(region, orders_config=running)
        return clients[region]

    result = plan(out, live=True, client_factory=factory)
    by_name = {d.name: d for d in result.resources}
    assert by_name["orders-source"].action is Action.UPDATE
    assert [c.path for c in by_name["orders-source"].changes] == ['connector_configuration["table.include.list"]']
    assert by_name["orders-sink"].action is Action.CREATE
    assert by_name["debezium-connector-mysql 2.7.3.final"].action is Action.UNCHANGED
    assert "other-team-connector" not in by_name  # another team's connector is neither compared nor deleted
    assert result.partial  # its DescribeConnector was denied, and that is reported
    assert any("DescribeConnector" in p.message for p in result.problems)


def test_live_estate_the_credentials_cannot_read(orders_out: Path) -> None:
    result = plan(orders_out, live=True, client_factory=lambda region: _live_client(region, deny_list=True))
    assert result.partial and exit_code(result) == 3
    assert {d.action for d in result.resources} == {Action.UNKNOWN}
    assert "AccessDeniedException" in result.problems[0].message and "kafkaconnect:" in (result.problems[0].hint or "")


def test_decommission_never_lists_an_instance_a_remaining_task_uses() -> None:
    migrated = builders.task("orders", "ri-shared", "src-orders", "tgt-shared")
    staying = builders.task("billing", "ri-shared", "src-billing", "tgt-shared")
    alone = builders.task("audit", "ri-alone", "src-audit", "tgt-audit")
    inv = builders.inventory(migrated, staying, alone)
    deletable, retained = decommission(inv, {migrated.arn, alone.arn})
    names = {(i.kind, i.identifier) for i in deletable}
    assert ("replication-instance", "ri-shared") not in names
    assert ("replication-instance", "ri-alone") in names
    assert ("endpoint", "tgt-shared") not in names and ("endpoint", "src-orders") in names
    assert ("replication-task", "billing") not in names
    assert ("subnet-group", "dms-subnets") not in names  # ri-shared still uses it
    kept = {(i.kind, i.identifier): i.reason for i in retained}
    assert "billing" in kept[("replication-instance", "ri-shared")]
    assert "billing" in kept[("endpoint", "tgt-shared")]


@pytest.mark.parametrize(
    ("unread", "operation"),
    [(("replication-tasks",), "DescribeReplicationTasks"), ((), "DescribeReplicationConfigs")],
    ids=["recorded-unread", "older-inventory-with-only-the-problem"],
)
def test_decommission_keeps_everything_shared_in_a_region_whose_users_were_not_all_listed(
    unread: tuple[str, ...], operation: str
) -> None:
    migrated = builders.task("orders", "ri-alone", "src-orders", "tgt-orders")
    inv = builders.inventory(migrated)
    problem = ScanProblem(builders.REGION, operation, "InternalFailure", "page 2 failed")
    inv = replace(inv, regions=(replace(inv.regions[0], unread=unread, problems=(problem,)),))

    deletable, retained = decommission(inv, {migrated.arn})

    assert [(i.kind, i.identifier) for i in deletable] == [("replication-task", "orders")]
    kept = {(i.kind, i.identifier): i.reason for i in retained}
    assert set(kept) == {
        ("endpoint", "src-orders"),
        ("endpoint", "tgt-orders"),
        ("replication-instance", "ri-alone"),
        ("subnet-group", "dms-subnets"),
    }
    assert all("other users are unknown" in reason for reason in kept.values())


def test_a_partial_region_makes_the_plan_partial_only_for_the_root_that_renders_it(orders_out: Path) -> None:
    inv = builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders"))
    other = RegionInventory(
        region="eu-west-1", problems=(ScanProblem("eu-west-1", "scan", "X", "y"),), unread=("replication-tasks",)
    )
    here = replace(inv.regions[0], unread=("replication-tasks",))

    elsewhere = plan(orders_out, inventory=replace(inv, regions=(inv.regions[0], other)))
    this_root = plan(orders_out, inventory=replace(inv, regions=(here, other)))

    assert not [p for p in elsewhere.problems if p.source == "inventory"]
    assert [p.where for p in this_root.problems if p.source == "inventory"] == [builders.REGION]
    assert exit_code(this_root) == 3


def test_migration_steps_cutover_and_primary_key_blocker(orders_out: Path) -> None:
    inv = builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders"))
    result = plan(orders_out, inventory=inv)
    (migration,) = result.migrations
    phases = [s.phase for s in migration.steps]
    assert phases.index("source prerequisites") < phases.index("provision") < phases.index("start source")
    assert phases.index("start source") < phases.index("start sink") < phases.index("cut over")
    commands = "\n".join(c for s in migration.steps for c in s.commands)
    assert f"aws dms stop-replication-task --replication-task-arn {builders.arn('task', 'orders')}" in commands
    assert "describe-table-statistics" in commands and "binlog retention hours" in commands
    assert "before the DMS task stops" in migration.cutover or "while DMS task" in migration.cutover
    assert [b.code for b in migration.blockers] == ["cutover.primary-key"]
    assert "information_schema.table_constraints" in migration.blockers[0].message
    assert len(migration.blockers[0].options) >= 3


def test_define_primary_key_rule_clears_the_blocker(tmp_path: Path) -> None:
    rule = {
        "rules": [
            {
                "rule-type": "transformation",
                "rule-id": "9",
                "rule-name": "pk",
                "rule-target": "table",
                "rule-action": "define-primary-key",
                "object-locator": {"schema-name": "shop", "table-name": "orders"},
                "primary-key-def": {"name": "pk", "columns": ["id"]},
            }
        ]
    }
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"))
    inv = builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders", mappings=rule))
    assert not plan(out, inventory=inv).migrations[0].blockers


def test_drift_between_inventories() -> None:
    before = builders.inventory(builders.task("orders", "ri-a", "src", "tgt"), builders.task("gone", "ri-a", "s", "t"))
    changed = builders.task("orders", "ri-a", "src", "tgt", migration_type="full-load-and-cdc")
    after = builders.inventory(changed, builders.task("new", "ri-a", "s", "t"))
    drift = {(d.kind, d.identifier, d.change): d.details for d in inventory_drift(before, after)}
    assert ("task", "gone", "removed") in drift and ("task", "new", "added") in drift
    assert drift[("task", "orders", "changed")] == ("migration_type",)


def test_drift_does_not_call_what_a_partial_scan_could_not_read_removed() -> None:
    before = builders.inventory(
        builders.task("orders", "ri-a", "src", "tgt"), builders.task("unread", "ri-a", "s", "t")
    )
    after = builders.inventory(builders.task("orders", "ri-a", "src", "tgt"))
    after = replace(after, regions=(replace(after.regions[0], unread=("replication-tasks",)),))

    drift = {(d.kind, d.identifier, d.change) for d in inventory_drift(before, after)}

    assert ("task", "unread", "removed") not in drift
    assert ("endpoint", "s", "removed") in drift  # the endpoint list was complete: it is gone


def test_cli_formats_output_file_and_exit_codes(orders_out: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    inv_path = tmp_path / "inv.json"
    inv_path.write_text(dumps(builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders"))))
    md = runner.invoke(cli, [str(orders_out), "-i", str(inv_path)])
    assert md.exit_code == 4, md.output
    assert "# dms2msk migration plan" in md.stdout and "BLOCKERS" in md.stderr
    report = tmp_path / "plan.json"
    js = runner.invoke(cli, [str(orders_out), "-i", str(inv_path), "--format", "json", "-o", str(report)])
    assert js.exit_code == 4 and "plan written to" in js.stdout
    data = json.loads(report.read_text())
    assert data["has_changes"] and data["counts"]["create"] >= 2 and data["decommission"]
    both = runner.invoke(cli, [str(orders_out), "--state", str(report), "--live"])
    assert both.exit_code == 1 and "alternatives" in both.stderr
    missing = runner.invoke(cli, [str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "dms2msk render" in missing.stderr


def test_primary_key_query_names_only_literal_schemas() -> None:
    """Regex include entries (lookaheads, wildcards) never leak into the SQL the plan prints."""
    from dms2msk.plan.migration import source_facts

    folded = builders.with_tables(builders.pipeline("orders"), r"(?!(?:shop\.tmp_.*)$)shop\..*,sales\.orders")
    assert source_facts(folded).schemas == ("sales",)


# --------------------------------------------------------------------------- #
# Worker configuration                                                         #
# --------------------------------------------------------------------------- #


def _worker_plan(out: Path, tmp_path: Path, workers: dict) -> dict[tuple[str, str], object]:
    state = _state(*_existing_for(builders.pipeline("orders")), workers=workers)
    result = plan(out, state=_write(tmp_path / "s.json", state))
    return {(d.kind, d.name): d for d in result.resources}


def test_worker_configuration_unchanged_keeps_every_connector(orders_out: Path, tmp_path: Path) -> None:
    by_key = _worker_plan(orders_out, tmp_path, _worker_resource())
    worker = by_key[("worker_configuration", "dms2msk-workers")]
    assert worker.action is Action.UNCHANGED and not worker.changes
    assert by_key[("connector", "orders-source")].action is Action.UNCHANGED
    assert by_key[("connector", "orders-sink")].action is Action.UNCHANGED


def test_worker_property_change_replaces_it_and_every_connector_using_it(tmp_path: Path) -> None:
    # The existing configuration flushes every 10 s (the default); the new render asks for 60 s.
    tuned = Settings(
        debezium_version="2.7.3.Final",
        workers=WorkerSettings(offset_flush_interval_ms=60000, extra_properties={"a.b": "c"}),
    )
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"), settings=tuned)
    by_key = _worker_plan(out, tmp_path, _worker_resource())
    worker = by_key[("worker_configuration", "dms2msk-workers")]
    assert worker.action is Action.REPLACE
    changes = {c.path: (c.before, c.after) for c in worker.changes}
    assert changes == {
        'properties_file_content["offset.flush.interval.ms"]': ("10000", "60000"),
        'properties_file_content["a.b"]': (None, "c"),
    }
    assert all(c.forces_replacement for c in worker.changes)
    assert "offset.flush.interval.ms" in worker.reasons[0] and "immutable" in (worker.cost or "")
    for name in ("orders-source", "orders-sink"):
        connector = by_key[("connector", name)]
        assert connector.action is Action.REPLACE
        assert any(r.startswith("its worker configuration is replaced") for r in connector.reasons)
        assert any("offset.flush.interval.ms" in r for r in connector.reasons)
        assert [c.path for c in connector.changes] == ["worker_configuration"]
        assert connector.changes[0].before == WORKER_ARN
        assert any(r.startswith("resumes from its offsets") for r in connector.reasons)
    # Old and new configurations pin the same offsets topic: the new source resumes instead of re-snapshotting.
    assert "resumes from its offsets" in (by_key[("connector", "orders-source")].cost or "")


def test_worker_name_change_replaces_the_old_configuration(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"), settings=Settings(name_prefix="shop"))
    by_key = _worker_plan(out, tmp_path, _worker_resource())
    worker = by_key[("worker_configuration", "shop-workers")]
    assert worker.action is Action.REPLACE
    assert [(c.path, c.before, c.after) for c in worker.changes] == [
        ("name", "dms2msk-workers", "shop-workers"),
        # The default offsets topic follows the name prefix: the sources cannot resume, and the plan says why.
        (
            'properties_file_content["offset.storage.topic"]',
            "__amazon_msk_connect_offsets_dms2msk",
            "__amazon_msk_connect_offsets_shop",
        ),
    ]
    source = by_key[("connector", "orders-source")]
    assert any("its offsets are in topic __amazon_msk_connect_offsets_dms2msk" in r for r in source.reasons)
    assert any("replaces dms2msk-workers" in r for r in worker.reasons)
    assert ("worker_configuration", "dms2msk-workers") not in by_key  # one resource replaced, not a delete + create
    assert by_key[("connector", "orders-source")].action is Action.REPLACE


def test_worker_description_and_literal_secret_properties(orders_out: Path, tmp_path: Path) -> None:
    # A literal password in the existing worker configuration is a difference, but its value is never shown.
    content = _desired_workers().properties_file_content + "sasl.password=hunter2-literal\n"
    by_key = _worker_plan(orders_out, tmp_path, _worker_resource(content=content, description="hand made"))
    worker = by_key[("worker_configuration", "dms2msk-workers")]
    assert worker.action is Action.REPLACE
    changes = {c.path: (c.before, c.after) for c in worker.changes}
    assert changes['properties_file_content["sasl.password"]'] == ("(hidden)", None)
    assert changes["description"] == ("hand made", _desired_workers().description)
    assert "hunter2-literal" not in to_json(plan(orders_out, state=tmp_path / "s.json"))


def test_old_manifest_compares_the_worker_configuration_by_presence(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"), record_workers=False)
    manifest = json.loads((out / "dms2msk.json").read_text())
    assert "worker_configuration" not in manifest["mapping"]
    assert "workers" not in manifest["settings"]
    by_key = _worker_plan(out, tmp_path, _worker_resource(content="a=b\n"))
    worker = by_key[("worker_configuration", "dms2msk-workers")]
    assert worker.action is Action.UNCHANGED
    assert "presence only" in worker.reasons[0] and "re-render" in worker.reasons[0]
    assert by_key[("connector", "orders-source")].action is Action.UNCHANGED
    first = plan(out)  # nothing exists: created, with the same note
    (created,) = [d for d in first.resources if d.kind == "worker_configuration"]
    assert created.action is Action.CREATE and "presence only" in created.reasons[0]


def test_worker_configuration_missing_from_the_state_is_created_and_connectors_follow(
    orders_out: Path, tmp_path: Path
) -> None:
    state = _state(*_existing_for(builders.pipeline("orders")))
    state["resources"] = [r for r in state["resources"] if r["type"] != "aws_mskconnect_worker_configuration"]
    result = plan(orders_out, state=_write(tmp_path / "s.json", state))
    by_key = {(d.kind, d.name): d for d in result.resources}
    created = by_key[("worker_configuration", "dms2msk-workers")]
    assert created.action is Action.CREATE
    assert {c.path for c in created.changes} >= {'properties_file_content["config.providers"]'}
    assert by_key[("connector", "orders-source")].action is Action.REPLACE


def test_live_worker_configuration_is_decoded_and_diffed(tmp_path: Path) -> None:
    p = builders.pipeline("orders")
    out = builders.write_out(tmp_path / "out", p)
    running = {**p.source.config, "schema.history.internal.kafka.bootstrap.servers": "b:9098"}
    old = _desired_workers().properties_file_content.replace(
        "offset.flush.timeout.ms=5000", "offset.flush.timeout.ms=9000"
    )
    assert old != _desired_workers().properties_file_content

    def factory(region: str):
        return _live_client(region, orders_config=running, worker_content=old)

    by_name = {(d.kind, d.name): d for d in plan(out, live=True, client_factory=factory).resources}
    worker = by_name[("worker_configuration", "dms2msk-workers")]
    assert worker.action is Action.REPLACE
    assert [(c.path, c.before, c.after) for c in worker.changes] == [
        ('properties_file_content["offset.flush.timeout.ms"]', "9000", "5000")
    ]
    assert by_name[("connector", "orders-source")].action is Action.REPLACE

    def same(region: str):
        return _live_client(region, orders_config=running)

    by_name = {(d.kind, d.name): d for d in plan(out, live=True, client_factory=same).resources}
    assert by_name[("worker_configuration", "dms2msk-workers")].action is Action.UNCHANGED
    assert by_name[("connector", "orders-source")].action is Action.UNCHANGED


def test_parse_properties_reads_java_properties_lines() -> None:
    text = "# comment\n\n! also a comment\nb = 2\na=x=y\r\nc: d\nflag\n"
    assert parse_properties(text) == {"a": "x=y", "b": "2", "c": "d", "flag": ""}


def test_live_worker_configurations_of_other_teams_are_left_alone(orders_out: Path) -> None:
    from dms2msk.plan import diff_estate, load_desired
    from dms2msk.plan.types import ExistingEstate, ExistingWorkerConfiguration

    wanted = _desired_workers()
    existing = ExistingEstate(
        source="live:ap-northeast-2",
        worker_configurations=(
            ExistingWorkerConfiguration(
                name="dms2msk-workers",
                arn=WORKER_ARN,
                properties=wanted.properties_file_content,
                description=wanted.description,
            ),
            ExistingWorkerConfiguration(
                name="other-team", arn=f"{PREFIX}:worker-configuration/o/1", properties="a=b\n"
            ),
        ),
    )
    workers = [d for d in diff_estate(load_desired(orders_out), existing) if d.kind == "worker_configuration"]
    assert [(d.name, d.action) for d in workers] == [("dms2msk-workers", Action.UNCHANGED)]


def test_warning_problems_leave_the_plan_complete_and_errors_still_make_it_partial(orders_out: Path) -> None:
    from dataclasses import replace

    from dms2msk.plan.types import PlanProblem

    result = plan(orders_out)
    warning = PlanProblem("primary-key-report", "row names a task the plan lacks", severity="warning")
    error = PlanProblem("state", "the state could not be read")
    assert PlanProblem("state", "x").severity == "error"  # the default: unread input is partial
    warned = replace(result, problems=(warning,))
    assert not warned.partial and exit_code(warned) == 4 and warned.warnings == (warning,)
    assert json.loads(to_json(warned))["partial"] is False
    both = replace(result, problems=(warning, error))
    assert both.partial and exit_code(both) == 3 and both.warnings == (warning,)
    unchanged = replace(result, resources=tuple(replace(r, action=Action.UNCHANGED) for r in result.resources))
    assert exit_code(replace(unchanged, problems=(warning,))) == 0
    assert exit_code(replace(unchanged, problems=(error,))) == 3


@pytest.mark.parametrize(
    ("plugin", "before"),
    [
        ({"revision": 2}, "revision 2"),
        ({"arn": f"{PREFIX}:custom-plugin/hand-made/x"}, "custom-plugin/hand-made/x revision 1"),
    ],
    ids=["revision", "arn"],
)
def test_plugin_reference_drift_replaces_the_connector(tmp_path: Path, plugin: dict, before: str) -> None:
    """Terraform gives the connector the kept plugin's ARN and latest revision: any other one is a replacement."""
    p = builders.pipeline("orders")
    out = builders.write_out(tmp_path / "out", p)
    state = _state(*_existing_for(p))
    for resource in state["resources"]:
        for instance in resource["instances"]:
            attributes = instance["attributes"]
            if resource["type"] == "aws_mskconnect_custom_plugin":
                attributes["latest_revision"] = 1
            if attributes.get("name") == "orders-source":
                attributes["plugin"][0]["custom_plugin"][0].update(plugin)
    by_name = {d.name: d for d in plan(out, state=_write(tmp_path / "s.json", state)).resources}
    source = by_name["orders-source"]
    assert source.action is Action.REPLACE
    (change,) = source.changes
    assert change.path == "plugin" and change.forces_replacement and before in change.before[0]
    assert change.after.endswith("revision 1")
    assert by_name["orders-sink"].action is Action.UNCHANGED


def test_a_renamed_source_is_warned_that_it_starts_from_nothing(tmp_path: Path) -> None:
    """Same capture (connector class and topic.prefix) under a new name: Kafka Connect keys offsets by name."""
    p = builders.pipeline("orders", snapshot_mode="initial")
    out = builders.write_out(tmp_path / "out", p)
    old = [(name.replace("orders-", "orders-v1-"), config, key) for name, config, key in _existing_for(p)]
    by_name = {d.name: d for d in plan(out, state=_write(tmp_path / "s.json", _state(*old))).resources}
    created = by_name["orders-source"]
    assert created.action is Action.CREATE
    assert created.reasons == (
        "new offsets, the new connector does not resume where orders-v1-source stopped: renamed from "
        "orders-v1-source: Kafka Connect keeps the offsets under the old name",
    )
    assert "re-snapshots every captured table" in (created.cost or "")
    assert by_name["orders-v1-source"].action is Action.DELETE
    assert not by_name["orders-sink"].reasons  # a sink has no source offsets; a new one is just new


def test_an_in_place_topic_prefix_change_warns_that_the_offsets_no_longer_apply(tmp_path: Path) -> None:
    p = builders.pipeline("orders", snapshot_mode="initial")
    out = builders.write_out(tmp_path / "out", p)
    state = _state(*_existing_for(p, source={"topic.prefix": "orders_old"}))
    source = next(d for d in plan(out, state=_write(tmp_path / "s.json", state)).resources if d.name == "orders-source")
    assert source.action is Action.UPDATE
    assert any('connector_configuration["topic.prefix"] changes' in r for r in source.reasons), source.reasons
    assert "re-snapshots every captured table" in (source.cost or "")
