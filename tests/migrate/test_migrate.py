"""`dms2msk migrate`: DMS and CloudWatch on a real moto server, MSK Connect (and DMS table statistics, which
moto lacks) through botocore's Stubber. Every step is interrupted once and resumed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from dms2msk.awscalls import AwsCallError
from dms2msk.cli.migrate import do_migrate
from dms2msk.errors import InputError
from dms2msk.migrate import MigrateBlocked, MigrateIncomplete, MigrateOptions, Migration, World
from dms2msk.migrate.state import STATE_FILE, load_state

from ..plan import builders
from ..status import stubs

pytestmark = pytest.mark.real  # a moto_server process

REGION = builders.REGION


class Interrupted(BaseException):
    """What Ctrl-C (or a killed process) does to a step: it stops wherever it is."""


@dataclasses.dataclass
class Estate:
    out: Path
    pipeline: Any
    keys: Path
    counts: Path
    dms: Any
    cloudwatch: Any
    endpoint: str
    minutes: int = 0


def _client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)


@pytest.fixture
def estate(moto_endpoint: str, tmp_path: Path) -> Estate:
    dms = _client("dms", moto_endpoint)
    instance = dms.create_replication_instance(
        ReplicationInstanceIdentifier="dms-1", ReplicationInstanceClass="dms.r5.large"
    )["ReplicationInstance"]["ReplicationInstanceArn"]
    endpoints = [
        dms.create_endpoint(EndpointIdentifier=name, EndpointType=kind, EngineName=engine)["Endpoint"]["EndpointArn"]
        for name, kind, engine in (("src", "source", "mysql"), ("tgt", "target", "postgres"))
    ]
    task_arn = dms.create_replication_task(
        ReplicationTaskIdentifier="orders",
        SourceEndpointArn=endpoints[0],
        TargetEndpointArn=endpoints[1],
        ReplicationInstanceArn=instance,
        MigrationType="full-load-and-cdc",
        TableMappings=json.dumps({"rules": []}),
    )["ReplicationTask"]["ReplicationTaskArn"]
    dms.start_replication_task(ReplicationTaskArn=task_arn, StartReplicationTaskType="start-replication")
    pipeline = dataclasses.replace(builders.pipeline("orders", migration_type="full-load-and-cdc"), task_arn=task_arn)
    out = builders.write_out(tmp_path / "out", pipeline)
    keys = tmp_path / "keys.csv"
    keys.write_text("orders,,\n", encoding="utf-8")  # the primary-key query found no table without a key
    counts = tmp_path / "counts.csv"
    counts.write_text("schema,table,count\nshop,orders,44\n", encoding="utf-8")  # 42 + 3 inserts - 1 delete
    cloudwatch = _client("cloudwatch", moto_endpoint)
    estate = Estate(out, pipeline, keys, counts, dms, cloudwatch, moto_endpoint)
    put_metrics(estate, lag=0, latency=0)
    return estate


def put_metrics(estate: Estate, *, lag: float, latency: float) -> None:
    """One datapoint a minute (CloudWatch's period here), oldest first, all inside migrate's ten-minute window."""
    estate.minutes += 1
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=9) + dt.timedelta(minutes=estate.minutes)
    estate.cloudwatch.put_metric_data(
        Namespace="AWS/Kafka",
        MetricData=[
            {
                "MetricName": "SumOffsetLag",
                "Dimensions": [
                    {"Name": "Cluster Name", "Value": "dms2msk"},
                    {"Name": "Consumer Group", "Value": "connect-orders-sink"},
                    {"Name": "Topic", "Value": "orders.shop.orders"},
                ],
                "Timestamp": now,
                "Value": lag,
            }
        ],
    )
    estate.cloudwatch.put_metric_data(
        Namespace="AWS/DMS",
        MetricData=[
            {
                "MetricName": "CDCLatencyTarget",
                "Dimensions": [
                    {"Name": "ReplicationInstanceIdentifier", "Value": "dms-1"},
                    {"Name": "ReplicationTaskIdentifier", "Value": "orders"},
                ],
                "Timestamp": now,
                "Value": latency,
            }
        ],
    )


class Dms:
    """moto's DMS, with table statistics from a Stubber (moto has none) and hooks to interrupt or deny a call."""

    def __init__(self, moto: Any, pipeline: Any, *, after: dict[str, BaseException] | None = None) -> None:
        self.moto = moto
        self.after = after or {}
        self.deny: set[str] = set()
        self.calls: list[str] = []
        self.statistics, stub = stubs.client("dms")
        for _ in range(3):
            stub.add_response(
                "describe_table_statistics",
                {
                    "ReplicationTaskArn": pipeline.task_arn,
                    "TableStatistics": [
                        {"SchemaName": "shop", "TableName": "orders", "FullLoadRows": 42, "Inserts": 3, "Deletes": 1}
                    ],
                },
                {"ReplicationTaskArn": pipeline.task_arn},
            )
        stub.activate()

    def __getattr__(self, name: str) -> Any:
        target = self.statistics if name == "describe_table_statistics" else self.moto
        method = getattr(target, name)

        def called(**params: Any) -> Any:
            self.calls.append(name)
            if name in self.deny:
                error = {"Error": {"Code": "AccessDeniedFault", "Message": "not authorized"}}
                raise ClientError({**error, "Error": {**error["Error"], "Code": "AccessDenied"}}, name)
            answer = method(**params)
            if name in self.after:
                raise self.after.pop(name)
            return answer

        return called


def _kafkaconnect(pipeline: Any, **source: Any) -> tuple[Any, Any]:
    client, stub = stubs.client("kafkaconnect")
    stubs.add_connector(stub, pipeline, "source", **source)
    stubs.add_connector(stub, pipeline, "sink")
    stub.activate()
    return client, stub


@dataclasses.dataclass
class Run:
    estate: Estate
    dms: Dms
    kafkaconnect: Any
    cloudwatch: Any
    echoed: list[str] = dataclasses.field(default_factory=list)
    clock: list[float] = dataclasses.field(default_factory=lambda: [0.0])
    on_sleep: Any = None

    def world(self) -> World:
        clients = {"dms": self.dms, "kafkaconnect": self.kafkaconnect, "cloudwatch": self.cloudwatch}

        def sleep(seconds: float) -> None:
            self.clock[0] += seconds
            if self.on_sleep is not None:
                self.on_sleep()

        return World(
            client_factory=lambda service, region: clients[service],
            echo=self.echoed.append,
            sleep=sleep,
            monotonic=lambda: self.clock[0],
        )

    def migration(self, **options: Any) -> Migration:
        settings = {"primary_key_reports": (self.estate.keys,), "counts_file": self.estate.counts, "poll_s": 10}
        return Migration(self.estate.out, self.world(), MigrateOptions(**{**settings, **options}))


def _run(estate: Estate, *, kafkaconnect: bool = True, after: dict | None = None, source: dict | None = None) -> Run:
    client = _kafkaconnect(estate.pipeline, **(source or {}))[0] if kafkaconnect else None
    return Run(estate, Dms(estate.dms, estate.pipeline, after=after), client, estate.cloudwatch)


def _steps(estate: Estate) -> dict[str, str]:
    record = load_state(estate.out).tasks["orders"]
    return {r.step: r.state for r in record.steps}


def _dms_status(estate: Estate) -> str:
    return estate.dms.describe_replication_tasks()["ReplicationTasks"][0]["Status"]


ALL_DONE = {s: "done" for s in ("precheck", "drain", "stop", "counts", "handover")}


def test_the_whole_cut_over_in_one_run(estate: Estate) -> None:
    run = _run(estate)
    run.migration().run(["orders"])
    assert _steps(estate) == ALL_DONE
    assert _dms_status(estate) == "stopped"
    assert run.dms.calls.count("stop_replication_task") == 1
    assert "delete_replication_task" not in run.dms.calls  # nothing irreversible
    assert any("aws dms delete-replication-task" in line for line in run.echoed)
    record = load_state(estate.out).tasks["orders"]
    assert dict((r.step, r.detail) for r in record.steps)["counts"] == "1 table(s) match DMS's table statistics"


def test_interrupted_precheck_runs_again(estate: Estate) -> None:
    first = _run(estate, after={"describe_replication_tasks": Interrupted()})
    with pytest.raises(Interrupted):
        first.migration().run(["orders"])
    assert not (estate.out / STATE_FILE).exists()  # nothing was done, nothing recorded
    _run(estate).migration().run(["orders"])
    assert _steps(estate) == ALL_DONE


def test_interrupted_drain_resumes_waiting_without_a_new_precheck(estate: Estate) -> None:
    put_metrics(estate, lag=120, latency=4)
    first = _run(estate)

    def interrupt() -> None:
        raise Interrupted

    first.on_sleep = interrupt
    with pytest.raises(Interrupted):
        first.migration().run(["orders"])
    assert _steps(estate) == {"precheck": "done"}
    assert any("sink lag 120, DMS CDCLatencyTarget 4 s" in line for line in first.echoed)
    second = _run(estate, kafkaconnect=False)  # a second precheck would have no MSK Connect client at all
    second.on_sleep = lambda: put_metrics(estate, lag=0, latency=0)
    put_metrics(estate, lag=7, latency=0)
    second.migration().run(["orders"])
    assert _steps(estate) == ALL_DONE


def test_interrupted_stop_waits_instead_of_stopping_twice(estate: Estate) -> None:
    first = _run(estate, after={"stop_replication_task": Interrupted()})
    with pytest.raises(Interrupted):
        first.migration().run(["orders"])
    assert _steps(estate) == {"precheck": "done", "drain": "done", "stop": "started"}
    assert _dms_status(estate) == "stopped"
    second = _run(estate, kafkaconnect=False)
    second.migration().run(["orders"])  # moto refuses to stop a stopped task: a second stop would fail
    assert "stop_replication_task" not in second.dms.calls
    assert _steps(estate) == ALL_DONE


def test_counts_needed_then_given(estate: Estate) -> None:
    first = _run(estate)
    with pytest.raises(MigrateIncomplete) as caught:
        first.migration(counts_file=None).run(["orders"])
    assert caught.value.exit_code == 3
    assert "SELECT 'shop', 'orders', COUNT(*) FROM <target table of shop.orders>" in caught.value.message
    assert "--counts FILE" in (caught.value.hint or "")
    assert _steps(estate) == {"precheck": "done", "drain": "done", "stop": "done"}
    _run(estate, kafkaconnect=False).migration().run(["orders"])
    assert _steps(estate)["counts"] == "done"


def test_counts_that_differ_keep_the_step_open(estate: Estate, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("shop\torders\t40\n", encoding="utf-8")
    with pytest.raises(MigrateIncomplete, match=r"shop\.orders: target 40, DMS 44") as caught:
        _run(estate).migration(counts_file=wrong).run(["orders"])
    assert f"dms2msk migrate --rollback orders {estate.out}" in (caught.value.hint or "")
    assert "counts" not in _steps(estate)


def test_count_command_output_is_compared(estate: Estate) -> None:
    run = _run(estate)
    world = run.world()
    world.run_command = lambda argv: "shop,orders,44\n" if argv == ["count-rows", "--target"] else ""
    Migration(
        estate.out,
        world,
        MigrateOptions(primary_key_reports=(estate.keys,), count_command="count-rows --target"),
    ).run(["orders"])
    assert _steps(estate) == ALL_DONE


def test_interrupted_handover_finishes_on_the_next_run(estate: Estate) -> None:
    first = _run(estate)
    real_echo = first.echoed.append

    def echo(text: str) -> None:
        if "Decommissioning" in text:
            raise Interrupted
        real_echo(text)

    world = first.world()
    world.echo = echo
    with pytest.raises(Interrupted):
        Migration(estate.out, world, MigrateOptions(primary_key_reports=(estate.keys,), counts_file=estate.counts)).run(
            ["orders"]
        )
    assert "handover" not in _steps(estate)
    _run(estate, kafkaconnect=False).migration().run(["orders"])
    assert _steps(estate) == ALL_DONE


def test_drain_timeout_and_a_throttled_poll(estate: Estate) -> None:
    put_metrics(estate, lag=5, latency=0)
    run = _run(estate)
    throttled = {"left": 1}
    moto_cloudwatch = estate.cloudwatch

    class Throttling:
        def __getattr__(self, name: str) -> Any:
            if name == "list_metrics" and throttled["left"]:
                throttled["left"] -= 1

                def refuse(**_: Any) -> Any:
                    raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "ListMetrics")

                return refuse
            return getattr(moto_cloudwatch, name)

    run.cloudwatch = Throttling()
    with pytest.raises(MigrateIncomplete) as caught:
        run.migration(timeout_s=30).run(["orders"])
    assert "waited 30 s until sink lag and DMS target latency reach 0; now sink lag 5" in caught.value.message
    assert any("sink lag unknown (no datapoint yet)" in line for line in run.echoed)  # the throttled poll
    assert _steps(estate) == {"precheck": "done"}
    assert _dms_status(estate) == "running"  # nothing stopped while the sink lags


def test_dry_run_prints_every_call_and_makes_none(estate: Estate) -> None:
    def no_client(service: str, region: str) -> Any:
        raise AssertionError(f"dry run made a {service} client")

    world = World(client_factory=no_client, echo=lambda text: None)
    calls = Migration(estate.out, world, MigrateOptions()).planned_calls(["orders"])
    text = "\n".join(calls)
    for expected in (
        "kafkaconnect:DescribeConnector (orders-source)",
        "kafkaconnect:ListConnectorOperations (orders-sink)",
        "cloudwatch:ListMetrics + GetMetricStatistics AWS/Kafka SumOffsetLag Cluster Name=dms2msk "
        "Consumer Group=connect-orders-sink",
        "AWS/DMS CDCLatencyTarget ReplicationTaskIdentifier=orders",
        f"dms:StopReplicationTask ReplicationTaskArn={estate.pipeline.task_arn}",
        "dms:DescribeTableStatistics",
    ):
        assert expected in text
    assert not (estate.out / STATE_FILE).exists()
    rollback = "\n".join(Migration(estate.out, world, MigrateOptions()).planned_calls(["orders"], rollback=True))
    assert "StartReplicationTaskType=resume-processing" in rollback


def test_rollback_resumes_the_dms_task_and_says_what_the_connectors_wrote(estate: Estate) -> None:
    _run(estate).migration().run(["orders"])
    assert _dms_status(estate) == "stopped"
    run = _run(estate, kafkaconnect=False)
    run.migration().rollback(["orders"])
    assert _dms_status(estate) == "running"
    assert "start_replication_task" in run.dms.calls
    assert any("orders-sink" in line and "idempotent" in line for line in run.echoed)
    record = load_state(estate.out).tasks["orders"]
    assert record.rolled_back_at is not None and record.next_step() == "precheck"


def test_bad_input_is_named(estate: Estate, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="task\\(s\\) nope are not in"):
        _run(estate).migration().run(["nope"])
    other = builders.inventory(builders.task("orders", "dms-1", "src", "tgt"))  # another ARN for the same name
    with pytest.raises(InputError, match="rendered from another inventory"):
        _run(estate).migration(inventory=other).run(["orders"])


def test_a_connector_that_does_not_exist_blocks_the_precheck(estate: Estate) -> None:
    client, stub = stubs.client("kafkaconnect")
    stubs.add_missing_connector(stub, "orders-source")
    stubs.add_connector(stub, estate.pipeline, "sink", operation_state="UPDATE_FAILED")
    stub.activate()
    run = _run(estate, kafkaconnect=False)
    run.kafkaconnect = client
    with pytest.raises(MigrateBlocked) as caught:
        run.migration().run(["orders"])
    message = caught.value.message
    assert "connector orders-source does not exist" in message
    assert "orders-sink's latest operation UPDATE_CONNECTOR_CONFIGURATION ended UPDATE_FAILED" in message
    assert not (estate.out / STATE_FILE).exists()


def test_unconfirmed_keys_block_the_precheck(estate: Estate) -> None:
    with pytest.raises(MigrateBlocked, match=r"blocker cutover\.primary-key"):
        _run(estate).migration(primary_key_reports=()).run(["orders"])


def test_a_denied_stop_names_the_permission_and_keeps_the_state_whole(estate: Estate) -> None:
    run = _run(estate)
    run.dms.deny.add("stop_replication_task")
    with pytest.raises(AwsCallError) as caught:
        run.migration().run(["orders"])
    assert "dms:StopReplicationTask on orders was denied" in caught.value.message
    assert "grant the IAM action dms:StopReplicationTask" in (caught.value.hint or "")
    assert _steps(estate) == {"precheck": "done", "drain": "done", "stop": "started"}
    assert _dms_status(estate) == "running"


def test_a_failed_write_leaves_the_previous_state_file(estate: Estate, monkeypatch: pytest.MonkeyPatch) -> None:
    put_metrics(estate, lag=3, latency=0)
    run = _run(estate)
    with pytest.raises(MigrateIncomplete):
        run.migration(timeout_s=0).run(["orders"])
    before = (estate.out / STATE_FILE).read_bytes()

    def broken(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("dms2msk.files.os.replace", broken)  # the shared atomic writer's rename
    put_metrics(estate, lag=0, latency=0)
    with pytest.raises(InputError, match="No space left"):
        _run(estate, kafkaconnect=False).migration().run(["orders"])
    assert (estate.out / STATE_FILE).read_bytes() == before
    assert [p.name for p in estate.out.iterdir() if p.name.startswith(f".{STATE_FILE}")] == []


def test_cli_dry_run_and_json(estate: Estate, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run(estate)
    code = do_migrate(
        estate.out,
        ("orders",),
        world=run.world(),
        options=MigrateOptions(primary_key_reports=(estate.keys,), counts_file=estate.counts),
        output_format="json",
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["step"] for r in data["tasks"]["orders"]["steps"]} == set(ALL_DONE)
