"""The device sync engine: local SQLite store, outbox, transport, retry and the sync loop.

    store = LocalStore("device.sqlite")
    client = SyncClient(store, HttpTransport(server_url, token))
    report = client.sync(progress=lambda stage, done, remaining: ...)

`DeviceRecords(store)` is the tablet's local API (create_inspection, add_finding,
correct_finding, ask_question), each writing the record and its outbox item at once.
"""
from sync.client.catalog_rules import catalog_judge, catalog_ruleset
from sync.client.engine import SyncClient, SyncReport
from sync.client.errors import SyncError
from sync.client.records import DeviceRecords, ruleset_judge
from sync.client.retry import RetryPolicy
from sync.client.store import LocalStore
from sync.client.transport import HttpTransport, Transport, WsgiTransport

__all__ = [
           "DeviceRecords",
           "HttpTransport",
           "LocalStore",
           "RetryPolicy",
           "SyncClient",
           "SyncError",
           "SyncReport",
           "Transport",
           "WsgiTransport",
           "catalog_judge",
           "catalog_ruleset",
           "ruleset_judge",
]
