"""``-vv`` never prints a secret: every password-like DMS endpoint field, planted as a marker.

The fields come from botocore's own DMS model (every member whose shape is marked
``sensitive``), so a settings object AWS adds later is planted too. The CLI runs as a
real process, so stderr is exactly what a CI log would hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from dms2msk.estate import load_estate
from dms2msk.scan import SECRET_FIELD_PATTERN

pytestmark = pytest.mark.real

REGION = "us-east-1"
REPOSITORY = Path(__file__).resolve().parents[2]

ENGINE_OF_SETTINGS_OBJECT = {
    "DocDbSettings": "docdb",
    "GcpMySQLSettings": "mysql",
    "IBMDb2Settings": "db2",
    "KafkaSettings": "kafka",
    "MicrosoftSQLServerSettings": "sqlserver",
    "MongoDbSettings": "mongodb",
    "MySQLSettings": "mysql",
    "OracleSettings": "oracle",
    "PostgreSQLSettings": "postgres",
    "RedisSettings": "redis",
    "RedshiftSettings": "redshift",
    "SybaseSettings": "sybase",
}
"""DMS ``EngineName`` for each settings object (DMS API reference, CreateEndpoint)."""


def sensitive_members() -> dict[str, list[str]]:
    """Settings object -> its members botocore marks sensitive (``""`` for CreateEndpoint's own)."""
    model = botocore.session.get_session().get_service_model("dms")
    create = model.operation_model("CreateEndpoint").input_shape
    found: dict[str, list[str]] = {}
    for name, shape in create.members.items():
        if shape.serialization.get("sensitive") or getattr(shape, "metadata", {}).get("sensitive"):
            found.setdefault("", []).append(name)
        elif shape.type_name == "structure":
            secret = [m for m, s in shape.members.items() if s.metadata.get("sensitive")]
            if secret:
                found[name] = secret
    return found


def test_the_model_has_the_secret_fields_the_issue_names() -> None:
    members = sensitive_members()
    assert members[""] == ["Password"]
    assert set(members["OracleSettings"]) == {"AsmPassword", "Password", "SecurityDbEncryption"}
    assert set(members["KafkaSettings"]) == {"SaslPassword", "SslClientKeyPassword"}
    assert members["RedisSettings"] == ["AuthPassword"]


def test_scan_drops_every_field_the_model_marks_sensitive() -> None:
    names = {m for members in sensitive_members().values() for m in members}
    assert names  # the model was read
    assert [n for n in names if not SECRET_FIELD_PATTERN.search(n)] == []


def required_members(settings_object: str) -> dict[str, Any]:
    """Harmless values for the members DMS requires in a settings object (Redis's ServerName, Port)."""
    model = botocore.session.get_session().get_service_model("dms")
    shape = model.shape_for(settings_object)
    dummy = {"string": "db.example.com", "integer": 6379}
    return {name: dummy[shape.members[name].type_name] for name in shape.required_members}


def plant_markers(endpoint_url: str) -> list[str]:
    """One endpoint per settings object with a secret; every secret value a unique marker."""
    dms = boto3.client("dms", region_name=REGION, endpoint_url=endpoint_url)
    markers: list[str] = []
    for index, (settings_object, members) in enumerate(sorted(sensitive_members().items())):
        if not settings_object:
            continue
        values = {member: f"MARKER{index}{member}zq" for member in members}
        markers += values.values()
        top = f"MARKER{index}toplevelzq"
        attribute = f"MARKER{index}attributezq"
        markers += [top, attribute]
        dms.create_endpoint(
            EndpointIdentifier=f"secret-{index}",
            EndpointType="source",
            EngineName=ENGINE_OF_SETTINGS_OBJECT[settings_object],
            ServerName="db.example.com",
            Port=5432,
            DatabaseName="app",
            Username="dms",
            Password=top,
            ExtraConnectionAttributes=f"heartbeatEnable=true;password={attribute}",
            **{settings_object: {**required_members(settings_object), **values}},
        )
    return markers


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "dms2msk", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def leaked(markers: list[str], result: subprocess.CompletedProcess[str], folder: Path) -> list[str]:
    texts = [result.stdout, result.stderr]
    texts += [p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()]
    return sorted({m for m in markers if any(m in text for text in texts)})


def test_scan_at_debug_level_prints_no_endpoint_secret(moto_endpoint: str, tmp_path: Path) -> None:
    markers = plant_markers(moto_endpoint)
    assert len(markers) >= 20

    result = run_cli("-vv", "scan", "--region", REGION, "--endpoint-url", moto_endpoint, "-o", "inv.json", cwd=tmp_path)

    assert result.returncode in (0, 3), result.stderr[-3000:]
    # The debug log is on and still says what was asked: the check below is not vacuous.
    assert "Making request for OperationModel(name=DescribeEndpoints)" in result.stderr
    assert leaked(markers, result, tmp_path) == []


def test_demo_at_debug_level_prints_no_secret(tmp_path: Path) -> None:
    estate = load_estate()
    passwords = [e["password"] for e in estate["endpoints"] if e.get("password")]
    passwords += [s["value"]["password"] for s in estate["secrets"]]
    assert passwords

    result = run_cli("-vv", "demo", "out", "--no-terraform", cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Making request for OperationModel(name=CreateSecret)" in result.stderr
    assert leaked(passwords, result, tmp_path) == []


def test_debug_filter_keeps_retry_lines_and_drops_bodies() -> None:
    import logging

    from dms2msk.cli.aws_log import AwsBodyFilter

    def record(name: str, msg: str, *args: Any) -> logging.LogRecord:
        return logging.LogRecord(name, logging.DEBUG, __file__, 1, msg, args, None)

    keep = AwsBodyFilter()
    assert keep.filter(record("botocore.retryhandler", "Retry needed, action of: %s", 1))
    assert not keep.filter(record("botocore.parsers", "Response body:\n%r", b'{"Password": "x"}'))
    request = record("botocore.endpoint", "Making request for %s with params: %s", "Op", {"body": "secret"})
    assert keep.filter(request) and request.getMessage() == "Making request for Op"
    assert keep.filter(logging.LogRecord("dms2msk.scan", logging.DEBUG, __file__, 1, "own line", None, None))
