"""The device sync engine: transport, retry, the sync loop and resumable photo uploads.

    store = device.open_store("device.sqlite")
    client = SyncClient(store, HttpTransport(server_url, token))
    report = client.sync(progress=lambda stage, done, remaining: ...)

The device's own model — its stores, the local records API, offline judging and scan
resolution — is the `device` package; the engine reads and writes it through the stores.
"""
from sync.client.engine import SyncClient, SyncReport
from sync.client.errors import SyncError
from sync.client.retry import RetryPolicy
from sync.client.transport import HttpTransport, Transport, WsgiTransport

__all__ = [
           "HttpTransport",
           "RetryPolicy",
           "SyncClient",
           "SyncError",
           "SyncReport",
           "Transport",
           "WsgiTransport",
]
