"""Finding codes live in one registry (dms2msk/findings.py); rule findings carry the rule as fields.

The registry check reads the package's source: every string a producer passes as a finding code, and every
string a consumer compares a finding's ``code`` with, must be a registered code (or a registered prefix).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dms2msk
from dms2msk.advise import build_advice
from dms2msk.findings import FindingCode, finding_text, is_registered, rule_subject
from dms2msk.mapping import map_inventory
from dms2msk.mapping.rules import OTHER_RULE_TYPES
from dms2msk.model import Finding, Inventory, Severity
from tests.debezium.estate import SETTINGS_3X, endpoint, include, inventory, task, transform

PACKAGE = Path(dms2msk.__file__).parent
_SEVERITY_METHODS = {"info", "warning", "blocker"}
_ADD_METHODS = {"add", "_finding"}


def _text(node: ast.AST | None) -> list[str]:
    """The string constants an expression names (a literal, or the members of a tuple/set/list/frozenset)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.Set | ast.List):
        return [text for element in node.elts for text in _text(element)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset" and node.args:
        return _text(node.args[0])
    return []


def _is_logger(func: ast.AST) -> bool:
    """``log.warning("%s ...")`` is logging, not a finding."""
    receiver = getattr(func, "value", None)
    return isinstance(receiver, ast.Name) and "log" in receiver.id.lower()


def _is_code_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "code"


def code_literals(source: str) -> list[tuple[int, str, bool]]:
    """(line, text, is_prefix) for every finding-code literal a module produces or compares with."""
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in _SEVERITY_METHODS and len(node.args) >= 2 and not _is_logger(node.func):
                found += [(node.lineno, text, False) for text in _text(node.args[0])]
            elif name in _ADD_METHODS and len(node.args) >= 3 and not isinstance(node.args[0], ast.Constant):
                found += [(node.lineno, text, False) for text in _text(node.args[1])]
            elif name == "startswith" and _is_code_attribute(node.func.value):  # type: ignore[attr-defined]
                found += [(node.lineno, text, True) for arg in node.args for text in _text(arg)]
            found += [
                (node.lineno, text, False) for kw in node.keywords if kw.arg == "code" for text in _text(kw.value)
            ]
        elif isinstance(node, ast.Compare) and _is_code_attribute(node.left):
            found += [(node.lineno, text, False) for comparator in node.comparators for text in _text(comparator)]
        elif isinstance(node, ast.Assign) and any(
            (isinstance(t, ast.Name) and t.id.endswith("_CODES") and "FINDING" in t.id.upper()) or _finding_set(t)
            for t in node.targets
        ):
            found += [(node.lineno, text, False) for text in _text(node.value)]
    return found


def _finding_set(target: ast.AST) -> bool:
    """Module-level sets of finding codes (``TARGET_NAMING_CODES``, ``_SINK_SIDE_CODES``, ...); AWS error-code
    sets (``DENIED_CODES``) are not finding codes."""
    return isinstance(target, ast.Name) and target.id.lstrip("_") in {
        "TARGET_NAMING_CODES",
        "SINK_ONLY_CODES",
        "SINK_SIDE_CODES",
    }


def _unregistered(source: str) -> list[str]:
    problems = []
    for line, text, is_prefix in code_literals(source):
        ok = any(code.startswith(text) for code in FindingCode) if is_prefix else is_registered(text)
        if not ok:
            problems.append(f"line {line}: {text!r}")
    return problems


def test_every_finding_code_literal_in_the_package_is_registered() -> None:
    problems = []
    checked = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "findings.py" or "catalog" in path.relative_to(PACKAGE).parts:
            continue  # the registry itself; the catalog's problem codes become catalog.<code> findings
        source = path.read_text(encoding="utf-8")
        checked += len(code_literals(source))
        problems += [f"{path.relative_to(PACKAGE)} {p}" for p in _unregistered(source)]
    assert checked > 100  # the scan sees the producers (a broken scan would pass with nothing to check)
    assert not problems, "finding codes missing from dms2msk/findings.py:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        'notes.warning("transformation.no-such-code", "text")',
        'ctx.notes.blocker("endpoint.no-such-code", "text")',
        'notes.add(Severity.INFO, "transformation.no-such-code", "text", rule)',
        'Finding(severity=Severity.INFO, code="no-such.code", message="m")',
        'if finding.code in ("transformation.schema", "no-such.code"): pass',
        'if f.code.startswith(("no-such.",)): pass',
    ],
)
def test_the_registry_check_finds_an_unregistered_code(source: str) -> None:
    assert _unregistered(source)


def test_the_codes_built_at_run_time_are_registered() -> None:
    assert all(is_registered(f"table-mappings.{rule_type}") for rule_type in OTHER_RULE_TYPES)
    from dms2msk.engines import all_engines

    kinds = {getattr(e, "SOURCE_PLUGIN_KIND", None) for e in all_engines().values()} - {None, ""}
    assert kinds and all(is_registered(f"endpoint.{kind}.database-name.missing") for kind in kinds)


def test_every_code_has_a_severity_and_a_meaning() -> None:
    for code in FindingCode:
        assert code.severity in {"info", "warning", "blocker", "varies"}, code
        assert code.meaning.strip(), code
        assert code == code.value and f"{code}" == code.value  # the code's text is its value everywhere


def _mapped_findings() -> tuple[list[Finding], Inventory]:
    source = endpoint("src", "source", "postgres")
    target = endpoint("tgt", "target", "postgres")
    rules = [
        include(1, "shop", "orders"),
        transform(2, "table", "rename", value="sales", schema="shop", table="orders"),
    ]
    rules[1]["rule-name"] = "rename-orders"
    inv = inventory([task("t1", source, target, rules)], [source, target])
    return list(map_inventory(inv, SETTINGS_3X).findings), inv


def test_a_rule_finding_carries_the_rule_and_region_as_fields_not_in_its_message() -> None:
    findings, _inv = _mapped_findings()
    renamed = [f for f in findings if f.code == FindingCode.TRANSFORMATION_TABLE_NAME and f.rule_id == "2"]
    assert renamed, [(f.code, f.rule_id) for f in findings]
    finding = renamed[0]
    assert (finding.rule_id, finding.rule_name, finding.region, finding.task) == (
        "2",
        "rename-orders",
        "us-east-1",
        "t1",
    )
    assert not finding.message.startswith("rule ")
    assert rule_subject(finding) == "rule 2 (rename-orders)"
    assert finding_text(finding) == f"rule 2 (rename-orders): {finding.message}"
    selection = [f for f in findings if f.rule_id == "1"]
    assert selection and all(not f.message.startswith("rule ") for f in selection)


def test_advise_composes_the_rule_subject_from_the_fields() -> None:
    _findings, inv = _mapped_findings()
    (advice,) = build_advice(inv, SETTINGS_3X).tasks
    entries = [e for e in advice.entries if e.code == FindingCode.TRANSFORMATION_TABLE_NAME and e.kind == "rule"]
    assert entries and entries[0].subject == "rule 2 (rename-orders)"
    assert entries[0].message.startswith("rename of tables shop.orders became")


def test_a_finding_about_no_rule_is_its_message() -> None:
    finding = Finding(Severity.INFO, FindingCode.SELECTION_EMPTY, "no selection rule selects a table")
    assert rule_subject(finding) is None
    assert finding_text(finding) == "no selection rule selects a table"
