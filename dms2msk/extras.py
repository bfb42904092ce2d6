"""The command that installs one of dms2msk's optional extras into the running interpreter.

dms2msk is installed from a clone (`pip install '.[demo]'`), so `pip install 'dms2msk[verify]'` would ask the
package index for a project of that name; the command names where this copy was installed from instead.
"""

from __future__ import annotations

import json
import shlex
import sys
from importlib import metadata
from urllib.parse import unquote, urlsplit


def install_command(extra: str) -> str:
    """``<python> -m pip install '<source>[extra]'``: the source this dms2msk came from, or its project name."""
    requirement = f"{_installed_from() or 'dms2msk'}[{extra}]"
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(requirement)}"


def _installed_from() -> str | None:
    """The local folder pip installed dms2msk from (PEP 610 ``direct_url.json``), if it was one."""
    try:
        text = metadata.distribution("dms2msk").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        url = json.loads(text).get("url", "")
    except (ValueError, AttributeError):
        return None
    parts = urlsplit(url)
    return unquote(parts.path) if parts.scheme == "file" and parts.path else None
