"""Which connector and SMT properties each supported Debezium version knows.

Every property dms2msk emits is checked here before anything is written, so a
connector never receives a key its Debezium version does not know (MSK Connect
has no validation endpoint; a typo would surface only after a long creation
cycle).

Catalog files in ``data/``:

* ``debezium-3.6.3.Final.json``: extracted from the real jars by
  ``python -m dms2msk.catalog.extract`` (a test re-extracts and compares).
* ``documented-3.6.3.Final.json``: parts no jar here carries (JDBC sink, its
  naming SMTs, the scripting SMTs, MariaDB derived from MySQL), from the docs.
* ``debezium-2.7.3.Final.json``: the 3.6.3 catalog with the documented 2.7
  differences (renamed sink keys, snapshot modes, Kafka 2.7 SMT options).

Debezium 3.0-3.5 are not supported: their snapshot modes and sink keys differ
from both catalogs (see the reference table), and an approximate catalog would
let wrong values through. Use 3.6.3.Final (or 2.7.3.Final).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..debezium_version import SUPPORTED_RELEASES, DebeziumVersion
from ..engines import all_engines, find_source_engine
from ..errors import ConfigError
from ..sinks import sink_of_connector

DATA_DIR = Path(__file__).resolve().parent / "data"

SUPPORTED_VERSIONS: tuple[str, ...] = SUPPORTED_RELEASES
"""Debezium versions with a catalog, oldest first (:data:`dms2msk.debezium_version.SUPPORTED_RELEASES`)."""

SOURCE_PASS_THROUGH_PREFIXES: tuple[str, ...] = (
    "producer.override.",  # Kafka producer of the Connect worker, per connector
    "consumer.override.",
    "admin.override.",
    "topic.creation.",  # topic.creation.default.* and per-group settings (KIP-158)
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "snapshot.select.statement.overrides.",  # one key per table: ...overrides.<db>.<table>
    "driver.",  # JDBC driver pass-through
    "signal.consumer.",  # Kafka signal channel client
    "signal.kafka.",
    "notification.",
)
SCHEMA_HISTORY_PREFIXES: tuple[str, ...] = (
    "schema.history.internal.producer.",
    "schema.history.internal.consumer.",
)
SINK_PASS_THROUGH_PREFIXES: tuple[str, ...] = (
    "consumer.override.",
    "admin.override.",
    "producer.override.",  # the dead-letter-queue producer
    "key.converter.",
    "value.converter.",
    "header.converter.",
)
"""Kafka Connect's own sink prefixes; a sink kind adds its connector's (``Sink.PASS_THROUGH_PREFIXES``)."""
LOOSE_PREFIXES: tuple[str, ...] = ("database.",)
"""Passed to the JDBC driver when not a known key; accepted with a warning so typos are still visible."""


@functools.cache
def history_kinds() -> frozenset[str]:
    """Plugin kinds of the connectors that keep a schema history (``Engine.USES_SCHEMA_HISTORY``).

    Read from the engine registry (which imports no catalog module, so there is no import cycle): their
    configs may also carry the Kafka schema-history store's properties.
    """
    return frozenset(
        cls.SOURCE_PLUGIN_KIND for cls in all_engines().values() if cls.USES_SCHEMA_HISTORY and cls.SOURCE_PLUGIN_KIND
    )


TRANSFORM_FRAMEWORK_KEYS = frozenset({"type", "predicate", "negate"})


class UnsupportedVersionError(ConfigError):
    """The Debezium version asked for has no catalog."""


@dataclass(frozen=True)
class Problem:
    """One property a connector config should not carry, or a value it should not have."""

    key: str
    code: str  # unknown-property | bad-value | unknown-connector-class | unknown-transform | unknown-predicate | ...
    message: str
    severity: str = "error"  # "error": the connector would reject or ignore it; "warning": passed through as is
    hint: str | None = None


@dataclass(frozen=True)
class PropertySpec:
    name: str
    type: str = "string"
    default: str | None = None
    allowed: tuple[str, ...] = ()
    deprecated: str | None = None  # the key that replaces it


@dataclass(frozen=True)
class ClassSpec:
    """Properties of one connector or transformation class in one Debezium version."""

    class_name: str
    properties: dict[str, PropertySpec]
    patterns: tuple[re.Pattern[str], ...] = ()  # dynamic keys such as column.mask.with.<n>.chars
    kind: str = ""
    role: str = ""
    provenance: str = ""
    not_checkable_here: bool = False

    def knows(self, key: str) -> bool:
        return key in self.properties or any(p.fullmatch(key) for p in self.patterns)


@dataclass(frozen=True)
class Catalog:
    debezium_version: str
    kafka_connect_version: str
    provenance: str
    framework: dict[str, frozenset[str]]
    connectors: dict[str, ClassSpec]
    transforms: dict[str, ClassSpec]
    predicates: dict[str, ClassSpec]
    notes: tuple[str, ...] = field(default=())

    def connector_for_kind(self, kind: str) -> ClassSpec | None:
        return next((c for c in self.connectors.values() if c.kind == kind), None)


def supported_versions() -> tuple[str, ...]:
    return SUPPORTED_VERSIONS


def normalize_version(version: str) -> str | None:
    """The catalog version for ``version`` (``3.6.3`` and ``3.6.3.Final`` are the same), or None."""
    try:
        return DebeziumVersion.parse(version).catalog_release
    except ConfigError:
        return None


def is_supported(version: str) -> bool:
    return normalize_version(version) is not None


def _require(version: str) -> str:
    normalized = normalize_version(version)
    if normalized is None:
        raise UnsupportedVersionError(
            f"Debezium version {version!r} is not supported; supported versions: {', '.join(SUPPORTED_VERSIONS)}",
            hint="set debezium_version in the --config file to one of the supported versions "
            "(3.0-3.5 differ in snapshot modes and sink keys and have no catalog)",
        )
    return normalized


def _pattern_for(name: str) -> re.Pattern[str]:
    # Debezium names its dynamic keys with regex fragments, e.g. 'column.mask.with.(d+).chars'
    # (the backslash of \d is lost in the Field name). Rebuild an anchored regex from it.
    escaped = re.escape(name)
    escaped = escaped.replace(r"\(d\+\)", r"\d+").replace(r"\(\[\^\.\]\+\)", r"[^.]+").replace(r"\(\.\+\)", r".+")
    return re.compile(escaped)


def _class_spec(class_name: str, data: dict[str, Any]) -> ClassSpec:
    properties: dict[str, PropertySpec] = {}
    patterns: list[re.Pattern[str]] = []
    for name, entry in sorted(data.get("properties", {}).items()):
        if "(" in name:
            patterns.append(_pattern_for(name))
            continue
        properties[name] = PropertySpec(
            name=name,
            type=entry.get("type", "string"),
            default=entry.get("default"),
            allowed=tuple(entry.get("allowed", ())),
            deprecated=entry.get("deprecated"),
        )
    return ClassSpec(
        class_name=class_name,
        properties=properties,
        patterns=tuple(patterns),
        kind=data.get("kind", ""),
        role=data.get("role", ""),
        provenance=data.get("provenance", ""),
        not_checkable_here=bool(data.get("not_checkable_here", False)),
    )


def _read(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _raw_3x(version: str) -> dict[str, Any]:
    """Extracted + documented catalog data for a 3.x version."""
    raw = copy.deepcopy(_read(f"debezium-{version}.json"))
    documented = _read(f"documented-{version}.json")
    raw["connectors"].update(copy.deepcopy(documented["connectors"]))
    raw["transforms"].update(copy.deepcopy(documented["transforms"]))
    for class_name, spec in documented["derived_connectors"].items():
        base = copy.deepcopy(raw["connectors"][spec["from"]])
        for key in spec.get("remove", ()):
            base["properties"].pop(key, None)
        # Keys the derived connector redefines (its own enum values and defaults).
        base["properties"].update(copy.deepcopy(spec.get("override", {})))
        base.update(kind=spec["kind"], role=spec["role"], provenance=spec["provenance"])
        raw["connectors"][class_name] = base
    raw["notes"] = [documented["provenance"]]
    return raw


def _raw_derived(version: str) -> dict[str, Any]:
    overlay = _read(f"debezium-{version}.json")
    raw = _raw_3x(overlay["base"])
    raw["debezium_version"] = overlay["debezium_version"]
    raw["kafka_connect_version"] = overlay["kafka_connect_version"]
    raw["provenance"] = overlay["provenance"]
    for role, keys in overlay["framework_remove"].items():
        if role in raw["framework"]:
            raw["framework"][role] = [k for k in raw["framework"][role] if k not in keys]
    removed_everywhere = set(overlay["remove_all_connectors"]["keys"])
    for connector in raw["connectors"].values():
        for key in removed_everywhere:
            connector["properties"].pop(key, None)
    for class_name, values in overlay["allowed_values"].items():
        for key, allowed in values.items():
            raw["connectors"][class_name]["properties"][key]["allowed"] = allowed
    for class_name, change in overlay["connectors"].items():
        props = raw["connectors"][class_name]["properties"]
        for key in change.get("remove", ()):
            props.pop(key, None)
        props.update(copy.deepcopy(change.get("add", {})))
    transforms = overlay["transforms"]
    for class_name in transforms["remove"]:
        raw["transforms"].pop(class_name, None)
    for class_name, props in transforms["add_properties"].items():
        raw["transforms"][class_name]["properties"].update(copy.deepcopy(props))
    for selector, keys in transforms["remove_properties"].items():
        for class_name, spec in raw["transforms"].items():
            if class_name == selector or (selector.endswith("*") and class_name.startswith(selector[:-1])):
                for key in keys:
                    spec["properties"].pop(key, None)
    raw["notes"] = [*raw.get("notes", []), overlay["provenance"]]
    return raw


@functools.cache
def load_catalog(version: str) -> Catalog:
    """The catalog for a supported Debezium version; an unknown version raises with the supported list."""
    normalized = _require(version)
    overlay = _read(f"debezium-{normalized}.json")
    raw = _raw_derived(normalized) if "base" in overlay else _raw_3x(normalized)
    return Catalog(
        debezium_version=raw["debezium_version"],
        kafka_connect_version=raw["kafka_connect_version"],
        provenance=raw["provenance"],
        framework={role: frozenset(keys) for role, keys in raw["framework"].items()},
        connectors={name: _class_spec(name, data) for name, data in raw["connectors"].items()},
        transforms={name: _class_spec(name, data) for name, data in raw["transforms"].items()},
        predicates={name: _class_spec(name, data) for name, data in raw["predicates"].items()},
        notes=tuple(raw.get("notes", ())),
    )


def _aliases(config: dict[str, str], key: str) -> list[str]:
    return [alias.strip() for alias in config.get(key, "").split(",") if alias.strip()]


def _is_reference(value: str) -> bool:
    """A config-provider reference (``${secretsmanager:...}``) or placeholder: its value is not known here."""
    return "${" in value


def _check_value(spec: PropertySpec, key: str, value: str) -> Problem | None:
    if not spec.allowed or _is_reference(value):
        return None
    # Debezium parses enum options case-insensitively; list options are comma-separated.
    values = [v.strip().lower() for v in value.split(",")] if spec.type == "list" else [value.strip().lower()]
    bad = [v for v in values if v not in spec.allowed]
    if not bad:
        return None
    return Problem(
        key=key,
        code="bad-value",
        message=f"{key}={value!r} is not a valid value; valid: {', '.join(spec.allowed)}",
        hint="pick one of the valid values for this Debezium version",
    )


def _check_chain(
    config: dict[str, str], section: str, specs: dict[str, ClassSpec], version: str
) -> tuple[list[Problem], set[str]]:
    """Check ``transforms`` or ``predicates``: each alias's class and its options. Returns the keys it covered."""
    problems: list[Problem] = []
    covered: set[str] = {section}
    aliases = _aliases(config, section)
    listed = set(aliases)
    for alias in aliases:
        type_key = f"{section}.{alias}.type"
        covered.add(type_key)
        class_name = config.get(type_key)
        alias_keys = [k for k in config if k.startswith(f"{section}.{alias}.") and k != type_key]
        covered.update(alias_keys)
        if not class_name:
            problems.append(Problem(type_key, "missing-type", f"{section} alias {alias!r} has no {type_key}"))
            continue
        spec = specs.get(class_name.strip())
        if spec is None:
            problems.append(
                Problem(
                    type_key,
                    f"unknown-{section[:-1]}",
                    f"{class_name} is not a known {section[:-1]} class for Debezium {version}",
                    hint=f"known: {', '.join(sorted(specs))}",
                )
            )
            continue
        framework_keys = TRANSFORM_FRAMEWORK_KEYS if section == "transforms" else frozenset({"type"})
        for key in alias_keys:
            option = key[len(f"{section}.{alias}.") :]
            if option in framework_keys:
                if option == "predicate" and config[key] not in _aliases(config, "predicates"):
                    problems.append(
                        Problem(
                            key,
                            "unknown-predicate",
                            f"{key} names predicate {config[key]!r}, which is not in the predicates list",
                        )
                    )
                continue
            if not spec.knows(option):
                problems.append(
                    Problem(
                        key,
                        "unknown-property",
                        f"{class_name} has no option {option!r} in Debezium {version}",
                        hint=f"known options: {', '.join(sorted(spec.properties)) or '(none)'}",
                    )
                )
                continue
            option_spec = spec.properties.get(option)
            if option_spec is not None:
                bad = _check_value(option_spec, key, config[key])
                if bad:
                    problems.append(bad)
    for key in config:
        if key.startswith(f"{section}.") and key not in covered:
            alias = key[len(section) + 1 :].split(".", 1)[0]
            if alias not in listed:
                covered.add(key)
                problems.append(
                    Problem(
                        key,
                        "unlisted-alias",
                        f"{key} configures {section} alias {alias!r}, "
                        f"which is not in {section}={config.get(section, '')!r}",
                    )
                )
    return problems, covered


def check_properties(connector_class: str, config: dict[str, str], debezium_version: str) -> list[Problem]:
    """Problems with ``config`` for ``connector_class`` in ``debezium_version``; empty when every key is known.

    Driver pass-through keys the source engine writes on purpose (its ``OWN_DRIVER_PROPERTIES``, e.g.
    MySQL's ``database.connectionTimeZone``) are not reported as possible misspellings.

    Checks unknown keys (with the pass-through prefix families each connector
    accepts), enum values (snapshot modes and the like), and every SMT and
    predicate alias: its class and its options.
    """
    catalog = load_catalog(debezium_version)
    version = catalog.debezium_version
    spec = catalog.connectors.get(connector_class)
    if spec is None:
        return [
            Problem(
                "connector.class",
                "unknown-connector-class",
                f"{connector_class} has no catalog for Debezium {version}",
                hint=f"known classes: {', '.join(sorted(catalog.connectors))}",
            )
        ]
    problems: list[Problem] = []
    if "connector.class" in config and config["connector.class"] != connector_class:
        problems.append(
            Problem(
                "connector.class",
                "bad-value",
                f"connector.class is {config['connector.class']!r}, expected {connector_class!r}",
            )
        )
    for section, specs in (("transforms", catalog.transforms), ("predicates", catalog.predicates)):
        chain_problems, _covered = _check_chain(config, section, specs, version)
        problems.extend(chain_problems)
    chain_keys = {
        k for k in config if k in ("transforms", "predicates") or k.startswith(("transforms.", "predicates."))
    }
    prefixes = SINK_PASS_THROUGH_PREFIXES if spec.role == "sink" else SOURCE_PASS_THROUGH_PREFIXES
    sink = sink_of_connector(connector_class) if spec.role == "sink" else None
    if sink is not None:
        prefixes = prefixes + sink.PASS_THROUGH_PREFIXES
    if spec.kind in history_kinds():
        prefixes = prefixes + SCHEMA_HISTORY_PREFIXES
    # Converters and post processors are configured under their own aliases (``<alias>.type``, ...).
    converter_names = _aliases(config, "converters") + _aliases(config, "post.processors")
    engine = find_source_engine(connector_class=connector_class)
    own_pass_through = engine.OWN_DRIVER_PROPERTIES if engine else ()
    framework = catalog.framework.get(spec.role, frozenset())
    for key, value in sorted(config.items()):
        if key in chain_keys:
            continue
        if key in framework:
            continue
        property_spec = spec.properties.get(key)
        if property_spec is not None:
            bad = _check_value(property_spec, key, value)
            if bad:
                problems.append(bad)
            if property_spec.deprecated:
                problems.append(
                    Problem(
                        key,
                        "deprecated",
                        f"{key} is deprecated in Debezium {version}; use {property_spec.deprecated}",
                        severity="warning",
                    )
                )
            continue
        if spec.knows(key) or key.startswith(prefixes) or any(key.startswith(f"{c}.") for c in converter_names):
            continue
        if key in own_pass_through:
            continue
        if key.startswith(LOOSE_PREFIXES):
            problems.append(
                Problem(
                    key,
                    "pass-through",
                    f"{key} is not a known {spec.kind} property in Debezium {version}; "
                    "it is passed to the JDBC driver as is",
                    severity="warning",
                    hint="check the spelling if it was meant as a connector property",
                )
            )
            continue
        problems.append(
            Problem(
                key,
                "unknown-property",
                f"{key} is not a property of {connector_class} in Debezium {version}",
                hint="remove it, or check its name for this Debezium version",
            )
        )
    return problems


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that would make the connector reject or ignore a setting."""
    return [p for p in problems if p.severity == "error"]


__all__ = [
    "SUPPORTED_VERSIONS",
    "Catalog",
    "ClassSpec",
    "Problem",
    "PropertySpec",
    "UnsupportedVersionError",
    "check_properties",
    "errors_only",
    "is_supported",
    "load_catalog",
    "normalize_version",
    "supported_versions",
]
