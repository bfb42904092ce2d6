"""How the selection compiler scales with the number of wildcard rules in one task (issue 12 item 14).

One PostgreSQL → PostgreSQL task whose table mapping has N selection rules, half wildcard includes
(``app_<i>.orders%``) and half wildcard excludes (``app_<i>.orders_tmp%``), as a large estate's
generated mappings look. It maps the task with ``dms2msk.mapping.map_inventory`` (what ``advise`` and
``render`` run) and reports the wall time, the peak Python memory (``tracemalloc``) and the size of
the ``table.include.list`` written::

    .venv/bin/python -m benchmarks.selection_rules --rules 1000 --rules 10000

Figures, not assertions: the test suite does not time this.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.model import Endpoint, Inventory, RegionInventory, ReplicationTask

REGION = "us-east-1"
ACCOUNT = "111111111111"


def _endpoint(identifier: str, role: str) -> Endpoint:
    return Endpoint(
        arn=f"arn:aws:dms:{REGION}:{ACCOUNT}:endpoint:{identifier}",
        identifier=identifier,
        endpoint_type=role,
        engine="postgres",
        server_name=f"{identifier}.internal",
        port=5432,
        database_name="app",
        username="dms_user",
    )


def _rules(count: int) -> list[dict[str, Any]]:
    rules = []
    for index in range(count):
        schema = f"app_{index // 2}"
        exclude = index % 2 == 1
        rules.append(
            {
                "rule-type": "selection",
                "rule-id": str(index + 1),
                "rule-name": f"r{index + 1}",
                "object-locator": {"schema-name": schema, "table-name": "orders_tmp%" if exclude else "orders%"},
                "rule-action": "exclude" if exclude else "include",
            }
        )
    return rules


def _column_rules(count: int) -> list[dict[str, Any]]:
    """``count`` column rules after one ``%.%`` include: half include-column, half remove-column."""
    rules: list[dict[str, Any]] = [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "all",
            "object-locator": {"schema-name": "app", "table-name": "%"},
            "rule-action": "include",
        }
    ]
    for index in range(count):
        remove = index % 2 == 1
        rules.append(
            {
                "rule-type": "transformation",
                "rule-id": str(index + 2),
                "rule-name": f"c{index + 2}",
                "rule-target": "column",
                "object-locator": {
                    "schema-name": "app",
                    "table-name": f"orders_{index // 2}",
                    "column-name": "tmp%" if remove else "%",
                },
                "rule-action": "remove-column" if remove else "include-column",
            }
        )
    return rules


def estate(rule_count: int, *, column_rules: bool = False) -> Inventory:
    source, target = _endpoint("src", "source"), _endpoint("tgt", "target")
    task = ReplicationTask(
        arn=f"arn:aws:dms:{REGION}:{ACCOUNT}:task:many-rules",
        identifier="many-rules",
        migration_type="full-load-and-cdc",
        source_endpoint_arn=source.arn,
        target_endpoint_arn=target.arn,
        table_mappings=json.dumps({"rules": _column_rules(rule_count) if column_rules else _rules(rule_count)}),
    )
    region = RegionInventory(region=REGION, account_id=ACCOUNT, endpoints=(source, target), tasks=(task,))
    return Inventory(scanned_at="2026-01-01T00:00:00Z", regions=(region,))


def measure(rule_count: int, *, column_rules: bool = False) -> dict[str, Any]:
    inventory = estate(rule_count, column_rules=column_rules)
    tracemalloc.start()
    started = time.perf_counter()
    result = map_inventory(inventory, Settings())
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    config = result.pipelines[0].source.config if result.pipelines else {}
    return {
        "rules": rule_count,
        "map_seconds": round(seconds, 3),
        "peak_python_mb": round(peak / 2**20, 1),
        "table_include_list_bytes": len(config.get("table.include.list", "")),
        "schema_include_list_bytes": len(config.get("schema.include.list", "")),
        "column_include_list_bytes": len(config.get("column.include.list", "")),
        "findings": len(result.findings) if hasattr(result, "findings") else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, action="append", help="selection rules in the task (repeatable)")
    parser.add_argument(
        "--column-rules",
        action="store_true",
        help="column rules instead: half include-column, half remove-column (one table each)",
    )
    args = parser.parse_args(argv)
    for count in args.rules or [1000]:
        print(json.dumps(measure(count, column_rules=args.column_rules)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
