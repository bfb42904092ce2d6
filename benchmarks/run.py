"""dms2msk at estate scale: scan, map, render and terraform on a synthetic estate in a moto server.

    .venv/bin/python -m benchmarks.run                 # 1,000 tasks over 3 regions
    .venv/bin/python -m benchmarks.run --tasks 50      # the CI size

Writes the figures as JSON (``--output``, default ``benchmark-results.json``) and prints a table.
See benchmarks/README.md for what each figure means and the recorded full-size run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import importlib.metadata
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.estate_generator import DEFAULT_REGIONS, RegionCounts, generate
from dms2msk.estate import SeededEstate, seed_estate
from dms2msk.files import write_file
from dms2msk.model import Inventory
from dms2msk.scan import minimum_requests, scan_with_stats
from tests.support.moto_server import DUMMY_AWS_ENV, MotoServer

DEFAULT_OUTPUT = Path("benchmark-results.json")


def _versions() -> dict[str, str]:
    found = {}
    for name in ("boto3", "botocore", "moto", "jinja2"):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "packages": _versions(),
        # Other work on the machine slows every figure; the load says how busy it was.
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


def max_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux: the process's peak resident memory so far.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def seed(descriptions: list[dict[str, Any]], endpoint_url: str) -> tuple[float, dict[str, SeededEstate]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(descriptions)) as pool:
        seeded = list(pool.map(lambda estate: seed_estate(estate, endpoint_url), descriptions))
    return time.perf_counter() - started, {s.region: s for s in seeded}


def network_settings(settings_class: type, seeded: SeededEstate) -> Any:
    """Settings whose network is the seeded VPC's subnets.

    moto reports one canned subnet for every DMS subnet group, and an MSK cluster needs two or
    more, so the benchmark passes the subnets it created, as a user would with ``--config``.
    """
    from dms2msk.config import NetworkSettings

    return settings_class(
        network=NetworkSettings(
            vpc_id=seeded.vpc_id,  # subnets given in the settings need their VPC (security groups are created in it)
            subnet_ids=tuple(seeded.subnet_ids),
            security_group_ids=tuple(seeded.security_group_ids.values()),
        )
    )


def minimum_for(counts: Sequence[RegionCounts]) -> int:
    return sum(
        minimum_requests(
            replication_instances=c.replication_instances,
            subnet_groups=c.subnet_groups,
            endpoints=c.endpoints,
            tasks=c.tasks,
            serverless_configs=0,
            referenced_secrets=c.secrets,
        )
        for c in counts
    )


def measure_scan(
    regions: Sequence[str], counts: Sequence[RegionCounts], endpoint_url: str
) -> tuple[dict[str, Any], Inventory]:
    result = scan_with_stats(regions, endpoint_url=endpoint_url)
    stats = result.stats
    read_tasks = sum(len(r.tasks) for r in result.inventory.regions)
    minimum = minimum_for(counts)
    figures = {
        "regions": list(regions),
        "tasks_expected": sum(c.tasks for c in counts),
        "tasks_read": read_tasks,
        "problems": sum(len(r.problems) for r in result.inventory.regions),
        "wall_seconds": round(stats.wall_seconds, 4),
        "api_response_seconds": round(stats.api_seconds, 4),
        "wall_over_api_ratio": round(stats.wall_seconds / stats.api_seconds, 3) if stats.api_seconds else None,
        "api_calls": stats.api_calls,
        "http_requests": stats.http_requests,
        "retries": stats.retries,
        "minimum_requests": minimum,
        "requests_over_minimum": round(stats.http_requests / minimum, 3),
        "by_region": stats.to_json()["regions"],
    }
    return figures, result.inventory


def _mapping_entry_points() -> tuple[Callable[..., Any], Callable[..., Any], type] | str:
    """map_inventory, render and Settings, or why they cannot be used yet."""
    try:
        from dms2msk.config import Settings
        from dms2msk.mapping import map_inventory
        from dms2msk.render import render
    except ImportError as exc:
        return f"the map or render stage is not importable yet ({exc})"
    return map_inventory, render, Settings


def _per_region(inventory: Inventory) -> list[Inventory]:
    # One rendered root configures one region's cluster, so each region renders into its own OUT.
    return [dataclasses.replace(inventory, regions=(region,)) for region in inventory.regions if region.tasks]


def measure_map_and_render(inventory: Inventory, seeded: dict[str, SeededEstate], work_dir: Path) -> dict[str, Any]:
    entry_points = _mapping_entry_points()
    if isinstance(entry_points, str):
        return {"status": "unavailable", "reason": entry_points}
    map_inventory, render, settings_class = entry_points
    parts = _per_region(inventory)
    settings = [network_settings(settings_class, seeded[part.regions[0].region]) for part in parts]

    started = time.perf_counter()
    results = [map_inventory(part, part_settings) for part, part_settings in zip(parts, settings, strict=True)]
    map_seconds = time.perf_counter() - started
    pipelines = sum(len(r.pipelines) for r in results)

    def render_all(suffix: str) -> float:
        began = time.perf_counter()
        for index, (part, result, part_settings) in enumerate(zip(parts, results, settings, strict=True)):
            render(result, part_settings, work_dir / f"out-{suffix}-{index}", inventory=part)
        return time.perf_counter() - began

    gc.collect()
    render_seconds = render_all("timed")
    rss_after = max_rss_mb()
    # A second render under tracemalloc gives the peak Python memory; it is slower, so not timed.
    gc.collect()
    tracemalloc.start()
    try:
        render_all("traced")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    files = sum(1 for _ in work_dir.glob("out-timed-*/**/*") if _.is_file())
    return {
        "status": "ok",
        "pipelines": pipelines,
        "skipped_tasks": sum(len(r.skipped) for r in results),
        "map_seconds": round(map_seconds, 3),
        "render_seconds": round(render_seconds, 3),
        "render_peak_traced_mb": round(peak / 1024 / 1024, 1),
        "process_max_rss_mb": rss_after,
        "files_written": files,
        "outs": len(parts),
    }


def measure_terraform(
    inventory: Inventory, seeded: dict[str, SeededEstate], pipelines: int, work_dir: Path
) -> dict[str, Any]:
    entry_points = _mapping_entry_points()
    if isinstance(entry_points, str):
        return {"status": "unavailable", "reason": entry_points}
    try:
        from dms2msk.terraform import Terraform, working_copy
    except ImportError as exc:
        return {"status": "unavailable", "reason": f"dms2msk.terraform is not importable yet ({exc})"}
    map_inventory, render, settings_class = entry_points
    first = next(region for region in inventory.regions if region.tasks)
    settings = network_settings(settings_class, seeded[first.region])
    part = dataclasses.replace(inventory, regions=(dataclasses.replace(first, tasks=first.tasks[:pipelines]),))
    result = map_inventory(part, settings)
    out = work_dir / "out-terraform"
    render(result, settings, out, inventory=part)
    figures: dict[str, Any] = {"status": "ok", "pipelines": len(result.pipelines), "region": first.region}
    try:
        with working_copy(out) as copy:
            terraform = Terraform(copy)
            began = time.perf_counter()
            terraform.init()
            figures["init_seconds"] = round(time.perf_counter() - began, 2)
            began = time.perf_counter()
            validation = terraform.validate()
            figures["validate_seconds"] = round(time.perf_counter() - began, 2)
            figures["valid"] = validation.valid
            figures["validate_errors"] = [d.get("summary", "") for d in validation.errors][:10]
            if validation.valid:
                began = time.perf_counter()
                terraform.plan()
                figures["plan_seconds"] = round(time.perf_counter() - began, 2)
                plan = terraform.show_json()
                figures["planned_resources"] = len(plan.get("resource_changes") or [])
    except Exception as exc:  # report what terraform said; the other figures stay valid
        figures["status"] = "failed"
        figures["error"] = str(exc)[-2000:]
    return figures


def guarded(step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A step's figures, or its error: one failing stage must not lose the others' figures."""
    try:
        return step()
    except Exception as exc:
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"[-2000:]}


def run(tasks: int, regions: Sequence[str], terraform_pipelines: int, *, seed_value: int = 8) -> dict[str, Any]:
    os.environ.update(DUMMY_AWS_ENV)  # an emulator only: never real credentials
    generated = generate(tasks, tuple(regions), seed=seed_value)
    descriptions = [estate for estate, _counts in generated]
    counts = [c for _estate, c in generated]
    report: dict[str, Any] = {
        "benchmark": "dms2msk scale",
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "machine": machine(),
        "parameters": {
            "tasks": tasks,
            "regions": list(regions),
            "terraform_pipelines": terraform_pipelines,
            "seed": seed_value,
        },
        "estate": {
            "regions": [dataclasses.asdict(c) for c in counts],
            "tasks": sum(c.tasks for c in counts),
            "endpoints": sum(c.endpoints for c in counts),
            "replication_instances": sum(c.replication_instances for c in counts),
            "selection_rules": sum(c.selection_rules for c in counts),
            "tables": sum(c.tables for c in counts),
        },
    }
    # moto 5.2 does not page DMS Describe calls; this server pages them as AWS does (see the README).
    with MotoServer(paginate_dms=True) as server, tempfile.TemporaryDirectory(prefix="dms2msk-bench-") as scratch:
        seed_seconds, seeded = seed(descriptions, server.endpoint_url)
        report["seed_seconds"] = round(seed_seconds, 2)
        single, _ = measure_scan(regions[:1], counts[:1], server.endpoint_url)
        everything, inventory = measure_scan(regions, counts, server.endpoint_url)
        report["scan"] = {"single_region": single, "all_regions": everything}
        work_dir = Path(scratch)
        report["render"] = guarded(lambda: measure_map_and_render(inventory, seeded, work_dir))
        report["terraform"] = (
            guarded(lambda: measure_terraform(inventory, seeded, terraform_pipelines, work_dir))
            if terraform_pipelines > 0
            else {"status": "skipped", "reason": "--terraform-pipelines 0"}
        )
    report["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return report


def table(report: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []
    estate = report["estate"]
    rows.append(
        ("estate", f"{estate['tasks']} tasks, {estate['endpoints']} endpoints, {len(estate['regions'])} regions")
    )
    for name, scan in report["scan"].items():
        rows.append((f"scan {name.replace('_', ' ')}",
                     f"{scan['wall_seconds']:.2f}s wall / {scan['api_response_seconds']:.2f}s API = "
                     f"{scan['wall_over_api_ratio']}; requests {scan['http_requests']} / minimum "
                     f"{scan['minimum_requests']} = {scan['requests_over_minimum']}; retries {scan['retries']}; "
                     f"tasks {scan['tasks_read']}/{scan['tasks_expected']}"))  # fmt: skip
    render = report["render"]
    if render.get("status") == "ok":
        rows.append(("map", f"{render['pipelines']} pipelines in {render['map_seconds']:.2f}s"))
        rows.append(("render", f"{render['render_seconds']:.2f}s, peak {render['render_peak_traced_mb']} MB traced, "
                               f"process max RSS {render['process_max_rss_mb']} MB"))  # fmt: skip
    else:
        rows.append(("map + render", f"{render.get('status')}: {render.get('reason', render.get('error', ''))}"))
    tf = report["terraform"]
    if tf.get("status") == "ok":
        plan = f", plan {tf['plan_seconds']:.1f}s ({tf['planned_resources']} resources)" if "plan_seconds" in tf else ""
        rows.append((f"terraform ({tf['pipelines']} pipelines)",
                     f"init {tf['init_seconds']:.1f}s, validate {tf['validate_seconds']:.1f}s "
                     f"(valid: {tf['valid']}){plan}"))  # fmt: skip
    else:
        rows.append(("terraform", f"{tf.get('status')}: {tf.get('reason', tf.get('error', ''))[:300]}"))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1000, help="tasks in the synthetic estate (default 1000)")
    parser.add_argument("--regions", default=",".join(DEFAULT_REGIONS), help="comma-separated regions")
    parser.add_argument("--terraform-pipelines", type=int, default=200,
                        help="pipelines in the OUT that terraform validates and plans (0: skip)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=8, help="random seed of the estate generator")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="JSON file for the figures")
    args = parser.parse_args(argv)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if args.tasks < len(regions):
        parser.error(f"--tasks must be at least the number of regions ({len(regions)})")
    report = run(args.tasks, regions, args.terraform_pipelines, seed_value=args.seed)
    write_file(args.output, json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(table(report))
    print(f"figures written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
