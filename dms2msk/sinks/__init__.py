"""Per-sink knowledge: one module per kind of target on the Kafka side, one class per ``TargetKind``.

Usage::

    from dms2msk.sinks import sink_for
    sink = sink_for(find_engine("postgres"))   # a JdbcSink instance
    sink.CONNECTOR_CLASS                       # io.debezium.connector.jdbc.JdbcSinkConnector

Adding a sink: write ``sinks/<kind>.py`` with a subclass of :class:`Sink` whose ``KIND`` is its
:class:`~dms2msk.engines.TargetKind` (every module here is loaded, see :data:`SINK_MODULES`), and add
``tests/sinks/test_<kind>.py``; the target engines it writes set ``TARGET_KIND`` to that kind. Modules are
imported on first lookup, so importing this package stays cheap (and the mapper can import it).

A sink kind owns its connector class and plugin (``CONNECTOR_CLASS``, ``PLUGIN``: ``dms2msk plugins`` builds
it, the catalog checks its properties), its ``DEFAULTS``, its ``PREREQUISITES`` (the rendered README's lines
for the target), how target tables are named
(``schema_in_table_name``, ``endpoint_database`` and what :meth:`Sink.build` writes), which topics it reads
(the connector's ``reads_topics``, which the IAM policy grants), what the source must do for it
(``source_route``), how the rule findings read for it (``rule_findings``) and whether the cut-over overlap is
idempotent (``IDEMPOTENT_OVERLAP``, read by ``dms2msk plan``). A target with no registered kind
(``TargetKind.NONE``) stays on DMS. No module outside this package names a sink connector or its plugin
(``tests/sinks/test_sink_knowledge.py`` checks it).
"""

from __future__ import annotations

import pkgutil

from ..engines.engine import Engine, TargetKind
from ..lazy_modules import LazyModules
from .sink import Sink, SinkConnection, SinkRequest, registry

SINK_MODULES: tuple[str, ...] = tuple(
    sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name != "sink" and not info.ispkg)
)
"""Modules under ``dms2msk.sinks`` that define sink kinds: every module of the package but the base class's."""

_MODULES = LazyModules(__name__, SINK_MODULES)
_load_all = _MODULES.load


def all_sinks() -> dict[TargetKind, type[Sink]]:
    """Every registered sink class by kind."""
    _load_all()
    return registry()


def find_sink(kind: TargetKind) -> Sink | None:
    """The sink of ``kind``, or ``None`` when no kind is registered for it (``TargetKind.NONE``)."""
    cls = all_sinks().get(kind)
    return cls() if cls else None


def sink_for(engine: Engine | None) -> Sink | None:
    """The sink kind that writes a DMS target engine, or ``None`` (unknown engine, or nothing writes it)."""
    return find_sink(engine.TARGET_KIND) if engine is not None else None


def sink_of_connector(connector_class: str) -> Sink | None:
    """The sink kind whose connector is ``connector_class``, or ``None``."""
    return next((cls() for cls in all_sinks().values() if connector_class == cls.CONNECTOR_CLASS), None)


def sink_plugins() -> dict[str, Sink]:
    """Plugin name (``debezium-connector-<kind>``) -> the sink kind built from it, for kinds with a connector."""
    return {cls.PLUGIN: cls() for cls in all_sinks().values() if cls.PLUGIN}


__all__ = [
    "SINK_MODULES",
    "Sink",
    "SinkConnection",
    "SinkRequest",
    "all_sinks",
    "find_sink",
    "sink_for",
    "sink_of_connector",
    "sink_plugins",
]
