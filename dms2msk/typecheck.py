"""Check that data read from a file has the types its dataclass declares, before any stage uses it.

:func:`~dms2msk.model.from_jsonable` builds dataclasses without looking at leaf types, so a hand-edited or
corrupted inventory (``regions: [null]``, an integer identifier, ``table_mappings`` as an object) would
only fail later, deep in a stage, as a traceback. :func:`type_problem` names the first field that is
wrong, as a JSON path, so the loader can say which file and which field to fix.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from typing import Any

_SCALARS: dict[type, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), bool: (bool,)}

MAX_FREE_FORM_DEPTH = 64
"""Deepest nesting accepted in free-form values (endpoint settings objects): DMS's are two or three levels
deep, and every later stage walks them recursively."""


def nesting_depth(value: Any) -> int:
    """Nesting depth of lists and objects, computed without recursion (the value may be very deep)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, level + 1) for v in item]
    return deepest


def _name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def type_problem(value: Any, tp: Any, where: str = "$") -> str | None:
    """None when ``value`` matches the type hint ``tp``; else ``"$.regions[0]: expected ..., got ..."``."""
    if tp is Any:
        if nesting_depth(value) > MAX_FREE_FORM_DEPTH:
            return f"{where}: nested more than {MAX_FREE_FORM_DEPTH} levels deep"
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None:
            return None if type(None) in args else f"{where}: must not be null"
        non_none = [a for a in args if a is not type(None)]
        return type_problem(value, non_none[0], where)
    if value is None:
        return f"{where}: must not be null"
    if origin is tuple:
        (item_tp, *_rest) = typing.get_args(tp)
        return next((p for i, v in enumerate(value) if (p := type_problem(v, item_tp, f"{where}[{i}]"))), None)
    if origin is dict:
        _key_tp, value_tp = typing.get_args(tp)
        return next((p for k, v in value.items() if (p := type_problem(v, value_tp, f"{where}.{k}"))), None)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = dataclasses.fields(tp)
        return next(
            (p for f in fields if (p := type_problem(getattr(value, f.name), hints[f.name], f"{where}.{f.name}"))),
            None,
        )
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return None if isinstance(value, tp) else f"{where}: expected one of {[m.value for m in tp]}"
    allowed = _SCALARS.get(tp) if isinstance(tp, type) else None
    if allowed is None:
        return None
    if isinstance(value, bool) and tp is not bool:  # JSON true is not a number or a name
        return f"{where}: expected {tp.__name__}, got bool {json.dumps(value)}"
    if not isinstance(value, allowed):
        return f"{where}: expected {tp.__name__}, got {_name(value)} {json.dumps(value, default=str)[:60]}"
    return None
