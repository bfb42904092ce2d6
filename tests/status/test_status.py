"""`dms2msk status`: MSK Connect through Stubber (no moto backend), DMS table statistics too (moto lacks them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli.status import do_status
from dms2msk.errors import InputError
from dms2msk.status import read_status, to_text

from ..plan import builders
from . import stubs

ORDERS = builders.pipeline("orders")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return builders.write_out(tmp_path / "out", ORDERS)


def _clients(source: dict | None = None, sink: dict | None = None, task: dict | None = None):
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    stubs.add_connector(kc_stub, ORDERS, "source", **(source or {}))
    stubs.add_connector(kc_stub, ORDERS, "sink", **(sink or {}))
    stubs.add_task(dms_stub, ORDERS, **(task or {}))
    kc_stub.activate()
    dms_stub.activate()
    return stubs.factory(kafkaconnect=kafkaconnect, dms=dms), kc_stub, dms_stub


def test_everything_as_out_says_exits_0(out: Path) -> None:
    factory, kc_stub, dms_stub = _clients()
    report = read_status(out, factory)
    kc_stub.assert_no_pending_responses()
    dms_stub.assert_no_pending_responses()
    (pipeline,) = report.pipelines
    assert pipeline.healthy and report.exit_code == 0
    source = pipeline.connectors[0]
    assert source.latest_operation is not None and source.latest_operation.state == "UPDATE_COMPLETE"
    assert source.plugins == ("dms2msk-debezium-connector-mysql-2-7-3-final revision 1: ACTIVE",)
    assert pipeline.task.status == "running" and pipeline.task.tables[0].full_load_rows == 42


def test_update_failed_keeps_the_old_configuration_and_is_reported(out: Path) -> None:
    """The provider said the apply succeeded; the connector's latest operation failed and it runs the old tables."""
    old = stubs.live_config(ORDERS, "source", **{"table.include.list": "shop.customers"})
    factory, *_ = _clients(
        source={
            "config": old,
            "operation_state": "UPDATE_FAILED",
            "error": {"code": "InvalidConnectorConfiguration", "message": "validation failed"},
        }
    )
    report = read_status(out, factory)
    source = report.pipelines[0].connectors[0]
    assert not source.healthy and report.exit_code == 4
    assert source.latest_operation.failed
    assert source.latest_operation.error == "InvalidConnectorConfiguration validation failed"
    assert [(c.path, c.before, c.after) for c in source.differences] == [
        ('connector_configuration["table.include.list"]', "shop.customers", "shop.orders")
    ]


def test_rollback_complete_and_capacity_difference(out: Path) -> None:
    factory, *_ = _clients(sink={"operation_state": "ROLLBACK_COMPLETE", "mcu": 2})
    report = read_status(out, factory)
    sink = report.pipelines[0].connectors[1]
    assert sink.latest_operation.state == "ROLLBACK_COMPLETE" and sink.latest_operation.failed
    assert [c.path for c in sink.differences] == ["capacity"]
    assert report.exit_code == 4


def test_a_connector_stuck_in_creating_is_not_healthy(out: Path) -> None:
    factory, *_ = _clients(source={"state": "CREATING", "operation_state": None})
    report = read_status(out, factory)
    source = report.pipelines[0].connectors[0]
    assert source.state == "CREATING" and source.latest_operation is None and not source.healthy
    assert report.exit_code == 4


def test_missing_connector_and_stopped_task(out: Path) -> None:
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    stubs.add_missing_connector(kc_stub, "orders-source")
    stubs.add_connector(kc_stub, ORDERS, "sink")
    stubs.add_task(dms_stub, ORDERS, status="stopped", stop_reason="Stop Reason NORMAL")
    kc_stub.activate()
    dms_stub.activate()
    report = read_status(out, stubs.factory(kafkaconnect=kafkaconnect, dms=dms))
    assert report.pipelines[0].connectors[0].exists is False
    assert report.pipelines[0].task.stop_reason == "Stop Reason NORMAL"
    assert report.exit_code == 4


def test_throttling_beyond_the_retries_is_named_and_the_rest_is_kept(out: Path) -> None:
    """botocore retries throttling (adaptive mode) before an answer reaches dms2msk; what is left is reported."""
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    kc_stub.add_client_error("list_connectors", "TooManyRequestsException", "Rate exceeded", 429)
    stubs.add_connector(kc_stub, ORDERS, "sink")
    stubs.add_task(dms_stub, ORDERS)
    kc_stub.activate()
    dms_stub.activate()
    report = read_status(out, stubs.factory(kafkaconnect=kafkaconnect, dms=dms))
    kc_stub.assert_no_pending_responses()
    source, sink = report.pipelines[0].connectors
    assert source.exists is None
    assert source.problems == ("kafkaconnect:ListConnectors was still throttled after the retries: Rate exceeded",)
    assert sink.healthy and report.exit_code == 3


def test_a_denied_call_is_named_with_its_permission_and_the_rest_is_kept(out: Path) -> None:
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    stubs.add_connector(kc_stub, ORDERS, "source")
    stubs.add_connector(kc_stub, ORDERS, "sink")
    stubs.add_task(dms_stub, ORDERS)
    # Replace the source's ListConnectorOperations answer with a denial (responses are consumed in order).
    queue = kc_stub._queue
    index = next(i for i, r in enumerate(queue) if r["operation_name"] == "ListConnectorOperations")
    queue.remove(queue[index])
    queue.remove(queue[index])  # and its DescribeConnectorOperation
    kc_stub.activate()
    dms_stub.activate()
    # An error answer goes where the removed one was.
    kc_stub.add_client_error("list_connector_operations", "AccessDeniedException", "not authorized", 403)
    queue.insert(index, queue.pop())
    report = read_status(out, stubs.factory(kafkaconnect=kafkaconnect, dms=dms))
    source = report.pipelines[0].connectors[0]
    assert any("kafkaconnect:ListConnectorOperations" in p and "denied" in p for p in source.problems)
    assert report.pipelines[0].connectors[1].healthy  # the sink was still read
    assert report.exit_code == 3


def test_cli_json_and_a_task_not_in_the_manifest(out: Path) -> None:
    factory, *_ = _clients(source={"operation_state": "ROLLBACK_COMPLETE"})
    runner = CliRunner()
    with runner.isolation() as (stdout, _stderr, _):
        code = do_status(out, (), "json", factory)
        data = json.loads(stdout.getvalue())
    assert code == 4 and data["exit_code"] == 4
    assert data["pipelines"][0]["connectors"][0]["latest_operation"]["state"] == "ROLLBACK_COMPLETE"
    assert data["pipelines"][0]["healthy"] is False
    with pytest.raises(InputError, match="not-a-task are not in") as caught:
        read_status(out, factory, ["not-a-task"])
    assert "orders" in caught.value.message


def test_status_command_is_registered_with_help() -> None:
    from dms2msk.cli import cli

    result = CliRunner().invoke(cli, ["status", "--help"])
    assert result.exit_code == 0 and "Exit 0" in result.output


def test_a_literal_secret_in_the_live_configuration_is_never_shown(out: Path) -> None:
    leaked = stubs.live_config(ORDERS, "source", **{"database.password": "hunter2-literal"})
    factory, *_ = _clients(source={"config": leaked})
    report = read_status(out, factory)
    (change,) = report.pipelines[0].connectors[0].differences
    assert change.path == 'connector_configuration["database.password"]' and change.before == "(hidden)"
    runner = CliRunner()
    for output_format in ("text", "json"):
        factory, *_ = _clients(source={"config": leaked})
        with runner.isolation() as (stdout, stderr, _):
            do_status(out, (), output_format, factory)
            printed = stdout.getvalue() + stderr.getvalue()
        assert b"(hidden)" in printed and b"hunter2-literal" not in printed


def test_capacity_and_configuration_both_differing_are_called_out(out: Path) -> None:
    changed = stubs.live_config(ORDERS, "source", **{"table.include.list": "shop.customers"})
    factory, *_ = _clients(source={"config": changed, "mcu": 2})
    text = to_text(read_status(out, factory))
    assert "one update changes only one of them" in text


EMULATOR_500_PAGE = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"


def test_an_unreadable_connector_and_an_html_error_page_are_unknown_in_one_line(out: Path) -> None:
    """A proxy's or emulator's error page is named by its HTTP status; nothing read differs, so nothing DIFFERS."""
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    kc_stub.add_client_error("list_connectors", "TooManyRequestsException", "Rate exceeded", 429)
    stubs.add_connector(kc_stub, ORDERS, "sink")
    dms_stub.add_response(
        "describe_replication_tasks",
        {"ReplicationTasks": [{"ReplicationTaskIdentifier": "orders", "ReplicationTaskArn": ORDERS.task_arn}]},
    )
    dms_stub.add_client_error("describe_table_statistics", "500", EMULATOR_500_PAGE, 500)
    kc_stub.activate()
    dms_stub.activate()
    report = read_status(out, stubs.factory(kafkaconnect=kafkaconnect, dms=dms))
    text = to_text(report)
    assert "<html" not in text and "dms:DescribeTableStatistics" in text and "HTTP 500 from the endpoint" in text
    assert text.splitlines()[0] == "orders (ap-northeast-2): UNKNOWN (not everything could be read)", text
    assert report.exit_code == 3


def test_a_connector_that_differs_is_called_so_even_when_another_part_is_unreadable(out: Path) -> None:
    kafkaconnect, kc_stub = stubs.client("kafkaconnect")
    dms, dms_stub = stubs.client("dms")
    stubs.add_missing_connector(kc_stub, "orders-source")
    kc_stub.add_client_error("list_connectors", "TooManyRequestsException", "Rate exceeded", 429)
    stubs.add_task(dms_stub, ORDERS)
    kc_stub.activate()
    dms_stub.activate()
    report = read_status(out, stubs.factory(kafkaconnect=kafkaconnect, dms=dms))
    assert to_text(report).splitlines()[0] == "orders (ap-northeast-2): DIFFERS"
