"""The existing estate: a Terraform state (v4), ``terraform show -json`` output, or live MSK Connect.

Resources are matched later by their NAME attributes (connector, plugin and
worker-configuration names), never by Terraform address, so a change in the
root module layout does not look like a delete plus a create.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .types import (
    ExistingConnector,
    ExistingEstate,
    ExistingPlugin,
    ExistingWorkerConfiguration,
    PlanProblem,
    PluginUse,
)

CONNECTOR_TYPE = "aws_mskconnect_connector"
PLUGIN_TYPE = "aws_mskconnect_custom_plugin"
WORKER_TYPE = "aws_mskconnect_worker_configuration"
MSK_CONNECT_TYPES = (CONNECTOR_TYPE, PLUGIN_TYPE, WORKER_TYPE)


def no_existing_state() -> ExistingEstate:
    """Neither --state nor --live: the first migration, nothing exists on MSK Connect yet."""
    return ExistingEstate(source="none")


def _unknown(source: str, problem: PlanProblem) -> ExistingEstate:
    return ExistingEstate(source=source, problems=(problem,), known=False)


# --------------------------------------------------------------------------- #
# Terraform state v4 and `terraform show -json`                                #
# --------------------------------------------------------------------------- #


def load_state(path: str | Path) -> ExistingEstate:
    """Read a state file (format version 4), ``terraform show -json`` or ``terraform show -json PLANFILE``.

    A file that is none of these is not an error that stops the plan: the
    estate comes back with ``known=False`` and a problem saying what to pass.
    A file that is not there is an error (InputError): a mistyped path must not
    pass for an estate that could not be read.
    """
    path = Path(path)
    source = f"state:{path}"
    hint = "pass a Terraform state (`terraform state pull > state.json`) or `terraform show -json > state.json`"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise InputError(
            f"--state {path}: no such file", hint=f"check the path, or {hint}; leave --state out for a first migration"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else None
        return _unknown(source, PlanProblem("state", f"state file {path} is not JSON: {exc}", hint=hint, where=where))
    if not isinstance(data, dict):
        return _unknown(source, PlanProblem("state", f"{path} is not a Terraform state object", hint=hint))

    if "format_version" in data and ("values" in data or "prior_state" in data or "planned_values" in data):
        values = data.get("values") or (data.get("prior_state") or {}).get("values")
        if values is None:
            # A plan with no prior state: nothing exists yet.
            return ExistingEstate(source=f"show-json:{path}")
        return _estate_from_resources(f"show-json:{path}", _show_json_resources(values.get("root_module") or {}))
    if "version" in data:
        version = data.get("version")
        if version != 4:
            return _unknown(
                source,
                PlanProblem(
                    "state",
                    f"state file {path} has format version {version!r}; dms2msk reads version 4 "
                    "(Terraform 0.12 and later)",
                    hint="upgrade it with a current terraform (`terraform state pull > state.json` after init), "
                    "or pass `terraform show -json`",
                    where="$.version",
                ),
            )
        return _estate_from_resources(source, _state_v4_resources(data.get("resources") or []))
    return _unknown(source, PlanProblem("state", f"{path} is neither a Terraform state nor `show -json` output", hint))


def _state_v4_resources(resources: list[Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for resource in resources:
        if not isinstance(resource, dict) or resource.get("mode", "managed") != "managed":
            continue
        rtype = resource.get("type")
        if rtype not in MSK_CONNECT_TYPES:
            continue
        base = ".".join(part for part in (resource.get("module"), f"{rtype}.{resource.get('name')}") if part)
        for instance in resource.get("instances") or []:
            key = instance.get("index_key")
            address = base if key is None else f"{base}[{json.dumps(key)}]"
            yield rtype, address, instance.get("attributes") or {}


def _show_json_resources(module: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for resource in module.get("resources") or []:
        if resource.get("mode", "managed") == "managed" and resource.get("type") in MSK_CONNECT_TYPES:
            yield resource["type"], resource.get("address", ""), resource.get("values") or {}
    for child in module.get("child_modules") or []:
        yield from _show_json_resources(child)


def _first(value: Any) -> dict[str, Any]:
    """Nested blocks are lists of one object in state; tolerate absent or empty."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return value if isinstance(value, dict) else {}


def _estate_from_resources(source: str, resources: Iterable[tuple[str, str, dict[str, Any]]]) -> ExistingEstate:
    connectors: dict[str, ExistingConnector] = {}
    plugins: list[ExistingPlugin] = []
    workers: list[ExistingWorkerConfiguration] = []
    for rtype, address, attrs in resources:
        if rtype == CONNECTOR_TYPE:
            capacity = _first(attrs.get("capacity"))
            provisioned = _first(capacity.get("provisioned_capacity"))
            autoscaling = _first(capacity.get("autoscaling"))
            worker = _first(attrs.get("worker_configuration"))
            connectors[attrs.get("name", address)] = ExistingConnector(
                name=attrs.get("name", address),
                config={str(k): str(v) for k, v in (attrs.get("connector_configuration") or {}).items()},
                arn=attrs.get("arn"),
                kafkaconnect_version=attrs.get("kafkaconnect_version"),
                plugins=tuple(
                    PluginUse(
                        arn=_first(p.get("custom_plugin")).get("arn", ""),
                        revision=_int(_first(p.get("custom_plugin")).get("revision")),
                    )
                    for p in attrs.get("plugin") or []
                ),
                worker_configuration_arn=worker.get("arn"),
                worker_configuration_revision=_int(worker.get("revision")),
                capacity=_capacity(provisioned, autoscaling),
                authentication_type=_first(attrs.get("kafka_cluster_client_authentication")).get("authentication_type"),
                encryption_type=_first(attrs.get("kafka_cluster_encryption_in_transit")).get("encryption_type"),
                service_execution_role_arn=attrs.get("service_execution_role_arn"),
                address=address,
            )
        elif rtype == PLUGIN_TYPE:
            s3 = _first(_first(attrs.get("location")).get("s3"))
            plugins.append(
                ExistingPlugin(
                    name=attrs.get("name", address),
                    arn=attrs.get("arn"),
                    file_key=s3.get("file_key"),
                    bucket_arn=s3.get("bucket_arn"),
                    object_version=s3.get("object_version"),
                    content_type=attrs.get("content_type"),
                    address=address,
                    revision=_int(attrs.get("latest_revision")),
                )
            )
        else:
            workers.append(
                ExistingWorkerConfiguration(
                    name=attrs.get("name", address),
                    arn=attrs.get("arn"),
                    properties=attrs.get("properties_file_content"),
                    address=address,
                    description=attrs.get("description"),
                    revision=_int(attrs.get("latest_revision")),
                )
            )
    return ExistingEstate(
        source=source, connectors=connectors, plugins=tuple(plugins), worker_configurations=tuple(workers)
    )


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _capacity(provisioned: dict[str, Any], autoscaling: dict[str, Any]) -> dict[str, Any]:
    if autoscaling:
        return {
            "autoscaling": {
                "mcu_count": _int(autoscaling.get("mcu_count")),
                "min_worker_count": _int(autoscaling.get("min_worker_count")),
                "max_worker_count": _int(autoscaling.get("max_worker_count")),
            }
        }
    if provisioned:
        return {
            "provisioned": {
                "mcu_count": _int(provisioned.get("mcu_count")),
                "worker_count": _int(provisioned.get("worker_count")),
            }
        }
    return {}


# --------------------------------------------------------------------------- #
# Live MSK Connect (boto3 kafkaconnect)                                        #
# --------------------------------------------------------------------------- #

ClientFactory = Callable[[str], Any]
"""Region -> a boto3 ``kafkaconnect`` client (tests pass Stubber-backed clients)."""


def boto3_client_factory(profile: str | None = None, endpoint_url: str | None = None) -> ClientFactory:
    def make(region: str) -> Any:
        import boto3

        session = boto3.Session(profile_name=profile, region_name=region)
        return session.client("kafkaconnect", endpoint_url=endpoint_url)

    return make


def _error_text(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    return error.get("Code") or type(exc).__name__, error.get("Message") or str(exc)


def _pages(call: Callable[..., dict[str, Any]], items_key: str) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        page = call(**({"nextToken": token} if token else {}))
        yield from page.get(items_key) or []
        token = page.get("nextToken")
        if not token:
            return


def read_live(regions: Iterable[str], client_factory: ClientFactory) -> ExistingEstate:
    """List and describe connectors, custom plugins and worker configurations in each region.

    What the credentials cannot read becomes a problem; what they can read is kept.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    regions = sorted(set(regions))
    source = f"live:{','.join(regions)}"
    connectors: dict[str, ExistingConnector] = {}
    plugins: list[ExistingPlugin] = []
    workers: list[ExistingWorkerConfiguration] = []
    problems: list[PlanProblem] = []
    unreadable: list[str] = []
    listed_any = False
    hint = (
        "grant kafkaconnect:ListConnectors, DescribeConnector, ListCustomPlugins, DescribeCustomPlugin, "
        "ListWorkerConfigurations and DescribeWorkerConfiguration, or pass --state instead"
    )

    def problem(region: str, operation: str, exc: Exception, resource: str | None = None) -> None:
        code, message = _error_text(exc)
        what = f"{operation} on {resource}" if resource else operation
        problems.append(PlanProblem("live", f"{region}: kafkaconnect {what} failed: {code}: {message}", hint=hint))

    for region in regions:
        client = client_factory(region)
        try:
            summaries = list(_pages(client.list_connectors, "connectors"))
            listed_any = True
        except (ClientError, BotoCoreError) as exc:
            problem(region, "ListConnectors", exc)
            summaries = []
        for summary in summaries:
            name = summary.get("connectorName", "")
            try:
                described = client.describe_connector(connectorArn=summary["connectorArn"])
            except (ClientError, BotoCoreError) as exc:
                problem(region, "DescribeConnector", exc, name)
                unreadable.append(name)
                continue
            connectors[name] = _live_connector(described)
        try:
            for summary in _pages(client.list_custom_plugins, "customPlugins"):
                plugins.append(_live_plugin(client, summary))
        except (ClientError, BotoCoreError) as exc:
            problem(region, "ListCustomPlugins/DescribeCustomPlugin", exc)
        try:
            for summary in _pages(client.list_worker_configurations, "workerConfigurations"):
                workers.append(_live_worker(client, summary))
        except (ClientError, BotoCoreError) as exc:
            problem(region, "ListWorkerConfigurations/DescribeWorkerConfiguration", exc)
    return ExistingEstate(
        source=source,
        connectors=connectors,
        plugins=tuple(plugins),
        worker_configurations=tuple(workers),
        problems=tuple(problems),
        known=listed_any,
        unreadable_connectors=tuple(unreadable),
    )


def _live_connector(described: dict[str, Any]) -> ExistingConnector:
    capacity = described.get("capacity") or {}
    provisioned = capacity.get("provisionedCapacity") or {}
    autoscaling = capacity.get("autoScaling") or {}
    worker = described.get("workerConfiguration") or {}
    return ExistingConnector(
        name=described.get("connectorName", ""),
        config={str(k): str(v) for k, v in (described.get("connectorConfiguration") or {}).items()},
        arn=described.get("connectorArn"),
        kafkaconnect_version=described.get("kafkaConnectVersion"),
        plugins=tuple(
            PluginUse(
                arn=(p.get("customPlugin") or {}).get("customPluginArn", ""),
                revision=_int((p.get("customPlugin") or {}).get("revision")),
            )
            for p in described.get("plugins") or []
        ),
        worker_configuration_arn=worker.get("workerConfigurationArn"),
        worker_configuration_revision=_int(worker.get("revision")),
        capacity=_capacity(
            {"mcu_count": provisioned.get("mcuCount"), "worker_count": provisioned.get("workerCount")}
            if provisioned
            else {},
            {
                "mcu_count": autoscaling.get("mcuCount"),
                "min_worker_count": autoscaling.get("minWorkerCount"),
                "max_worker_count": autoscaling.get("maxWorkerCount"),
            }
            if autoscaling
            else {},
        ),
        authentication_type=(described.get("kafkaClusterClientAuthentication") or {}).get("authenticationType"),
        encryption_type=(described.get("kafkaClusterEncryptionInTransit") or {}).get("encryptionType"),
        service_execution_role_arn=described.get("serviceExecutionRoleArn"),
    )


def _live_plugin(client: Any, summary: dict[str, Any]) -> ExistingPlugin:
    return plugin_from_description(client.describe_custom_plugin(customPluginArn=summary["customPluginArn"]), summary)


def plugin_from_description(described: dict[str, Any], summary: dict[str, Any] | None = None) -> ExistingPlugin:
    """A DescribeCustomPlugin answer as an :class:`ExistingPlugin`."""
    summary = summary or {}
    revision = described.get("latestRevision") or {}
    s3 = (revision.get("location") or {}).get("s3Location") or {}
    return ExistingPlugin(
        name=described.get("name") or summary.get("name", ""),
        arn=described.get("customPluginArn"),
        file_key=s3.get("fileKey"),
        bucket_arn=s3.get("bucketArn"),
        object_version=s3.get("objectVersion"),
        content_type=revision.get("contentType"),
        revision=_int(revision.get("revision")),
    )


def _live_worker(client: Any, summary: dict[str, Any]) -> ExistingWorkerConfiguration:
    described = client.describe_worker_configuration(workerConfigurationArn=summary["workerConfigurationArn"])
    latest = described.get("latestRevision") or {}
    content = latest.get("propertiesFileContent")
    properties: str | None = None
    if content:
        try:  # the API returns the properties base64-encoded
            properties = base64.b64decode(content, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            properties = content
    return ExistingWorkerConfiguration(
        name=described.get("name") or summary.get("name", ""),
        arn=described.get("workerConfigurationArn"),
        properties=properties,
        description=described.get("description") or latest.get("description"),
        revision=_int(latest.get("revision")),
    )
