"""Test roots for the modules: a root folder laid out like OUT (root files + ``modules/``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
MODULES = REPO / "modules"
ROOTS = Path(__file__).resolve().parent / "roots"

# What the execution role of each connector role may do; anything else is more than it needs.
ALLOWED_ACTIONS: dict[str, frozenset[str]] = {
    "source": frozenset(
        {
            "kafka-cluster:Connect",
            "kafka-cluster:DescribeCluster",
            "kafka-cluster:DescribeClusterDynamicConfiguration",
            "kafka-cluster:CreateTopic",
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:WriteData",
            "kafka-cluster:ReadData",
            "kafka-cluster:AlterGroup",
            "kafka-cluster:DescribeGroup",
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
            "s3:GetObject",
        }
    ),
    "sink": frozenset(
        {
            "kafka-cluster:Connect",
            "kafka-cluster:DescribeCluster",
            "kafka-cluster:CreateTopic",  # MSK Connect's own internal topics only (checked below)
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:WriteData",  # MSK Connect's own internal topics only (checked below)
            "kafka-cluster:ReadData",
            "kafka-cluster:AlterGroup",
            "kafka-cluster:DescribeGroup",
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
            "s3:GetObject",
        }
    ),
}


def assemble(root: str, destination: Path) -> Path:
    """Copy test root ``root`` and the repository's modules into ``destination`` (the OUT layout)."""
    shutil.copytree(ROOTS / root, destination)
    shutil.copytree(MODULES, destination / "modules")
    return destination


def hcl_vars(variables: Mapping[str, Any]) -> dict[str, Any]:
    """Variables for terraform; python-terraform writes them to a .tfvars.json file, so native values fit."""
    return dict(variables)


def iam_problems(role: str, policy_json: str) -> list[str]:
    """Everything in an execution policy that is broader than the connector needs."""
    problems: list[str] = []
    document = json.loads(policy_json)
    statements = document["Statement"]
    statements = statements if isinstance(statements, list) else [statements]
    for statement in statements:
        sid = statement.get("Sid", "?")
        if statement.get("Effect") != "Allow":
            continue
        actions = _as_list(statement.get("Action"))
        resources = _as_list(statement.get("Resource"))
        if "NotAction" in statement or "NotResource" in statement:
            problems.append(f"{sid}: NotAction/NotResource")
        for action in actions:
            if "*" in action:
                problems.append(f"{sid}: wildcard action {action}")
            elif action not in ALLOWED_ACTIONS[role]:
                problems.append(f"{sid}: action {action} is not needed by a {role} connector")
        for resource in resources:
            if resource == "*" or resource.endswith(":*") or ":*:" in resource:
                problems.append(f"{sid}: resource {resource} is not scoped")
        writes = {"kafka-cluster:CreateTopic", "kafka-cluster:WriteData"} & set(actions)
        if role == "sink" and writes:
            outside = [r for r in resources if "/__amazon_msk_connect_" not in r and "/__msk_connect_" not in r]
            outside = [r for r in outside if not r.endswith("-dlq")]
            if outside:
                problems.append(f"{sid}: a sink writes only its internal and dead-letter topics, not {outside}")
    return problems


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
