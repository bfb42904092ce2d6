"""Plan classification, bad input, live reading (Stubber), decommission, drift and the CLI."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from dms2msk.cli.plan import cli
from dms2msk.config import Settings, WorkerSettings
from dms2msk.model import WorkerConfiguration, dumps
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
    assert "new offsets topic" in (source.cost or "") and "gap" in (source.cost or "")


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
    from dms2msk.plan.migration import _captured_schemas

    folded = builders.with_tables(builders.pipeline("orders"), r"(?!(?:shop\.tmp_.*)$)shop\..*,sales\.orders")
    assert _captured_schemas(folded) == ["sales"]


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
        assert any(
            r.startswith("its worker configuration is replaced") and "new offsets" in r for r in connector.reasons
        )
        assert any("offset.flush.interval.ms" in r for r in connector.reasons)
        assert [c.path for c in connector.changes] == ["worker_configuration"]
        assert connector.changes[0].before == WORKER_ARN
    assert "new offsets topic" in (by_key[("connector", "orders-source")].cost or "")


def test_worker_name_change_replaces_the_old_configuration(tmp_path: Path) -> None:
    out = builders.write_out(tmp_path / "out", builders.pipeline("orders"), settings=Settings(name_prefix="shop"))
    by_key = _worker_plan(out, tmp_path, _worker_resource())
    worker = by_key[("worker_configuration", "shop-workers")]
    assert worker.action is Action.REPLACE
    assert [(c.path, c.before, c.after) for c in worker.changes] == [("name", "dms2msk-workers", "shop-workers")]
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
