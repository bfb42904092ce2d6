"""What a source connector captures, as typed data for the stages after mapping (plan, cost, engine prerequisites).

Mapping records the capture set on the source :class:`~dms2msk.model.Connector`: ``captured_tables`` (exact names),
``selection`` (the DMS rules as written) and ``key_columns`` (define-primary-key). :func:`capture_set` turns those
into the answers consumers need (which tables by name, which whole schemas, how many patterns, does a table belong to
the selection, is it keyed by a rule), so no consumer reads an include list back. Manifests written before mapping
recorded the rules carry only the properties: :mod:`dms2msk.legacy_manifest` is the one place that reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mapping.capture import dms_rules_select
from .mapping.selection import java_compatible_match, named_object
from .model import Connector, SelectionPattern, TableKey


@dataclass(frozen=True)
class LegacyLists:
    """The include-list regexes of a manifest written before the DMS rules were recorded (Debezium matching)."""

    schema_regexes: tuple[str, ...] = ()
    table_regexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaptureSet:
    """One source connector's capture set, with each name in its original spelling and case."""

    tables: tuple[tuple[str, str], ...] = ()
    """Captured ``(schema, table)`` pairs named by exact name."""
    whole_schemas: tuple[str, ...] = ()
    """Schemas (databases) every table (collection) of which is captured: an include rule ``schema.%``."""
    patterns: int = 0
    """Include rules (or include-list entries) that name neither one table nor one whole schema."""
    includes: int = 0
    """Include rules (or include-list entries), one Debezium include-list entry each."""
    schemas: tuple[str, ...] = ()
    """Schema (database) names the selection names literally, for SQL ``IN`` lists and grants."""
    rules: tuple[SelectionPattern, ...] = ()
    key_columns: tuple[TableKey, ...] = ()
    legacy: LegacyLists | None = None
    """Set only for manifests of older versions: matching then evaluates their include regexes."""

    @property
    def named_one_by_one(self) -> bool:
        """Whether :attr:`tables` is every captured table."""
        return bool(self.tables) and not self.whole_schemas and not self.patterns

    def selects(self, schema: str, table: str) -> bool:
        """Whether the source captures ``schema.table`` (DMS's rules; Debezium's regexes for older manifests)."""
        if self.legacy is None:
            return dms_rules_select(self.rules, schema, table)
        if self.legacy.schema_regexes and not any(java_compatible_match(r, schema) for r in self.legacy.schema_regexes):
            return False
        name = f"{schema}.{table}"
        return not self.legacy.table_regexes or any(java_compatible_match(r, name) for r in self.legacy.table_regexes)

    def keyed(self, schema: str, table: str) -> bool:
        """Whether a define-primary-key rule gives ``schema.table`` its record key (``message.key.columns``)."""
        return any(key.schema == schema and key.table == table for key in self.key_columns)


def _from_rules(connector: Connector) -> CaptureSet:
    includes = [rule for rule in connector.selection if rule.action != "exclude"]
    has_excludes = len(includes) != len(connector.selection)
    tables: list[tuple[str, str]] = list(connector.captured_tables)
    whole_schemas: list[str] = []
    patterns = 0
    if not tables:
        for rule in includes:
            explicit = rule.action == "explicit"
            schema = rule.schema_name if explicit else named_object(rule.schema_name)
            table = rule.table_name if explicit else named_object(rule.table_name)
            if schema and table:
                if dms_rules_select(connector.selection, schema, table):  # else an exclude rule removes it
                    tables.append((schema, table))
            elif schema and rule.table_name == "%" and not has_excludes:  # an exclude would narrow the schema
                whole_schemas.append(schema)
            else:
                patterns += 1
    # A schema pattern without % names one schema (DMS's _ matches any one character, but such a pattern names one
    # schema in practice).
    named_schemas = {
        rule.schema_name if rule.action == "explicit" else named_object(rule.schema_name) for rule in includes
    }
    schemas = {schema for schema, _table in connector.captured_tables} or {name for name in named_schemas if name}
    return CaptureSet(
        tables=tuple(dict.fromkeys(tables)),
        whole_schemas=tuple(dict.fromkeys(whole_schemas)),
        patterns=patterns,
        includes=len(includes),
        schemas=tuple(sorted(schemas)),
        rules=connector.selection,
        key_columns=key_columns(connector),
    )


def capture_set(connector: Connector) -> CaptureSet:
    """The capture set of a source connector, from its typed fields (or, for older manifests, its properties)."""
    if connector.selection:
        return _from_rules(connector)
    from .legacy_manifest import legacy_capture_set

    return legacy_capture_set(connector.config)


def key_columns(connector: Connector) -> tuple[TableKey, ...]:
    """The define-primary-key columns by table (from ``message.key.columns`` for older manifests)."""
    if connector.key_columns is not None:
        return connector.key_columns
    from .legacy_manifest import legacy_capture_set

    return legacy_capture_set(connector.config).key_columns
