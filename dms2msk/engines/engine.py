"""The :class:`Engine` base class: what dms2msk knows about one DMS ``EngineName``.

Each engine is a subclass in its own module (``engines/postgres.py`` →
``Postgres``), registered by its :class:`EngineName` when the class is defined.
Relatives subclass each other (``AuroraPostgres(Postgres)``), so only the
differences are written down, as class tables with a docstring under each.

An engine answers these questions for the mapper and the reports:

* as a **source**: which Debezium connector, which connection properties, and
  which of its DMS settings objects carry over (:meth:`Engine.source_properties`);
* as a **target**: which JDBC-sink ``connection.url`` and dialect options
  (:meth:`Engine.sink_properties`), or why there is no sink (:attr:`Engine.TARGET_KIND`);
* how its Debezium topics and fully-qualified names look (:meth:`Engine.topic_name`,
  :attr:`Engine.IDENTIFIER_STYLE` for include lists);
* what the source database must allow first (:meth:`Engine.source_prerequisites`, read by
  the rendered README and by ``dms2msk plan``), and which local image rehearses it
  (:attr:`Engine.REHEARSAL_SERVICE`, :attr:`Engine.TABLE_ROW_COUNT_QUERY`);
* which JDBC driver jars the plugin ZIPs must add because Debezium's archive leaves them
  out (:attr:`Engine.SOURCE_DRIVER_ARTIFACTS`, :attr:`Engine.SINK_DRIVER_ARTIFACTS`).

Engines never raise on odd endpoint settings: they add a :class:`~dms2msk.model.Finding`
through :class:`Notes` and go on.
"""

from __future__ import annotations

import enum
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..config import Settings
from ..findings import Notes
from ..model import Endpoint
from .versions import DebeziumVersion

_TOPIC_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_TOPIC_MAX = 249


def topic_part(name: str) -> str:
    """One name as it appears in a Debezium topic: every other character (per UTF-16 unit) becomes ``_``.

    Mirrors ``io.debezium.schema.AbstractTopicNamingStrategy.sanitizedTopicName`` (isValidCharacter and the
    default replacement); tests/debezium/test_topic_naming.py proves it against the 3.6.3 jar.
    """
    # Java walks UTF-16 units: a character outside the BMP is two units, so two replacements.
    return "".join(c if c in _TOPIC_CHARS else "_" * (2 if ord(c) > 0xFFFF else 1) for c in name)


def debezium_topic(*parts: str | None) -> str:
    """The data topic Debezium's default topic naming gives ``prefix, [database,] schema, table``."""
    # Parts that Java's trim() leaves empty (only characters up to U+0020) are left out, as Strings.isNullOrBlank.
    topic = topic_part(".".join(p for p in parts if p and any(ord(c) > 0x20 for c in p)))
    if len(topic) > _TOPIC_MAX:
        return topic[:_TOPIC_MAX]
    return {".": "_", "..": "__"}.get(topic, topic)


RESELECT_UNAVAILABLE_VALUES: dict[str, str] = {
    "post.processors": "reselector",
    "reselector.type": "io.debezium.processors.reselect.ReselectColumnsPostProcessor",
    "reselector.reselect.unavailable.values": "true",
    # NULLs are real values in DMS too, so they are not reselected.
    "reselector.reselect.null.values": "false",
}
"""Debezium's reselect post processor (2.5+, in the 3.6.3 jars): a column the change event carries only as
``unavailable.value.placeholder`` (PostgreSQL TOAST, Oracle LOB/XML values an UPDATE left alone) is read back from
the table by the record key before the event leaves the connector, so the sink never writes the placeholder over the
real value, which DMS keeps."""


class EngineName(enum.StrEnum):
    """DMS ``EngineName`` values (botocore ``CreateEndpointMessage.EngineName``)."""

    MYSQL = "mysql"
    ORACLE = "oracle"
    POSTGRES = "postgres"
    MARIADB = "mariadb"
    AURORA = "aurora"
    AURORA_POSTGRESQL = "aurora-postgresql"
    OPENSEARCH = "opensearch"
    REDSHIFT = "redshift"
    S3 = "s3"
    DB2 = "db2"
    DB2_ZOS = "db2-zos"
    AZUREDB = "azuredb"
    SYBASE = "sybase"
    DYNAMODB = "dynamodb"
    MONGODB = "mongodb"
    KINESIS = "kinesis"
    KAFKA = "kafka"
    ELASTICSEARCH = "elasticsearch"
    DOCDB = "docdb"
    SQLSERVER = "sqlserver"
    NEPTUNE = "neptune"
    BABELFISH = "babelfish"
    REDSHIFT_SERVERLESS = "redshift-serverless"
    AURORA_SERVERLESS = "aurora-serverless"
    AURORA_POSTGRESQL_SERVERLESS = "aurora-postgresql-serverless"
    GCP_MYSQL = "gcp-mysql"
    AZURE_SQL_MANAGED_INSTANCE = "azure-sql-managed-instance"
    REDIS = "redis"
    DMS_TRANSFER = "dms-transfer"


class TargetKind(enum.StrEnum):
    """What a DMS target becomes on the Kafka side: each kind but ``NONE`` is a module of :mod:`dms2msk.sinks`."""

    JDBC = "jdbc"  # a Debezium JDBC sink connector
    KAFKA = "kafka"  # the topics are the target: no sink connector
    NONE = "none"  # no Debezium sink: a finding names the alternatives


PLAIN_URL_PART = re.compile(r"[A-Za-z0-9_.-]+")
"""A name that means the same in every JDBC URL: no separator (``/ ? & ; : @``), quote, space or ``$``."""

URL_SEPARATORS = re.compile(r"[/?&;:@#={}\[\]\\$'\"%+\x00-\x1f\x7f]")
"""Characters that end or add a part of a JDBC URL (or a config-provider reference) when written unescaped."""

HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?"
    r"|\[[0-9A-Fa-f:.]+\]"
)
"""A DNS name (``_`` allowed, as container and internal names use it), IPv4 address or bracketed IPv6
address: all a JDBC URL's host may be."""

INVALID_HOST = "invalid-server-name.invalid"
"""Written instead of a refused ServerName: the ``.invalid`` top-level domain never resolves (RFC 2606)."""


@dataclass(frozen=True)
class Credentials:
    """Config-provider references (or literals) a connector uses to reach a database.

    ``username``/``password`` are always ``${secretsmanager:...}`` references;
    ``host``/``port`` are literals from the endpoint, or references into a DMS
    secret (which holds ``host`` and ``port``) when the endpoint has none.
    """

    username: str
    password: str
    host: str | None
    port: str | None


@dataclass
class EngineContext:
    """Everything an engine needs to write its part of one connector config."""

    endpoint: Endpoint
    settings: Settings
    version: DebeziumVersion
    credentials: Credentials
    notes: Notes
    pipeline_key: str = ""
    topic_prefix: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"endpoint {self.endpoint.identifier}"


def checked_host(endpoint: Endpoint, notes: Notes) -> str | None:
    """The endpoint's ServerName when it is a host name or address; a refused one becomes :data:`INVALID_HOST`.

    Connectors put the host into JDBC URLs (Debezium builds its own from ``database.hostname``), where a
    ``/``, ``?``, ``;`` or ``&`` in it would add connection parameters.
    """
    host = endpoint.server_name
    if host is None or HOST_NAME.fullmatch(host):
        return host
    notes.blocker(
        "endpoint.server-name.invalid",
        f"ServerName {host!r} of endpoint {endpoint.identifier} is not a host name or IP address",
        hint="set the endpoint's ServerName to the database host and scan again",
        where=f"endpoint {endpoint.identifier} ServerName",
    )
    return INVALID_HOST


@dataclass(frozen=True)
class IdentifierStyle:
    """How one Debezium source connector names and filters tables (each source engine sets one)."""

    name: str
    schema_list_key: str | None = "schema.include.list"  # None: the connector has no schema-level list
    table_list_key: str = "table.include.list"
    column_include_key: str | None = "column.include.list"  # None: the connector has no column include list
    column_exclude_key: str = "column.exclude.list"
    column_lists_literal: bool = False  # MongoDB: exact db.collection.field names, not regexes
    identifier_quote: str = '"'  # for snapshot SELECT overrides
    source_schema_field: str = "schema"  # field of the envelope's ``source`` block that names the DMS schema
    topic_parts_before_schema: int = 0  # SQL Server topics carry the database: <prefix>.<db>.<schema>.<table>


class Placeholder(str):
    """Text the user replaces before running a command (``<connector user>``): printed as it is, never quoted."""

    # Folding case (Oracle and Db2 store plain login names upper-cased) would turn the placeholder into text that
    # reads like a name (``<THE USER IN ...>``): a placeholder has no case, so every case method keeps it.
    def upper(self) -> Placeholder:
        return self

    def lower(self) -> Placeholder:
        return self

    def casefold(self) -> Placeholder:
        return self

    def title(self) -> Placeholder:
        return self

    def capitalize(self) -> Placeholder:
        return self

    def swapcase(self) -> Placeholder:
        return self

    @property
    def meaning(self) -> str:
        """What the user fills in, without the angle brackets (``the host in secret X``)."""
        return self[1:-1] if self.startswith("<") and self.endswith(">") else str(self)


def placeholder_of(what: str, value: str) -> Placeholder:
    """``<what value>``, e.g. ``<parameter group of db.example>``; a placeholder value is not nested in brackets."""
    return Placeholder(f"<{what} {value.meaning if isinstance(value, Placeholder) else value}>")


@dataclass(frozen=True)
class SourceFacts:
    """What prerequisite commands name about one source; the defaults are placeholders for generic text."""

    user: str = Placeholder("<connector user>")
    host: str = Placeholder("<source host>")
    region: str = "<region>"
    config: Mapping[str, str] = field(default_factory=dict)
    """The source connector's config (slot, publication and database names; captured names come typed below)."""
    schemas: tuple[str, ...] = ()
    """Literal schema (or database) names the source captures."""
    tables: tuple[tuple[str, str], ...] = ()
    """Every captured ``(schema, table)`` by exact name (the source connector's ``captured_tables``); ``()``
    when a rule is a pattern, and the commands then show a placeholder."""
    named_tables: tuple[tuple[str, str], ...] = ()
    """The captured tables rules name exactly, also when other rules are patterns (``tables`` is then ``()``)."""
    whole_schemas: tuple[str, ...] = ()
    """Schemas (databases) every table (collection) of which is captured (an include rule ``schema.%``)."""
    patterns: bool = False
    """Whether a rule names neither one table nor one whole schema (commands then add a placeholder)."""


@dataclass(frozen=True)
class Prerequisite:
    """One thing a source database must allow before its connector can stream.

    The rendered README lists the :attr:`summary` lines; ``dms2msk plan`` turns each prerequisite with a
    :attr:`title` into a step with its commands and checks (one without a title is for the README only).
    """

    summary: tuple[str, ...]
    title: str | None = None
    commands: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RehearsalService:
    """A docker image for one engine in the local rehearsal, and how it is told to keep a change log."""

    image: str
    port: int
    environment: dict[str, str]
    command: tuple[str, ...] = ()
    user: str = "dms2msk"  # a user the image creates (deploy.sh's default)
    database_env: str = ""  # environment variable with which the image creates a database, if it has one
    note: str = ""
    client: str = ""  # shell command (inside the container) that runs SQL from stdin
    privileged: bool = False  # the container needs --privileged (Db2)


@dataclass(frozen=True)
class MavenCoordinate:
    """A jar on Maven Central, by ``group:artifact:version``."""

    group: str
    artifact: str
    version: str

    @property
    def jar_name(self) -> str:
        return f"{self.artifact}-{self.version}.jar"

    def __str__(self) -> str:
        return f"{self.group}:{self.artifact}:{self.version}"


def driver_sentence(drivers: tuple[MavenCoordinate, ...], plugin: str) -> str:
    """What ``dms2msk plugins build`` adds to ``plugin``'s ZIP, for findings and READMEs."""
    jars = ", ".join(f"{d.jar_name} ({d})" for d in drivers)
    return f"`dms2msk plugins build` adds {jars} from Maven Central to the {plugin} ZIP"


_REGISTRY: dict[EngineName, type[Engine]] = {}


class Engine:
    """Base of every engine. Subclasses set :attr:`name` and override the tables below."""

    name: ClassVar[EngineName | None] = None
    """The DMS ``EngineName`` this class handles; set by each concrete subclass."""

    DISPLAY_NAME: ClassVar[str] = ""

    SOURCE_CONNECTOR_CLASS: ClassVar[str | None] = None
    """Debezium ``connector.class`` when this engine is a source; ``None`` when Debezium has no connector."""

    SOURCE_PLUGIN_KIND: ClassVar[str | None] = None
    """Plugin key suffix: the connector ships in ``debezium-connector-<kind>``."""

    NO_SOURCE_REASON: ClassVar[str] = "Debezium has no source connector for this engine"
    """Why the engine cannot be a source (used when :attr:`SOURCE_CONNECTOR_CLASS` is ``None``)."""

    SOURCE_ALTERNATIVES: ClassVar[str] = "keep this task on DMS, or write to Kafka with a DMS Kafka target endpoint"
    """What the user can do instead when there is no source connector."""

    SNAPSHOT_FAMILY: ClassVar[str] = ""

    OWN_DRIVER_PROPERTIES: ClassVar[tuple[str, ...]] = ()
    """Driver pass-through keys the engine writes itself: the catalog check does not ask whether they are typos."""
    """Key into :data:`~dms2msk.engines.versions.SNAPSHOT_MODES`."""

    USES_SCHEMA_HISTORY: ClassVar[bool] = False
    """Whether the connector keeps a schema-history topic (binlog, SQL Server, Oracle, Db2)."""

    SETTINGS_OBJECTS: ClassVar[tuple[str, ...]] = ()
    """Names of the endpoint settings objects to read, first non-empty wins."""

    DEFAULT_PORT: ClassVar[int | None] = None

    IDENTIFIER_STYLE: ClassVar[IdentifierStyle | None] = None
    """How the source connector names and filters tables; ``None`` when the engine is no source."""

    NO_PREREQUISITES_REASON: ClassVar[str | None] = None
    """Why :meth:`source_prerequisites` lists nothing for a source engine (readers then point at the Debezium docs)."""

    REHEARSAL_SERVICE: ClassVar[RehearsalService | None] = None
    """The local Docker image ``dms2msk rehearse`` runs for this engine; ``None``: see :attr:`NO_REHEARSAL_REASON`."""

    NO_REHEARSAL_REASON: ClassVar[str | None] = None
    """Why a source engine has no :attr:`REHEARSAL_SERVICE`."""

    TABLE_ROW_COUNT_QUERY: ClassVar[str | None] = None
    """SQL listing the user tables (and row counts where the catalog keeps them), run by the rehearsal's check script
    on a target of this engine; ``None``: the check script points at the database's own client."""

    SSL_MODE_PROPERTY: ClassVar[str | None] = None
    """Source property that takes the endpoint's ``SslMode``."""

    SSL_MODES: ClassVar[dict[str, str]] = {}
    """DMS ``SslMode`` (none, require, verify-ca, verify-full) → value of :attr:`SSL_MODE_PROPERTY`."""

    SOURCE_DEFAULTS: ClassVar[dict[str, str]] = {}
    """Properties every source config of this engine gets."""

    CDC_TRUNCATE_REPLICATED: ClassVar[bool] = True
    """Whether DMS applies a source TRUNCATE to the target during CDC (``HandleSourceTableTruncated``); False where
    the DMS User Guide's limitations for this source say it does not, so the pipeline must not either."""

    LOB_PROPERTIES: ClassVar[dict[str, str]] = {}
    """Source properties that turn on LOB values (DMS ``SupportLobs``, or a table-settings ``lob-settings`` rule whose
    mode is not ``none``); empty: the connector streams LOBs natively."""

    FIELDS_SHARED_WITH: ClassVar[str | None] = None
    """Connector class whose configuration fields this source connector shares (MariaDB's binlog fields are the
    MySQL connector's): offline validation checks through it when this connector's own jar is not at hand."""

    TARGET_KIND: ClassVar[TargetKind] = TargetKind.NONE
    JDBC_URL_TEMPLATE: ClassVar[str | None] = None
    """``connection.url`` of the JDBC sink, formatted with ``host``, ``port`` and ``database``."""

    TARGET_ALTERNATIVES: ClassVar[str] = "keep this target on DMS"
    """When :attr:`TARGET_KIND` is ``NONE``: what can write to this target from Kafka instead."""

    SINK_DEFAULTS: ClassVar[dict[str, str]] = {}
    """Dialect options every JDBC sink config writing to this engine gets."""

    SINK_QUALIFIES_BY_SCHEMA: ClassVar[bool] = True
    """Whether target tables are named ``schema.table`` (False: MySQL-family, the database is in the URL)."""

    TARGET_CASE: ClassVar[str] = "preserve"
    """How the target folds unquoted identifiers: ``lower`` (PostgreSQL), ``upper`` (Oracle, Db2) or ``preserve``."""

    SOURCE_DRIVER_ARTIFACTS: ClassVar[tuple[MavenCoordinate, ...]] = ()
    """JDBC driver jars the source plugin ZIP adds because Debezium's connector archive leaves them out
    (empty: the archive carries its driver, as the MySQL, MariaDB, PostgreSQL and SQL Server archives do)."""

    SINK_DRIVER_ARTIFACTS: ClassVar[tuple[MavenCoordinate, ...]] = ()
    """JDBC driver jars the shared JDBC sink plugin ZIP adds when this engine is a target of the estate
    (empty: the Debezium JDBC sink archive carries the driver)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name is not None:
            _REGISTRY[EngineName(name)] = cls

    # ------------------------------------------------------------------ #
    # Source side                                                          #
    # ------------------------------------------------------------------ #

    @property
    def is_source_supported(self) -> bool:
        return self.SOURCE_CONNECTOR_CLASS is not None

    @property
    def source_plugin(self) -> str | None:
        return f"debezium-connector-{self.SOURCE_PLUGIN_KIND}" if self.SOURCE_PLUGIN_KIND else None

    def engine_settings(self, endpoint: Endpoint) -> dict[str, Any]:
        return endpoint.engine_settings(*self.SETTINGS_OBJECTS)

    def source_properties(self, ctx: EngineContext) -> dict[str, str]:
        """Connection, SSL and engine-settings properties of the source connector."""
        config = dict(self.SOURCE_DEFAULTS)
        config.update(self.connection_properties(ctx))
        config.update(self.ssl_properties(ctx))
        config.update(self.settings_properties(ctx))
        if self.case_clash_columns_query("") is not None:
            ctx.notes.warning(
                "source.case-clash-columns",
                f'a {self.DISPLAY_NAME} table with two columns whose names differ only in letter case ("Id" and '
                "id) stops the Debezium connector (3.6.3, seen on the real engine), where DMS replicates it",
                hint="run the query of the plan's step 'No captured table has columns that differ only in case' on "
                "the source; rename one of the two columns of each table it lists, or keep that table on DMS",
                where=ctx.where,
            )
        return config

    SOURCE_DATABASE_PROPERTY: ClassVar[str | None] = None
    """The source property naming the endpoint's database (``database.dbname``); None: the connector needs none."""

    SOURCE_DATABASE_HINT: ClassVar[str] = "set DatabaseName on the DMS endpoint and scan again"

    def source_database(self, ctx: EngineContext) -> str | None:
        """The endpoint's database: ``DatabaseName``, from the endpoint or its settings object."""
        return ctx.endpoint.database_name or self.engine_settings(ctx.endpoint).get("DatabaseName")

    def connection_properties(self, ctx: EngineContext) -> dict[str, str]:
        creds = ctx.credentials
        config = {"database.user": creds.username, "database.password": creds.password}
        if creds.host is not None:
            config["database.hostname"] = creds.host
        if creds.port is not None:
            config["database.port"] = creds.port
        if self.SOURCE_DATABASE_PROPERTY is not None:
            database = self.source_database(ctx)
            if database and URL_SEPARATORS.search(str(database)):
                # Debezium puts this name into its own JDBC URL pattern unescaped (JdbcConnection's
                # ${dbname}), so a separator would add connection parameters there.
                ctx.notes.blocker(
                    "endpoint.database-name.unsafe",
                    f"DatabaseName {database!r} of {ctx.where} holds a JDBC URL separator; the "
                    f"{self.DISPLAY_NAME} connector writes it into its connection URL as it is",
                    hint="capture from a database whose name has no / ? & ; : @ # = { } $ quotes or line breaks",
                    where=f"{ctx.where} DatabaseName",
                )
                config[self.SOURCE_DATABASE_PROPERTY] = "invalid-database-name"
            elif database:
                config[self.SOURCE_DATABASE_PROPERTY] = str(database)
            else:
                ctx.notes.blocker(
                    f"endpoint.{self.SOURCE_PLUGIN_KIND}.database-name.missing",
                    f"{ctx.where} has no DatabaseName; the {self.DISPLAY_NAME} connector needs "
                    f"{self.SOURCE_DATABASE_PROPERTY}",
                    hint=self.SOURCE_DATABASE_HINT,
                    where=f"{ctx.where} DatabaseName",
                )
        return config

    def ssl_properties(self, ctx: EngineContext) -> dict[str, str]:
        if ctx.endpoint.ssl_mode is None:  # not reported: keep the connector default
            return {}
        mode = ctx.endpoint.ssl_mode.lower()
        if self.SSL_MODE_PROPERTY is None:
            if mode != "none":
                ctx.notes.warning(
                    "endpoint.ssl-mode.unmapped",
                    f"SslMode {mode} of {ctx.where} has no {self.DISPLAY_NAME} connector property in dms2msk",
                    hint="configure TLS with the connector's driver pass-through properties after rendering",
                    where=f"{ctx.where} SslMode",
                )
            return {}
        value = self.SSL_MODES.get(mode)
        if value is None:
            ctx.notes.warning(
                "endpoint.ssl-mode.unknown",
                f"SslMode {mode!r} of {ctx.where} is not a DMS SSL mode; the connector default is kept",
                where=f"{ctx.where} SslMode",
            )
            return {}
        ctx.notes.info(
            "endpoint.ssl-mode",
            f"SslMode {mode} of {ctx.where} carried over",
            became=f"{self.SSL_MODE_PROPERTY}={value}",
            where=f"{ctx.where} SslMode",
        )
        return {self.SSL_MODE_PROPERTY: value}

    def settings_properties(self, ctx: EngineContext) -> dict[str, str]:
        """Properties from the engine's DMS settings object; subclasses override."""
        return {}

    def lob_properties(self, ctx: EngineContext, support_lobs: bool) -> dict[str, str]:
        """Source properties that DMS ``SupportLobs`` turns on (:attr:`LOB_PROPERTIES`)."""
        return dict(self.LOB_PROPERTIES) if support_lobs else {}

    def cdc_lob_update_difference(self, ctx: EngineContext) -> str | None:
        """How DMS's change capture of LOB columns differs from the connector's, per the DMS guide (None: same)."""
        return None

    def source_prerequisites(self, facts: SourceFacts) -> tuple[Prerequisite, ...]:
        """What the source database must allow before the connector streams (empty: see NO_PREREQUISITES_REASON)."""
        return ()

    IDENTIFIER_QUOTES: ClassVar[tuple[str, str]] = ('"', '"')
    """How the engine's SQL delimits an identifier (standard SQL: double quotes, doubled inside)."""

    @staticmethod
    def sql_literal(value: str) -> str:
        """``value`` as a SQL string literal (standard SQL: a quote inside is doubled)."""
        return "'" + value.replace("'", "''") + "'"

    def quote_identifier(self, name: str) -> str:
        """``name`` as one delimited SQL identifier, exact case kept; a :class:`Placeholder` stays as it is."""
        if isinstance(name, Placeholder):
            return name
        opening, closing = self.IDENTIFIER_QUOTES
        return opening + name.replace(closing, closing + closing) + closing

    LOGIN_NAMES_FOLD_TO_UPPER: ClassVar[bool] = False
    """Oracle and Db2 store a plain login name (``dms_user``) in upper case (``DMS_USER``)."""

    def catalog_user(self, user: str) -> str:
        """The user's name as the catalog stores it, to quote or compare exactly."""
        if isinstance(user, Placeholder) or not self.LOGIN_NAMES_FOLD_TO_UPPER:
            return user
        return user.upper() if re.fullmatch(r"[A-Za-z][A-Za-z0-9_$#]*", user) else user

    def catalog_user_notes(self, user: str) -> tuple[str, ...]:
        """How to fill a placeholder user in where the catalog compares names exactly (Oracle and Db2 fold case)."""
        if not isinstance(user, Placeholder) or not self.LOGIN_NAMES_FOLD_TO_UPPER:
            return ()
        return (
            f"Write {user} as the catalog stores it: in upper case (DMS_USER for dms_user) unless it was created "
            "with a quoted name.",
        )

    def qualified_name(self, *parts: str) -> str:
        """``schema.table`` with each part quoted by :meth:`quote_identifier`."""
        return ".".join(self.quote_identifier(part) for part in parts)

    def no_primary_key_query(self, task_identifier: str) -> str | None:
        """SQL that lists the user tables whose change events carry no key the JDBC sink can upsert by.

        Rows are ``(dms_task, table_schema, table_name)`` labelled with ``task_identifier``, so one report
        file can answer for many tasks, plus one ``(task, '', '')`` row that marks the check as run even
        when no table lacks a key. System schemas are left out; ``dms2msk plan`` matches the rows against
        the connector's include lists itself, so the query needs no selection. ``None``: every record of
        this engine has a key (MongoDB and DocumentDB key by ``_id``) and there is nothing to check;
        relational engines override it.
        """
        return None

    def case_clash_columns_query(self, task_identifier: str) -> str | None:
        """SQL listing the user tables with two columns whose names differ only in letter case (``"Id"``, ``id``).

        Debezium 3.6.3 refuses such a table outright (seen on the real engine), where DMS replicates it. Rows are
        ``(dms_task, table_schema, table_name, column_name)`` with the folded column name, plus one
        ``(task, '', '', '')`` row that marks the check as run. ``None``: the engine's column names cannot differ
        only in case (MySQL, MariaDB), or no query is written for it.
        """
        return None

    def topic_name(self, prefix: str, schema: str, table: str, database: str | None = None) -> str:
        """The Debezium topic of one captured table (``<prefix>.<schema>.<table>`` by default)."""
        return debezium_topic(prefix, schema, table)

    def topic_regex_parts(self, database: str | None = None) -> int:
        """How many dot-separated name parts follow the prefix in a data topic."""
        return 2

    # ------------------------------------------------------------------ #
    # Target side                                                          #
    # ------------------------------------------------------------------ #

    @property
    def sink_plugin(self) -> str | None:
        """The plugin of the sink kind that writes this target (``dms2msk.sinks`` owns it), or ``None``."""
        from ..sinks import find_sink  # the sinks build on this module: looked up when asked, not at import

        sink = find_sink(self.TARGET_KIND)
        return sink.PLUGIN if sink is not None else None

    def jdbc_url(self, host: str, port: str, database: str | None) -> str:
        """The sink's URL; ``database`` must have passed :meth:`jdbc_database` (it is placed as it is)."""
        assert self.JDBC_URL_TEMPLATE is not None
        return self.JDBC_URL_TEMPLATE.format(host=host, port=port, database=database or "")

    JDBC_DATABASE_ENCODING: ClassVar[str] = "refuse"
    """How a database name is written into :attr:`JDBC_URL_TEMPLATE`: ``percent`` (the driver URL-decodes
    it), ``braces`` (SQL Server's ``{...}`` value quoting) or ``refuse`` (only plain names are accepted)."""

    def jdbc_database(self, database: str) -> str | None:
        """``database`` escaped for this engine's JDBC URL, or None when it cannot be written there safely."""
        if self.JDBC_DATABASE_ENCODING == "percent":
            return urllib.parse.quote(database, safe="")
        if self.JDBC_DATABASE_ENCODING == "braces":
            return "{" + database.replace("}", "}}") + "}" if PLAIN_URL_PART.fullmatch(database) is None else database
        return database if PLAIN_URL_PART.fullmatch(database) else None

    def sink_properties(self, ctx: EngineContext, database: str | None) -> dict[str, str]:
        """``connection.*`` and dialect properties of the JDBC sink writing to ``database`` of this engine."""
        creds = ctx.credentials
        host = creds.host or ""
        port = creds.port or str(self.DEFAULT_PORT or "")
        config = dict(self.SINK_DEFAULTS)
        config["connection.url"] = self.jdbc_url(host, port, self._url_database(ctx, database))
        config["connection.username"] = creds.username
        config["connection.password"] = creds.password
        if self.SINK_DRIVER_ARTIFACTS and self.sink_plugin:
            ctx.notes.info(
                "target.jdbc-driver",
                f"the Debezium JDBC sink archive leaves out the {self.DISPLAY_NAME} JDBC driver; "
                + driver_sentence(self.SINK_DRIVER_ARTIFACTS, self.sink_plugin),
                hint="building offline: put the jar (and its .sha1) into the folder passed to --from",
                where=ctx.where,
            )
        return config

    def _url_database(self, ctx: EngineContext, database: str | None) -> str | None:
        if not database:
            return database
        escaped = self.jdbc_database(database)
        if escaped is None:
            ctx.notes.blocker(
                "endpoint.database-name.unsafe",
                f"DatabaseName {database!r} of {ctx.where} cannot be written into a {self.DISPLAY_NAME} JDBC URL "
                "as it is: a separator there would add connection parameters",
                hint="use a database name of letters, digits, '_', '.' and '-', or edit connection.url after rendering",
                where=f"{ctx.where} DatabaseName",
            )
            return "invalid-database-name"
        return escaped

    def target_database(self, ctx: EngineContext) -> str | None:
        """The database named in ``connection.url``."""
        database = ctx.endpoint.database_name or self.engine_settings(ctx.endpoint).get("DatabaseName")
        if not database:
            ctx.notes.warning(
                "endpoint.database-name.missing",
                f"{ctx.where} has no DatabaseName; connection.url names no database",
                hint="set DatabaseName on the DMS endpoint, or edit connection.url after rendering",
                where=f"{ctx.where} DatabaseName",
            )
        return database

    def __repr__(self) -> str:
        return f"<engine {self.name}>"


def registry() -> dict[EngineName, type[Engine]]:
    """The classes registered so far (import :mod:`dms2msk.engines` to load them all)."""
    return dict(_REGISTRY)
