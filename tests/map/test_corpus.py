"""Every real-world mapping in ../shared/corpus parses, compiles or is reported by name; nothing raises.

The corpus is read in place (its licences are listed in its SOURCES.md); CI has it as a sibling of the clone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection
from dms2msk.mapping.transform import compile_transformations
from dms2msk.model import Severity
from tests.support.corpus import corpus_files, require_corpus

MAPPINGS = corpus_files("mappings", "*.json")
MALFORMED = corpus_files("malformed", "*.txt")


def _compile_all(text: str, task: str) -> list:
    parsed = parse_table_mappings(text, task=task)
    findings = list(parsed.findings)
    for style_name, version, in_name in (("postgres", "3.6.3.Final", True), ("mysql", "2.7.3.Final", False)):
        style = STYLES[style_name]
        selection = compile_selection(
            parsed.selections, style=style, task=task, topic_prefix=task, scripting_smt_enabled=True
        )
        plan = compile_transformations(
            parsed.transformations,
            selection,
            style=style,
            debezium_version=version,
            task=task,
            topic_prefix=task,
            table_settings=parsed.table_settings,
            schema_in_table_name=in_name,
        )
        findings += [*selection.findings, *plan.findings]
        # Every value is a string: connector configs are dict[str, str].
        for props in (selection.source_properties, plan.source_properties, plan.sink_properties_all):
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in props.items())
    return [parsed, findings]


def test_corpus_is_there() -> None:
    require_corpus()
    assert len(MAPPINGS) >= 40 and len(MALFORMED) >= 10


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_mapping_parses_and_every_rule_is_compiled_or_reported(path: Path) -> None:
    require_corpus()
    text = path.read_text(encoding="utf-8")
    parsed, findings = _compile_all(text, task=path.name)
    assert parsed.valid
    document = json.loads(text)
    raw_rules = document["rules"] if isinstance(document, dict) else document
    kept = {r.position for r in (*parsed.selections, *parsed.transformations, *parsed.table_settings, *parsed.others)}
    reported = {f.where for f in findings if f.where}
    for position, _rule in enumerate(raw_rules):
        assert position in kept or any(w.startswith(f"TableMappings rules[{position}]") for w in reported), position
    # Every rule that was kept has at least one statement about what it became.
    rule_ids = {f.rule_id for f in findings}
    for rule in (*parsed.selections, *parsed.transformations, *parsed.table_settings, *parsed.others):
        assert rule.rule_id in rule_ids, rule
    assert all(f.task == path.name for f in findings)


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_malformed_document_is_a_blocker_with_its_position(path: Path) -> None:
    require_corpus()
    parsed, findings = _compile_all(path.read_text(encoding="utf-8"), task=path.name)
    assert not parsed.valid
    invalid = [f for f in findings if f.code == "table-mappings.invalid-json"]
    assert len(invalid) == 1 and invalid[0].severity is Severity.BLOCKER
    assert invalid[0].task == path.name
    assert invalid[0].where is not None and invalid[0].where.startswith("TableMappings line ")
