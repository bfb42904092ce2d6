"""The typed capture set mapping hands to later stages besides the properties it becomes.

Selection already carries exact tables and DMS patterns (``SelectionPlan.exact_tables``/``dms_patterns``); this
module adds the record keys DMS ``define-primary-key`` rules give tables, so the plan's primary-key check reads them
as data rather than parsing ``message.key.columns`` back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import SelectionPattern, TableKey
from .rules import TransformationRule
from .selection import fq_regex


def defined_keys(rules: Sequence[TransformationRule]) -> tuple[TableKey, ...]:
    """The key columns per table of every define-primary-key rule that became ``message.key.columns``, in rule order
    (every one does: the compiler writes separators and whitespace in names as regex escapes)."""
    keys: list[TableKey] = []
    for rule in sorted(rules, key=lambda r: r.order_key):
        if rule.action != "define-primary-key":
            continue
        columns = tuple(str(c) for c in (rule.primary_key_def or {}).get("columns", []))
        schema, table = rule.locator.schema_name or "", rule.locator.table_name or ""
        keys.append(TableKey(schema, table, columns))
    return tuple(keys)


def dms_rules_select(rules: Sequence[SelectionPattern], schema: str, table: str) -> bool:
    """Whether DMS selects ``schema.table`` under these selection rules: an include or explicit rule matches and no
    exclude rule does (DMS User Guide, "Selection rules and actions": names compare case-sensitively, ``%`` and ``_``
    are wildcards except in explicit rules)."""
    name = f"{schema}.{table}"

    def matches(rule: SelectionPattern) -> bool:
        literal = rule.action == "explicit"
        regex = fq_regex((rule.schema_name, literal), (rule.table_name, literal))
        return re.fullmatch(regex, name, re.ASCII) is not None

    if any(matches(rule) for rule in rules if rule.action == "exclude"):
        return False
    return any(matches(rule) for rule in rules if rule.action != "exclude")
