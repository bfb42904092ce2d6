"""The execution role's topic permissions: every topic a connector uses, and no broader prefix than needed."""

from __future__ import annotations

import fnmatch

import pytest

from dms2msk.config import Settings
from dms2msk.mapping import map_inventory
from dms2msk.render import _iam_topics, _regex_literal_prefix
from tests.support.mapping import estate_inventory


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"shop\-orders\-to\-analytics\..+", ("shop-orders-to-analytics.", False)),
        (r"sales\.orders", ("sales.orders", True)),
        (r"ab?c", ("a", False)),  # the optional b is not part of every match
        (r"abc{2}", ("ab", False)),
        (r"a|b", ("", False)),  # no prefix common to both branches
        (r"(?i)shop\..*", ("", False)),
        (r"x\d+", ("x", False)),
        (r"a[bc]d", ("a", False)),
    ],
)
def test_regex_literal_prefix(regex: str, expected: tuple[str, bool]) -> None:
    assert _regex_literal_prefix(regex) == expected


def test_source_topics_are_scoped_to_the_pipelines_prefix() -> None:
    result = map_inventory(estate_inventory(), Settings())
    for pipeline in result.pipelines:
        topics = _iam_topics(pipeline, pipeline.source)
        prefix = pipeline.topic_prefix
        # Everything the source writes starts with its own topic prefix (data, schema history) or is its heartbeat.
        assert all(t.startswith((prefix, f"__debezium-heartbeat.{prefix}")) for t in topics), topics
        assert f"{prefix}.*" in topics
        for table in pipeline.source.config["table.include.list"].split(","):
            schema_table = table.replace("\\.", ".").replace(".*", "x").replace("\\", "")
            topic = f"{prefix}.{schema_table}"
            assert any(fnmatch.fnmatchcase(topic, pattern) for pattern in topics), (topic, topics)
