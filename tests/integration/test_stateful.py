"""Hypothesis state machine: several devices work offline, sync in random order, a
supervisor reviews in between; afterwards every device agrees with the server and nothing
is lost or duplicated. Real server code and a real SQLite database, called in-process
through the WSGI transport for speed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from serve_app import PASSWORD, seed

from sync.client import DeviceRecords, LocalStore, RetryPolicy, SyncClient, WsgiTransport
from sync.protocol import PROTOCOL_HEADER

DEVICES = (("li", "li-a"), ("li", "li-b"), ("wang", "wang-a"))  # li has two tablets


def make_app(db_path: Path):
    from server import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "TESTING": False})


def api(app, method, path, token=None, json=None):
    from werkzeug.test import Client

    headers = {PROTOCOL_HEADER: "1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    resp = Client(app).open("/api/v1" + path, method=method, json=json, headers=headers)
    return resp.status_code, resp.get_json(silent=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A seeded server DB with enrolled, first-synced devices, copied for every example."""
    base = tmp_path_factory.mktemp("template")
    app = make_app(base / "server.db")
    seed(app, "real")
    _, body = api(app, "POST", "/auth/login", json={"username": "zhao", "password": PASSWORD})
    supervisor = body["token"]
    tokens = {}
    for user, name in DEVICES:
        _, enrolment = api(app, "POST", "/devices/enrolments", supervisor, {"username": user})
        status, dev = api(app, "POST", "/devices/enrol", json={"code": enrolment["code"],
                                                             "device_label": name, "platform": "test"})
        assert status < 300, dev
        tokens[name] = dev["token"]
        store = LocalStore(base / f"{name}.sqlite")
        assert SyncClient(store, WsgiTransport(app, dev["token"])).sync().ok
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    with app.app_context():
        from server.extensions import db
        db.engine.dispose()
    indicators = [r[0] for r in LocalStore(base / "li-a.sqlite").db.execute(
        "SELECT id FROM catalog WHERE entity = 'indicator' ORDER BY id LIMIT 4")]
    return {"dir": base, "tokens": tokens, "supervisor": supervisor, "indicators": indicators}


class OfflineDevices(RuleBasedStateMachine):
    template: dict = {}
    workdir: Path = Path(".")
    counter = 0

    @initialize()
    def setup(self):
        OfflineDevices.counter += 1
        work = self.workdir / f"ex{OfflineDevices.counter}"
        work.mkdir()
        for f in self.template["dir"].glob("*.sqlite"):
            shutil.copy(f, work / f.name)
        shutil.copy(self.template["dir"] / "server.db", work / "server.db")
        self.app = make_app(work / "server.db")
        self.devices = {}
        retry = RetryPolicy(max_attempts=1)
        for user, name in DEVICES:
            store = LocalStore(work / f"{name}.sqlite")
            self.devices[name] = {"user": user, "store": store, "records": DeviceRecords(store),
                                  "client": SyncClient(store, WsgiTransport(self.app, self.template["tokens"][name]),
                                                       retry=retry, push_batch=4, pull_limit=7)}
        self.created: dict[str, list[tuple[str, str, str]]] = {n: [] for _, n in DEVICES}  # (entity, id)

    def teardown(self):
        for dev in getattr(self, "devices", {}).values():
            dev["store"].close()

    # ---- rules ------------------------------------------------------------------------

    @rule(dev=st.sampled_from([n for _, n in DEVICES]))
    def create_inspection(self, dev):
        iid = self.devices[dev]["records"].create_inspection("2024-05-20", company_name="企业")
        self.created[dev].append(("inspection", iid))

    @rule(dev=st.sampled_from([n for _, n in DEVICES]), pick=st.integers(0, 50), ind=st.integers(0, 3),
          value=st.sampled_from(["0.5", "12", "25.0", "不得检出"]))
    def add_finding(self, dev, pick, ind, value):
        inspections = sorted(self.devices[dev]["store"].records("inspection"))
        if not inspections:
            return
        iid = inspections[pick % len(inspections)]
        indicators = self.template["indicators"]
        fid = self.devices[dev]["records"].add_finding(iid, indicators[ind % len(indicators)], value)
        self.created[dev].append(("finding", fid))

    @rule(dev=st.sampled_from([n for _, n in DEVICES]), pick=st.integers(0, 50), value=st.sampled_from(["1.0", "30"]))
    def correct_finding(self, dev, pick, value):
        findings = sorted(self.devices[dev]["store"].records("finding"))
        if findings:
            self.devices[dev]["records"].correct_finding(findings[pick % len(findings)], value)

    @rule(dev=st.sampled_from([n for _, n in DEVICES]), pick=st.integers(0, 50))
    def edit_inspection(self, dev, pick):
        inspections = sorted(self.devices[dev]["store"].records("inspection"))
        if inspections:
            self.devices[dev]["records"].edit_inspection(inspections[pick % len(inspections)], note=f"n{pick}")

    @rule(dev=st.sampled_from([n for _, n in DEVICES]))
    def sync(self, dev):
        report = self.devices[dev]["client"].sync()
        assert report.ok, report.errors

    @rule(pick=st.integers(0, 50), outcome=st.sampled_from(["approved", "returned", "returned"]))
    def review(self, pick, outcome):
        status, rows = api(self.app, "GET", "/inspections/?limit=200", self.template["supervisor"])
        assert status == 200, rows
        waiting = sorted(r["id"] for r in rows if r["status"] in ("submitted", "resubmitted"))
        if waiting:
            iid = waiting[pick % len(waiting)]
            status, body = api(self.app, "POST", f"/inspections/{iid}/reviews", self.template["supervisor"],
                               {"outcome": outcome, "comment": "请复核"})
            assert status == 201, body

    @rule(dev=st.sampled_from([n for _, n in DEVICES]), keep=st.sampled_from(["mine", "server"]))
    def resolve_conflicts(self, dev, keep):
        d = self.devices[dev]
        for item in d["store"].outbox("conflict"):
            d["records"].resolve_conflict(item["mutation_id"], keep=keep)

    # ---- invariants -----------------------------------------------------------------

    @invariant()
    def outbox_never_loses_created_records(self):
        # everything created is either still in the outbox or acknowledged by the server
        for dev, created in self.created.items():
            store = self.devices[dev]["store"]
            for entity, ident in created:
                assert store.record(entity, ident) is not None, (dev, entity, ident)

    def teardown_check(self):
        """Final rounds: sync everyone twice; then compare devices with the server."""
        for _ in range(2):
            for dev in self.devices.values():
                for item in dev["store"].outbox("conflict"):
                    dev["records"].resolve_conflict(item["mutation_id"], keep="mine")
                assert dev["client"].sync().ok
        from sqlalchemy import text

        from server.extensions import db
        with self.app.app_context():
            findings = db.session.execute(text("SELECT id, revision FROM findings")).all()
            inspections = {r[0] for r in db.session.execute(text("SELECT id FROM inspections"))}
        assert len(findings) == len(set(findings)), "duplicate finding revisions on the server"
        by_id: dict[str, list[int]] = {}
        for fid, rev in findings:
            by_id.setdefault(fid, []).append(rev)
        assert all(sorted(r) == list(range(1, len(r) + 1)) for r in by_id.values()), by_id
        for name, dev in self.devices.items():
            store = dev["store"]
            stuck = {(i["entity"], i["id"]) for i in store.outbox()}
            assert all(i["state"] == "rejected" for i in store.outbox()), store.outbox()
            for entity, ident in self.created[name]:
                present = ident in inspections if entity == "inspection" else ident in by_id
                assert present or (entity, ident) in stuck, f"{name} lost {entity} {ident}"
            # the device's view equals what a clean device of the same user pulls
            fresh = LocalStore(":memory:")
            fresh_client = SyncClient(fresh, WsgiTransport(self.app, self.template["tokens"][name]),
                                      check_digest=False)
            assert fresh_client.sync().ok
            for entity in ("inspection", "finding", "review", "flag", "question"):
                mine = {k: v for k, v in store.records(entity).items() if (entity, k) not in stuck}
                theirs = {k: v for k, v in fresh.records(entity).items() if (entity, k) not in stuck}
                assert mine == theirs, (name, entity)
            fresh.close()


@pytest.mark.slow
def test_offline_devices_converge(template, tmp_path):
    class Machine(OfflineDevices):
        def teardown(self):
            try:
                if hasattr(self, "devices"):
                    self.teardown_check()
            finally:
                super().teardown()

    Machine.template = template
    Machine.workdir = tmp_path
    run_state_machine_as_test(Machine, settings=settings(
        max_examples=15, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
