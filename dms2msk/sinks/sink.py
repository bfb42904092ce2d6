"""The :class:`Sink` base class: what dms2msk knows about one kind of target on the Kafka side.

Each kind is a subclass in its own module (``sinks/jdbc.py`` -> ``JdbcSink``), registered by its
:class:`~dms2msk.engines.TargetKind` when the class is defined. A DMS target engine names the kind that
writes it (``Engine.TARGET_KIND``); everything about that kind (connector class, plugin, defaults, how target
tables are named, which topics it reads, whether the cut-over overlap is idempotent) is written down here once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ..engines.engine import Engine, EngineContext, Notes, TargetKind
from ..model import Connector, Endpoint, Finding, SecretRef

if TYPE_CHECKING:
    from ..config import Settings
    from ..mapping.rules import ParsedMappings
    from ..mapping.selection import SelectionPlan
    from ..mapping.smt import SmtChain
    from ..mapping.task_settings import TaskSettingsMapping
    from ..mapping.transform import TransformPlan

_REGISTRY: dict[TargetKind, type[Sink]] = {}


def registry() -> dict[TargetKind, type[Sink]]:
    """Every sink class defined so far, by kind (use :func:`dms2msk.sinks.all_sinks`, which loads them all)."""
    return dict(_REGISTRY)


@dataclass(frozen=True)
class SinkRequest:
    """What the mapper resolved for one task's target: the pieces a sink kind builds its part from."""

    task_identifier: str
    key: str
    prefix: str
    settings: Settings
    notes: Notes
    source_engine: Engine
    source_ctx: EngineContext
    target_engine: Engine
    target_endpoint: Endpoint
    parsed: ParsedMappings
    selection: SelectionPlan
    mapped_settings: TaskSettingsMapping
    checked: Callable[[str, dict[str, str]], dict[str, str]]
    """Drops the properties the Debezium version's catalog rejects for a connector class (with findings)."""


@dataclass(frozen=True)
class SinkConnection:
    """How a sink connector reaches its target: the secret, the engine's context and the database the endpoint names.

    Resolved once per task (reading the endpoint's database reports what it lacks), then shared by the rule
    compiler (table naming) and :meth:`Sink.build`.
    """

    ctx: EngineContext
    secret: SecretRef
    endpoint_database: str | None


class Sink:
    """One kind of target. Subclasses set :attr:`KIND` and override what differs."""

    KIND: ClassVar[TargetKind]
    CONNECTOR_CLASS: ClassVar[str | None] = None
    """The Kafka Connect sink class, or ``None`` when the topics themselves are the target."""
    PLUGIN: ClassVar[str | None] = None
    """The plugin ZIP ``debezium-connector-<kind>`` that ``dms2msk plugins`` builds for the sink."""
    DEFAULTS: ClassVar[dict[str, str]] = {}
    """Properties every sink of this kind gets: what DMS does on such a target."""
    IDEMPOTENT_OVERLAP: ClassVar[bool] = False
    """Whether changes applied twice during the cut-over overlap (DMS and the pipeline both write) are harmless."""
    PASS_THROUGH_PREFIXES: ClassVar[tuple[str, ...]] = ()
    """Property prefixes the connector hands on to a library, which the catalog accepts without listing each key."""
    PREREQUISITES: ClassVar[tuple[str, ...]] = ()
    """What the target must have before the sink starts, as the rendered README's lines for it."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "KIND" in cls.__dict__:
            _REGISTRY[cls.KIND] = cls

    @property
    def plugin_kind(self) -> str | None:
        """The ``--connector`` kind of ``dms2msk plugins`` (the plugin name without ``debezium-connector-``)."""
        return self.PLUGIN.removeprefix("debezium-connector-") if self.PLUGIN else None

    def schema_in_table_name(self, target: Engine, endpoint_database: str | None) -> bool:
        """Whether the sink's table name format carries the schema (see :func:`compile_transformations`).

        True unless the sink writes into one database named by the endpoint: names stay schema-qualified, as DMS
        reports them (the same answer the mapper gives a target no sink writes)."""
        return True

    def endpoint_database(self, request: SinkRequest, ctx: EngineContext | None) -> str | None:
        """The database the endpoint names, where the sink writes into one; ``None`` otherwise."""
        return None

    def source_route(self, request: SinkRequest) -> tuple[SmtChain, str | None]:
        """SMTs the source needs for this kind of target, and the one topic they route every record to."""
        from ..mapping.smt import SmtChain

        return SmtChain(()), None

    def rule_findings(self, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
        """The table-mapping compiler's findings as they stand for this kind of target."""
        return findings

    def build(
        self, request: SinkRequest, transform: TransformPlan, connection: SinkConnection | None
    ) -> Connector | None:
        """The sink connector, or ``None`` for a kind without one (it then notes what carries the target)."""
        return None
