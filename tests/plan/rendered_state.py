"""A Terraform state v4 for the REAL ``dms2msk render`` root (modules and all), "as if applied".

How the state is made (:func:`applied_state`):

1. ``plan -refresh=false`` on an empty state, ``show -json``: every managed
   resource instance of ``planned_values`` (root and all ``child_modules``,
   e.g. ``module.orders_source.aws_mskconnect_connector.this[0]``) becomes a
   state instance whose attributes are the planned values. Every attribute the
   provider lists in ``resource_changes[].change.after_unknown`` (ids, ARNs,
   revisions, bootstrap brokers...) gets a deterministic fake of the type the
   provider schema gives it (``terraform providers schema -json``): an ARN for
   names ending in ``arn``, ``<type>-<name>-fake-<instance>`` for other strings,
   1, false, [] or {}. A nested block that is wholly unknown keeps its planned
   (absent) value. Each instance carries its type's ``schema_version``.
2. That first state is not yet what an apply leaves behind: values that were
   unknown only because an upstream resource did not exist yet (a connector's
   ``plugin`` ARN, its bootstrap servers, a role's policy document, a custom
   plugin's S3 ``object_version``) are still fakes of their own, while the
   configuration now evaluates them from the upstream fakes. So the plan is run
   again against the state, and the planned values of every changed instance
   replace its state (unknowns filled the same deterministic way) until the
   provider plans no change at all. The dependency chain of the rendered root
   (S3 object -> plugin -> connector, cluster -> connector, policy document ->
   role policy) settles in a few rounds. The fixed point is, by construction, a
   state the real provider plans no change for on the unchanged render: the
   faithful "after apply" state, which :func:`applied_state` returns.

Data sources (``aws_iam_policy_document``, ``aws_partition``, ``aws_region``)
are NOT written to the state: Terraform reads data sources during every plan,
``-refresh=false`` only skips refreshing managed resources, and all data
sources of the rendered root are computed by the provider without an AWS call
(the account id is a variable, so ``aws_caller_identity`` has count 0). A data
source whose inputs are unknown in the first round (policy documents naming
ARNs) is read as soon as the fakes make them known; a settled plan has no
``read`` entries left (the agreement test asserts that).

Root outputs are written too, so a settled plan has no output changes either.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dms2msk.config import NetworkSettings, Settings
from dms2msk.model import Inventory, MappingResult
from dms2msk.plan import plugin_identity
from dms2msk.render import render

from .tfroot import ACCOUNT, init, tf

REGION = "ap-northeast-2"
PROVIDER = "registry.terraform.io/hashicorp/aws"

OFFLINE_OVERRIDE = (
    'provider "aws" {\n  skip_credentials_validation = true\n  skip_requesting_account_id = true\n'
    "  skip_metadata_api_check = true\n}\n"
)
"""The test-only override of tests/plan/test_real_render.py: no AWS call, so no credential check."""

NETWORK = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))

MSK_CONNECT_KINDS = {
    "aws_mskconnect_connector": "connector",
    "aws_mskconnect_custom_plugin": "custom_plugin",
    "aws_mskconnect_worker_configuration": "worker_configuration",
}

MAX_SETTLE_ROUNDS = 8

# ARN service names of the resource types the rendered root declares; a fake ARN must pass the provider's ARN checks.
_ARN_SERVICES = {
    "aws_mskconnect_": "kafkaconnect",
    "aws_msk_": "kafka",
    "aws_kms_": "kms",
    "aws_iam_": "iam",
    "aws_s3_": "s3",
    "aws_cloudwatch_log_": "logs",
    "aws_secretsmanager_": "secretsmanager",
    "aws_security_group": "ec2",
}


def settings_for(**changes: Any) -> Settings:
    """The settings every render here uses (a fixed network), with ``changes`` on top."""
    # The baseline states were rendered with Debezium 2.7.3; the bump tests move them to 3.6.3.
    return Settings(**{"network": NETWORK, "debezium_version": "2.7.3.Final", **changes})


def render_root(
    result: MappingResult, out: Path, settings: Settings | None = None, *, inventory: Inventory | None = None
) -> Path:
    """Render into ``out`` (replacing a previous render), add the offline override and init from the mirror.

    Init runs every time: a render that adds a pipeline adds module blocks Terraform must install.
    """
    render(result, settings or settings_for(), out, inventory=inventory)
    (out / "offline_override.tf").write_text(OFFLINE_OVERRIDE, encoding="utf-8")
    init(out)
    return out


def plan_json(out: Path, state: dict[str, Any] | None, plan_file: str = "change.tfplan") -> dict[str, Any]:
    """``plan -refresh=false -out`` against ``state`` (None: empty), then ``show -json`` of that plan."""
    state_path = out / "terraform.tfstate"
    if state is None:
        state_path.unlink(missing_ok=True)
    else:
        state_path.write_text(json.dumps(state), encoding="utf-8")
    tf(out, "plan", "-refresh=false", "-input=false", "-no-color", f"-out={plan_file}")
    return json.loads(tf(out, "show", "-json", plan_file))


_SCHEMAS: dict[str, dict[str, Any]] = {}


def resource_schemas(out: Path) -> dict[str, dict[str, Any]]:
    """Resource type -> ``{"version", "block"}`` of the hashicorp/aws provider (read once per session)."""
    if not _SCHEMAS:
        schemas = json.loads(tf(out, "providers", "schema", "-json"))
        _SCHEMAS.update(schemas["provider_schemas"][PROVIDER]["resource_schemas"])
    return _SCHEMAS


# --------------------------------------------------------------------------- #
# Deterministic fakes for values known only after apply                        #
# --------------------------------------------------------------------------- #


def _slug(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", address).strip("-")


# The resource part of each type's own ARN, as AWS shapes it (module validations check e.g. cluster/NAME/UUID).
_ARN_RESOURCES = {
    "aws_msk_cluster": "cluster/{name}/{uuid}",
    "aws_msk_configuration": "configuration/{name}/{uuid}",
    "aws_mskconnect_connector": "connector/{name}/{uuid}",
    "aws_mskconnect_custom_plugin": "custom-plugin/{name}/{uuid}",
    "aws_mskconnect_worker_configuration": "worker-configuration/{name}/{uuid}",
    "aws_kms_key": "key/{uuid}",
    "aws_iam_role": "role/{name}",
    "aws_cloudwatch_log_group": "log-group:{name}",
    "aws_secretsmanager_secret": "secret:{name}-AbCdEf",
    "aws_security_group": "security-group/sg-{hex}",
}


@dataclass(frozen=True)
class _Instance:
    """One resource instance being faked: its type, address and planned values (for names in ARNs)."""

    rtype: str
    address: str
    values: dict[str, Any]

    def string(self, attribute: str, path: str) -> str:
        digest = hashlib.sha1(path.encode()).hexdigest()
        if attribute.endswith("arn"):
            service = next((s for prefix, s in _ARN_SERVICES.items() if self.rtype.startswith(prefix)), "fake")
            shape = _ARN_RESOURCES.get(self.rtype, "{type}/{slug}") if attribute == "arn" else "{type}/{slug}"
            name = self.values.get("name") or self.values.get("bucket") or _slug(self.address)
            uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
            part = shape.format(
                name=name, uuid=uuid, hex=digest[:17], type=self.rtype.removeprefix("aws_"), slug=_slug(path)
            )
            return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{part}"
        # The digest keeps two instances' fakes apart (two security groups must not share an id).
        return f"{self.rtype}-{attribute}-fake-{digest[:8]}"

    def fake(self, type_: Any, attribute: str, path: str) -> Any:
        if type_ == "string":
            return self.string(attribute, path)
        if type_ == "number":
            return 1
        if type_ == "bool":
            return False
        if isinstance(type_, list) and type_[0] in ("list", "set"):
            return []
        if isinstance(type_, list) and type_[0] == "map":
            return {}
        return None  # objects, tuples, dynamic: left unset, the next plan round fills them from the configuration

    def fill_typed(self, value: Any, unknown: Any, type_: Any, attribute: str, path: str) -> Any:
        """``value`` with every unknown part (``True`` in ``unknown``) replaced by a fake of ``type_``."""
        if unknown is True:
            return self.fake(type_, attribute, path)
        kind = type_[0] if isinstance(type_, list) else None
        if isinstance(unknown, list) and kind in ("list", "set"):
            items = list(value or [])
            parts = unknown + [False] * (len(items) - len(unknown))
            return [
                self.fill_typed(v, u, type_[1], attribute, f"{path}/{i}")
                for i, (v, u) in enumerate(zip(items, parts, strict=False))
            ]
        if isinstance(unknown, dict) and kind in ("map", "object"):
            filled = dict(value or {})
            for key, part in unknown.items():
                inner, name = (type_[1], attribute) if kind == "map" else (type_[1].get(key), key)
                filled[key] = self.fill_typed(filled.get(key), part, inner, name, f"{path}/{key}")
            return filled
        return value

    def fill_block(self, values: dict[str, Any] | None, unknown: Any, block: dict[str, Any], path: str) -> dict:
        """Planned values of one block (the resource or a nested block) with the unknown attributes faked."""
        filled = dict(values or {})
        attributes = block.get("attributes") or {}
        block_types = block.get("block_types") or {}
        for name, part in (unknown if isinstance(unknown, dict) else {}).items():
            if part is False:
                continue
            if name in attributes and "type" in attributes[name]:
                faked = self.fill_typed(filled.get(name), part, attributes[name]["type"], name, f"{path}/{name}")
                if faked is not None:
                    filled[name] = faked
            elif name in block_types and isinstance(part, list):
                nested = block_types[name]["block"]
                blocks = list(filled.get(name) or [])
                parts = part + [{}] * (len(blocks) - len(part))
                filled[name] = [
                    self.fill_block(b, u, nested, f"{path}/{name}/{i}")
                    for i, (b, u) in enumerate(zip(blocks, parts, strict=False))
                ]
            # A wholly unknown nested block (``True``) or framework nested attribute keeps its planned value:
            # the next plan round takes it from the configuration.
        return filled


# --------------------------------------------------------------------------- #
# Plan JSON -> state v4                                                        #
# --------------------------------------------------------------------------- #


def _module_resources(module: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """(module address or None for the root, resource) over the root module and every child module."""
    for resource in module.get("resources") or []:
        yield module.get("address"), resource
    for child in module.get("child_modules") or []:
        yield from _module_resources(child)


def state_from_plan(shown: dict[str, Any], schemas: dict[str, dict[str, Any]], serial: int = 1) -> dict[str, Any]:
    """The state v4 that applying ``shown`` (a ``show -json`` plan) would leave, with fakes for unknowns."""
    unknown_by_address = {c["address"]: c["change"].get("after_unknown") or {} for c in shown["resource_changes"]}
    grouped: dict[tuple[str | None, str, str], list[dict[str, Any]]] = {}
    providers: dict[tuple[str | None, str, str], str] = {}
    for module, resource in _module_resources(shown["planned_values"]["root_module"]):
        if resource["mode"] != "managed":
            continue  # data sources are read by every plan (see the module docstring)
        rtype, address = resource["type"], resource["address"]
        schema = schemas[rtype]
        planned = resource.get("values") or {}
        attributes = _Instance(rtype, address, planned).fill_block(
            planned, unknown_by_address.get(address, {}), schema["block"], address
        )
        group = (module, rtype, resource["name"])
        providers[group] = resource.get("provider_name", PROVIDER)
        instance: dict[str, Any] = {
            "schema_version": schema.get("version", 0),
            "attributes": attributes,
            "sensitive_attributes": [],
        }
        if "index" in resource:
            instance["index_key"] = resource["index"]
        grouped.setdefault(group, []).append(instance)
    resources = []
    for (module, rtype, name), instances in sorted(grouped.items(), key=lambda g: (g[0][0] or "", g[0][1], g[0][2])):
        entry: dict[str, Any] = {"mode": "managed", "type": rtype, "name": name}
        if module:
            entry["module"] = module
        entry["provider"] = f'provider["{providers[(module, rtype, name)]}"]'
        entry["instances"] = instances
        resources.append(entry)
    outputs = {
        name: {"value": output["value"], "type": output["type"], "sensitive": output.get("sensitive", False)}
        for name, output in (shown["planned_values"].get("outputs") or {}).items()
        if "value" in output and "type" in output
    }
    return {
        "version": 4,
        "terraform_version": shown.get("terraform_version", "1.11.4"),
        "serial": serial,
        "lineage": "dms2msk-rendered-state-test",
        "outputs": outputs,
        "resources": resources,
        "check_results": None,
    }


def pending_changes(shown: dict[str, Any]) -> dict[str, str]:
    """Address -> actions of every resource change that is not a no-op (data source reads included)."""
    return {
        c["address"]: "+".join(c["change"]["actions"])
        for c in shown.get("resource_changes") or []
        if c["change"]["actions"] != ["no-op"]
    }


def pending_output_changes(shown: dict[str, Any]) -> dict[str, str]:
    return {
        name: "+".join(change["actions"])
        for name, change in (shown.get("output_changes") or {}).items()
        if change["actions"] != ["no-op"]
    }


def applied_state(out: Path, *, max_rounds: int = MAX_SETTLE_ROUNDS) -> dict[str, Any]:
    """The state the rendered root in ``out`` would have after ``terraform apply`` (see the module docstring).

    A plan with no resource change but outputs still unknown in the state gives the final state directly
    (one plan round less); the callers' unchanged-estate plan then proves it has no change at all.
    """
    schemas = resource_schemas(out)
    state: dict[str, Any] | None = None
    for round_number in range(1, max_rounds + 1):
        shown = plan_json(out, state, "settle.tfplan")
        if state is not None and not pending_changes(shown):
            if pending_output_changes(shown):
                # Every resource is settled, so this plan knows every output: its state is final.
                state = state_from_plan(shown, schemas, serial=round_number)
            return state
        state = state_from_plan(shown, schemas, serial=round_number)
    raise AssertionError(
        f"the state did not settle in {max_rounds} plan rounds; still changing: "
        f"{pending_changes(shown)} {pending_output_changes(shown)}"
    )


# --------------------------------------------------------------------------- #
# The provider's classification, in dms2msk's terms                           #
# --------------------------------------------------------------------------- #


def _action(verbs: list[str]) -> str:
    named = {("no-op",): "unchanged", ("create",): "create", ("update",): "update", ("delete",): "delete"}
    return named.get(tuple(verbs), "replace" if set(verbs) == {"create", "delete"} else "+".join(verbs))


def terraform_actions(shown: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(kind, name) -> create | update | replace | delete | unchanged for the MSK Connect resources of a plan.

    Named as :mod:`dms2msk.plan` names them: connectors and worker configurations by their name, custom
    plugins by :func:`dms2msk.plan.plugin_identity` of their name and S3 key (``<key> <version>``).
    """
    actions: dict[tuple[str, str], str] = {}
    for change in shown.get("resource_changes") or []:
        kind = MSK_CONNECT_KINDS.get(change["type"])
        if kind is None or change["mode"] != "managed":
            continue
        body = change["change"]
        side = body.get("after") or body.get("before") or {}
        name = side.get("name") or ""
        if kind == "custom_plugin":
            s3 = ((side.get("location") or [{}])[0].get("s3") or [{}])[0]
            name = plugin_identity(name, s3.get("file_key")) or name
        actions[(kind, name)] = _action(body["actions"])
    return actions
