"""Stubbed MSK Connect and DMS answers in the real API shapes (botocore's Stubber checks them against the model)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.stub import Stubber

from dms2msk.config import Settings
from dms2msk.model import Pipeline
from dms2msk.render.worker import worker_configuration

from ..plan import builders

PREFIX = f"arn:aws:kafkaconnect:{builders.REGION}:{builders.ACCOUNT}"
WORKER_ARN = f"{PREFIX}:worker-configuration/dms2msk-workers/w-1"
T0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def client(service: str) -> tuple[Any, Stubber]:
    made = boto3.client(
        service,
        region_name=builders.REGION,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
    return made, Stubber(made)


def connector_arn(name: str) -> str:
    return f"{PREFIX}:connector/{name}/c-{name}"


def plugin_arn(pipeline: Pipeline, role: str) -> str:
    plugin = pipeline.source.plugin if role == "source" else pipeline.sink.plugin
    return f"{PREFIX}:custom-plugin/dms2msk-{plugin}-2-7-3-final/p-{role}"


def live_config(pipeline: Pipeline, role: str, **changes: str) -> dict[str, str]:
    connector = pipeline.source if role == "source" else pipeline.sink
    return {**connector.config, **{k: "b-1.example:9098" for k in connector.cluster_config_keys}, **changes}


def add_connector(
    stub: Stubber,
    pipeline: Pipeline,
    role: str,
    *,
    state: str = "RUNNING",
    config: dict[str, str] | None = None,
    operation_state: str | None = "UPDATE_COMPLETE",
    error: dict[str, str] | None = None,
    mcu: int = 1,
) -> None:
    """ListConnectors, DescribeConnector, DescribeCustomPlugin, DescribeWorkerConfiguration and operations."""
    name = f"{pipeline.task_identifier}-{role}"
    arn = connector_arn(name)
    connector = pipeline.source if role == "source" else pipeline.sink
    stub.add_response(
        "list_connectors",
        {"connectors": [{"connectorArn": arn, "connectorName": name, "connectorState": state}]},
        {"connectorNamePrefix": name},
    )
    described: dict[str, Any] = {
        "connectorArn": arn,
        "connectorName": name,
        "connectorState": state,
        "kafkaConnectVersion": "2.7.1",
        "connectorConfiguration": config if config is not None else live_config(pipeline, role),
        "capacity": {"provisionedCapacity": {"mcuCount": mcu, "workerCount": 1}},
        "kafkaClusterClientAuthentication": {"authenticationType": "IAM"},
        "kafkaClusterEncryptionInTransit": {"encryptionType": "TLS"},
        "plugins": [{"customPlugin": {"customPluginArn": plugin_arn(pipeline, role), "revision": 1}}],
        "workerConfiguration": {"workerConfigurationArn": WORKER_ARN, "revision": 1},
        "serviceExecutionRoleArn": f"arn:aws:iam::{builders.ACCOUNT}:role/{name}-exec",
    }
    if state == "FAILED":
        described["stateDescription"] = {"code": "ConnectorFailed", "message": "Task threw an uncaught exception"}
    stub.add_response("describe_connector", described, {"connectorArn": arn})
    stub.add_response(
        "describe_custom_plugin",
        {
            "customPluginArn": plugin_arn(pipeline, role),
            "name": f"dms2msk-{connector.plugin}-2-7-3-final",
            "customPluginState": "ACTIVE",
            "latestRevision": {
                "contentType": "ZIP",
                "revision": 1,
                "location": {
                    "s3Location": {
                        "bucketArn": "arn:aws:s3:::dms2msk-plugins",
                        "fileKey": f"{connector.plugin}-2.7.3.Final.zip",
                    }
                },
            },
        },
        {"customPluginArn": plugin_arn(pipeline, role)},
    )
    content = worker_configuration(Settings(), builders.REGION).properties_file_content
    stub.add_response(
        "describe_worker_configuration",
        {
            "workerConfigurationArn": WORKER_ARN,
            "name": "dms2msk-workers",
            "description": worker_configuration(Settings(), builders.REGION).description,
            "latestRevision": {"revision": 1, "propertiesFileContent": base64.b64encode(content.encode()).decode()},
        },
        {"workerConfigurationArn": WORKER_ARN},
    )
    operations = []
    if operation_state is not None:
        operation_arn = f"{PREFIX}:connector-operation/{name}/op-2"
        operations = [
            {
                "connectorOperationArn": f"{PREFIX}:connector-operation/{name}/op-1",
                "connectorOperationType": "UPDATE_CONNECTOR_CONFIGURATION",
                "connectorOperationState": "UPDATE_COMPLETE",
                "creationTime": T0,
                "endTime": T0 + dt.timedelta(minutes=5),
            },
            {
                "connectorOperationArn": operation_arn,
                "connectorOperationType": "UPDATE_CONNECTOR_CONFIGURATION",
                "connectorOperationState": operation_state,
                "creationTime": T0 + dt.timedelta(hours=1),
                "endTime": T0 + dt.timedelta(hours=1, minutes=9),
            },
        ]
    stub.add_response("list_connector_operations", {"connectorOperations": operations}, {"connectorArn": arn})
    if operation_state is not None:
        answer: dict[str, Any] = {
            "connectorArn": arn,
            "connectorOperationArn": operation_arn,
            "connectorOperationState": operation_state,
            "connectorOperationType": "UPDATE_CONNECTOR_CONFIGURATION",
            "operationSteps": [
                {"stepType": "INITIALIZE_UPDATE", "stepState": "COMPLETED"},
                {"stepType": "VALIDATE_UPDATE", "stepState": "FAILED" if error else "COMPLETED"},
            ],
            "creationTime": T0 + dt.timedelta(hours=1),
            "endTime": T0 + dt.timedelta(hours=1, minutes=9),
        }
        if error:
            answer["errorInfo"] = error
        stub.add_response("describe_connector_operation", answer, {"connectorOperationArn": operation_arn})


def add_missing_connector(stub: Stubber, name: str) -> None:
    stub.add_response("list_connectors", {"connectors": []}, {"connectorNamePrefix": name})


def add_task(
    stub: Stubber, pipeline: Pipeline, status: str = "running", stop_reason: str | None = None, rows: int = 42
) -> None:
    task: dict[str, Any] = {
        "ReplicationTaskIdentifier": pipeline.task_identifier,
        "ReplicationTaskArn": pipeline.task_arn,
        "MigrationType": "cdc",
        "Status": status,
    }
    if stop_reason:
        task["StopReason"] = stop_reason
    stub.add_response(
        "describe_replication_tasks",
        {"ReplicationTasks": [task]},
        {
            "Filters": [{"Name": "replication-task-arn", "Values": [pipeline.task_arn]}],
            "WithoutSettings": True,
        },
    )
    stub.add_response(
        "describe_table_statistics",
        {
            "ReplicationTaskArn": pipeline.task_arn,
            "TableStatistics": [
                {"SchemaName": "shop", "TableName": "orders", "FullLoadRows": rows, "Inserts": 3, "Deletes": 1}
            ],
        },
        {"ReplicationTaskArn": pipeline.task_arn},
    )


def factory(**clients: Any) -> Callable[[str, str], Any]:
    return lambda service, region: clients[service]
