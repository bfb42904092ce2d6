"""Per-sink knowledge lives in one place per sink kind (``dms2msk/sinks/<kind>.py``), and the rest of dms2msk asks it.

Two halves: every kind a target engine names is registered and provides what the other stages read (plugin,
catalog, overlap idempotence); and no module outside ``dms2msk/sinks`` names a sink connector class or its
plugin, so adding a sink kind touches its module and its tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dms2msk import plugins
from dms2msk.catalog import check_properties
from dms2msk.engines import TargetKind, all_engines
from dms2msk.sinks import SINK_MODULES, all_sinks, find_sink, sink_plugins

PACKAGE = Path(__file__).resolve().parents[2] / "dms2msk"
CONNECTOR_SINKS = sorted(kind for kind, cls in all_sinks().items() if cls.CONNECTOR_CLASS)


def test_every_target_kind_an_engine_names_is_a_registered_sink() -> None:
    named = {cls.TARGET_KIND for cls in all_engines().values()}
    assert named - {TargetKind.NONE} <= set(all_sinks())
    assert find_sink(TargetKind.NONE) is None  # nothing but DMS writes such a target
    assert {TargetKind.JDBC, TargetKind.KAFKA} <= set(all_sinks())


@pytest.mark.parametrize("kind", CONNECTOR_SINKS)
def test_a_sink_with_a_connector_has_a_buildable_plugin_and_catalogued_defaults(kind: TargetKind) -> None:
    sink = find_sink(kind)
    assert sink is not None and sink.PLUGIN and sink.plugin_kind in plugins.KINDS
    assert sink_plugins()[sink.PLUGIN].KIND is kind
    # The defaults are properties the Debezium catalog knows for this connector class.
    problems = check_properties(sink.CONNECTOR_CLASS or "", dict(sink.DEFAULTS), "3.6.3.Final")
    assert [p for p in problems if getattr(p, "severity", "error") == "error"] == []


def test_a_kafka_target_has_no_connector_and_no_plugin() -> None:
    sink = find_sink(TargetKind.KAFKA)
    assert sink is not None and sink.CONNECTOR_CLASS is None and sink.PLUGIN is None
    assert not sink.IDEMPOTENT_OVERLAP  # consumers see the overlap's changes twice


# --------------------------------------------------------------------------- #
# No sink connector or plugin named outside dms2msk/sinks                      #
# --------------------------------------------------------------------------- #

SINK_WORDS = frozenset(
    word for cls in all_sinks().values() for word in (cls.CONNECTOR_CLASS, cls.PLUGIN) if word is not None
)
"""Each sink kind's connector class and plugin name: what a module hard-wiring a sink would spell out."""


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _named_sinks(text: str) -> list[tuple[int, str]]:
    """``(line, word)`` of every sink connector class or plugin that a string (docstrings too) in ``text`` names."""
    return [(line, word) for line, value in _strings(ast.parse(text)) for word in SINK_WORDS if word in value]


def test_scanner_sees_a_sink_named_in_code_an_fstring_or_a_docstring() -> None:
    named = '"""Writes via io.debezium.connector.jdbc.JdbcSinkConnector."""\nx = f"{a}debezium-connector-jdbc"\n'
    assert {line for line, _word in _named_sinks(named)} == {1, 2}
    assert not _named_sinks('x = "debezium-connector-postgres"\ny = "the JDBC sink"\n')


def test_no_module_outside_the_sinks_names_a_sink_connector_or_plugin() -> None:
    assert "io.debezium.connector.jdbc.JdbcSinkConnector" in SINK_WORDS and "debezium-connector-jdbc" in SINK_WORDS
    offenders = [
        f"dms2msk/{path.relative_to(PACKAGE).as_posix()}:{line}: {word}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "sinks"
        for line, word in _named_sinks(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "per-sink knowledge belongs in dms2msk/sinks/<kind>.py:\n" + "\n".join(offenders)


def test_a_module_in_the_sinks_folder_is_all_a_new_kind_needs_to_be_registered() -> None:
    # The README's "Add a sink": no list to edit, every module but the base class's is loaded.
    modules = {path.stem for path in (PACKAGE / "sinks").glob("*.py")} - {"__init__", "sink"}
    assert set(SINK_MODULES) == modules
    defined_in = {cls.__module__.rsplit(".", 1)[1] for cls in all_sinks().values()}
    assert defined_in == modules, "each sink module defines one registered kind"
