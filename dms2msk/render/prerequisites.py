"""What each source database must allow before its Debezium connector can stream.

The rendered README lists these per source, so the DMS-to-Debezium switch does not
stall on a missing grant or a binlog retention shorter than the cut-over. The text
comes from each engine module (:meth:`dms2msk.engines.Engine.source_prerequisites`),
which ``dms2msk plan`` reads as well.
"""

from __future__ import annotations

from ..engines import SourceFacts, find_engine

GENERIC_PREREQUISITES = (
    "See the Debezium documentation of this connector for the database settings and grants it needs.",
)
"""What the README says for an engine whose module lists no prerequisites."""

# The sink always runs with schema.evolution=basic (mapping.task_settings): Debezium's JDBC sink then
# creates missing tables and adds new columns (CREATE TABLE and ADD COLUMN only), as DMS creates them.
SINK_PREREQUISITES = (
    "A target table that exists has a primary key matching the source key, for upserts and deletes; a missing one "
    "is created and new source columns are added by the sink (`schema.evolution=basic`: CREATE TABLE and ADD COLUMN "
    "only, never a type change or a drop), so pre-create tables whose column types must differ from its choice.",
    "Grants for the sink user: `SELECT, INSERT, UPDATE, DELETE` on the target tables, and the right to create tables "
    "in the target schema and alter the ones it creates.",
)


def for_source(dms_engine: str) -> tuple[str, ...]:
    """The README lines for a source of DMS engine ``dms_engine`` (placeholders instead of names)."""
    engine = find_engine(dms_engine)
    prerequisites = engine.source_prerequisites(SourceFacts()) if engine is not None else ()
    return tuple(line for item in prerequisites for line in item.summary) or GENERIC_PREREQUISITES
