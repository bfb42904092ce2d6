"""Per-engine knowledge: one module per DMS engine family, one class per ``EngineName``.

Usage::

    from dms2msk.engines import get_engine
    engine = get_engine("aurora-postgresql")      # an AuroraPostgres instance
    engine.SOURCE_CONNECTOR_CLASS                 # io.debezium.connector.postgresql.PostgresConnector

Adding an engine: write ``engines/<name>.py`` with a subclass of
:class:`Engine` whose ``name`` is its :class:`EngineName`, add the module to
:data:`ENGINE_MODULES`, and add ``tests/engines/test_<name>.py``. Modules are
imported on first lookup, so importing this package stays cheap.

Everything dms2msk knows about the engine lives in that module; the mapper,
render, plan, rehearse and plugins read it through this registry and name no
engine themselves (``tests/engines/test_engine_knowledge.py`` checks both). A
source engine provides:

* ``SOURCE_CONNECTOR_CLASS``, ``SOURCE_PLUGIN_KIND`` (the plugin ZIP
  ``debezium-connector-<kind>`` that ``dms2msk plugins`` builds), ``SNAPSHOT_FAMILY``,
  ``USES_SCHEMA_HISTORY``, ``SETTINGS_OBJECTS`` and the connection, SSL and
  settings properties (``source_properties`` and the methods it calls);
* ``IDENTIFIER_STYLE``: include-list keys, quoting and topic shape of selections;
* ``source_prerequisites(facts)``: what the database must allow first, as README
  lines and ``dms2msk plan`` steps (or ``NO_PREREQUISITES_REASON``);
* ``REHEARSAL_SERVICE``: the local image of ``dms2msk rehearse`` (or ``NO_REHEARSAL_REASON``);
* ``no_primary_key_query(task)``: the SQL whose output ``plan --primary-key-report`` reads;
* ``SOURCE_DRIVER_ARTIFACTS``: JDBC drivers the Debezium archive leaves out (Oracle, Db2), which
  ``dms2msk plugins build`` adds to the ZIP; ``LOB_PROPERTIES`` and ``FIELDS_SHARED_WITH`` where they apply.

A target engine provides ``TARGET_KIND`` (the sink kind in :mod:`dms2msk.sinks` that writes it: connector,
plugin, defaults, naming) and, for a JDBC sink,
``JDBC_URL_TEMPLATE``, ``SINK_DEFAULTS``, ``TARGET_CASE``, ``SINK_DRIVER_ARTIFACTS``, ``REHEARSAL_SERVICE``
and ``TABLE_ROW_COUNT_QUERY`` (the rehearsal's sink check); otherwise
``TARGET_ALTERNATIVES``. An engine that is no source sets ``NO_SOURCE_REASON``
and ``SOURCE_ALTERNATIVES``.
"""

from __future__ import annotations

import difflib

from ..errors import InputError
from ..lazy_modules import LazyModules
from .engine import (
    Credentials,
    Engine,
    EngineContext,
    EngineName,
    IdentifierStyle,
    Notes,
    Placeholder,
    Prerequisite,
    RehearsalService,
    SourceFacts,
    TargetKind,
    registry,
)
from .versions import DebeziumVersion

ENGINE_MODULES: tuple[str, ...] = (
    "mysql",
    "mariadb",
    "postgres",
    "sqlserver",
    "oracle",
    "db2",
    "mongodb",
    "kafka",
    "sybase",
    "babelfish",
    "redshift",
    "s3",
    "kinesis",
    "dynamodb",
    "opensearch",
    "neptune",
    "redis",
    "dms_transfer",
)
"""Modules under ``dms2msk.engines`` that define engines."""

_MODULES = LazyModules(__name__, ENGINE_MODULES)
_load_all = _MODULES.load


def all_engines() -> dict[EngineName, type[Engine]]:
    """Every registered engine class by name."""
    _load_all()
    return registry()


def find_engine(name: str | None) -> Engine | None:
    """The engine for a DMS ``EngineName`` value, or ``None`` if dms2msk does not know it."""
    if not name:
        return None
    _load_all()
    try:
        key = EngineName(name.strip().lower())
    except ValueError:
        return None
    cls = registry().get(key)
    return cls() if cls else None


def find_source_engine(*, connector_class: str | None = None, style: IdentifierStyle | None = None) -> Engine | None:
    """The first registered source engine with this ``connector.class`` and/or identifier style, or ``None``.

    For callers that hold a connector config or a style rather than a DMS engine name (offline validation,
    the table-mapping compiler used on its own); relatives that share a connector share what those callers ask.
    """
    if connector_class is None and style is None:
        return None
    for cls in all_engines().values():
        if not cls.SOURCE_CONNECTOR_CLASS:
            continue
        if connector_class is not None and connector_class != cls.SOURCE_CONNECTOR_CLASS:
            continue
        if style is not None and cls.IDENTIFIER_STYLE is not style:
            continue
        return cls()
    return None


def source_connector_engines() -> dict[str, type[Engine]]:
    """Each Debezium source connector class the registry maps onto -> the first engine using it.

    The one list of source connectors: catalog extraction, offline validation and the embedded engine read it
    here rather than keeping copies.
    """
    found: dict[str, type[Engine]] = {}
    for cls in all_engines().values():
        if cls.SOURCE_CONNECTOR_CLASS:
            found.setdefault(cls.SOURCE_CONNECTOR_CLASS, cls)
    return found


def source_config_classes() -> dict[str, str]:
    """Connector class -> the class holding its ``ALL_FIELDS``, for source connectors with fields of their own.

    Debezium names that class ``<connector class>Config``. Connectors sharing another's fields
    (``FIELDS_SHARED_WITH``: MariaDB shares MySQL's) are left out: they are checked through the one they share.
    """
    return {
        connector_class: connector_class + "Config"
        for connector_class, cls in source_connector_engines().items()
        if cls.FIELDS_SHARED_WITH is None
    }


def get_engine(name: str) -> Engine:
    """Like :func:`find_engine`, but raise :class:`InputError` naming the closest known engine."""
    engine = find_engine(name)
    if engine is None:
        known = [member.value for member in EngineName]
        close = difflib.get_close_matches((name or "").lower(), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known engines: {', '.join(known)}"
        raise InputError(f"unknown DMS engine {name!r}", hint=hint)
    return engine


__all__ = [
    "ENGINE_MODULES",
    "Credentials",
    "DebeziumVersion",
    "Engine",
    "EngineContext",
    "EngineName",
    "IdentifierStyle",
    "Notes",
    "Placeholder",
    "Prerequisite",
    "RehearsalService",
    "SourceFacts",
    "TargetKind",
    "all_engines",
    "find_engine",
    "find_source_engine",
    "get_engine",
    "source_config_classes",
    "source_connector_engines",
]
