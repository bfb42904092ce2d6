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
