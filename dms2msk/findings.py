"""Finding codes and the one findings collector.

Every finding code dms2msk writes is a member of :class:`FindingCode`: producers pass the member,
consumers (advise, plan, render, verify) compare with it, and ``tests/test_finding_codes.py`` fails when
a code literal appears in ``dms2msk/`` that is not registered here. A code's value is its stable,
machine-readable text (``findings.json``, ``--format json``); ``FindingCode.X.severity`` is the severity
its producers give it (``varies``: it depends on the case) and ``.meaning`` what it says, in the words of
the producer's message (``<…>`` where the message names an object).

Codes built at run time are registered too: ``table-mappings.<rule type>`` for every rule type DMS has
that Debezium has no use for, ``endpoint.<plugin kind>.database-name.missing`` for every source plugin,
and every ``catalog.<problem>`` (:data:`CATALOG_PREFIX`), whose second part is the property catalog's
own problem code.

:class:`Notes` collects the findings of one task. A finding about a rule carries the rule's id, name and
position as fields (``rule_id``, ``rule_name``, ``where``), never as a ``rule N (name): `` prefix of
its message; :func:`rule_subject` and :func:`finding_text` compose that text for people.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from .model import Finding, Severity

__all__ = ["CATALOG_PREFIX", "FindingCode", "Notes", "finding_text", "is_registered", "rule_subject"]

CATALOG_PREFIX = "catalog."
"""``catalog.<problem code>``: a property the Debezium catalog refuses (unknown-property, bad-value, ...)."""


class FindingCode(StrEnum):
    """Every finding code, with the severity its producers give it and what it means."""

    severity: str
    meaning: str

    def __new__(cls, value: str, severity: str, meaning: str) -> FindingCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.meaning = meaning
        return member

    ADVISE_RULE_UNREPORTED = (
        "advise.rule.unreported",
        "warning",
        "no finding says what this rule became; treat it as not carried over",
    )
    CATALOG_UNAVAILABLE = (
        "catalog.unavailable",
        "warning",
        "the property catalog could not be loaded; the <…> properties were not checked",
    )
    CUTOVER_SINK_NOT_IDEMPOTENT = (
        "cutover.sink-not-idempotent",
        "blocker",
        "Sink <…> writes with insert.mode=<…>: rows written by both DMS and the connector during the overlap "
        "would be duplicated or rejected.",
    )
    ENDPOINT_AURORA_SERVERLESS_BINLOG = (
        "endpoint.aurora-serverless.binlog",
        "warning",
        "Aurora Serverless v1 does not expose a binlog, so the Debezium MySQL connector cannot stream from it",
    )
    ENDPOINT_AZURE_SQL_UNCONFIRMED = (
        "endpoint.azure-sql.unconfirmed",
        "warning",
        "Debezium documents SQL Server, not Azure SQL Database; CDC works on S3 tier and above",
    )
    ENDPOINT_DATABASE_NAME_MISSING = (
        "endpoint.database-name.missing",
        "warning",
        "<…> has no DatabaseName; connection.url names no database",
    )
    ENDPOINT_DATABASE_NAME_UNSAFE = (
        "endpoint.database-name.unsafe",
        "blocker",
        "DatabaseName <…> of <…> cannot be written into a <…> JDBC URL as it is: a separator there would add "
        "connection parameters",
    )
    ENDPOINT_DB2_CAPTURE = (
        "endpoint.db2.capture",
        "warning",
        "Debezium reads Db2 ASN capture change tables, which DMS does not need; the IBM jcc driver is not in "
        "Debezium's Db2 connector archive (licensing)",
    )
    ENDPOINT_DB2_CURRENT_LSN = (
        "endpoint.db2.current-lsn",
        "warning",
        "CurrentLsn <…> has no Debezium equivalent; streaming starts at the current position",
    )
    ENDPOINT_DB2_DATA_CAPTURE_CHANGES = (
        "endpoint.db2.data-capture-changes",
        "info",
        "SetDataCaptureChanges: Debezium's capture mode also needs DATA CAPTURE CHANGES on each table",
    )
    ENDPOINT_DB2_DATABASE_NAME_MISSING = (
        "endpoint.db2.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_DOCDB_UNCONFIRMED = (
        "endpoint.docdb.unconfirmed",
        "warning",
        "Debezium's MongoDB connector is not documented for DocumentDB; change streams must be enabled per collection",
    )
    ENDPOINT_MARIADB_DATABASE_NAME_MISSING = (
        "endpoint.mariadb.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_MONGODB_DATABASE_NAME_MISSING = (
        "endpoint.mongodb.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_MONGODB_DOC_ID = "endpoint.mongodb.doc-id", "info", "ExtractDocId: Debezium always keys events by _id"
    ENDPOINT_MONGODB_SHARDED = (
        "endpoint.mongodb.sharded",
        "info",
        "ReplicateShardCollections: point mongodb.connection.string at the mongos router",
    )
    ENDPOINT_MONGODB_TABLE_MODE = (
        "endpoint.mongodb.table-mode",
        "warning",
        "NestingLevel one (DMS table mode) flattens documents into columns; Debezium emits whole documents",
    )
    ENDPOINT_MYSQL_AFTER_CONNECT_SCRIPT = (
        "endpoint.mysql.after-connect-script",
        "info",
        "AfterConnectScript runs on every connector connection",
    )
    ENDPOINT_MYSQL_DATABASE_NAME_MISSING = (
        "endpoint.mysql.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_MYSQL_IAM_AUTH = (
        "endpoint.mysql.iam-auth",
        "blocker",
        "<…> authenticates with IAM database tokens; the Debezium connector needs a password",
    )
    ENDPOINT_MYSQL_MULTIPLE_DATABASES = (
        "endpoint.mysql.multiple-databases",
        "info",
        "TargetDbType multiple-databases: each table goes to the database named after its source schema",
    )
    ENDPOINT_MYSQL_SERVER_TIMEZONE = "endpoint.mysql.server-timezone", "info", "ServerTimezone <…> carried over"
    ENDPOINT_MYSQL_SERVER_TIMEZONE_UNMAPPED = (
        "endpoint.mysql.server-timezone.unmapped",
        "warning",
        "ServerTimezone <…> is not carried over to the <…> connector",
    )
    ENDPOINT_ORACLE_ARCHIVED_LOGS_ONLY = "endpoint.oracle.archived-logs-only", "info", "ArchivedLogsOnly carried over"
    ENDPOINT_ORACLE_BINARY_READER = (
        "endpoint.oracle.binary-reader",
        "warning",
        "DMS Binary Reader (UseBFile / UseLogminerReader=false) has no Debezium equivalent; LogMiner is used",
    )
    ENDPOINT_ORACLE_DATABASE_NAME_MISSING = (
        "endpoint.oracle.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_ORACLE_DRIVER = (
        "endpoint.oracle.driver",
        "info",
        "the Oracle JDBC driver is not in Debezium's Oracle connector archive (licensing)",
    )
    ENDPOINT_ORACLE_LOGMINER = "endpoint.oracle.logminer", "info", "DMS LogMiner reader carried over"
    ENDPOINT_ORACLE_SSL = (
        "endpoint.oracle.ssl",
        "warning",
        "SslMode <…>: Oracle TLS needs a TCPS listener and a wallet; dms2msk cannot carry it over",
    )
    ENDPOINT_ORACLE_SUPPLEMENTAL_LOGGING = (
        "endpoint.oracle.supplemental-logging",
        "warning",
        "AddSupplementalLogging: Debezium does not enable supplemental logging itself",
    )
    ENDPOINT_POSTGRES_BABELFISH_MODE = (
        "endpoint.postgres.babelfish-mode",
        "warning",
        "DatabaseMode babelfish: the connector reads the PostgreSQL side of the Babelfish cluster",
    )
    ENDPOINT_POSTGRES_CAPTURE_DDLS = (
        "endpoint.postgres.capture-ddls",
        "info",
        "CaptureDdls: pgoutput carries no DDL; column changes reach the sink as new record schemas",
    )
    ENDPOINT_POSTGRES_DATABASE_NAME_MISSING = (
        "endpoint.postgres.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_POSTGRES_HEARTBEAT = (
        "endpoint.postgres.heartbeat",
        "warning",
        "DMS WAL heartbeat carried over as Debezium heartbeats; on a quiet database the slot also needs "
        "writes to advance",
    )
    ENDPOINT_POSTGRES_IAM_AUTH = (
        "endpoint.postgres.iam-auth",
        "blocker",
        "<…> authenticates with IAM database tokens; the Debezium connector needs a password",
    )
    ENDPOINT_POSTGRES_PLUGIN = (
        "endpoint.postgres.plugin",
        "info",
        "PluginName <…> has no Debezium equivalent; pgoutput is used",
    )
    ENDPOINT_POSTGRES_SLOT = (
        "endpoint.postgres.slot",
        "varies",
        "DMS slot <…> cannot be reused; the connector creates slot <…> (pgoutput)",
    )
    ENDPOINT_POSTGRES_TOAST = (
        "endpoint.postgres.toast",
        "info",
        "an UPDATE that leaves a TOASTed (large) column alone carries no value for it; the connector reads "
        "the current value back from the table (as DMS writes the real value), so under a quick second change"
        " the target may get the newer value early",
    )
    ENDPOINT_SERVER_NAME_INVALID = (
        "endpoint.server-name.invalid",
        "blocker",
        "ServerName <…> of endpoint <…> is not a host name or IP address",
    )
    ENDPOINT_SERVER_NAME_MISSING = (
        "endpoint.server-name.missing",
        "blocker",
        "endpoint <…> has neither a server name nor a secret that holds one",
    )
    ENDPOINT_SETTING_NOT_APPLICABLE = (
        "endpoint.setting.not-applicable",
        "info",
        "<…> tunes DMS itself; the Debezium binlog reader has no equivalent",
    )
    ENDPOINT_SQLSERVER_ALWAYS_ON = (
        "endpoint.sqlserver.always-on",
        "info",
        "QuerySingleAlwaysOnNode: point the connector at the primary replica (or a readable secondary)",
    )
    ENDPOINT_SQLSERVER_CDC = "endpoint.sqlserver.cdc", "warning", "Debezium reads SQL Server CDC change tables"
    ENDPOINT_SQLSERVER_DATABASE_NAME_MISSING = (
        "endpoint.sqlserver.database-name.missing",
        "blocker",
        "the source endpoint has no DatabaseName, which the connector needs",
    )
    ENDPOINT_SSL_MODE = "endpoint.ssl-mode", "info", "SslMode <…> of <…> carried over"
    ENDPOINT_SSL_MODE_UNKNOWN = (
        "endpoint.ssl-mode.unknown",
        "warning",
        "SslMode <…> of <…> is not a DMS SSL mode; the connector default is kept",
    )
    ENDPOINT_SSL_MODE_UNMAPPED = (
        "endpoint.ssl-mode.unmapped",
        "warning",
        "SslMode <…> of <…> has no <…> connector property in dms2msk",
    )
    ENGINE_SOURCE_UNSUPPORTED = "engine.source.unsupported", "blocker", "<…> source (<…>): <…>"
    ENGINE_UNKNOWN = "engine.unknown", "blocker", "source endpoint <…> has engine <…>, which dms2msk does not know"
    RENDER_OTHER_REGION = "render.other-region", "blocker", "the region of a pipeline differs from the root's region"
    RENDER_SECRET_KMS_ALIAS = (
        "render.secret-kms-alias",
        "warning",
        "secret <…> is encrypted with KMS alias <…>; the execution role of <…> gets no kms:Decrypt on it",
    )
    SECRET_NAME_FROM_ARN = (
        "secret.name-from-arn",
        "info",
        "endpoint <…> names its secret by ARN; the connector refers to it by name <…> (an ARN's colons would "
        "break the config-provider reference)",
    )
    SECRET_NEW = (
        "secret.new",
        "warning",
        "endpoint <…> keeps its password in DMS, which never returns it; the <…> connector reads it from a "
        "new secret <…>",
    )
    SECRET_REUSED = (
        "secret.reused",
        "info",
        "the <…> connector reads the credentials of endpoint <…> from its DMS secret",
    )
    SELECTION_EMPTY = "selection.empty", "blocker", "no selection rule selects a table the connector can capture"
    SELECTION_ESCAPE = "selection.escape", "info", "<…> (DMS documents '[_]' for a literal underscore)"
    SELECTION_EXCLUDE = "selection.exclude", "info", "exclude <…>.<…>"
    SELECTION_EXTRA_TABLE = "selection.extra-table", "warning", "Debezium also captures <…>, which DMS does not select"
    SELECTION_FILTER = (
        "selection.filter",
        "info",
        "filters on <…>.<…> became <…>; the plugin needs <…>; dates, times and timestamps are decoded from "
        "Debezium's epoch numbers and compared as values, timestamps in UTC",
    )
    SELECTION_FILTER_CONTRADICTION = (
        "selection.filter-contradiction",
        "warning",
        "filters[<…>] has <…> negative conditions; DMS allows only one per filter",
    )
    SELECTION_FILTER_INVALID = "selection.filter-invalid", "warning", "filters must be an array; ignored"
    SELECTION_FILTER_NOT_INCLUDE = (
        "selection.filter-not-include",
        "varies",
        "filters on a rule with rule-action <…> have no effect in DMS (only include rules filter); ignored",
    )
    SELECTION_FILTER_NULL = (
        "selection.filter-null",
        "info",
        "negative conditions (noteq, notbetween) do not select rows whose column is NULL, in SQL as in the "
        "streaming filter",
    )
    SELECTION_FILTER_STREAMING = (
        "selection.filter-streaming",
        "warning",
        "filters on <…>.<…> became <…> for the snapshot only; changes streamed later are not filtered",
    )
    SELECTION_FILTER_UNKNOWN_OPERATOR = (
        "selection.filter-unknown-operator",
        "warning",
        "filter-operator <…> is not one DMS knows; condition ignored",
    )
    SELECTION_FILTER_WILDCARD = (
        "selection.filter-wildcard",
        "varies",
        "filters on <…>.<…>: DMS applies source filters only to tables named exactly; not carried over",
    )
    SELECTION_INCLUDE = "selection.include", "info", "<…> <…>.<…> became <…>"
    SELECTION_NOT_REPRESENTABLE = (
        "selection.not-representable",
        "warning",
        "Debezium does not capture <…>, which DMS selects",
    )
    SELECTION_UNKNOWN_ACTION = (
        "selection.unknown-action",
        "warning",
        "selection rule-action <…> is not include, exclude or explicit; left out",
    )
    SELECTION_UNKNOWN_TABLE_TYPE = (
        "selection.unknown-table-type",
        "warning",
        "table-type <…> is not table, view or all; read as table",
    )
    SELECTION_VIEW = (
        "selection.view",
        "varies",
        "exclude of views <…>.<…> changes nothing: Debezium captures tables only, and tables of the same "
        "names stay selected as in DMS",
    )
    SELECTION_WILDCARD_IN_EXPLICIT = (
        "selection.wildcard-in-explicit",
        "warning",
        "explicit rule names <…>.<…> with '%'; DMS allows wildcards only in include and exclude rules, so the"
        " name is read literally",
    )
    TABLE_MAPPINGS_BARE_ARRAY = (
        "table-mappings.bare-array",
        "warning",
        'TableMappings is a bare array of rules, not {"rules": [...]}; read it as the rules array',
    )
    TABLE_MAPPINGS_DUPLICATE_RULE_ID = (
        "table-mappings.duplicate-rule-id",
        "warning",
        "rule-id <…> is used again (first at rules[<…>]); DMS requires unique ids",
    )
    TABLE_MAPPINGS_EMPTY = "table-mappings.empty", "blocker", "the task has no TableMappings document"
    TABLE_MAPPINGS_INVALID_FIELD = (
        "table-mappings.invalid-field",
        "blocker",
        "object-locator <…> is <…> <…>, not a name; the rule is left out, so the task cannot be carried over "
        "as written",
    )
    TABLE_MAPPINGS_INVALID_JSON = "table-mappings.invalid-json", "blocker", "TableMappings is not valid JSON: <…>"
    TABLE_MAPPINGS_MISSING_FIELD = "table-mappings.missing-field", "warning", "has no object-locator object; left out"
    TABLE_MAPPINGS_NO_RULES = "table-mappings.no-rules", "blocker", 'TableMappings has no "rules" array'
    TABLE_MAPPINGS_NO_SELECTION = (
        "table-mappings.no-selection",
        "blocker",
        "TableMappings has no usable selection rule, so no table is selected",
    )
    TABLE_MAPPINGS_NOT_AN_OBJECT = (
        "table-mappings.not-an-object",
        "blocker",
        "TableMappings must be a JSON object, not <…>",
    )
    TABLE_MAPPINGS_OBJECT_MAPPING = (
        "table-mappings.object-mapping",
        "warning",
        "a object-mapping rule is not carried over: it has no meaning for a Debezium source and JDBC sink",
    )
    TABLE_MAPPINGS_POST_PROCESSING = (
        "table-mappings.post-processing",
        "warning",
        "a post-processing rule is not carried over: it has no meaning for a Debezium source and JDBC sink",
    )
    TABLE_MAPPINGS_RULE_ID_NOT_NUMERIC = (
        "table-mappings.rule-id-not-numeric",
        "warning",
        "rule-id <…> is not a number; DMS orders rules by numeric rule-id",
    )
    TABLE_MAPPINGS_RULE_NOT_AN_OBJECT = (
        "table-mappings.rule-not-an-object",
        "warning",
        "rules[<…>] is a <…>, not a rule object; left out",
    )
    TABLE_MAPPINGS_RULES_NOT_A_LIST = (
        "table-mappings.rules-not-a-list",
        "blocker",
        '"rules" must be an array, not <…>',
    )
    TABLE_MAPPINGS_TOO_DEEP = (
        "table-mappings.too-deep",
        "blocker",
        "TableMappings nests more than <…> levels deep; a DMS rules document has four",
    )
    TABLE_MAPPINGS_UNKNOWN_RULE_TYPE = "table-mappings.unknown-rule-type", "warning", "unknown rule-type <…>; left out"
    TABLE_MAPPINGS_VALIDATION = (
        "table-mappings.validation",
        "warning",
        "a validation rule is not carried over: it has no meaning for a Debezium source and JDBC sink",
    )
    TABLE_SETTINGS_EMPTY = "table-settings.empty", "info", "table-settings rule sets nothing Debezium uses"
    TABLE_SETTINGS_LOB = (
        "table-settings.lob",
        "varies",
        "lob-settings mode <…> of <…>.<…>: Debezium sends LOBs whole (no truncation at bulk-max-size); size "
        "limits are the Kafka message size settings",
    )
    TABLE_SETTINGS_PARALLEL_LOAD = (
        "table-settings.parallel-load",
        "info",
        "parallel-load (<…>) of <…>.<…> is not carried over: Debezium snapshots each table in one query "
        "(snapshot.max.threads runs tables in parallel)",
    )
    TABLE_SETTINGS_WILDCARD_FORBIDDEN = (
        "table-settings.wildcard-forbidden",
        "warning",
        "table-settings for <…>.<…> uses '%', which DMS rejects; left out",
    )
    TARGET_JDBC_DRIVER = "target.jdbc-driver", "info", "the Debezium JDBC sink archive leaves out the <…> JDBC driver"
    TARGET_JDBC_SINK = "target.jdbc-sink", "info", "<…> target <…> is written by the Debezium JDBC sink"
    TARGET_KAFKA = "target.kafka", "info", "Kafka target <…>: the MSK topics are the target, no sink connector"
    TARGET_KAFKA_BROKER = (
        "target.kafka.broker",
        "info",
        "DMS wrote to <…>; the connector writes to the MSK cluster dms2msk renders",
    )
    TARGET_KAFKA_FORMAT = (
        "target.kafka.format",
        "warning",
        "the topic gets Debezium change events (before/after/source/op), not the {data, metadata} JSON DMS "
        "wrote (MessageFormat <…>)",
    )
    TARGET_KAFKA_MESSAGE_SETTING = (
        "target.kafka.message-setting",
        "warning",
        "<…>: DMS added these details to its messages; Debezium's envelope has no equivalent field (schema "
        "changes go to the schema-history topic, not the data topic)",
    )
    TARGET_KAFKA_PARTITIONING = (
        "target.kafka.partitioning",
        "warning",
        "the region of a pipeline differs from the root's region",
    )
    TARGET_KAFKA_TOPIC = "target.kafka.topic", "info", "all captured tables are routed to topic <…>, as DMS did"
    TARGET_KAFKA_TOPIC_INVALID = (
        "target.kafka.topic.invalid",
        "blocker",
        "KafkaSettings.Topic <…> of <…> is not a Kafka topic name (at most 249 letters, digits, '.', '_' or "
        "'-'); a connector routed there fails",
    )
    TARGET_KAFKA_TRANSACTION_DETAILS = (
        "target.kafka.transaction-details",
        "warning",
        "IncludeTransactionDetails: DMS put transaction ids into each message's metadata; the connector's "
        "events carry source.txId (PostgreSQL) / source positions, but no transaction block",
    )
    TARGET_MYSQL_DATABASE = (
        "target.mysql.database",
        "warning",
        "the rules send the tables to database <…>, but endpoint <…> writes every table into <…> "
        "(TargetDbType specific-database), as DMS did",
    )
    TARGET_QUOTE_IDENTIFIERS = (
        "target.quote-identifiers",
        "info",
        "<…> folds unquoted names to <…> case; DMS created its target objects with the names it computed "
        "(quoted), so the sink quotes them too (<…> names keep their case unless a case rule changes them)",
    )
    TARGET_UNSUPPORTED = (
        "target.unsupported",
        "blocker",
        "<…> target <…>: no Debezium sink writes to it; the source connector still fills the MSK topics",
    )
    TASK_SETTINGS_APPLY_CONFLICTS = (
        "task-settings.apply-conflicts",
        "info",
        "ApplyErrorInsertPolicy <…> / ApplyErrorUpdatePolicy <…>: the sink upserts by primary key, so "
        "duplicate inserts and updates of missing rows both succeed",
    )
    TASK_SETTINGS_BATCH_APPLY = (
        "task-settings.batch-apply",
        "info",
        "BatchApplyEnabled: the sink applies changes in batches, keeping the last change per key",
    )
    TASK_SETTINGS_BEFORE_IMAGE = (
        "task-settings.before-image",
        "info",
        "EnableBeforeImage: every Debezium change event carries the row before the change ('before'); the "
        "JDBC sink writes only the new row",
    )
    TASK_SETTINGS_CHARACTER_SET = (
        "task-settings.character-set",
        "warning",
        "CharacterSetSettings: DMS character replacement has no equivalent; Debezium sends strings as the "
        "database returns them",
    )
    TASK_SETTINGS_DDL_ALTER = (
        "task-settings.ddl.alter",
        "info",
        "HandleSourceTableAltered: new source columns are added to the target; renamed, dropped or retyped "
        "columns are not changed there",
    )
    TASK_SETTINGS_DDL_DROP = (
        "task-settings.ddl.drop",
        "warning",
        "HandleSourceTableDropped: the JDBC sink never drops target tables",
    )
    TASK_SETTINGS_DDL_TRUNCATE = (
        "task-settings.ddl.truncate",
        "info",
        "HandleSourceTableTruncated: DMS does not process TRUNCATE from a <…> source during CDC (DMS User "
        "Guide, source limitations), so the target keeps its rows; the pipeline does the same",
    )
    TASK_SETTINGS_DEFAULTS = (
        "task-settings.defaults",
        "info",
        "the task has no ReplicationTaskSettings; DMS defaults are carried over",
    )
    TASK_SETTINGS_ERROR_BEHAVIOR = (
        "task-settings.error-behavior",
        "varies",
        "the region of a pipeline differs from the root's region",
    )
    TASK_SETTINGS_FULL_LOAD_SUBTASKS = (
        "task-settings.full-load-subtasks",
        "info",
        "MaxFullLoadSubTasks <…>: the snapshot reads up to <…> tables at once",
    )
    TASK_SETTINGS_INVALID_JSON = (
        "task-settings.invalid-json",
        "warning",
        "ReplicationTaskSettings is not valid JSON: <…>; DMS defaults are used instead",
    )
    SOURCE_CASE_CLASH_COLUMNS = (
        "source.case-clash-columns",
        "warning",
        "a table with two columns whose names differ only in case stops Debezium 3.6.3, where DMS replicates it; "
        "run the plan's case-clash query on the source",
    )
    TASK_SETTINGS_LOB_UPDATES = (
        "task-settings.lob.updates",
        "warning",
        "DMS with LogMiner does not replicate UPDATEs of LOB and XMLTYPE columns; the pipeline does",
    )
    TRANSFORMATION_TOPIC_SANITIZED_NAME = (
        "transformation.topic-sanitized-name",
        "warning",
        "a wildcard selection whose tables the sink names from the topic: a name a topic cannot hold lands with '_' "
        "where DMS keeps the source name",
    )
    TASK_SETTINGS_LOB_FULL = (
        "task-settings.lob.full",
        "warning",
        "FullLobMode: Debezium sends whole LOB values inside the change event; a row larger than the Kafka "
        "message limit (1 MB by default) stops the connector",
    )
    TASK_SETTINGS_LOB_LIMITED = (
        "task-settings.lob.limited",
        "info",
        "LimitedSizeLobMode (LobMaxSize <…> KB): Debezium does not truncate LOBs; values up to the Kafka "
        "message limit pass whole",
    )
    TASK_SETTINGS_LOB_NOT_SUPPORTED = (
        "task-settings.lob.not-supported",
        "warning",
        "SupportLobs false: DMS left LOB columns out; Debezium replicates them",
    )
    TASK_SETTINGS_LOOPBACK = (
        "task-settings.loopback",
        "warning",
        "LoopbackPreventionSettings: DMS bidirectional-replication loop prevention has no equivalent",
    )
    TASK_SETTINGS_NOT_AN_OBJECT = (
        "task-settings.not-an-object",
        "warning",
        "ReplicationTaskSettings is a JSON <…>, not an object; DMS defaults are used",
    )
    TASK_SETTINGS_NOT_APPLICABLE = (
        "task-settings.not-applicable",
        "info",
        "TargetMetadata <…> tune the DMS apply; a connector runs one task per pipeline",
    )
    TASK_SETTINGS_RECOVERABLE_ERRORS = (
        "task-settings.recoverable-errors",
        "info",
        "RecoverableErrorCount <…>: the sink retries a failed write that many times",
    )
    TASK_SETTINGS_SECTION_NOT_AN_OBJECT = (
        "task-settings.section.not-an-object",
        "warning",
        "<…> is a JSON <…>, not an object; its DMS defaults are used",
    )
    TASK_SETTINGS_SECTION_NULL = "task-settings.section.null", "info", "<…> is null: its DMS defaults apply"
    TASK_SETTINGS_TARGET_SCHEMA = (
        "task-settings.target-schema",
        "info",
        "TargetSchema <…>: tables are written to that schema unless a rename rule says otherwise",
    )
    TASK_SETTINGS_TARGET_TABLE_PREP = (
        "task-settings.target-table-prep",
        "varies",
        "TargetTablePrepMode <…> only matters for a full load; this task is cdc only",
    )
    TASK_SETTINGS_TARGET_TABLE_PREP_UNKNOWN = (
        "task-settings.target-table-prep.unknown",
        "warning",
        "TargetTablePrepMode <…> is not a DMS value",
    )
    TASK_SETTINGS_TIME_TRAVEL = (
        "task-settings.time-travel",
        "warning",
        "TTSettings EnableTT: DMS Time Travel logs have no Kafka Connect equivalent; the topics keep change "
        "history for their retention period",
    )
    TASK_SETTINGS_TOO_DEEP = (
        "task-settings.too-deep",
        "warning",
        "ReplicationTaskSettings nests more than <…> levels deep; DMS defaults are used instead",
    )
    TASK_SETTINGS_UNKNOWN_SECTION = (
        "task-settings.unknown-section",
        "warning",
        "<…> is not a DMS task-settings section; DMS ignores it and so does dms2msk",
    )
    TASK_SETTINGS_VALIDATION = (
        "task-settings.validation",
        "varies",
        "EnableValidation: DMS compared source and target rows; Kafka Connect has no data validation",
    )
    TASK_CDC_START_BINLOG_SIGNAL = (
        "task.cdc-start.binlog-signal",
        "warning",
        "CdcStartPosition <…>:<…> is reached with a set-binlog-position signal once the connector runs",
    )
    TASK_CDC_START_BINLOG_UNSUPPORTED_VERSION = (
        "task.cdc-start.binlog-unsupported-version",
        "warning",
        "CdcStartPosition <…>:<…> cannot be set in Debezium <…> (the set-binlog-position signal needs 3.5+); "
        "the connector starts at the current binlog position",
    )
    TASK_CDC_START_IGNORED = (
        "task.cdc-start.ignored",
        "info",
        "a CDC start position only applies to cdc tasks; this task starts with a snapshot",
    )
    TASK_CDC_START_UNPARSED = (
        "task.cdc-start.unparsed",
        "warning",
        "CdcStartPosition <…> is not a binlog file:position; streaming starts at the current position",
    )
    TASK_CDC_START_UNSUPPORTED = (
        "task.cdc-start.unsupported",
        "warning",
        "<…> has no <…> connector equivalent; streaming starts when the connector starts",
    )
    TASK_CDC_STOP_POSITION = (
        "task.cdc-stop-position",
        "warning",
        "CdcStopPosition <…> has no Debezium equivalent; the connector streams until it is stopped",
    )
    TASK_CUT_OVER_BINLOG = (
        "task.cut-over.binlog",
        "info",
        "to continue exactly where DMS stopped, send a set-binlog-position signal for <…>:<…> (the task's "
        "RecoveryCheckpoint) after stopping the DMS task",
    )
    TASK_ENDPOINT_MISSING = (
        "task.endpoint.missing",
        "blocker",
        "the task's <…> endpoint <…> is not in the inventory of <…>",
    )
    TASK_MIGRATION_TYPE = "task.migration-type", "info", "MigrationType <…>: <…>"
    TASK_MIGRATION_TYPE_UNKNOWN = (
        "task.migration-type.unknown",
        "warning",
        "MigrationType <…> is not full-load, cdc or full-load-and-cdc; full-load-and-cdc is assumed",
    )
    TASK_NAME_REGION_QUALIFIED = (
        "task.name.region-qualified",
        "info",
        "a task named <…> exists in several regions; names are qualified with <…>",
    )
    TRANSFORMATION_ADD_COLUMN = (
        "transformation.add-column",
        "varies",
        "add-column <…> with a static value became sink SMT transforms.<…> (InsertField)",
    )
    TRANSFORMATION_BEFORE_IMAGE = (
        "transformation.before-image",
        "warning",
        "add-before-image-columns is not carried over: the JDBC sink writes the row's after image; the before"
        " image stays in the Kafka change events (field 'before')",
    )
    TRANSFORMATION_BY_DATA_TYPE = (
        "transformation.by-data-type",
        "warning",
        "<…> on columns of data type <…> is not carried over: Debezium selects columns by name only",
    )
    TRANSFORMATION_CHANGE_DATA_TYPE = (
        "transformation.change-data-type",
        "varies",
        "change-data-type of <…> to <…> became sink SMT transforms.<…> (Cast <…>)",
    )
    TRANSFORMATION_COLUMN_LISTS = (
        "transformation.column-lists",
        "info",
        "remove-column rules were folded into column.include.list (Debezium forbids both column lists)",
    )
    TRANSFORMATION_COLUMN_NAME = (
        "transformation.column-name",
        "varies",
        "<…> of column <…> → <…> became sink SMT transforms.<…> (ReplaceField renames)",
    )
    TRANSFORMATION_DUPLICATE = (
        "transformation.duplicate",
        "warning",
        "<…> of tables <…> is ignored for <…>: a rule with a lower rule-id already transforms them and DMS "
        "applies only one",
    )
    TRANSFORMATION_FILTER_ON_REMOVED_COLUMN = (
        "transformation.filter-on-removed-column",
        "warning",
        "removes column <…> of <…>.<…>, which selection rule <…> filters on; the streaming filter cannot see "
        "a removed column",
    )
    TRANSFORMATION_INCLUDE_COLUMN = (
        "transformation.include-column",
        "varies",
        "include-column <…> is not carried over: the <…> connector has no field include list",
    )
    TRANSFORMATION_MASKING = (
        "transformation.masking",
        "warning",
        "<…> on <…> became column.mask.with.8.chars: Debezium replaces the whole value with asterisks instead"
        " of masking or randomizing each digit (more is hidden, not less)",
    )
    TRANSFORMATION_PRIMARY_KEY = (
        "transformation.primary-key",
        "varies",
        "define-primary-key <…> (<…>) became message.key.columns; the sink upserts and deletes by this key "
        "(primary.key.mode=record_key)",
    )
    TRANSFORMATION_REMOVE_COLUMN = "transformation.remove-column", "varies", "remove-column <…> became <…>"
    TRANSFORMATION_SCHEMA = "transformation.schema", "varies", "<…> on schema <…> became <…> (<…>)"
    TRANSFORMATION_TABLE_NAME = (
        "transformation.table-name",
        "varies",
        "<…> of tables <…> is not carried over for tables selected by wildcard",
    )
    TRANSFORMATION_TABLES_MERGE = (
        "transformation.tables-merge",
        "blocker",
        "tables <…> are written into one target table <…>, where DMS writes <…>: their rows would merge",
    )
    TRANSFORMATION_TABLESPACE = (
        "transformation.tablespace",
        "info",
        "<…> of an Oracle <…> is target DDL; the JDBC sink creates tables in the default tablespace",
    )
    TRANSFORMATION_TARGET_SCHEMA = (
        "transformation.target-schema",
        "varies",
        "the tables land in <…> target schemas (<…>): each topic is routed to <schema>.<table> and "
        "collection.naming.strategy keeps the dot",
    )
    TRANSFORMATION_TOPIC_CLASH = (
        "transformation.topic-clash",
        "blocker",
        "tables <…> share the Debezium topic <prefix>.<…>.<…>: their rows would be written into one target "
        "table, where DMS keeps them apart",
    )
    TRANSFORMATION_UNKNOWN_ACTION = (
        "transformation.unknown-action",
        "warning",
        "transformation rule-action <…> is not one DMS documents; left out",
    )
    TRANSFORMATION_UNKNOWN_TARGET = (
        "transformation.unknown-target",
        "warning",
        "rule-target <…> is not schema, table, column, table-tablespace or index-tablespace; left out",
    )
    TRANSFORMATION_WILDCARD_FORBIDDEN = (
        "transformation.wildcard-forbidden",
        "warning",
        "define-primary-key cannot use wildcards in schema-name or table-name (DMS rejects it); left out",
    )
    TRANSFORMATION_WRONG_TARGET = (
        "transformation.wrong-target",
        "warning",
        "<…> applies to columns, but rule-target is <…>; left out",
    )
    VERSION_SNAPSHOT_MODE = (
        "version.snapshot-mode",
        "blocker",
        "snapshot.mode <…> does not exist in Debezium <…> for this connector",
    )


def is_registered(code: str) -> bool:
    """True when ``code`` is a registered finding code (a member, or a ``catalog.<problem>`` code)."""
    return code in FindingCode._value2member_map_ or code.startswith(CATALOG_PREFIX)


class _Rule(Protocol):
    """What a finding takes from a parsed rule (selection, transformation or table-settings rule)."""

    @property
    def rule_id(self) -> str: ...

    @property
    def rule_name(self) -> str: ...

    @property
    def where(self) -> str | None: ...


class Notes:
    """Collects the findings of one task, with the task and region filled in.

    ``rule``: the parsed rule a finding is about; its id, name and position become the finding's fields.
    """

    def __init__(self, task: str | None, region: str | None) -> None:
        self.task = task
        self.region = region
        self.items: list[Finding] = []

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        rule: _Rule | None = None,
        *,
        became: str | None = None,
        hint: str | None = None,
        where: str | None = None,
        rule_id: str | None = None,
        rule_name: str | None = None,
    ) -> Finding:
        if rule is not None:
            rule_id, rule_name, where = rule.rule_id, rule.rule_name, where or rule.where
        finding = Finding(
            severity=severity,
            code=code,
            message=message,
            task=self.task,
            region=self.region,
            rule_id=rule_id,
            rule_name=rule_name,
            where=where,
            became=became,
            hint=hint,
        )
        self.items.append(finding)
        return finding

    def info(self, code: str, message: str, **kw: Any) -> Finding:
        return self.add(Severity.INFO, code, message, **kw)

    def warning(self, code: str, message: str, **kw: Any) -> Finding:
        return self.add(Severity.WARNING, code, message, **kw)

    def blocker(self, code: str, message: str, **kw: Any) -> Finding:
        return self.add(Severity.BLOCKER, code, message, **kw)


def rule_subject(finding: Finding) -> str | None:
    """``rule N (name)`` for a finding about a rule (a rule without a name goes by its id), else None."""
    if finding.rule_id is None and finding.rule_name is None:
        return None
    return f"rule {finding.rule_id or '?'} ({finding.rule_name or finding.rule_id or 'unnamed'})"


def finding_text(finding: Finding) -> str:
    """The finding's message for people, opening with the rule it is about (``rule N (name): ...``)."""
    subject = rule_subject(finding)
    return f"{subject}: {finding.message}" if subject else finding.message
