"""The stored evidence log on SQLite and PostgreSQL: appends chain, SQL tampering is caught,
the ORM refuses updates and deletes (the CLI is tested in tests/cli/test_evidence_cli.py)."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from server.app import loopback
from server.evidence import service
from server.evidence.models import EvidenceEvent, EvidenceLogIsAppendOnly
from server.kernel.extensions import db


@pytest.fixture
def evidence_app(tmp_path, db_url):
    app = loopback.make_app(tmp_path, db_url=db_url)
    with app.app_context():
        for n in range(6):
            service.append_event(("uploaded", "attached", "reviewed", "exported")[n % 4], actor="insp_chaoyang",
                                 photo_sha256=f"{n:064x}", record_type="finding", record_id=f"f-{n}",
                                 details={"n": n, "note": "现场照片"})
        db.session.commit()
    yield app
    loopback.dispose(app)


def test_appended_events_form_an_intact_chain(evidence_app):
    with evidence_app.app_context():
        report = service.verify()
        rows = db.session.execute(db.select(EvidenceEvent).order_by(EvidenceEvent.seq)).scalars().all()
    assert report.ok and report.count == 6
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5, 6]
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))


@pytest.mark.parametrize("sql, broken", [
    ("UPDATE evidence_events SET actor = 'someone else' WHERE seq = 4", 4),
    ("UPDATE evidence_events SET details = replace(details, '现场照片', '改过的照片') WHERE seq = 3", 3),
    ("DELETE FROM evidence_events WHERE seq = 2", 3),
])
def test_sql_tampering_is_caught_and_named(evidence_app, sql, broken):
    with evidence_app.app_context():
        db.session.execute(text(sql))
        db.session.commit()
        report = service.verify()
    assert not report.ok and report.first_broken.seq == broken


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_orm_refuses_to_change_events(evidence_app, change):
    with evidence_app.app_context():
        event = db.session.get(EvidenceEvent, 1)
        if change == "update":
            event.actor = "x"
        else:
            db.session.delete(event)
        with pytest.raises(EvidenceLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()


def test_unknown_kinds_and_float_details_are_refused(evidence_app):
    from server.kernel.errors import ValidationFailed
    with evidence_app.app_context():
        with pytest.raises(ValidationFailed):
            service.append_event("deleted", actor="x")
        with pytest.raises(ValidationFailed):
            service.append_event("exported", actor="x", details={"ratio": 0.5})
