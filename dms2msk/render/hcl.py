"""Writing HCL values the way ``terraform fmt`` lays them out.

The templates only place these pieces; every value is quoted and escaped here,
so a connector property such as ``${secretsmanager:name:password}`` reaches AWS
literally (HCL would otherwise read ``${`` as an interpolation).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

INDENT = "  "


@dataclass(frozen=True)
class Expression:
    """A Terraform expression written as it is (a reference, a function call), never quoted."""

    text: str


def escape_template(text: str) -> str:
    """Escape HCL template sequences so the text is taken literally: ``${`` -> ``$${``, ``%{`` -> ``%%{``."""
    return text.replace("${", "$${").replace("%{", "%%{")


def quote(text: str) -> str:
    """An HCL string literal for ``text`` (JSON escapes are valid HCL escapes)."""
    return escape_template(json.dumps(text, ensure_ascii=False))


def comment(text: str) -> str:
    """``text`` safe inside a ``#`` comment: a line break (or any control character) would end the
    comment and let the rest of the value be read as Terraform, so each is written as its escape."""
    return "".join(_escaped_control(c) for c in str(text))


def _escaped_control(char: str) -> str:
    if char.isprintable() or char == " ":
        return char
    return json.dumps(char)[1:-1] if ord(char) < 0x10000 else f"\\U{ord(char):08x}"


def _key(name: str) -> str:
    # Bare identifiers read better; anything else (dots, leading digits) is quoted.
    if name and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c in "_-" for c in name):
        return name
    return quote(name)


def value(item: Any, level: int = 0) -> str:
    """``item`` as an HCL expression; nested objects and lists span lines, indented for ``level``."""
    if isinstance(item, Expression):
        return item.text
    if item is None:
        return "null"
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return json.dumps(item)
    if isinstance(item, str):
        return quote(item)
    if isinstance(item, Mapping):
        if not item:
            return "{}"
        inner = attributes(item, level + 1, sort=False)
        return "{\n" + inner + INDENT * level + "}"
    if isinstance(item, Sequence):
        if not item:
            return "[]"
        if all(not isinstance(v, (Mapping, list, tuple)) for v in item):
            return "[" + ", ".join(value(v, level) for v in item) + "]"
        lines = "".join(INDENT * (level + 1) + value(v, level + 1) + ",\n" for v in item)
        return "[\n" + lines + INDENT * level + "]"
    raise TypeError(f"no HCL form for {type(item).__name__}")


def attributes(items: Mapping[str, Any], level: int = 1, *, sort: bool = False) -> str:
    """``key = value`` lines at ``level``, with the ``=`` aligned the way ``terraform fmt`` aligns them.

    fmt aligns runs of consecutive one-line attributes; a multi-line value ends the run
    and is not padded itself.
    """
    keys = sorted(items) if sort else list(items)
    # One quoted key makes every key of the object quoted: mixed styles read as a mistake.
    quote_all = any(_key(k) != k for k in keys)
    rendered = [(quote(k) if quote_all else k, value(items[k], level)) for k in keys]
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in run), default=0)
        lines.extend(f"{INDENT * level}{k.ljust(width)} = {v}\n" for k, v in run)
        run.clear()

    for key, text in rendered:
        if "\n" in text:
            flush()
            lines.append(f"{INDENT * level}{key} = {text}\n")
        else:
            run.append((key, text))
    flush()
    return "".join(lines)
