"""Checks of the inventory's enumerated fields, done once when the file is read.

A hand-edited or tampered inventory must not carry a line break or a stray word into
the names every later stage prints and renders; the values DMS itself enumerates are
taken from botocore's DMS model, so they follow the API rather than this tool.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .errors import InputError
from .model import Inventory

ENGINE_NAME = re.compile(r"[a-z][a-z0-9-]*")
"""DMS ``EngineName`` values are lower-case words joined by dashes (``aurora-postgresql``)."""

REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")
"""AWS region names: ``us-east-1``, ``us-gov-west-1``, ``eu-isoe-west-1``."""


@functools.cache
def dms_enum(shape_name: str) -> frozenset[str]:
    import botocore.session

    return frozenset(botocore.session.get_session().get_service_model("dms").shape_for(shape_name).enum)


def check_inventory_fields(inventory: Inventory, path: Path) -> None:
    """Raise :class:`InputError` naming the first enumerated field that holds a value DMS never returns."""
    for r, region in enumerate(inventory.regions):
        where = f"$.regions[{r}]"
        _check(path, f"{where}.region", region.region, pattern=REGION_NAME)
        for e, endpoint in enumerate(region.endpoints):
            _check(path, f"{where}.endpoints[{e}].engine", endpoint.engine, pattern=ENGINE_NAME)
            _check(
                path,
                f"{where}.endpoints[{e}].endpoint_type",
                endpoint.endpoint_type.lower(),
                allowed=dms_enum("ReplicationEndpointTypeValue"),
            )
        for t, task in enumerate(region.tasks):
            _check(
                path, f"{where}.tasks[{t}].migration_type", task.migration_type, allowed=dms_enum("MigrationTypeValue")
            )


def _check(
    path: Path,
    where: str,
    value: object,
    *,
    pattern: re.Pattern[str] | None = None,
    allowed: frozenset[str] = frozenset(),
) -> None:
    if isinstance(value, str) and (value in allowed if allowed else pattern and pattern.fullmatch(value)):
        return
    expected = (
        f"one of {', '.join(sorted(allowed))}" if allowed else f"a value matching {pattern.pattern if pattern else ''}"
    )
    raise InputError(
        f"inventory file {path}: {where} is {value!r}; expected {expected}",
        hint="re-run `dms2msk scan` to write the inventory again, or correct that value",
    )
