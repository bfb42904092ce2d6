"""A synthetic DMS estate in the description format of :mod:`dms2msk.estate`.

The mix follows what larger DMS estates look like: MySQL/Aurora MySQL and PostgreSQL sources
dominate, a tail of SQL Server, Oracle, MariaDB and MongoDB; relational targets mostly, some Kafka;
source endpoints shared by a few tasks each; a replication instance per ~10 tasks; 60% of source
endpoints keep their credentials in Secrets Manager; 1-30 selection rules per task (most have few)
naming 1-400 tables, plus column removals and renames. The same seed gives the same estate.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

DEFAULT_REGIONS = ("ap-northeast-2", "us-east-1", "eu-west-1")

SOURCE_ENGINE_MIX: tuple[tuple[str, float], ...] = (
    ("mysql", 0.30),
    ("aurora", 0.18),
    ("postgres", 0.20),
    ("aurora-postgresql", 0.12),
    ("sqlserver", 0.08),
    ("oracle", 0.06),
    ("mariadb", 0.04),
    ("mongodb", 0.02),
)
TARGET_ENGINE_MIX: tuple[tuple[str, float], ...] = (
    ("postgres", 0.40),
    ("mysql", 0.25),
    ("aurora-postgresql", 0.15),
    ("sqlserver", 0.05),
    ("kafka", 0.15),
)
PORTS = {"mysql": 3306, "aurora": 3306, "mariadb": 3306, "postgres": 5432, "aurora-postgresql": 5432,
         "sqlserver": 1433, "oracle": 1521, "mongodb": 27017, "kafka": 9092}  # fmt: skip
MIGRATION_TYPE_MIX = (("full-load-and-cdc", 0.65), ("cdc", 0.30), ("full-load", 0.05))
INSTANCE_CLASSES = ("dms.t3.medium", "dms.c5.large", "dms.r5.large", "dms.r5.xlarge", "dms.r6i.2xlarge")
TASKS_PER_INSTANCE = 10
TASKS_PER_SOURCE_ENDPOINT = 2
TASKS_PER_TARGET_ENDPOINT = 4
SECRET_SHARE = 0.6


@dataclass(frozen=True)
class RegionCounts:
    """What one region's description holds: the basis of the minimum request count."""

    region: str
    replication_instances: int
    subnet_groups: int
    endpoints: int
    tasks: int
    secrets: int
    selection_rules: int
    tables: int


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in mix], weights=[weight for _, weight in mix])[0]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _table_mappings(rng: random.Random, engine: str, task_number: int) -> tuple[dict[str, Any], int, int]:
    """Selection rules (explicit tables or wildcards) and a few transformations."""
    # Most tasks have a handful of rules; a long tail has dozens (heavy-tailed, capped).
    rule_count = min(30, max(1, int(rng.lognormvariate(1.0, 0.8))))
    schema_word = "dbo" if engine == "sqlserver" else ("APP" if engine == "oracle" else f"app{task_number % 17}")
    rules: list[dict[str, Any]] = []
    tables = 0
    for number in range(1, rule_count + 1):
        wildcard = rng.random() < 0.25
        table = "%" if wildcard else f"table_{number:03d}"
        tables += rng.randint(5, 400 // rule_count + 5) if wildcard else 1
        rules.append({
            "rule-type": "selection", "rule-id": str(number), "rule-name": f"select-{number}",
            "object-locator": {"schema-name": schema_word, "table-name": table}, "rule-action": "include",
        })  # fmt: skip
    next_id = rule_count + 1
    if rng.random() < 0.3:
        rules.append({
            "rule-type": "transformation", "rule-id": str(next_id), "rule-name": "drop-audit-column",
            "rule-target": "column", "rule-action": "remove-column",
            "object-locator": {"schema-name": schema_word, "table-name": "table_001", "column-name": "audit_blob"},
        })  # fmt: skip
        next_id += 1
    if rng.random() < 0.4:
        rules.append({
            "rule-type": "transformation", "rule-id": str(next_id), "rule-name": "lowercase-schema",
            "rule-target": "schema", "rule-action": "convert-lowercase",
            "object-locator": {"schema-name": "%"},
        })  # fmt: skip
    return {"rules": rules}, rule_count, tables


def _task_settings(rng: random.Random) -> dict[str, Any]:
    return {
        "TargetMetadata": {"SupportLobs": True, "FullLobMode": False, "LobChunkSize": 64, "LimitedSizeLobMode": True,
                           "LobMaxSize": rng.choice([32, 64, 128])},
        "FullLoadSettings": {"TargetTablePrepMode": rng.choice(["DO_NOTHING", "TRUNCATE_BEFORE_LOAD"]),
                             "MaxFullLoadSubTasks": rng.choice([8, 16])},
        "Logging": {"EnableLogging": True},
        "ErrorBehavior": {"DataErrorPolicy": rng.choice(["LOG_ERROR", "STOP_TASK"]),
                          "ApplyErrorDeletePolicy": "IGNORE_RECORD"},
        "ChangeProcessingTuning": {"BatchApplyEnabled": rng.random() < 0.3, "CommitTimeout": 1},
    }  # fmt: skip


def generate_region(
    region: str, tasks: int, *, seed: int = 8, region_index: int = 0
) -> tuple[dict[str, Any], RegionCounts]:
    """One region's estate description with ``tasks`` tasks, and its counts."""
    rng = random.Random(f"{seed}:{region}")
    octet = 30 + region_index
    instances = max(1, math.ceil(tasks / TASKS_PER_INSTANCE))
    sources = max(1, math.ceil(tasks / TASKS_PER_SOURCE_ENDPOINT))
    targets = max(1, math.ceil(tasks / TASKS_PER_TARGET_ENDPOINT))
    estate: dict[str, Any] = {
        "description": f"Synthetic DMS estate for the dms2msk benchmark: {tasks} tasks in {region}",
        "region": region,
        "vpc": {
            "cidr_block": f"10.{octet}.0.0/16",
            "subnets": [
                {"cidr_block": f"10.{octet}.{n + 1}.0/24", "availability_zone": f"{region}{zone}"}
                for n, zone in enumerate("abc")
            ],
            "security_groups": [{"name": "dms-replication", "description": "DMS replication instances"}],
        },
        "replication_subnet_groups": [{"identifier": "bench-dms", "subnets": "all"}],
        "replication_instances": [],
        "secrets": [],
        "endpoints": [],
        "tasks": [],
    }
    for number in range(instances):
        estate["replication_instances"].append({
            "identifier": f"bench-ri-{number:03d}", "instance_class": rng.choice(INSTANCE_CLASSES),
            "allocated_storage_gb": rng.choice([50, 100, 200]), "multi_az": rng.random() < 0.5,
            "subnet_group": "bench-dms", "security_groups": ["dms-replication"],
            "tags": {"team": f"team-{number % 7}", "cost-center": str(1000 + number % 13)},
        })  # fmt: skip
    source_engines: list[str] = []
    for number in range(sources):
        engine = _pick(rng, SOURCE_ENGINE_MIX)
        source_engines.append(engine)
        identifier = f"bench-src-{number:04d}"
        endpoint: dict[str, Any] = {"identifier": identifier, "type": "source", "engine": engine,
                                    "tags": {"system": f"sys-{number % 40}"}}  # fmt: skip
        if rng.random() < SECRET_SHARE:
            secret_name = f"dms/bench/{region}/{identifier}"
            estate["secrets"].append({"name": secret_name, "value": {
                "username": "dms_reader", "password": f"bench-secret-{region}-{number}",
                "host": f"{identifier}.db.internal", "port": PORTS[engine]}})  # fmt: skip
            endpoint["secret"] = secret_name
        else:
            endpoint.update(server_name=f"{identifier}.db.internal", port=PORTS[engine], username="dms_reader",
                            password=f"bench-password-{region}-{number}")  # fmt: skip
            if engine not in ("mysql", "aurora", "mariadb"):
                endpoint["database_name"] = "appdb"
        estate["endpoints"].append(endpoint)
    for number in range(targets):
        engine = _pick(rng, TARGET_ENGINE_MIX)
        identifier = f"bench-dst-{number:04d}"
        endpoint = {"identifier": identifier, "type": "target", "engine": engine}
        if engine == "kafka":
            endpoint["settings"] = {"KafkaSettings": {"Broker": f"b-1.{identifier}.kafka:9092", "Topic": "dms"}}
        else:
            endpoint.update(server_name=f"{identifier}.db.internal", port=PORTS[engine], database_name="warehouse",
                            username="dms_writer", password=f"bench-target-{region}-{number}")  # fmt: skip
        estate["endpoints"].append(endpoint)
    selection_rules = tables = 0
    for number in range(tasks):
        source_number = number % sources
        mappings, rules, table_count = _table_mappings(rng, source_engines[source_number], number)
        selection_rules += rules
        tables += table_count
        estate["tasks"].append({
            "identifier": f"bench-{region}-task-{number:04d}",
            "migration_type": _pick(rng, MIGRATION_TYPE_MIX),
            "source": f"bench-src-{source_number:04d}",
            "target": f"bench-dst-{number % targets:04d}",
            "replication_instance": f"bench-ri-{number % instances:03d}",
            "table_mappings": mappings,
            "task_settings": _task_settings(rng),
            "tags": {"pipeline": f"p-{number}", "team": f"team-{number % 7}"},
        })  # fmt: skip
    counts = RegionCounts(
        region=region,
        replication_instances=instances,
        subnet_groups=1,
        endpoints=sources + targets,
        tasks=tasks,
        secrets=len(estate["secrets"]),
        selection_rules=selection_rules,
        tables=tables,
    )
    return estate, counts


def generate(
    tasks: int = 1000, regions: tuple[str, ...] = DEFAULT_REGIONS, *, seed: int = 8
) -> list[tuple[dict[str, Any], RegionCounts]]:
    """``tasks`` tasks spread evenly over ``regions``: one description per region."""
    return [
        generate_region(region, count, seed=seed, region_index=index)
        for index, (region, count) in enumerate(zip(regions, _split(tasks, len(regions)), strict=True))
    ]
