"""``dms2msk demo``: the whole tool on an embedded estate, without an AWS account.

It starts moto (an AWS emulator) inside this process on a loopback port,
creates the example DMS estate in it with the real DMS API calls, scans it back
like a real account, maps and renders it, and, where ``terraform`` is on PATH,
runs ``init``/``validate``/``plan`` on the result offline.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import NetworkSettings, Settings
from .estate import DUMMY_CREDENTIALS, load_estate, seed_estate
from .files import write_file
from .model import Inventory, MappingResult, dumps

log = logging.getLogger(__name__)


INVENTORY_NAME = "dms2msk-inventory.json"
"""The demo's scan in OUT: the name every command reads by default, so `cd OUT` makes it the default."""
DEMO_SETTINGS_NAME = "dms2msk-demo-settings.json"
"""The demo's [network] as a JSON --config file: the emulator's canned subnet group cannot host a cluster."""


@dataclass
class DemoResult:
    out_dir: Path
    inventory_path: Path
    inventory: Inventory
    mapping: MappingResult
    render_report: Any
    terraform: dict[str, Any] | None = None
    """Plan summary (counts by action, resource addresses), or None when terraform did not run."""
    terraform_skipped_reason: str | None = None
    passwords: list[str] = field(default_factory=list)
    settings_path: Path | None = None
    """The ``[network]`` the demo used (a JSON --config file), so its inventory renders again."""


@contextlib.contextmanager
def in_process_emulator() -> Iterator[str]:
    """Run moto's server in a thread on a free loopback port; yield its URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # moto is the `demo` extra
        from .errors import ToolError
        from .extras import install_command

        raise ToolError(
            "the demo needs the AWS emulator moto, which is not installed",
            hint=install_command("demo"),
        ) from exc
    # Emulator calls must never pick up real credentials from the environment.
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    os.environ["AWS_ACCESS_KEY_ID"] = DUMMY_CREDENTIALS["aws_access_key_id"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = DUMMY_CREDENTIALS["aws_secret_access_key"]
    os.environ.pop("AWS_SESSION_TOKEN", None)
    # The emulator logs each request, and a traceback for each API it lacks (which the
    # scanner handles); none of that is the user's business.
    for name in ("werkzeug", "moto", "flask.app"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        # moto keeps its state per process: start from an empty account every time.
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30).close()
        yield url
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_demo(
    out_dir: str | Path,
    *,
    estate_path: str | Path | None = None,
    settings: Settings | None = None,
    run_terraform: bool = True,
    force: bool = False,
    step: Callable[[str], None] = lambda message: None,
) -> DemoResult:
    """Seed an emulator with the example estate, then scan, map, render and (optionally) plan it."""
    from . import render as render_stage
    from .mapping import map_inventory
    from .scan import scan

    settings = settings or Settings()
    out_dir = Path(out_dir)
    estate = load_estate(estate_path)
    region = estate["region"]
    with in_process_emulator() as endpoint_url:
        step(f"AWS emulator (moto) started in-process at {endpoint_url}")
        seeded = seed_estate(estate, endpoint_url)
        step(
            f"created {len(seeded.instance_arns)} replication instance(s), {len(seeded.endpoint_arns)} endpoints, "
            f"{len(seeded.task_arns)} tasks in {region}"
        )
        inventory = scan([region], endpoint_url=endpoint_url)
    network_override = not settings.network.subnet_ids
    if network_override:
        # moto's DMS answers every subnet group with a canned one-subnet group, so the
        # network the scan finds cannot host a cluster; use the VPC the demo created instead.
        settings = dataclasses.replace(
            settings,
            network=NetworkSettings(
                vpc_id=seeded.vpc_id,
                subnet_ids=tuple(seeded.subnet_ids),
                security_group_ids=tuple(sorted(seeded.security_group_ids.values())),
            ),
        )
        step(f"network: the emulator's subnet groups are canned; using the demo VPC's {len(seeded.subnet_ids)} subnets")
    mapping = map_inventory(inventory, settings)
    step(f"mapped {len(mapping.pipelines)} task(s) to pipelines, {len(mapping.skipped)} skipped")
    report = render_stage.render(mapping, settings, out_dir, inventory=inventory, force=force)
    step(f"rendered Terraform into {out_dir}")
    # The scan goes into OUT, beside what was rendered from it, not into the working directory.
    inventory_path = out_dir / INVENTORY_NAME
    write_file(inventory_path, dumps(inventory))
    step(f"wrote the scanned inventory to {inventory_path}")
    settings_path = None
    if network_override:
        # The scan's canned subnet group cannot host a cluster: without these settings,
        # rendering the inventory again would fail.
        settings_path = out_dir / DEMO_SETTINGS_NAME
        write_file(settings_path, dumps({"network": _network_document(settings.network)}))
        step(f"wrote the network it used to {settings_path} (render it again with --config {settings_path})")

    result = DemoResult(
        out_dir=out_dir,
        inventory_path=inventory_path,
        inventory=inventory,
        mapping=mapping,
        render_report=report,
        passwords=list(seeded.passwords),
        settings_path=settings_path,
    )
    if not run_terraform:
        result.terraform_skipped_reason = "--no-terraform was given"
    elif shutil.which("terraform") is None:
        result.terraform_skipped_reason = "terraform is not on PATH"
    else:
        step("running terraform init, validate and plan (offline, dummy credentials, on a copy of OUT)")
        result.terraform = offline_plan_summary(out_dir)
    return result


def _network_document(network: NetworkSettings) -> dict[str, Any]:
    return {
        "vpc_id": network.vpc_id,
        "subnet_ids": list(network.subnet_ids),
        "security_group_ids": list(network.security_group_ids),
    }


def offline_plan_summary(out_dir: Path) -> dict[str, Any]:
    """Counts by action and the connector names of an offline ``terraform plan`` of ``out_dir``."""
    from .terraform import plan_json

    plan = plan_json(out_dir)
    counts: dict[str, int] = {}
    connectors: list[str] = []
    changes = [c for c in plan.get("resource_changes") or () if c.get("mode") == "managed"]
    for change in changes:
        actions = (change.get("change") or {}).get("actions") or []
        action = "replace" if set(actions) == {"create", "delete"} else "+".join(actions)
        counts[action] = counts.get(action, 0) + 1
        if change.get("type") == "aws_mskconnect_connector":
            after = (change.get("change") or {}).get("after") or {}
            connectors.append(str(after.get("name")))
    return {"counts": counts, "resources": len(changes), "connectors": sorted(connectors)}
