"""The in-memory twin of `device.stores.catalog`: the same contract (tests/device/stores/), kept
as JSON text like the table, so what comes back is a copy, never a live object."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from device.errors import StoreError
from device.jsontext import loads
from device.stores.catalog import CatalogStore, Row
from device.stores.unit import MemoryUnit


class MemoryCatalog(CatalogStore):
    """The in-memory twin of SqliteCatalog."""

    def __init__(self, unit: MemoryUnit):
        super().__init__(unit)
        unit.register(self)
        self._rows: dict[tuple[str, str], tuple[int, str]] = {}

    def put(self, rows: Iterable[Row]) -> None:
        with self.unit.transaction():
            for entity, ident, version, text in rows:
                if not isinstance(text, str):
                    raise StoreError("本地数据库出错 / the device store failed: catalog data must be JSON text")
                self._rows[(entity, ident)] = (int(version), text)

    def delete(self, keys: Iterable[tuple[str, str]]) -> None:
        with self.unit.transaction():
            for key in keys:
                self._rows.pop(tuple(key), None)

    def drop(self, entities: Iterable[str]) -> None:
        names = set(entities)
        with self.unit.transaction():
            self._rows = {k: v for k, v in self._rows.items() if k[0] not in names}

    def text(self, entity: str, ident: str) -> str | None:
        found = self._rows.get((entity, ident))
        return found[1] if found else None

    def rows(self, entities: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        names = set(entities)
        for (entity, ident), (_, text) in sorted(self._rows.items()):
            if entity in names:
                yield entity, ident, loads(text)

    def versions(self, entity: str) -> list[tuple[str, int]]:
        return [(ident, version) for (e, ident), (version, _) in self._rows.items() if e == entity]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entity, _ in self._rows:
            out[entity] = out.get(entity, 0) + 1
        return out

    def snapshot(self) -> dict:
        return self._rows

    def restore(self, state: dict) -> None:
        self._rows = state
