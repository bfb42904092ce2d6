"""Offline checks of generated connector configs with the real Debezium and Kafka Connect classes.

For each connector: the version catalog (unknown keys, bad enum values), then
the connector's own field validation (the validators Debezium attaches to its
``Field`` definitions, and Kafka's ``ConfigDef.validate`` for types), which
needs no database; and for each SMT and predicate, an instance of the real
class ``configure()``-d with the generated options.

What cannot be checked here is said so: the JDBC sink connector and its naming
SMTs and the scripting SMTs have no jar here (catalog only); MariaDB is
validated with the MySQL fields it shares; Debezium 2.7.3 configs are checked
against the 2.7.3 catalog, since the classes here are 3.6.3.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import catalog
from ..engines import find_source_engine, source_config_classes
from ..errors import ToolError
from ..model import Connector
from ..outdir import BOOTSTRAP_PLACEHOLDER as BOOTSTRAP_IN_OUT
from .engine import REFERENCE
from .report import FAILED, NOT_CHECKABLE, OK, WARNING, CheckResult

CONFIG_CLASSES: dict[str, str] = source_config_classes()
"""Connector class -> its ``...ConnectorConfig`` class, for the connectors whose jar is here (from the registry)."""
JAR_VERSION = "3.6.3.Final"
PLACEHOLDER = "dms2msk-verify-placeholder"
BOOTSTRAP_PLACEHOLDER = "127.0.0.1:9092"


_TYPED_STAND_INS = {"INT": "1", "SHORT": "1", "LONG": "1", "DOUBLE": "1.0", "BOOLEAN": "true"}
"""A value of each Kafka ConfigDef type, for a key whose whole value is a config-provider reference."""


def _offline_value(value: str, value_type: str = "STRING") -> str:
    """Config-provider references and the bootstrap placeholder get stand-in values: only their shape matters.

    A value that is one reference (``${secretsmanager:...:port}``) is replaced when the worker starts the
    connector, so its stand-in has the key's own type (``value_type``, the ConfigDef type name) and
    passes the type check the real value will pass.
    """
    if value == BOOTSTRAP_IN_OUT:
        return BOOTSTRAP_PLACEHOLDER
    if REFERENCE.fullmatch(value) and value_type in _TYPED_STAND_INS:
        return _TYPED_STAND_INS[value_type]
    return REFERENCE.sub(PLACEHOLDER, value)


def validated_as(connector_class: str) -> str:
    """The connector class whose jar here validates ``connector_class``: its own, or the one whose fields it shares.

    MariaDB has no jar here: its shared binlog fields are validated through the MySQL connector (the engine
    module says which connector a connector shares its fields with).
    """
    if connector_class in CONFIG_CLASSES:
        return connector_class
    engine = find_source_engine(connector_class=connector_class)
    shared = engine.FIELDS_SHARED_WITH if engine else None
    return shared if shared in CONFIG_CLASSES else connector_class


def validate_fields(connector_class: str, config: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, message) for every value the connector's own validators reject. Needs the JVM."""
    from ..jvm import jclass

    checked_as = validated_as(connector_class)
    config_class = CONFIG_CLASSES[checked_as]
    connector = jclass(checked_as)()
    config_keys = connector.config().configKeys()
    java_map = jclass("java.util.HashMap")()
    for key, value in config.items():
        config_key = config_keys.get(key)
        java_map.put(key, _offline_value(value, str(config_key.type().name()) if config_key is not None else "STRING"))
    if checked_as != connector_class:
        java_map.put("connector.class", checked_as)
    errors: dict[str, str] = {}
    # Debezium's Field validators (enum values, ranges, required-when rules).
    configuration = jclass("io.debezium.config.Configuration").from_(java_map)
    results = configuration.validate(jclass(config_class).ALL_FIELDS)
    for name, config_value in dict(results).items():
        for message in config_value.errorMessages():
            errors.setdefault(str(name), str(message))
    # Kafka's type parsing of the same keys (int, long, boolean, list, class). One problem per key: the
    # two validators (and fields listed twice) report the same bad value in their own words.
    for config_value in connector.config().validate(java_map):
        for message in config_value.errorMessages():
            errors.setdefault(str(config_value.name()), str(message))
    return list(errors.items())


def _chain_checks(pipeline: str, connector: Connector, version: str) -> list[CheckResult]:
    from .engine import _configured

    results: list[CheckResult] = []
    cat = catalog.load_catalog(version)
    config = connector.config
    for section, specs in (("predicates", cat.predicates), ("transforms", cat.transforms)):
        for alias in [a.strip() for a in config.get(section, "").split(",") if a.strip()]:
            subject = f"{section}.{alias}"
            class_name = config.get(f"{subject}.type", "").strip()
            spec = specs.get(class_name)
            if spec is not None and spec.not_checkable_here:
                results.append(
                    CheckResult(
                        pipeline,
                        connector.name,
                        subject,
                        NOT_CHECKABLE,
                        f"{class_name} is not checkable here: {spec.provenance}",
                    )
                )
                continue
            options = {k: v for k, v in config.items() if k.startswith(f"{subject}.")}
            if catalog.normalize_version(version) != JAR_VERSION:
                # 2.7-era aliases of Kafka's ReplaceField are translated; the classes here are Kafka 4.3.
                renamed = {"blacklist": "exclude", "whitelist": "include"}
                options = {
                    (f"{subject}.{renamed[k.rsplit('.', 1)[1]]}" if k.rsplit(".", 1)[1] in renamed else k): v
                    for k, v in options.items()
                }
            try:
                _configured(options, section, alias)
            except ToolError as exc:
                results.append(CheckResult(pipeline, connector.name, subject, FAILED, exc.message))
                continue
            results.append(CheckResult(pipeline, connector.name, subject, OK, f"{class_name} configured"))
    return results


def _shared_fields_note(connector_class: str, checked_as: str) -> str:
    """`` (with the MySQL connector's fields, which MariaDB shares)`` when validated through another connector."""
    if checked_as == connector_class:
        return ""
    own = find_source_engine(connector_class=connector_class)
    shared = find_source_engine(connector_class=checked_as)
    own_name = own.DISPLAY_NAME if own else connector_class
    shared_name = shared.DISPLAY_NAME if shared else checked_as
    return f" (with the {shared_name} connector's fields, which {own_name} shares)"


def _validation_checks(pipeline: str, connector: Connector, version: str | None) -> list[CheckResult]:
    """The connector's own field validation on the jar here, or why it could not run."""

    def validation(status: str, message: str) -> CheckResult:
        return CheckResult(pipeline, connector.name, "connector validation", status, message)

    checked_as = validated_as(connector.connector_class)
    if checked_as not in CONFIG_CLASSES:
        no_jar = f"{connector.connector_class} has no jar here; checked against the catalog only"
        return [validation(NOT_CHECKABLE, no_jar)]
    if version != JAR_VERSION:
        return [
            validation(
                NOT_CHECKABLE,
                f"the Debezium classes here are {JAR_VERSION}; a {version} config is checked against the "
                f"{version} catalog only",
            )
        ]
    errors = validate_fields(connector.connector_class, connector.config)
    if errors:
        return [CheckResult(pipeline, connector.name, key, FAILED, message) for key, message in errors]
    via = _shared_fields_note(connector.connector_class, checked_as)
    return [validation(OK, f"{connector.connector_class} accepts every value{via}")]


def check_connector(pipeline: str, connector: Connector, debezium_version: str) -> list[CheckResult]:
    """Every offline check of one connector."""
    results: list[CheckResult] = []
    problems = catalog.check_properties(connector.connector_class, connector.config, debezium_version)
    for problem in problems:
        status = FAILED if problem.severity == "error" else WARNING
        results.append(CheckResult(pipeline, connector.name, problem.key, status, problem.message, problem.hint))
    version = catalog.normalize_version(debezium_version)
    if not catalog.errors_only(problems):
        results.append(
            CheckResult(pipeline, connector.name, "properties", OK, f"every key is known to Debezium {version}")
        )
    results.extend(_validation_checks(pipeline, connector, version))
    results.extend(_chain_checks(pipeline, connector, debezium_version))
    return results
