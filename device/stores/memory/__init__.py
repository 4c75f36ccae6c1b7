"""The in-memory twins of the device stores (tests, and anything that needs a throwaway device)."""
from device.stores.memory.catalog import MemoryCatalog
from device.stores.memory.outbox import MemoryOutbox
from device.stores.memory.photos import MemoryPhotos
from device.stores.memory.records import MemoryRecords
from device.stores.memory.state import MemoryState

__all__ = ["MemoryCatalog", "MemoryOutbox", "MemoryPhotos", "MemoryRecords", "MemoryState"]
