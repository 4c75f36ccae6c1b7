"""The device's local stores — catalog, records, outbox, state, photos — over one unit of
work. Each store has a SQLite implementation and an in-memory twin; both pass one
contract suite (tests/device/stores/)."""
from device.stores.catalog import CatalogStore
from device.stores.outbox import OutboxStore
from device.stores.photos import PhotoStore, file_sha256
from device.stores.records import RecordStore
from device.stores.state import StateStore
from device.stores.unit import MemoryUnit, SqliteUnit

__all__ = ["CatalogStore", "MemoryUnit", "OutboxStore", "PhotoStore", "RecordStore", "SqliteUnit",
           "StateStore", "file_sha256"]
