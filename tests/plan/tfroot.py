"""A Terraform root (JSON syntax) for the MSK Connect resources of a rendered folder, and a state v4 for it.

The state comes from the real provider: ``terraform plan`` on an empty state gives
the planned values, and only the computed ids/ARNs are filled in, so a
``plan -refresh=false`` against it shows exactly what the provider would change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from dms2msk.plan.desired import BOOTSTRAP_PLACEHOLDER, load_desired

PLUGIN_DIR = "/opt/tf-plugins"
BOOTSTRAP = "b-1.dms2msk.abc.c2.kafka.ap-northeast-2.amazonaws.com:9098"
ACCOUNT = "123456789012"


def terraform_available() -> bool:
    return shutil.which("terraform") is not None and Path(PLUGIN_DIR).is_dir()


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_CLI_CONFIG_FILE": "/dev/null",
    }


def tf(workdir: Path, *args: str) -> str:
    done = subprocess.run(
        ["terraform", f"-chdir={workdir}", *args], capture_output=True, text=True, env=_env(), timeout=300, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"terraform {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def plugin_name(key: str, version: str) -> str:
    return f"dms2msk-{key}-{version.replace('.', '-').lower()}"


def _literal(text: str) -> str:
    """A JSON-syntax Terraform string that is taken literally (``${`` and ``%{`` would be template sequences)."""
    return text.replace("${", "$${").replace("%{", "%%{")


def worker_arguments(out: Path) -> dict[str, Any]:
    """The worker configuration as the rendered root declares it: the content dms2msk recorded in the manifest."""
    wanted = load_desired(out).worker_configuration
    if wanted is None:  # a manifest of an older dms2msk: any content stands for "present"
        return {"name": "dms2msk-workers", "properties_file_content": "key.converter=x\n"}
    arguments: dict[str, Any] = {
        "name": wanted.name,
        "properties_file_content": _literal(wanted.properties_file_content),
    }
    if wanted.description:
        arguments["description"] = _literal(wanted.description)
    return arguments


def write_root(out: Path, workdir: Path) -> None:
    desired = load_desired(out)
    plugins = {c.plugin_key: c.debezium_version for c in desired.connectors.values()}
    root: dict[str, Any] = {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
        "provider": {
            "aws": {
                "region": "ap-northeast-2",
                "skip_credentials_validation": True,
                "skip_requesting_account_id": True,
                "skip_metadata_api_check": True,
            }
        },
        "resource": {
            "aws_mskconnect_custom_plugin": {
                "this": {
                    "for_each": {
                        # Keyed by plugin and version, as render keys them: a version bump is a new resource.
                        f"{k}-{v}": {"name": plugin_name(k, v), "file_key": f"plugins/{k}-{v}.zip"}
                        for k, v in sorted(plugins.items())
                    },
                    "name": "${each.value.name}",
                    "content_type": "ZIP",
                    "location": {
                        "s3": {"bucket_arn": "arn:aws:s3:::dms2msk-plugins", "file_key": "${each.value.file_key}"}
                    },
                }
            },
            "aws_mskconnect_worker_configuration": {"this": worker_arguments(out)},
            "aws_mskconnect_connector": {
                "this": {
                    "for_each": {
                        c.name: {
                            "plugin": f"{c.plugin_key}-{c.debezium_version}",
                            "kafkaconnect_version": c.kafkaconnect_version,
                            "config": {
                                k: (BOOTSTRAP if v == BOOTSTRAP_PLACEHOLDER else v.replace("${", "$${"))
                                for k, v in c.config.items()
                            },
                        }
                        for c in desired.connectors.values()
                    },
                    "name": "${each.key}",
                    "kafkaconnect_version": "${each.value.kafkaconnect_version}",
                    "connector_configuration": "${each.value.config}",
                    "capacity": {
                        "provisioned_capacity": {
                            "mcu_count": desired.settings.connectors.mcu_count,
                            "worker_count": desired.settings.connectors.worker_count,
                        }
                    },
                    "kafka_cluster": {
                        "apache_kafka_cluster": {
                            "bootstrap_servers": BOOTSTRAP,
                            "vpc": {"security_groups": ["sg-0123"], "subnets": ["subnet-1", "subnet-2"]},
                        }
                    },
                    "kafka_cluster_client_authentication": {"authentication_type": "IAM"},
                    "kafka_cluster_encryption_in_transit": {"encryption_type": "TLS"},
                    "plugin": {
                        "custom_plugin": {
                            "arn": "${aws_mskconnect_custom_plugin.this[each.value.plugin].arn}",
                            "revision": "${aws_mskconnect_custom_plugin.this[each.value.plugin].latest_revision}",
                        }
                    },
                    "worker_configuration": {
                        "arn": "${aws_mskconnect_worker_configuration.this.arn}",
                        "revision": "${aws_mskconnect_worker_configuration.this.latest_revision}",
                    },
                    "service_execution_role_arn": f"arn:aws:iam::{ACCOUNT}:role/dms2msk-connect",
                }
            },
        },
    }
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf.json").write_text(json.dumps(root, indent=2), encoding="utf-8")


def init(workdir: Path) -> None:
    tf(workdir, "init", f"-plugin-dir={PLUGIN_DIR}", "-input=false", "-no-color")


def state_for_current_root(workdir: Path) -> dict[str, Any]:
    """Plan from nothing, then turn the planned values into a state v4 with the computed ARNs filled in."""
    (workdir / "terraform.tfstate").unlink(missing_ok=True)
    tf(workdir, "plan", "-refresh=false", "-input=false", "-no-color", "-out=create.tfplan")
    planned = json.loads(tf(workdir, "show", "-json", "create.tfplan"))
    values = planned["planned_values"]["root_module"]["resources"]
    plugin_arns: dict[str, str] = {}
    worker_arn: str | None = None
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    prefix = f"arn:aws:kafkaconnect:ap-northeast-2:{ACCOUNT}"
    for resource in values:
        attrs = dict(resource["values"])
        rtype = resource["type"]
        if rtype == "aws_mskconnect_custom_plugin":
            attrs.update(arn=f"{prefix}:custom-plugin/{attrs['name']}/p-1", latest_revision=1, state="ACTIVE")
            plugin_arns[resource["index"]] = attrs["arn"]
        elif rtype == "aws_mskconnect_worker_configuration":
            worker_arn = f"{prefix}:worker-configuration/{attrs['name']}/w-1"
            attrs.update(arn=worker_arn, latest_revision=1)
        attrs["id"] = attrs.get("arn")
        attrs.setdefault("tags_all", {})
        grouped.setdefault((rtype, resource["name"]), []).append(
            {"index_key": resource.get("index"), "attributes": attrs}
        )
    for instance in grouped.get(("aws_mskconnect_connector", "this"), []):
        attrs = instance["attributes"]
        # The sink uses the JDBC plugin, every source its Debezium source plugin (as the builders render them).
        is_sink = attrs["name"].endswith("-sink")
        key = next(k for k in plugin_arns if is_sink == k.startswith("debezium-connector-jdbc-"))
        attrs.update(arn=f"{prefix}:connector/{attrs['name']}/c-1", version="V1")
        attrs["id"] = attrs["arn"]
        attrs["plugin"] = [{"custom_plugin": [{"arn": plugin_arns[key], "revision": 1}]}]
        attrs["worker_configuration"] = [{"arn": worker_arn, "revision": 1}]
    resources = [
        {
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {
                    "schema_version": 0,
                    "index_key": i["index_key"],
                    "attributes": i["attributes"],
                    "sensitive_attributes": [],
                }
                for i in instances
            ],
        }
        for (rtype, name), instances in sorted(grouped.items())
    ]
    return {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "dms2msk-plan-test",
        "outputs": {},
        "resources": resources,
        "check_results": None,
    }


def terraform_actions(workdir: Path, state: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(kind, name) -> create | update | replace | delete | unchanged, from the real provider's plan."""
    (workdir / "terraform.tfstate").write_text(json.dumps(state), encoding="utf-8")
    tf(workdir, "plan", "-refresh=false", "-input=false", "-no-color", "-out=change.tfplan")
    planned = json.loads(tf(workdir, "show", "-json", "change.tfplan"))
    kinds = {
        "aws_mskconnect_connector": "connector",
        "aws_mskconnect_custom_plugin": "custom_plugin",
        "aws_mskconnect_worker_configuration": "worker_configuration",
    }
    actions = {}
    for change in planned.get("resource_changes", []):
        body = change["change"]
        name = (body.get("after") or {}).get("name") or (body.get("before") or {}).get("name")
        verbs = body["actions"]
        action = {("no-op",): "unchanged", ("create",): "create", ("update",): "update", ("delete",): "delete"}.get(
            tuple(verbs), "replace" if set(verbs) == {"create", "delete"} else "+".join(verbs)
        )
        actions[(kinds[change["type"]], name)] = action
    return actions
