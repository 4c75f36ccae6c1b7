"""The real app (create_app, demo users, the real catalog) in-process behind the same
test-facing surface as `fake_server.FakeServer`, so the engine's tests run against both.

Transport calls go through `WsgiTransport` with fault injection in front (`fail`, as the
fake has it: a fault "before" never reaches the app, "after" is applied and its answer
lost). What a test does "on the server" is done the real way: another tablet of the same
inspector edits a record and syncs; what the server holds is read by pulling as a fresh
tablet of that inspector.
"""
from __future__ import annotations

from collections import deque

from server_testkit import FORMALDEHYDE_A, Api, dispose_app, make_app

from device import DeviceRecords, memory_store
from sync.client import RetryPolicy, SyncClient, WsgiTransport
from sync.client.errors import RetryableError

INSPECTOR = "insp_chaoyang"


class AppServer:
    """What the engine tests need of a server, answered by the real app."""

    name = "app"

    def __init__(self, url: str):
        self.app = make_app(url)
        self.api = Api(self.app)
        self.transport = WsgiTransport(self.app, self.api.device(INSPECTOR))
        self.faults: deque = deque()

    def close(self) -> None:
        """Dispose of the app's database connections."""
        dispose_app(self.app)

    # -- what the tests build on --------------------------------------------------------

    #: an indicator of the real catalog (formaldehyde, mg/kg, class A infant textiles)
    indicator = FORMALDEHYDE_A
    def seed_catalog(self, n: int) -> int:
        """The real catalog is already there (`n` is the fake's business); return how many
        catalog changes a first pull brings."""
        return self.catalog_changes()

    def catalog_changes(self) -> int:
        """Return how many catalog changes a first pull brings."""
        return len(self._pull_all()["changes"])

    # -- Transport ------------------------------------------------------------------------

    @property
    def requests_sent(self) -> int:
        return self.transport.requests_sent

    def fail(self, kind, stage="before", exc=None):
        """Queue one fault: kind push|pull|digest|*, stage before|after (after = applied, answer lost)."""
        self.faults.append((kind, stage, exc or RetryableError("injected network error")))

    def _fault(self, kind, stage):
        if self.faults and self.faults[0][0] in (kind, "*") and self.faults[0][1] == stage:
            _, _, exc = self.faults.popleft()
            raise exc

    def _call(self, kind, send):
        self._fault(kind, "before")
        answer = send()
        self._fault(kind, "after")
        return answer

    def pull(self, since, limit, entities=None, horizon=None):
        return self._call("pull", lambda: self.transport.pull(since, limit, entities, horizon))

    def push(self, items):
        return self._call("push", lambda: self.transport.push(items))

    def digest(self, digests):
        return self._call("digest", lambda: self.transport.digest(digests))

    def enrol(self, code, device_label, platform, password=None):
        return self.transport.enrol(code, device_label, platform, password)

    # -- the server's side ----------------------------------------------------------------

    def _tablet(self):
        store = memory_store()
        client = SyncClient(store, WsgiTransport(self.app, self.api.device(INSPECTOR)),
                            retry=RetryPolicy(max_attempts=1), check_digest=False)
        report = client.sync()
        assert report.ok, report.errors
        return store, client

    def _pull_all(self):
        return self.api.pull(token=self.transport.token, since=0, limit=10000).json

    def indicator_versions(self):
        """Return (id, version) of every indicator the server serves."""
        latest = {}
        for change in self._pull_all()["changes"]:
            if change["entity"] == "indicator":
                latest[change["id"]] = change
        return [(i, c["version"]) for i, c in latest.items() if c["op"] != "delete"]

    def live(self, entity):
        """Return {id: {version, data}} of the `entity` records the server serves the inspector."""
        store, _ = self._tablet()
        return store.records.all(entity)

    def record(self, entity, ident):
        """Return {version, data} of one record as the server serves it (None: unknown)."""
        return self.live(entity).get(ident)

    def edit(self, entity, ident, **changes):
        """Another tablet of the inspector edits the inspection and syncs: the server's
        version moves on."""
        assert entity == "inspection", "the tests edit inspections on the server"
        store, client = self._tablet()
        DeviceRecords(store).edit_inspection(ident, **changes)
        report = client.sync()
        assert report.ok and report.applied == 1, report

    def return_inspection(self, ident):
        """The inspector's supervisor returns the inspection for correction (a real review)."""
        r = self.api.call("POST", f"/api/v1/inspections/{ident}/reviews", "sup_chaoyang",
                          json={"outcome": "returned", "comment": "请复测"})
        assert r.status_code == 201, r.json

    @property
    def applied_count(self) -> int:
        """How many mutations the server applied for the inspector: every applied edit is
        one version of a record it pushed."""
        return sum(rec["version"] for entity in ("inspection", "finding", "question")
                   for rec in self.live(entity).values())
