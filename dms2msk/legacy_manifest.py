"""Meaning read back from the properties of manifests that older dms2msk versions wrote.

Those manifests carry a source connector's include lists, key columns and SMT chain only as property text (their
``selection`` is empty, ``key_columns`` and ``plugin_requirements`` are None). :func:`_read` is the one function
outside mapping and render that reads such property values (tests/map/test_no_property_parse_back.py allows it and
no other); the rest of this module interprets what it read. Current manifests never come here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .capture import CaptureSet, LegacyLists
from .engines.include_lists import CASE_SENSITIVE_REST, without_case_guard
from .model import TableKey


@dataclass(frozen=True)
class _LegacyProperties:
    schema_list: str
    table_list: str
    message_key_columns: str
    transform_types: tuple[str, ...]


def _read(config: Mapping[str, str]) -> _LegacyProperties:
    """The property values older manifests hold their capture set and SMT chain in."""
    return _LegacyProperties(
        schema_list=config.get("database.include.list") or config.get("schema.include.list") or "",
        table_list=config.get("table.include.list") or config.get("collection.include.list") or "",
        message_key_columns=config.get("message.key.columns", ""),
        transform_types=tuple(
            value for key, value in config.items() if key.startswith("transforms.") and key.endswith(".type")
        ),
    )


def legacy_transform_types(config: Mapping[str, str]) -> tuple[str, ...]:
    """The SMT classes of an older manifest's connector (for the scripting-jar check)."""
    return _read(config).transform_types


def _entries(value: str) -> list[str]:
    # The mapper writes a comma inside a name as \x2C, so a comma always separates entries.
    return [part.strip() for part in value.split(",") if part.strip()]


_LITERAL_PART = re.compile(r"(?:[^\\.^$*+?()\[\]{}|]|\\x[0-9A-Fa-f]{2}|\\[^A-Za-z0-9])+")
"""A name part with no regex operator: plain characters and the mapper's escapes (``\\-``, ``\\x2C``)."""
_NAME_SEPARATOR = re.compile(r"(?<!\\)\\\.")
_PLAIN_NAME = re.compile(r"([\w$#-]+)\.([\w$#-]+)")
"""A hand-written ``schema.table`` entry whose dot is not escaped: it names that table (its dot matches any one)."""


def _unescaped(part: str) -> str:
    """The name an escaped literal part stands for: ``order\\x2Citems`` is ``order,items``."""
    return re.sub(r"\\x([0-9A-Fa-f]{2})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], part)


def _literal_parts(entry: str) -> list[str] | None:
    """The unescaped names of an entry joined by ``\\.``, or None when a part is a pattern (``.*`` kept as is)."""
    entry = without_case_guard(entry)
    plain = _PLAIN_NAME.fullmatch(entry)
    if plain:
        return [plain[1], plain[2]]
    parts = _NAME_SEPARATOR.split(entry)
    if all(_LITERAL_PART.fullmatch(p) for p in parts):
        return [_unescaped(p) for p in parts]
    if len(parts) == 2 and parts[1] == ".*" and _LITERAL_PART.fullmatch(parts[0]):
        return [_unescaped(parts[0]), ".*"]
    return None


def _key_columns(value: str) -> tuple[TableKey, ...]:
    """``message.key.columns``: ``<schema\\.table regex>:<col>,<col>`` entries separated by ``;``."""
    keys = []
    for entry in value.split(";"):
        regex, _, columns = entry.partition(":")
        # Entries written since keys match with letter case start with Debezium's (?-i) flag.
        parts = _literal_parts(regex.strip().removeprefix(CASE_SENSITIVE_REST))
        if parts is not None and len(parts) == 2 and parts[1] != ".*":
            keys.append(TableKey(parts[0], parts[1], tuple(c.strip() for c in columns.split(",") if c.strip())))
    return tuple(keys)


def legacy_capture_set(config: Mapping[str, str]) -> CaptureSet:
    """The capture set an older manifest's include lists describe, as far as they name objects literally."""
    read = _read(config)
    table_entries = _entries(read.table_list)
    schema_entries = _entries(read.schema_list)
    tables: list[tuple[str, str]] = []
    whole_schemas: list[str] = []
    for entry in table_entries:
        parts = _literal_parts(entry)
        if parts is not None and len(parts) == 2:
            if parts[1] == ".*":
                whole_schemas.append(parts[0])
            else:
                tables.append((parts[0], parts[1]))
    schemas = {schema for schema, _table in tables} | set(whole_schemas)
    for entry in schema_entries:
        parts = _literal_parts(entry)
        if parts is not None and len(parts) == 1:
            schemas.add(parts[0])
    return CaptureSet(
        tables=tuple(dict.fromkeys(tables)),
        whole_schemas=tuple(dict.fromkeys(whole_schemas)),
        patterns=len(table_entries) - len(tables) - len(whole_schemas),
        includes=len(table_entries),
        schemas=tuple(sorted(schemas)),
        key_columns=_key_columns(read.message_key_columns),
        legacy=LegacyLists(tuple(schema_entries), tuple(table_entries)),
    )
