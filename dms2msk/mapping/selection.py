"""Compile DMS selection rules into Debezium include lists (anchored Java regexes, case-sensitive as in DMS).

Public API::

    plan = compile_selection(parsed.selections, style=STYLES["postgres"], task="t1",
                             topic_prefix="t1", scripting_smt_enabled=False)
    plan.source_properties   # schema/database.include.list, table.include.list, snapshot.select.statement.overrides*
    plan.source_transforms   # SmtChain: streaming filters (io.debezium.transforms.Filter) when scripting is allowed
    plan.plugin_requirements # extra plugin parts those SMTs need (Debezium scripting + Groovy JSR-223)
    plan.findings            # one per rule: what it became, or why not
    plan.selects("public", "orders")  # the compiled regexes evaluated as Debezium does (tests, reports)

How DMS names become regexes (DMS User Guide, "Wildcards in table mapping"):

* ``%`` → any run of characters, ``_`` → one character, ``[ab]``/``[a-d]`` → that set/range,
  ``[_]`` → a literal underscore. ``\\_``, ``\\%``, ``\\[`` and ``\\\\`` are read as the literal
  character (the SQL LIKE escape many users write; DMS documents ``[_]``), with an info finding.
* Every other character is literal: regex metacharacters are escaped, a comma becomes ``\\x2C``
  (Debezium splits its lists on commas).
* Debezium matches ``<schema>.<table>`` as one string. So that ``%`` in the schema part cannot
  swallow the dot, wildcards in schema (and, for columns, table) parts never match ``.``; names
  with dots in the schema are matched only literally.
* Debezium compiles with ``Pattern.CASE_INSENSITIVE`` and uses ``matches()``. DMS is case-sensitive,
  so every entry is wrapped in ``(?-i:...)``, which turns the flag off (proved on the real engine:
  ``tests/debezium/test_source_divergence_postgres.py``).
* Debezium forbids an include list together with an exclude list of the same kind, so the excludes
  become one negative lookahead shared by the includes they may touch:
  ``(?-i:(?!(?:<ex1>|<ex2>)$)(?:<inc1>|<inc2>))``; a plain name no exclude matches keeps an entry of
  its own. The list grows with includes + excludes, not includes x excludes.
* ``table-type``: Debezium captures tables only. An include of views is a blocker, ``all`` a warning;
  an exclude of views changes nothing (it must not drop tables of the same names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..engines import all_engines
from ..engines.engine import IdentifierStyle, topic_part
from ..engines.include_lists import case_sensitive
from ..findings import FindingCode
from ..model import Finding, SelectionPattern, Severity
from .rules import SelectionRule, has_wildcard
from .smt import Smt, SmtChain

__all__ = [
    "SCRIPTING_PLUGIN_PARTS",
    "STYLES",
    "IdentifierStyle",
    "SelectedPattern",
    "SelectionPlan",
    "compile_selection",
    "fq_regex",
    "java_compatible_match",
    "wildcard_regex",
]

SCRIPTING_PLUGIN_PARTS: tuple[str, ...] = ("debezium-scripting", "groovy", "groovy-jsr223", "groovy-json")
"""What the plugin ZIP needs for ``io.debezium.transforms.Filter`` with ``language=jsr223.groovy``."""


def _styles_by_plugin_kind() -> dict[str, IdentifierStyle]:
    """Each source engine's style by its plugin kind (relatives share a kind and its style)."""
    styles: dict[str, IdentifierStyle] = {}
    for engine in all_engines().values():
        if engine.SOURCE_PLUGIN_KIND and engine.IDENTIFIER_STYLE is not None:
            styles.setdefault(engine.SOURCE_PLUGIN_KIND, engine.IDENTIFIER_STYLE)
    return styles


STYLES: dict[str, IdentifierStyle] = _styles_by_plugin_kind()
"""The identifier styles of the engine modules by plugin kind (``STYLES["postgres"]``), for callers and tests."""


# --------------------------------------------------------------------------- #
# Wildcards → regex                                                           #
# --------------------------------------------------------------------------- #


def _literal_char(char: str) -> str:
    if char == ",":
        return r"\x2C"  # Debezium splits lists on commas
    if char.isascii() and (char.isalnum() or char == "_"):
        return char
    if char.isascii():
        return "\\" + char  # a backslash before a non-alphanumeric ASCII character quotes it in Java and Python
    return char


def _class_char(char: str) -> str:
    if char.isascii() and char.isalnum():
        return char
    if char == ",":
        return r"\x2C"
    return "\\" + char if char.isascii() else char


def wildcard_regex(pattern: str, *, segment: bool = True, literal: bool = False, notes: list[str] | None = None) -> str:
    """The Java regex for one DMS name ``pattern``.

    ``segment``: the name is followed by a dot in the full identifier, so wildcards must not match ``.``.
    ``literal``: no wildcards (explicit rules); every character stands for itself.
    ``notes`` collects remarks (escapes read literally, unclosed ``[``) for findings.
    """
    any_char = "[^.]" if segment else "."
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if literal:
            out.append(_literal_char(char))
            i += 1
            continue
        if char == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "_%[\\":
            out.append(_literal_char(pattern[i + 1]))
            if notes is not None:
                notes.append(f"'\\{pattern[i + 1]}' read as a literal '{pattern[i + 1]}'")
            i += 2
            continue
        if char == "%":
            out.append(any_char + "*")
            i += 1
            continue
        if char == "_":
            out.append(any_char)
            i += 1
            continue
        if char == "[":
            close = pattern.find("]", i + 2)  # "[]" never closes at once: the first ']' is a member
            if close == -1:
                if notes is not None:
                    notes.append("'[' without a closing ']' read as a literal '['")
                out.append(_literal_char(char))
                i += 1
                continue
            body = pattern[i + 1 : close]
            if notes is not None and body[:1] in ("^", "!"):
                notes.append(f"'[{body}]' starts with '{body[0]}', read as a member, not as a negation")
            out.append("[" + _class_body(body) + "]")
            i = close + 1
            continue
        out.append(_literal_char(char))
        i += 1
    return "".join(out)


def _class_body(body: str) -> str:
    parts: list[str] = []
    j = 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-" and body[j] <= body[j + 2]:
            parts.append(_class_char(body[j]) + "-" + _class_char(body[j + 2]))
            j += 3
        else:
            parts.append(_class_char(body[j]))
            j += 1
    return "".join(parts)


def fq_regex(*names: tuple[str, bool], notes: list[str] | None = None) -> str:
    """Join name regexes with escaped dots: each item is (pattern, literal). The last part may contain dots."""
    parts = []
    for index, (pattern, literal) in enumerate(names):
        parts.append(wildcard_regex(pattern, segment=index < len(names) - 1, literal=literal, notes=notes))
    return r"\.".join(parts)


def java_compatible_match(regex: str, text: str) -> bool:
    """Evaluate one Debezium list entry as ``Pattern.compile(regex, CASE_INSENSITIVE).matcher(text).matches()``.

    The mapper's entries turn the flag off inside with ``(?-i:...)``; Python honours that scoped group too.

    Java's CASE_INSENSITIVE folds US-ASCII only (no UNICODE_CASE), hence ``re.ASCII``; the
    regexes this module writes use no ``\\w``/``\\b`` classes that ``re.ASCII`` would change.
    """
    return re.fullmatch(regex, text, re.IGNORECASE | re.ASCII) is not None


# --------------------------------------------------------------------------- #
# Selection plan                                                              #
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class SelectedPattern:
    """One include/explicit rule after compilation (transform compiler input)."""

    rule: SelectionRule
    schema_pattern: str
    table_pattern: str
    literal: bool  # explicit rules: no wildcards
    schema_regex: str  # segment regex (no dots), without the case-sensitivity wrapper
    table_regex: str  # segment regex for use inside column identifiers
    table_include_regex: str  # the full table.include.list entry (with exclude lookaheads)

    @property
    def exact_schema(self) -> str | None:
        """The schema name when the pattern names one schema (see :func:`named_object`)."""
        return self.schema_pattern if self.literal else named_object(self.schema_pattern)

    @property
    def exact_table(self) -> str | None:
        return self.table_pattern if self.literal else named_object(self.table_pattern)


def named_object(pattern: str) -> str | None:
    """The name a pattern without ``%`` or a ``[...]`` class of several characters stands for, else None.

    ``_`` still matches any one character in the include regex (as in DMS), but a pattern such as
    ``ORDER_ITEMS`` names one table in practice, so target names are computed for that name.
    """
    # A one-character class ("first[_]name", DMS's literal underscore) stands for that character.
    pattern = re.sub(
        r"(?<!\\)\[([^\]\\])\]", lambda m: "\\" + m.group(1) if m.group(1) in "_%[" else m.group(1), pattern
    )
    if "%" in pattern.replace("\\%", "") or "[" in pattern.replace("\\[", ""):
        return None
    return re.sub(r"\\([_%\[\\])", r"\1", pattern)


@dataclass(frozen=True)
class CompiledFilter:
    rule: SelectionRule
    schema: str
    table: str
    snapshot_select: str
    streaming_condition: str | None


@dataclass(frozen=True)
class SelectionPlan:
    style: IdentifierStyle
    includes: tuple[SelectedPattern, ...] = ()
    excludes: tuple[SelectionRule, ...] = ()
    schema_include_regexes: tuple[str, ...] = ()
    table_include_regexes: tuple[str, ...] = ()
    filters: tuple[CompiledFilter, ...] = ()
    source_properties: dict[str, str] = field(default_factory=dict)
    source_transforms: SmtChain = field(default_factory=SmtChain)
    plugin_requirements: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.table_include_regexes

    def selects(self, schema: str, table: str) -> bool:
        """Whether Debezium, given :attr:`source_properties`, captures ``schema.table``."""
        if self.style.schema_list_key and not any(
            java_compatible_match(r, schema) for r in self.schema_include_regexes
        ):
            return False
        return any(java_compatible_match(r, f"{schema}.{table}") for r in self.table_include_regexes)

    def dms_selects(self, schema: str, table: str) -> bool:
        """Whether DMS (case-sensitive) selects ``schema.table`` under the same rules."""
        return _dms_selects(self.includes, self.excludes, schema, table)

    @property
    def dms_patterns(self) -> tuple[SelectionPattern, ...]:
        """The include and exclude rules as the user wrote them, in rule order, for messages."""
        rules = sorted((*(p.rule for p in self.includes), *self.excludes), key=lambda rule: rule.order_key)
        return tuple(
            SelectionPattern(
                rule.rule_id, rule.rule_name, rule.action, rule.locator.schema_name or "", rule.locator.table_name or ""
            )
            for rule in rules
        )

    @property
    def exact_tables(self) -> tuple[tuple[str, str], ...]:
        """Every captured ``(schema, table)`` by its exact name, when each include names one table; else ``()``."""
        named = [(p.exact_schema, p.exact_table) for p in self.includes]
        if not named or any(s is None or t is None for s, t in named):
            return ()
        return tuple(sorted({(s, t) for s, t in named if s and t and self.dms_selects(s, t)}))


def _case_sensitive(regex: str, text: str) -> bool:
    return re.fullmatch(regex, text, re.ASCII) is not None


def _pattern_regex(rule: SelectionRule) -> str:
    literal = rule.action == "explicit"
    return fq_regex(
        (rule.locator.schema_name or "", literal),
        (rule.locator.table_name or "", literal),
    )


def _dms_selects(
    includes: Sequence[SelectedPattern], excludes: Sequence[SelectionRule], schema: str, table: str
) -> bool:
    name = f"{schema}.{table}"
    if any(_case_sensitive(_pattern_regex(e), name) for e in excludes):
        return False
    return any(_case_sensitive(_pattern_regex(i.rule), name) for i in includes)


def _plain_name(*parts: tuple[str, bool]) -> str | None:
    """The one name a rule's parts stand for when none has a wildcard or an escape (``literal`` parts never do)."""
    names = []
    for pattern, literal in parts:
        if not literal and (has_wildcard(pattern) or "\\" in pattern):
            return None
        names.append(pattern)
    return ".".join(names)


def _table_include(rule: SelectionRule) -> tuple[str, str | None]:
    literal = rule.action == "explicit"
    parts = ((rule.locator.schema_name or "", literal), (rule.locator.table_name or "", literal))
    return fq_regex(*parts), _plain_name(*parts)


def _schema_include(rule: SelectionRule) -> tuple[str, str | None]:
    literal = rule.action == "explicit"
    schema = rule.locator.schema_name or ""
    return wildcard_regex(schema, segment=True, literal=literal), _plain_name((schema, literal))


def _list_entries(includes: Sequence[tuple[str, str | None]], excludes: Sequence[str]) -> list[str]:
    """The include-list entry each include lands in, for "any include and no exclude" (DMS's selection).

    An include naming one object that no exclude matches stays an entry of its own, so plain names stay
    readable. Every other include goes into one shared entry behind one negative lookahead of all excludes:
    ``(?!(?:<ex1>|<ex2>)$)(?:<inc1>|<inc2>)``. Folding the excludes into each include instead made the list
    grow with includes x excludes (1,000 wildcard rules gave a 6 MB list); this grows with their sum. An
    exclude that matches none of an include's names changes nothing in the lookahead, so sharing it is exact.
    Every entry is wrapped case-sensitive (see :func:`case_sensitive`).
    """
    union = "|".join(dict.fromkeys(excludes))
    excluded = re.compile(f"(?:{union})", re.ASCII) if excludes else None
    own = [excluded is None or (name is not None and not excluded.fullmatch(name)) for _regex, name in includes]
    grouped = list(dict.fromkeys(regex for (regex, _name), alone in zip(includes, own, strict=True) if not alone))
    shared = case_sensitive(f"(?!(?:{union})$)(?:{'|'.join(grouped)})") if grouped else ""
    return [case_sensitive(regex) if alone else shared for (regex, _name), alone in zip(includes, own, strict=True)]


def _finding(
    severity: Severity, code: str, message: str, *, task: str | None, rule: SelectionRule | None, **kw: str | None
) -> Finding:
    return Finding(
        severity=severity,
        code=code,
        message=message,
        task=task,
        rule_id=rule.rule_id if rule else None,
        rule_name=rule.rule_name if rule else None,
        where=rule.where if rule else None,
        **kw,  # type: ignore[arg-type]
    )


def compile_selection(
    rules: Sequence[SelectionRule],
    *,
    style: IdentifierStyle,
    task: str | None = None,
    topic_prefix: str | None = None,
    scripting_smt_enabled: bool = False,
    catalog: Iterable[tuple[str, str]] | None = None,
) -> SelectionPlan:
    """Compile selection rules (from :func:`parse_table_mappings`) into Debezium source properties.

    ``topic_prefix`` scopes streaming filter SMTs to the filtered table's topic; ``catalog``
    (known ``(schema, table)`` names, e.g. from DMS table statistics) lets the compiler report
    exactly which tables Debezium would capture differently from DMS.
    """
    findings: list[Finding] = []
    includes: list[SelectionRule] = []
    excludes: list[SelectionRule] = []
    for rule in rules:
        if rule.action == "exclude" and rule.table_type == "view":
            # DMS applies it to views only; Debezium never captures views, so there is nothing to drop (and
            # folding it in would drop tables whose names match).
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.view",
                    f"exclude of views {rule.locator.schema_name}.{rule.locator.table_name} changes nothing: "
                    "Debezium captures tables only, and tables of the same names stay selected as in DMS",
                    task=task,
                    rule=rule,
                )
            )
            continue
        if rule.action == "exclude":
            excludes.append(rule)
            continue
        if rule.table_type == "view":
            findings.append(
                _finding(
                    Severity.BLOCKER,
                    "selection.view",
                    f"selects views {rule.locator.schema_name}.{rule.locator.table_name}; Debezium captures "
                    "changes of tables only, so the views are not carried over",
                    task=task,
                    rule=rule,
                    hint="select the views' base tables instead, or copy the views once outside the pipeline",
                )
            )
            continue
        if rule.table_type == "all":
            findings.append(
                _finding(
                    Severity.WARNING,
                    "selection.view",
                    "table-type 'all' also selects views; Debezium captures the tables only",
                    task=task,
                    rule=rule,
                    hint="select the views' base tables if their data is needed",
                )
            )
        includes.append(rule)

    exclude_regexes = [_pattern_regex(e) for e in excludes]
    whole_schema_excludes = [
        wildcard_regex(e.locator.schema_name or "", segment=True) for e in excludes if e.locator.table_name == "%"
    ]
    table_entries = _list_entries([_table_include(rule) for rule in includes], exclude_regexes)
    schema_entries = _list_entries([_schema_include(rule) for rule in includes], whole_schema_excludes)
    table_regexes = list(dict.fromkeys(table_entries))
    schema_regexes = list(dict.fromkeys(schema_entries))
    selected: list[SelectedPattern] = []
    for rule, entry in zip(includes, table_entries, strict=True):
        literal = rule.action == "explicit"
        schema_pattern = rule.locator.schema_name or ""
        table_pattern = rule.locator.table_name or ""
        notes: list[str] = []
        include_regex = fq_regex((schema_pattern, literal), (table_pattern, literal), notes=notes)
        selected.append(
            SelectedPattern(
                rule=rule,
                schema_pattern=schema_pattern,
                table_pattern=table_pattern,
                literal=literal,
                schema_regex=wildcard_regex(schema_pattern, segment=True, literal=literal),
                table_regex=wildcard_regex(table_pattern, segment=True, literal=literal),
                table_include_regex=entry,
            )
        )
        shared = entry != case_sensitive(include_regex)
        # The shared entry holds every rule; naming only this rule's part keeps findings linear in size.
        became = (
            f"{style.table_list_key} alternative {include_regex} in the entry shared with the excludes' "
            "negative lookahead"
            if shared
            else f"{style.table_list_key} entry {entry}"
        )
        for note in notes:
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.escape",
                    f"{note} (DMS documents '[_]' for a literal underscore)",
                    task=task,
                    rule=rule,
                    hint="check that the source database treats the name the same way",
                )
            )
        findings.append(
            _finding(
                Severity.INFO,
                "selection.include",
                f"{rule.action} {schema_pattern}.{table_pattern} became {became}",
                task=task,
                rule=rule,
                became=became,
            )
        )

    # Whether any include sits behind the shared lookahead, i.e. the excludes took effect.
    folded = any(
        entry != case_sensitive(_table_include(rule)[0]) for rule, entry in zip(includes, table_entries, strict=True)
    )
    for exclude in excludes:
        exclude_notes: list[str] = []
        fq_regex(
            (exclude.locator.schema_name or "", False), (exclude.locator.table_name or "", False), notes=exclude_notes
        )
        for note in exclude_notes:
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.escape",
                    f"{note} (DMS documents '[_]' for a literal underscore)",
                    task=task,
                    rule=exclude,
                    hint="check that the source database treats the name the same way",
                )
            )
        findings.append(
            _finding(
                Severity.INFO,
                "selection.exclude",
                f"exclude {exclude.locator.schema_name}.{exclude.locator.table_name} "
                + (
                    "became part of the one negative lookahead shared by the include regexes (Debezium forbids "
                    "include and exclude lists together)"
                    if folded
                    else "matches no table an include rule names, so it changes nothing"
                ),
                task=task,
                rule=exclude,
                became=f"negative lookahead in {style.table_list_key}" if folded else None,
            )
        )
        if exclude.filters:
            findings.append(
                _finding(Severity.INFO, "selection.filter-not-include", "filters ignored", task=task, rule=exclude)
            )

    if catalog is not None:
        findings.extend(_catalog_findings(selected, excludes, schema_regexes, table_regexes, style, catalog, task))

    properties: dict[str, str] = {}
    if table_regexes:
        if style.schema_list_key:
            properties[style.schema_list_key] = ",".join(schema_regexes)
        properties[style.table_list_key] = ",".join(table_regexes)
    else:
        findings.append(
            Finding(
                severity=Severity.BLOCKER,
                code="selection.empty",
                message="no table is selected: the task has no include or explicit rule for tables",
                task=task,
                where="TableMappings",
                hint="add a selection rule with rule-action include",
            )
        )

    compiled_filters, chain, filter_findings = _compile_filters(
        selected, excludes, style, task, topic_prefix, scripting_smt_enabled
    )
    findings.extend(filter_findings)
    if compiled_filters:
        keys = [f"{f.schema}.{f.table}" for f in compiled_filters]
        properties["snapshot.select.statement.overrides"] = ",".join(keys)
        for key, compiled in zip(keys, compiled_filters, strict=True):
            properties[f"snapshot.select.statement.overrides.{key}"] = compiled.snapshot_select
    return SelectionPlan(
        style=style,
        includes=tuple(selected),
        excludes=tuple(excludes),
        schema_include_regexes=tuple(schema_regexes),
        table_include_regexes=tuple(table_regexes),
        filters=tuple(compiled_filters),
        source_properties=properties,
        source_transforms=chain,
        plugin_requirements=SCRIPTING_PLUGIN_PARTS if chain else (),
        findings=tuple(findings),
    )


TOPIC_SANITIZED_CODE = FindingCode.TRANSFORMATION_TOPIC_SANITIZED_NAME
"""A wildcard selection whose tables the sink names from the topic: a name a topic cannot hold lands with ``_``.
Without the source catalog the mapper cannot tell whether such a table exists, so the rule is not counted as
exact."""


def topic_sanitized_findings(patterns: Sequence[SelectedPattern], task: str | None, why: str) -> list[Finding]:
    """A warning per wildcard selection whose tables the sink names from the Debezium topic (``why`` says why).

    Debezium's topic holds ``_`` for each character outside ``[A-Za-z0-9._-]`` ("Order Details" ->
    ``Order_Details``), so such a table lands under that name where DMS keeps its own. A literal part of the
    pattern that holds such a character makes it certain for every table selected; otherwise only the catalog
    knows which tables it hits, so the warning names the pattern.
    """
    findings = []
    for pattern in patterns:
        if pattern.exact_table is not None:
            continue  # a named table gets a router to its DMS name
        odd = sorted({c for c in pattern.table_pattern if c not in "%_[]" and topic_part(c) != c})
        selected = f"{pattern.schema_pattern}.{pattern.table_pattern}"
        difference = (
            f"every table {selected} selects holds {', '.join(repr(c) for c in odd)}, which Debezium's topic "
            "name turns into '_'"
            if odd
            else f"a table {selected} selects whose name holds a character other than letters, digits, '.', '_' "
            "or '-' (a space, say) gets '_' for it in Debezium's topic name"
        )
        findings.append(
            _finding(
                Severity.WARNING,
                TOPIC_SANITIZED_CODE,
                f"{difference}, and {why}, so the target table is named with '_' (\"Order Details\" -> "
                "Order_Details) where DMS keeps the source name",
                task=task,
                rule=pattern.rule,
                hint="select such tables by name (explicit or a pattern without wildcards), which routes them to "
                "their DMS name, or rename them with DMS rules to topic-safe names",
            )
        )
    return findings


def _catalog_findings(
    selected: Sequence[SelectedPattern],
    excludes: Sequence[SelectionRule],
    schema_regexes: Sequence[str],
    table_regexes: Sequence[str],
    style: IdentifierStyle,
    catalog: Iterable[tuple[str, str]],
    task: str | None,
) -> list[Finding]:
    added, lost = [], []
    for schema, table in sorted(set(catalog)):
        dms = _dms_selects(selected, excludes, schema, table)
        debezium = (not style.schema_list_key or any(java_compatible_match(r, schema) for r in schema_regexes)) and any(
            java_compatible_match(r, f"{schema}.{table}") for r in table_regexes
        )
        if debezium and not dms:
            added.append(f"{schema}.{table}")
        elif dms and not debezium:
            lost.append(f"{schema}.{table}")
    findings = []
    if added:
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="selection.extra-table",
                message=f"Debezium also captures {', '.join(added)}, which DMS does not select",
                task=task,
                where="TableMappings",
                hint="add explicit exclude rules for these tables",
            )
        )
    if lost:
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="selection.not-representable",
                message=f"Debezium does not capture {', '.join(lost)}, which DMS selects",
                task=task,
                where="TableMappings",
                hint="add explicit rules for these tables",
            )
        )
    return findings


# --------------------------------------------------------------------------- #
# Source filters                                                              #
# --------------------------------------------------------------------------- #


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote(style: IdentifierStyle, name: str) -> str:
    q = style.identifier_quote
    return q + name.replace(q, q + q) + q


def _sql_condition(style: IdentifierStyle, column: str, cond: object) -> str:
    from .rules import FilterCondition

    assert isinstance(cond, FilterCondition)
    col = _quote(style, column)
    op = cond.operator
    if op == "null":
        return f"{col} IS NULL"
    if op == "notnull":
        return f"{col} IS NOT NULL"
    if op in ("between", "notbetween"):
        neg = "NOT " if op == "notbetween" else ""
        return f"{col} {neg}BETWEEN {_sql_literal(cond.start_value or '')} AND {_sql_literal(cond.end_value or '')}"
    sql_op = {"lte": "<=", "gte": ">=", "eq": "=", "noteq": "<>"}[op]
    return f"{col} {sql_op} {_sql_literal(cond.value or '')}"


def _groovy_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Debezium writes temporal values as numbers (epoch days, epoch milli/micro/nanoseconds, time of day) and
# ZonedTimestamp as an ISO text; decimals reach the SMT as BigDecimal. DMS compares the column's own values
# (SQL on the source), so the script decodes each value by its schema name to a java.time value, reads the
# DMS literal as the same kind of value, and compares those. Timestamps are read in UTC (Debezium's encoding).
_GROOVY_PRELUDE = (
    "def dmsRow = value.after ?: value.before; "
    "def dmsValue = { String c -> def f = dmsRow.schema().field(c); def x = dmsRow.get(c); "
    "if (f == null || x == null) return null; "
    "def utc = java.time.ZoneOffset.UTC; "
    "switch (f.schema().name()) { "
    "case 'io.debezium.time.Date': return java.time.LocalDate.ofEpochDay(x as long); "
    "case 'io.debezium.time.Timestamp': return java.time.LocalDateTime.ofInstant("
    "java.time.Instant.ofEpochMilli(x as long), utc); "
    "case 'io.debezium.time.MicroTimestamp': return java.time.LocalDateTime.ofInstant("
    "java.time.Instant.EPOCH.plusNanos((x as long) * 1000L), utc); "
    "case 'io.debezium.time.NanoTimestamp': return java.time.LocalDateTime.ofInstant("
    "java.time.Instant.EPOCH.plusNanos(x as long), utc); "
    "case 'io.debezium.time.ZonedTimestamp': return java.time.OffsetDateTime.parse(x as String)"
    ".atZoneSameInstant(utc).toLocalDateTime(); "
    "case 'io.debezium.time.Time': return java.time.LocalTime.ofNanoOfDay((x as long) * 1000000L); "
    "case 'io.debezium.time.MicroTime': return java.time.LocalTime.ofNanoOfDay((x as long) * 1000L); "
    "case 'io.debezium.time.NanoTime': return java.time.LocalTime.ofNanoOfDay(x as long); "
    "case 'org.apache.kafka.connect.data.Date': return x.toInstant().atZone(utc).toLocalDate(); "
    "case 'org.apache.kafka.connect.data.Timestamp': return x.toInstant().atZone(utc).toLocalDateTime(); "
    "default: return x } }; "
    "def dmsCompare = { x, String t -> "
    "if (x instanceof java.time.LocalDate) return x <=> java.time.LocalDate.parse(t.take(10)); "
    "if (x instanceof java.time.LocalDateTime) return x <=> (t.length() <= 10 ? "
    "java.time.LocalDate.parse(t).atStartOfDay() : java.time.LocalDateTime.parse(t.replace(' ', 'T'))); "
    "if (x instanceof java.time.LocalTime) return x <=> java.time.LocalTime.parse(t); "
    "if (x instanceof Number && t.isBigDecimal()) return (x as BigDecimal) <=> new BigDecimal(t); "
    "return x.toString() <=> t }; "
)
"""Groovy that defines ``dmsValue(column)`` (the decoded value) and ``dmsCompare(value, literal)`` (-1/0/1)."""


def _groovy_condition(column: str, cond: object) -> str:
    from .rules import FilterCondition

    assert isinstance(cond, FilterCondition)
    # The row image: after for inserts/updates/snapshot reads, before for deletes (see _GROOVY_PRELUDE).
    x = f"dmsValue({_groovy_string(column)})"
    op = cond.operator
    if op == "null":
        return f"{x} == null"
    if op == "notnull":
        return f"{x} != null"

    def compare(literal: str) -> str:
        return f"dmsCompare({x}, {_groovy_string(literal)})"

    if op in ("between", "notbetween"):
        low, high = compare(cond.start_value or ""), compare(cond.end_value or "")
        inside = f"({x} != null && {low} >= 0 && {high} <= 0)"
        return inside if op == "between" else f"({x} != null && !{inside})"
    groovy_op = {"lte": "<=", "gte": ">=", "eq": "==", "noteq": "!="}[op]
    return f"({x} != null && {compare(cond.value or '')} {groovy_op} 0)"


def _compile_filters(
    selected: Sequence[SelectedPattern],
    excludes: Sequence[SelectionRule],
    style: IdentifierStyle,
    task: str | None,
    topic_prefix: str | None,
    scripting_smt_enabled: bool,
) -> tuple[list[CompiledFilter], SmtChain, list[Finding]]:
    compiled: list[CompiledFilter] = []
    transforms: list[Smt] = []
    findings: list[Finding] = []
    for pattern in selected:
        rule = pattern.rule
        if not rule.filters:
            continue
        if "%" in pattern.schema_pattern or "%" in pattern.table_pattern:
            findings.append(
                _finding(
                    Severity.WARNING,
                    "selection.filter-wildcard",
                    f"filters on {pattern.schema_pattern}.{pattern.table_pattern}: DMS applies source filters only "
                    "to tables named exactly; not carried over",
                    task=task,
                    rule=rule,
                    hint="write one include rule with the filters per table",
                )
            )
            continue
        # '_' in names such as order_items is meant literally here: a filter names one table.
        schema, table = pattern.schema_pattern, pattern.table_pattern
        if rule.action != "explicit" and ("_" in schema + table or "[" in schema + table):
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.filter-wildcard",
                    f"filters on {schema}.{table}: '_' and '[' in the name are read literally for the filter",
                    task=task,
                    rule=rule,
                )
            )
        where_sql = " AND ".join(
            "(" + " OR ".join(_sql_condition(style, f.column_name, c) for c in f.conditions) + ")" for f in rule.filters
        )
        select = f"SELECT * FROM {_quote(style, schema)}.{_quote(style, table)} WHERE {where_sql}"
        condition = _GROOVY_PRELUDE + " && ".join(
            "(" + " || ".join(_groovy_condition(f.column_name, c) for c in f.conditions) + ")" for f in rule.filters
        )
        compiled.append(CompiledFilter(rule, schema, table, select, condition if scripting_smt_enabled else None))
        became = f"snapshot.select.statement.overrides.{schema}.{table}"
        if scripting_smt_enabled:
            name = f"dmsfilter{len(transforms) + 1}"
            prefix = re.escape(topic_prefix) if topic_prefix else "[^.]+(?:\\.[^.]+)*"
            database_part = r"[^.]+\." * style.topic_parts_before_schema
            topic_regex = prefix + r"\." + database_part + fq_regex((schema, True), (table, True))
            transforms.append(
                Smt(
                    name=name,
                    type="io.debezium.transforms.Filter",
                    config={"language": "jsr223.groovy", "topic.regex": topic_regex, "condition": condition},
                    note=f"DMS source filter of rule {rule.rule_id}",
                )
            )
            became += f" and streaming filter SMT transforms.{name} (io.debezium.transforms.Filter, Groovy)"
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.filter",
                    f"filters on {schema}.{table} became {became}; the plugin needs "
                    f"{', '.join(SCRIPTING_PLUGIN_PARTS)}; dates, times and timestamps are decoded from Debezium's "
                    "epoch numbers and compared as values, timestamps in UTC",
                    task=task,
                    rule=rule,
                    became=became,
                )
            )
        else:
            findings.append(
                _finding(
                    Severity.WARNING,
                    "selection.filter-streaming",
                    f"filters on {schema}.{table} became {became} for the snapshot only; changes streamed later "
                    "are not filtered",
                    task=task,
                    rule=rule,
                    became=became,
                    hint="set scripting_smt_enabled = true to filter streamed changes with the Debezium scripting "
                    "SMT (Groovy), or filter in the target",
                )
            )
        negatives = [c for f in rule.filters for c in f.conditions if c.operator in ("noteq", "notbetween")]
        if negatives:
            findings.append(
                _finding(
                    Severity.INFO,
                    "selection.filter-null",
                    "negative conditions (noteq, notbetween) do not select rows whose column is NULL, "
                    "in SQL as in the streaming filter",
                    task=task,
                    rule=rule,
                )
            )
    return compiled, SmtChain(tuple(transforms)), findings
