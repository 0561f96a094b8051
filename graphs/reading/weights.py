"""The weights of a learned reader: read once from the file shipped in tools/data, or put in place in memory by a
trainer or a benchmark (which trains leave-one-set-out without touching the shipped file)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable


class ShippedWeights:
    """`get()` is the installed weights if any (None: installed as "no reader"), else the shipped file's, parsed by
    `parse`; None when the file is missing."""

    def __init__(self, path: Path, parse: Callable[[dict], dict]):
        self.path, self.parse = path, parse
        self._installed: list[dict | None] = []
        self.read = lru_cache(maxsize=1)(self._read)  # by path: a trainer's file does not replace the shipped one

    def _read(self, path: str | None = None) -> dict | None:
        try:
            return self.parse(json.loads(Path(path or self.path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    def install(self, data: dict | None) -> None:
        """Read with these weights (a trainer's output, or None for no reader) until `uninstall`."""
        self._installed[:] = [self.parse(data) if data is not None else None]

    def uninstall(self) -> None:
        """Back to the shipped weights."""
        self._installed.clear()

    def get(self) -> dict | None:
        return self._installed[0] if self._installed else self.read()
