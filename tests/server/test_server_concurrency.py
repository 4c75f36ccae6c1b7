"""PostgreSQL under concurrency: the cursor never skips a late commit; 20 devices pushing
at once store every applied item exactly once."""
import random
import threading
import time

import pytest
from server_testkit import Api, finding, inspection_item, make_app
from sqlalchemy import event, func, select

from server.inspections.models import Finding, Inspection
from server.kernel.auth import Principal
from server.kernel.changes import Change, record_change
from server.kernel.extensions import db
from server.syncing.pull import pull

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ADMIN = Principal(0, "admin", "admin", "110000", "/110000/", None, "t")


def test_cursor_never_skips_late_commits(pg_url):
    app = make_app(pg_url)
    writers, per_writer = 6, 25
    rng = random.Random(7)
    local = threading.local()

    def slow_commit(session):
        # runs after the change rows were inserted (our hook is registered first):
        # a random pause between taking seq values and COMMIT, as a slow transaction would
        if getattr(local, "writer", False):
            time.sleep(rng.uniform(0, 0.01))

    from flask_sqlalchemy.session import Session
    event.listen(Session, "before_commit", slow_commit)
    errors = []

    def write(n):
        local.writer = True
        try:
            with app.app_context():
                for k in range(per_writer):
                    db.session.execute(select(1))          # the transaction is open from here
                    time.sleep(rng.uniform(0, 0.005))
                    for j in range(3):
                        record_change("product", f"w{n}-{k}-{j}", "upsert", 1, {"n": n})
                    db.session.commit()
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    seen = []
    with app.app_context():
        start = pull(ADMIN, 0, 5000)["cursor"]
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    try:
        for t in threads:
            t.start()
        cursor, deadline = start, time.monotonic() + 60
        while time.monotonic() < deadline:
            finished = not any(t.is_alive() for t in threads)
            with app.app_context():
                page = pull(ADMIN, cursor, 7, ("product",))
                db.session.rollback()
            seen.extend(c["id"] for c in page["changes"])
            cursor = page["cursor"]
            if finished and not page["has_more"] and not page["changes"]:
                break
    finally:
        for t in threads:
            t.join(30)
        event.remove(Session, "before_commit", slow_commit)
    assert not errors
    expected = {f"w{n}-{k}-{j}" for n in range(writers) for k in range(per_writer) for j in range(3)}
    written = [s for s in seen if s.startswith("w")]
    assert len(written) == len(set(written)), "a change was served twice"
    assert set(written) == expected, f"{len(expected - set(written))} changes skipped by the cursor"


def test_twenty_devices_pushing_at_once_store_every_applied_item_once(pg_url):
    app = make_app(pg_url)
    api = Api(app)
    tokens = [api.device("insp_chaoyang") for _ in range(20)]
    seed = inspection_item()
    assert api.push([seed], token=tokens[0]).json["results"][0]["status"] == "applied"
    answers, errors = [], []
    shared_batch = [inspection_item(findings=[finding()]) for _ in range(10)]

    def device(n):
        client = Api(app)
        try:
            for b in range(4):
                items = [inspection_item(findings=[finding(), finding()]) for _ in range(12)]
                items.insert(5, inspection_item(seed["id"], base_version=99))   # conflicts mid-batch
                if b == 1:
                    items = shared_batch + items   # the same mutations from every device at once
                r = client.push(items, token=tokens[n])
                if r.status_code != 200:
                    errors.append((r.status_code, r.json))
                    continue
                answers.extend(zip(items, r.json["results"]))
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=device, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    applied = [item["id"] for item, res in answers if res["status"] == "applied"]
    assert len(applied) == len(set(applied))
    shared_ids = {i["id"] for i in shared_batch}
    assert shared_ids <= set(applied)
    assert {res["status"] for item, res in answers if item["id"] == seed["id"]} == {"conflict"}
    with app.app_context():
        stored = dict(db.session.execute(select(Inspection.id, Inspection.version)).all())
        per_id = db.session.execute(select(Inspection.id, func.count()).group_by(Inspection.id)).all()
        findings = db.session.execute(select(func.count()).select_from(Finding)).scalar()
        changes = db.session.execute(select(func.count()).select_from(Change)
                                     .where(Change.entity == "inspection")).scalar()
    assert set(applied) | {seed["id"]} == set(stored)
    assert all(n == 1 for _, n in per_id)
    assert findings == sum(len(i["data"]["findings"]) for i, r in answers if r["status"] == "applied")
    assert changes == len(stored)
