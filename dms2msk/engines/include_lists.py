"""Literal names inside Debezium include lists, for prerequisite commands that must name each object.

The mapper writes include lists as comma-separated Java regexes whose name parts are joined by ``\\.``
(``shop\\.orders,app\\..*``). A command such as Db2's ``ASNCDC.ADDTABLE`` or DocumentDB's
``modifyChangeStreams`` needs the literal names, so entries that are patterns are reported as such and the
caller writes a placeholder for them.
"""

from __future__ import annotations

from dataclasses import dataclass

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


REGEX_SPECIALS = frozenset("[](){}.*+?^$|\\")
"""Characters that make an include-list part a pattern rather than a name."""


@dataclass(frozen=True)
class IncludedNames:
    """The literal entries of one include list, and whether it also holds patterns."""

    literal: tuple[tuple[str, ...], ...] = ()
    has_patterns: bool = False


def included_names(include_list: str | None, parts: int) -> IncludedNames:
    """Split ``include_list`` into literal ``parts``-part names (``("shop", "orders")``) and note any pattern.

    An entry whose parts are all free of regex characters is literal; ``name\\..*`` (every object of a literal
    schema or database) keeps its literal first part with ``"*"`` as the last, so callers that can address a whole
    database or schema at once (DocumentDB) do so.
    """
    literal: list[tuple[str, ...]] = []
    has_patterns = False
    for entry in (without_case_guard(e.strip()) for e in (include_list or "").split(",")):
        if not entry:
            continue
        names = entry.split("\\.")
        if len(names) == parts and all(name and not REGEX_SPECIALS & set(name) for name in names):
            literal.append(tuple(names))
        elif (
            len(names) == parts
            and names[-1] == ".*"
            and all(name and not REGEX_SPECIALS & set(name) for name in names[:-1])
        ):
            literal.append((*names[:-1], "*"))
        else:
            has_patterns = True
    return IncludedNames(tuple(literal), has_patterns)
