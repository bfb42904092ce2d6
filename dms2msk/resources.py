"""Where the templates, Terraform modules and example estates live.

In a wheel they are packaged under ``dms2msk/_data``; in a source checkout
(editable install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"dms2msk data folder {name!r} is missing from the installation")


def templates_dir() -> Path:
    return _data_dir("templates")


def modules_dir() -> Path:
    return _data_dir("modules")


def examples_dir() -> Path:
    return _data_dir("examples")
