"""Per-engine knowledge lives in one place per engine (the engine modules), and the rest of dms2msk reads it.

Two halves: every registered source engine provides each piece the other stages read (identifier style,
prerequisites, rehearsal image, plugin kind) or says why not; and no module outside ``dms2msk/engines``
(and the catalog data) branches on a DMS engine name, so adding an engine touches one file and its tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dms2msk import plugins, rehearse
from dms2msk.engines import (
    Engine,
    EngineName,
    IdentifierStyle,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    all_engines,
    find_engine,
)
from dms2msk.mapping.selection import STYLES
from dms2msk.plan.migration import prerequisite_steps, source_facts
from dms2msk.render import prerequisites as readme_prerequisites
from dms2msk.sinks import find_sink
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task

PACKAGE = Path(__file__).resolve().parents[2] / "dms2msk"
SOURCE_ENGINES = sorted(name for name, cls in all_engines().items() if cls.SOURCE_CONNECTOR_CLASS)
FACTS = SourceFacts(user="dbz", host="db.internal", region="eu-west-1", config={}, schemas=("shop",))


def _engine(name: EngineName) -> Engine:
    engine = find_engine(name)
    assert engine is not None
    return engine


# --------------------------------------------------------------------------- #
# Every source engine provides its pieces                                     #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("name", SOURCE_ENGINES)
def test_source_engine_has_an_identifier_style_and_a_buildable_plugin(name: EngineName) -> None:
    engine = _engine(name)
    assert isinstance(engine.IDENTIFIER_STYLE, IdentifierStyle)
    assert engine.SOURCE_PLUGIN_KIND in plugins.KINDS
    # The mapper looks styles up by plugin kind; relatives sharing a kind must share the style.
    assert STYLES[engine.SOURCE_PLUGIN_KIND] is engine.IDENTIFIER_STYLE


@pytest.mark.parametrize("name", SOURCE_ENGINES)
def test_source_engine_lists_prerequisites_or_says_why_not(name: EngineName) -> None:
    engine = _engine(name)
    listed = engine.source_prerequisites(FACTS)
    reason = engine.NO_PREREQUISITES_REASON
    assert bool(listed) != bool(reason), f"{name}: give prerequisites or NO_PREREQUISITES_REASON, not both or none"
    for item in listed:
        assert isinstance(item, Prerequisite)
        assert item.summary and all(line.strip() for line in item.summary)
        if item.title is None:  # README-only items carry no plan commands
            assert not item.commands and not item.checks


@pytest.mark.parametrize("name", SOURCE_ENGINES)
def test_source_engine_has_a_rehearsal_image_or_says_why_not(name: EngineName) -> None:
    engine = _engine(name)
    service = engine.REHEARSAL_SERVICE
    assert (service is None) == bool(engine.NO_REHEARSAL_REASON), name
    if service is not None:
        assert isinstance(service, RehearsalService) and service.image and service.port > 0
        assert rehearse.service_for(name) is service


def test_plugin_kinds_are_the_registry_s() -> None:
    sources = {cls.SOURCE_PLUGIN_KIND for cls in all_engines().values() if cls.SOURCE_PLUGIN_KIND}
    # The sink kinds some target engine is written by, and that have a connector to build.
    targeted = {find_sink(cls.TARGET_KIND) for cls in all_engines().values()}
    sinks = {sink.plugin_kind for sink in targeted if sink is not None and sink.plugin_kind}
    assert sinks, "the JDBC sink writes the relational targets"
    assert set(plugins.KINDS) == sources | sinks
    assert len(plugins.KINDS) == len(set(plugins.KINDS))


def test_styles_come_only_from_source_engines() -> None:
    kinds = {cls.SOURCE_PLUGIN_KIND for cls in all_engines().values() if cls.SOURCE_PLUGIN_KIND}
    assert set(STYLES) == kinds
    assert all(cls.IDENTIFIER_STYLE is None for cls in all_engines().values() if not cls.SOURCE_CONNECTOR_CLASS)


# --------------------------------------------------------------------------- #
# Both prerequisite readers show the engine module's one list                 #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("name", [EngineName.AURORA, EngineName.POSTGRES, EngineName.MONGODB, EngineName.GCP_MYSQL])
def test_readme_and_plan_read_the_same_prerequisites(name: EngineName) -> None:
    source = endpoint("src", "source", name.value)
    target = endpoint("dst", "target", "postgres", host="tgt.internal")
    pipeline = pipeline_for(
        mapped(inventory([task("t1", source, target, [include(1, "shop", "%")])], [source, target])), "t1"
    )
    engine = _engine(name)

    readme = readme_prerequisites.for_source(name.value)
    summaries = tuple(line for item in engine.source_prerequisites(SourceFacts()) for line in item.summary)
    assert readme == (summaries or readme_prerequisites.GENERIC_PREREQUISITES)

    steps = prerequisite_steps(pipeline)
    facts = source_facts(pipeline)
    titled = [item for item in engine.source_prerequisites(facts) if item.title is not None]
    if titled:
        # The plan adds a note to each step that names a value kept in a secret: how to read it.
        assert len(steps) == len(titled)
        assert [
            (s.title, s.commands, s.checks, s.notes[: len(item.notes)]) for s, item in zip(steps, titled, strict=True)
        ] == [(item.title, item.commands, item.checks, item.notes) for item in titled]
        assert all(s.commands for s in steps) and {s.phase for s in steps} == {"source prerequisites"}
    else:  # nothing the plan can run: one step pointing at the connector's documentation
        assert len(steps) == 1 and not steps[0].commands and pipeline.source.plugin in steps[0].notes[0]


def test_aurora_prerequisites_name_the_cluster_parameter_group() -> None:
    mysql = _engine(EngineName.MYSQL).source_prerequisites(FACTS)[0].commands[0]
    aurora = _engine(EngineName.AURORA).source_prerequisites(FACTS)[0].commands[0]
    assert mysql.startswith("aws rds modify-db-parameter-group --db-parameter-group-name")
    assert aurora.startswith("aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name")
    assert "--region eu-west-1" in aurora and "db.internal" in aurora


# --------------------------------------------------------------------------- #
# No engine names outside the engine modules                                  #
# --------------------------------------------------------------------------- #

ENGINE_WORDS = frozenset(
    {member.value for member in EngineName}
    | {cls.SOURCE_PLUGIN_KIND for cls in all_engines().values() if cls.SOURCE_PLUGIN_KIND}
    | set(plugins.KINDS)
)
"""DMS engine names and Debezium plugin kinds: the literals a per-engine branch or table would use."""

EXEMPT_PACKAGES = ("engines", "catalog")
"""``dms2msk/engines`` is where engine knowledge belongs; ``dms2msk/catalog`` is data extracted per connector jar."""

ALLOWED: dict[tuple[str, str], str] = {
    ("plan/existing.py", '.get("s3")'): "the 's3' block of a custom plugin's location in Terraform state",
    ("rehearse.py", '"kafka": {'): "the compose service of the local Kafka broker",
    ("verify/engine.py", '!= "kafka"'): "Debezium's 'kafka' signal channel",
    ("verify/live.py", 'scheme in ("postgres", "postgresql")'): "URL schemes of --source-url, not DMS engine names",
    ("verify/live.py", 'scheme in ("mysql", "mariadb")'): "URL schemes of --source-url, not DMS engine names",
    ("verify/live.py", 'or "postgres"'): "PostgreSQL's default database name, for a --source-url without one",
}
"""Engine literals outside the engine modules that are not per-engine branches, or are known leaks to move."""


def _is_word(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ENGINE_WORDS


def _holds_word(node: ast.AST) -> bool:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_word(e) for e in node.elts)
    if isinstance(node, ast.Call):  # frozenset({...}), set((...))
        return any(_holds_word(a) for a in node.args)
    return False


def _engine_branch(node: ast.AST) -> bool:
    """Whether ``node`` compares with, tests for, looks up or tabulates an engine name."""
    if isinstance(node, ast.Compare):  # == "postgres", in ("aurora", "mysql"), "postgres" in name
        return any(_is_word(part) or _holds_word(part) for part in (node.left, *node.comparators))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # .startswith("aurora"), .get("mysql")
        return node.func.attr in ("startswith", "endswith", "get") and any(
            _is_word(a) or _holds_word(a) for a in node.args
        )
    if isinstance(node, ast.Dict):  # a table keyed by engine
        return any(key is not None and _is_word(key) for key in node.keys)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):  # a list of engines
        return sum(_is_word(e) for e in node.elts) >= 2
    if isinstance(node, ast.Subscript):  # STYLES["postgres"]
        return _is_word(node.slice)
    if isinstance(node, ast.BoolOp):  # kind or "postgres": an engine as the default
        return any(_is_word(value) for value in node.values)
    return False


def _engine_branches() -> dict[tuple[str, str], int]:
    """``(path, source text) -> line`` of every engine branch outside the exempt packages."""
    found: dict[tuple[str, str], int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.split("/", 1)[0] in EXEMPT_PACKAGES:
            continue
        text = path.read_text(encoding="utf-8")
        inside_a_branch: set[int] = set()  # the tuple of `x in ("a", "b")` is part of its comparison
        for node in ast.walk(ast.parse(text, filename=relative)):
            if id(node) in inside_a_branch or not _engine_branch(node):
                continue
            inside_a_branch.update(id(child) for child in ast.walk(node) if child is not node)
            segment = ast.get_source_segment(text, node) or ""
            found[(relative, segment)] = node.lineno  # type: ignore[attr-defined]
    return found


def _allowed(relative: str, segment: str) -> str | None:
    return next((why for (path, snippet), why in ALLOWED.items() if path == relative and snippet in segment), None)


def test_scanner_sees_the_branch_shapes_it_forbids() -> None:
    code = (
        'a = x == "postgres"\nb = name in ("aurora", "mysql")\nc = "postgres" in name\nd = e.startswith("aurora")\n'
        'f = {"mysql": 1}\ng = STYLES["oracle"]\nh = k in frozenset({"sqlserver"})\ni = ("db2", "mongodb")\n'
        'j = STYLES[kind or "postgres"]\n'
    )
    flagged = {node.lineno for node in ast.walk(ast.parse(code)) if _engine_branch(node)}  # type: ignore[attr-defined]
    assert flagged == set(range(1, 10))
    harmless = '"""Aurora and postgres in a docstring."""\nlog("mysql source")\nx = y == "producer"\n'
    assert not any(_engine_branch(node) for node in ast.walk(ast.parse(harmless)))


def test_no_module_outside_the_engines_branches_on_an_engine_name() -> None:
    offenders = [
        f"dms2msk/{path}:{line}: {segment.splitlines()[0][:100]}"
        for (path, segment), line in sorted(_engine_branches().items())
        if _allowed(path, segment) is None
    ]
    assert not offenders, "per-engine knowledge belongs in dms2msk/engines/<engine>.py:\n" + "\n".join(offenders)


def test_every_allowed_literal_is_still_there() -> None:
    branches = _engine_branches()
    stale = [key for key in ALLOWED if not any(p == key[0] and key[1] in s for p, s in branches)]
    assert not stale, f"remove these allow-list entries, the code no longer has them: {stale}"
