"""Unit tests of what the root passes to each connector module for its least-privilege policy (no Terraform)."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import hcl2
import pytest

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import Inventory
from dms2msk.render import build_files
from dms2msk.render.worker import offsets_topic
from tests.support.mapping import ACCOUNT, estate_inventory

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def _with_secret_key(inventory: Inventory, kms_key_id: str | None) -> Inventory:
    """The example estate with every DMS secret encrypted by ``kms_key_id``."""
    regions = []
    for region in inventory.regions:
        endpoints = tuple(
            dataclasses.replace(e, secret=dataclasses.replace(e.secret, kms_key_id=kms_key_id)) if e.secret else e
            for e in region.endpoints
        )
        regions.append(dataclasses.replace(region, endpoints=endpoints))
    return dataclasses.replace(inventory, regions=tuple(regions))


def _unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals; the tests compare plain values."""
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [_unquote(item) for item in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    return value


def _rendered(inventory: Inventory) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], Any]:
    settings = Settings()
    result = map_inventory(inventory, settings)
    files, _ = build_files(result, settings, inventory=inventory)
    parsed = hcl2.load(io.StringIO(files["main.tf"].decode("utf-8")))
    modules = {_unquote(name): _unquote(body) for block in parsed["module"] for name, body in block.items()}
    findings = json.loads(files["findings.json"])["findings"]
    return modules, findings, result


def _uses_dms_secret(result: Any) -> list[tuple[str, Any]]:
    return [
        (f"{p.key}_{c.role}", c) for p in result.pipelines for c in p.connectors if any(s.existing for s in c.secrets)
    ]


@pytest.mark.parametrize(
    ("kms_key_id", "expected"),
    [
        (f"arn:aws:kms:ap-northeast-2:{ACCOUNT}:key/{KEY_ID}", f"arn:aws:kms:ap-northeast-2:{ACCOUNT}:key/{KEY_ID}"),
        (KEY_ID, f"arn:aws:kms:ap-northeast-2:{ACCOUNT}:key/{KEY_ID}"),  # bare id: the secret's region and account
        (None, None),  # the AWS managed key needs no statement
        ("alias/aws/secretsmanager", None),
    ],
)
def test_dms_secret_cmk_reaches_only_the_connectors_that_read_it(kms_key_id: str | None, expected: str | None) -> None:
    modules, findings, result = _rendered(_with_secret_key(estate_inventory(), kms_key_id))
    readers = _uses_dms_secret(result)
    assert readers, "the example estate reuses a DMS endpoint secret"
    reader_modules = {module for module, _ in readers}
    for name, body in modules.items():
        if "role" not in body:
            continue  # not a connector module
        keys = [k for k in body["secret_kms_key_arns"] if k.startswith("arn:")]
        if name in reader_modules and expected:
            assert keys == [expected], name
        else:
            assert keys == [], name
    assert not [f for f in findings if f["code"] == "render.secret-kms-alias"]


def test_secret_encrypted_through_a_custom_alias_is_reported() -> None:
    modules, findings, result = _rendered(_with_secret_key(estate_inventory(), "alias/dms-credentials"))
    alias_findings = [f for f in findings if f["code"] == "render.secret-kms-alias"]
    assert {f["task"] for f in alias_findings} == {c.name.rsplit("-", 1)[0] for _, c in _uses_dms_secret(result)}
    assert all("alias/dms-credentials" in f["message"] and f["hint"] for f in alias_findings)
    for module, _ in _uses_dms_secret(result):
        assert not [k for k in modules[module]["secret_kms_key_arns"] if k.startswith("arn:")]


def test_tool_cmk_only_for_connectors_with_new_secrets() -> None:
    modules, _, result = _rendered(estate_inventory())
    for pipeline in result.pipelines:
        for connector in pipeline.connectors:
            keys = modules[f"{pipeline.key}_{connector.role}"]["secret_kms_key_arns"]
            has_new = any(not s.existing for s in connector.secrets)
            assert any("module.kms.key_arn" in k for k in keys) == has_new, connector.name


def test_schema_history_read_back_and_consumer_group() -> None:
    modules, _, result = _rendered(estate_inventory())
    checked = 0
    for pipeline in result.pipelines:
        for connector in pipeline.connectors:
            body = modules[f"{pipeline.key}_{connector.role}"]
            topic = connector.config.get("schema.history.internal.kafka.topic")
            if connector.role == "source" and topic:
                checked += 1
                # The schema history it reads back, and the worker configuration's pinned offsets topic.
                assert body["read_topics"] == sorted([topic, offsets_topic(Settings())])
                assert topic in body["write_topics"]
                # Debezium's schema history consumer group is `<topic.prefix>-schemahistory`.
                assert body["consumer_groups"] == [f"{connector.config['topic.prefix']}-schemahistory"]
            elif connector.role == "source":
                assert body["read_topics"] == [] and body["consumer_groups"] == []
            else:
                # A sink's offsets group (connect-<name>) is the module's own; it adds no other group.
                assert body["consumer_groups"] == [] and body["read_topics"]
            assert "object_arn" in body["plugin_object_arn"]
    assert checked, "the example estate has a source with a Kafka schema history"
