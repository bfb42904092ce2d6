"""Import a package's plugin modules once, on first use, so importing the package stays cheap (engines, sinks)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence


class LazyModules:
    """The modules of ``package`` that register classes when imported; :meth:`load` imports them all, once."""

    def __init__(self, package: str, modules: Sequence[str]) -> None:
        self.package = package
        self.modules = tuple(modules)
        self._lock = threading.RLock()
        self._loaded = False

    def load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                for module in self.modules:
                    importlib.import_module(f"{self.package}.{module}")
                self._loaded = True
