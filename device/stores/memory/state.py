"""The in-memory twin of `device.stores.state`: the same contract (tests/device/stores/), kept
as JSON text like the table, so what comes back is a copy, never a live object."""
from __future__ import annotations

import json
from typing import Any

from device.jsontext import dumps
from device.stores.state import StateStore
from device.stores.unit import MemoryUnit


class MemoryState(StateStore):
    """The in-memory twin of SqliteState."""

    def __init__(self, unit: MemoryUnit):
        super().__init__(unit)
        unit.register(self)
        self._values: dict[str, str] = {}

    def get(self, key: str, default: Any = None) -> Any:
        text = self._values.get(key)
        return json.loads(text) if text is not None else default

    def set(self, key: str, value: Any) -> None:
        with self.unit.transaction():
            self._values[key] = dumps(value)

    def delete(self, key: str) -> None:
        with self.unit.transaction():
            self._values.pop(key, None)

    def snapshot(self) -> dict[str, str]:
        return self._values

    def restore(self, state: dict[str, str]) -> None:
        self._values = state
