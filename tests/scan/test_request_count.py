"""Regression: scanning a known estate makes exactly the minimum number of API requests.

The estate has more than one page of endpoints and tasks, so it runs on the moto server whose
DMS Describe calls page with MaxRecords/Marker as AWS does (moto alone returns at most 100 tasks).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dms2msk.estate import seed_estate
from dms2msk.scan import minimum_requests, scan_with_stats

pytestmark = pytest.mark.real

REGION = "us-west-2"
INSTANCES, ENDPOINTS, TASKS, SECRETS = 3, 205, 250, 12


def known_estate() -> dict[str, Any]:
    mappings = {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all", "rule-action": "include",
                           "object-locator": {"schema-name": "app", "table-name": "%"}}]}  # fmt: skip
    endpoints = [
        {"identifier": f"ep-{i:03d}", "type": "source" if i % 2 == 0 else "target", "engine": "mysql",
         "server_name": f"db{i}.example", "port": 3306, "username": "dms", "password": f"pw-{i}"}
        for i in range(ENDPOINTS)
    ]  # fmt: skip
    for i in range(SECRETS):
        endpoints[i * 2]["secret"] = f"dms/secret-{i}"
    return {
        "region": REGION,
        "vpc": {
            "cidr_block": "10.9.0.0/16",
            "subnets": [{"cidr_block": "10.9.1.0/24", "availability_zone": "us-west-2a"}],
        },
        "replication_subnet_groups": [{"identifier": "known", "subnets": "all"}],
        "secrets": [
            {"name": f"dms/secret-{i}", "value": {"username": "u", "password": f"s-{i}"}} for i in range(SECRETS)
        ],
        "replication_instances": [
            {"identifier": f"ri-{i}", "instance_class": "dms.t3.medium", "subnet_group": "known", "tags": {"n": str(i)}}
            for i in range(INSTANCES)
        ],
        "endpoints": endpoints,
        "tasks": [
            {
                "identifier": f"task-{i:03d}",
                "migration_type": "cdc",
                "source": f"ep-{(2 * i) % ENDPOINTS:03d}",
                "target": f"ep-{(2 * i + 1) % ENDPOINTS:03d}",
                "replication_instance": f"ri-{i % INSTANCES}",
                "table_mappings": mappings,
                "tags": {"task": str(i)},
            }
            for i in range(TASKS)
        ],
    }


def test_request_count_is_the_minimum_for_a_known_estate(paginating_moto_endpoint: str) -> None:
    seed_estate(known_estate(), paginating_moto_endpoint)

    result = scan_with_stats([REGION], endpoint_url=paginating_moto_endpoint)

    region = result.inventory.regions[0]
    assert region.problems == ()
    assert (len(region.replication_instances), len(region.endpoints), len(region.tasks)) == (
        INSTANCES,
        ENDPOINTS,
        TASKS,
    )
    assert sum(1 for e in region.endpoints if e.secret is not None) == SECRETS
    assert {t.tags["task"] for t in region.tasks} == {str(i) for i in range(TASKS)}
    stats = result.stats.regions[REGION]
    # 1 instances page + 1 subnet-groups page + 3 endpoint pages + 3 task pages + 1 serverless page
    # + ceil(458 ARNs / 100) = 5 tag calls + ceil(12 secrets / 10 names) = 2 ListSecrets = 16
    assert stats.http_requests == 16
    assert stats.http_requests == minimum_requests(
        replication_instances=INSTANCES,
        subnet_groups=1,
        endpoints=ENDPOINTS,
        tasks=TASKS,
        serverless_configs=0,
        referenced_secrets=SECRETS,
    )
    assert stats.retries == 0
    assert stats.by_operation == {
        "DescribeReplicationInstances": 1,
        "DescribeReplicationSubnetGroups": 1,
        "DescribeEndpoints": 3,
        "DescribeReplicationTasks": 3,
        "DescribeReplicationConfigs": 1,
        "ListTagsForResource": 5,
        "ListSecrets": 2,
    }
    assert json.dumps(result.stats.to_json())  # the figures serialise for reports
