"""The device core: what the tablet knows and does with no network (no Kivy, no HTTP).

    store = open_store("device.sqlite")           # catalog, records, outbox, state, photos
    records = DeviceRecords(store, judge=catalog_judge(store))
    iid = records.create_inspection(date.today(), company_name="…")
    records.add_finding(iid, indicator_id, "0.549", "mg/kg")   # provisional verdict offline
    answer = resolve_scan(store.catalog, scanned_text, on=date.today())

`sync.client.SyncClient(store, transport)` moves the outbox and the catalog over the
network; this package imports only `rules`, `codes`, `zhsearch`, `assets` and
`sync.protocol`.
"""
from device.entry import Choice, EntrySpec, InvalidEntry, entry_spec
from device.errors import (
    CatalogUnavailable,
    DeviceError,
    InvalidRecord,
    RecordLocked,
    StoreError,
    UnknownRecord,
)
from device.judge import Judge, catalog_judge, catalog_ruleset, ruleset_judge
from device.records import DeviceRecords, DuplicateFinding, is_completed
from device.resolve import Resolution, local_catalog, resolve_gtin, resolve_scan
from device.store import DeviceStore, memory_store, open_store
from device.stores.photos import file_sha256
from device.tasks import DeviceTasks

__all__ = [
    "CatalogUnavailable", "Choice", "DeviceError", "DeviceRecords", "DeviceStore", "DeviceTasks", "DuplicateFinding",
    "EntrySpec", "InvalidEntry", "InvalidRecord", "Judge", "RecordLocked", "Resolution", "StoreError",
    "UnknownRecord", "catalog_judge", "catalog_ruleset", "entry_spec", "file_sha256", "is_completed",
    "local_catalog", "memory_store", "open_store", "resolve_gtin", "resolve_scan", "ruleset_judge",
]
