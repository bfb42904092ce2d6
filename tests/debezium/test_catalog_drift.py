"""The checked-in 3.6.3 catalog equals what the real jars' ConfigDefs say today."""

from __future__ import annotations

import json

import pytest

from dms2msk.catalog.extract import catalog_path, extract


@pytest.mark.real
def test_catalog_matches_the_jars(jvm: None) -> None:
    fresh = extract()
    checked_in = json.loads(catalog_path(fresh["debezium_version"]).read_text(encoding="utf-8"))
    assert fresh["debezium_version"] == "3.6.3.Final"
    # Compare section by section so a failure names what drifted.
    for section in ("framework", "connectors", "transforms", "predicates"):
        assert fresh[section] == checked_in[section], f"{section} drifted; run python -m dms2msk.catalog.extract"
