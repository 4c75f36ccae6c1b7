"""The device store: the five stores of one device over one unit of work.

    store = open_store("device.sqlite")      # SQLite file (WAL); memory_store() for tests
    store.records.get("inspection", ident)
    with store.transaction():                # several writes, one commit
        store.outbox.add(...)
        store.records.put_local(...)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from device.stores.catalog import CatalogStore, SqliteCatalog
from device.stores.memory import (
    MemoryCatalog,
    MemoryOutbox,
    MemoryPhotos,
    MemoryRecords,
    MemoryState,
)
from device.stores.outbox import OutboxStore, SqliteOutbox
from device.stores.photos import PhotoStore, SqlitePhotos
from device.stores.records import RecordStore, SqliteRecords
from device.stores.state import SqliteState, StateStore
from device.stores.unit import MemoryUnit, SqliteUnit, Unit


@dataclass(eq=False)
class DeviceStore:
    """catalog, records, outbox, state and photos sharing `unit` (one transaction)."""

    unit: Unit
    catalog: CatalogStore
    records: RecordStore
    outbox: OutboxStore
    state: StateStore
    photos: PhotoStore

    @property
    def path(self) -> str:
        """The SQLite file (":memory:" for an in-memory store)."""
        return self.unit.path

    @property
    def db(self) -> Any:
        """The SQLite connection (for checks in tests and benches); AttributeError in memory."""
        return self.unit.db

    def transaction(self) -> Any:
        """Return the unit of work's context manager: the writes of the block commit
        together or not at all."""
        return self.unit.transaction()

    def counts(self) -> dict[str, int]:
        """Return row counts per catalog/record entity (keys like 'catalog.indicator')."""
        out = {f"catalog.{e}": n for e, n in self.catalog.counts().items()}
        out.update({f"records.{e}": n for e, n in self.records.counts().items()})
        return out

    def close(self) -> None:
        """Close the connection."""
        self.unit.close()


def open_store(path: str | Path) -> DeviceStore:
    """Open (creating it when missing) the device's SQLite store at `path`. Raises
    StoreError when the file cannot be opened or is not a device store."""
    unit = SqliteUnit(path)
    try:
        return DeviceStore(unit, SqliteCatalog(unit), SqliteRecords(unit), SqliteOutbox(unit),
                           SqliteState(unit), SqlitePhotos(unit))
    except BaseException:
        unit.close()
        raise


def memory_store() -> DeviceStore:
    """Return an empty in-memory device store (the twin of open_store)."""
    unit = MemoryUnit()
    return DeviceStore(unit, MemoryCatalog(unit), MemoryRecords(unit), MemoryOutbox(unit),
                       MemoryState(unit), MemoryPhotos(unit))
