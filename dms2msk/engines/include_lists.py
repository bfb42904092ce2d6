"""The case-sensitivity wrapper of Debezium include-list entries.

The mapper writes include lists as comma-separated Java regexes, each wrapped by :func:`case_sensitive`. Later
stages read what is captured from the typed capture set (:mod:`dms2msk.capture`), not from these entries.
"""

from __future__ import annotations

CASE_SENSITIVE_OPEN = "(?-i:"
"""Debezium compiles include-list entries with ``Pattern.CASE_INSENSITIVE``; DMS selection is case-sensitive, so
the mapper wraps every entry in this scoped flag group (``(?-i:shop\\.Orders)``), which Java and Python honour."""


def case_sensitive(regex: str) -> str:
    """``regex`` as an include-list entry that matches with letter case, under Debezium's case-insensitive flag."""
    return f"{CASE_SENSITIVE_OPEN}{regex})"


def without_case_guard(entry: str) -> str:
    """The regex inside an entry written by :func:`case_sensitive` (others are returned as they are)."""
    if entry.startswith(CASE_SENSITIVE_OPEN) and entry.endswith(")"):
        return entry[len(CASE_SENSITIVE_OPEN) : -1]
    return entry


CASE_SENSITIVE_REST = "(?-i)"
"""``message.key.columns`` entries are ``<table regex>:<columns>`` and Debezium splits them on ``:`` (and refuses
whitespace), so the scoped ``(?-i:...)`` group cannot be used there. Debezium's ``Key.CustomKeyMapper`` turns each
entry into the regex ``<table regex>.<column>`` compiled case-insensitively (``Predicates.includes``); this flag at
its start makes the whole of it, table and column, match with letter case as DMS key definitions do."""


def case_sensitive_key_entry(table_regex: str, columns: list[str]) -> str:
    """One ``message.key.columns`` entry that matches the table and its columns with letter case."""
    return f"{CASE_SENSITIVE_REST}{table_regex}:{','.join(columns)}"


def key_entry_table_regex(table_part: str) -> str:
    """The table part of a ``message.key.columns`` entry as a regex Python evaluates like Debezium does: the
    leading ``(?-i)`` (which Python's ``re`` accepts only at a group) becomes the scoped ``(?-i:...)`` group."""
    if table_part.startswith(CASE_SENSITIVE_REST):
        return case_sensitive(table_part[len(CASE_SENSITIVE_REST) :])
    return table_part
