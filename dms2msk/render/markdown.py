"""Escaping values for the generated README: Markdown text, inline code and shell words.

Inventory values (task identifiers, hosts, secret names) reach the README's tables,
code spans and the shell commands it tells the user to run; each is escaped for the
place it lands, so a name cannot add lines, break a table or run a command.
"""

from __future__ import annotations

import re
import shlex

from .hcl import comment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def line(value: object) -> str:
    """Markdown the tool wrote (backticks meant as code) kept on its one line: a value inside it
    cannot start a new paragraph, heading or list item."""
    return comment(str(value))


def text(value: object) -> str:
    """Plain Markdown text on one line (table cells included): specials backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", comment(str(value)))


def code(value: object) -> str:
    """An inline code span on one line: fenced with more backticks than the value's longest run."""
    body = comment(str(value))
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{padding}{body}{padding}{fence}"


def cell_code(value: object) -> str:
    """An inline code span inside a table cell: GitHub tables split at ``|`` even in code, unless escaped."""
    return code(value).replace("|", "\\|")


def shell_word(value: object) -> str:
    """One POSIX shell word, quoted when needed (``shlex.quote``)."""
    return shlex.quote(str(value))
