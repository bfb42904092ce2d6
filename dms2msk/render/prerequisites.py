"""What each source database must allow before its Debezium connector can stream (and each sink's target).

The rendered README lists these per source, so the DMS-to-Debezium switch does not
stall on a missing grant or a binlog retention shorter than the cut-over. The text
comes from each engine module (:meth:`dms2msk.engines.Engine.source_prerequisites`),
which ``dms2msk plan`` reads as well; a sink's come from its kind (``Sink.PREREQUISITES``).
"""

from __future__ import annotations

from ..engines import SourceFacts, find_engine
from ..sinks import sink_of_connector

GENERIC_PREREQUISITES = (
    "See the Debezium documentation of this connector for the database settings and grants it needs.",
)
"""What the README says for an engine whose module lists no prerequisites."""


def for_source(dms_engine: str) -> tuple[str, ...]:
    """The README lines for a source of DMS engine ``dms_engine`` (placeholders instead of names)."""
    engine = find_engine(dms_engine)
    prerequisites = engine.source_prerequisites(SourceFacts()) if engine is not None else ()
    return tuple(line for item in prerequisites for line in item.summary) or GENERIC_PREREQUISITES


def for_sink(connector_class: str) -> tuple[str, ...]:
    """The README lines for a sink connector of ``connector_class``: what its sink kind says the target needs."""
    sink = sink_of_connector(connector_class)
    return sink.PREREQUISITES if sink is not None else ()
