"""The moto server fixture runs a real emulator process that other tests can rely on."""

from __future__ import annotations

import boto3
import pytest

from tests.support.moto_server import MotoServer

pytestmark = pytest.mark.real


def test_server_answers_real_api_calls_and_reset_forgets_state(moto_endpoint: str, moto_server: MotoServer) -> None:
    dms = boto3.client("dms", region_name="eu-west-1", endpoint_url=moto_endpoint)
    dms.create_endpoint(EndpointIdentifier="probe", EndpointType="source", EngineName="mysql")
    assert [e["EndpointIdentifier"] for e in dms.describe_endpoints()["Endpoints"]] == ["probe"]

    moto_server.reset()

    assert dms.describe_endpoints()["Endpoints"] == []


def test_each_test_starts_from_an_empty_emulator(moto_endpoint: str) -> None:
    dms = boto3.client("dms", region_name="eu-west-1", endpoint_url=moto_endpoint)
    assert dms.describe_endpoints()["Endpoints"] == []


def test_server_is_on_loopback(moto_server: MotoServer) -> None:
    assert moto_server.endpoint_url.startswith("http://127.0.0.1:")
    assert moto_server.process is not None and moto_server.process.poll() is None
