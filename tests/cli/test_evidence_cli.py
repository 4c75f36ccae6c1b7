"""`gbfield evidence verify`: exit 0 with the count, exit 1 naming the first broken link."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from cli.main import main as gbfield
from server.app import loopback
from server.evidence import service
from server.kernel.extensions import db


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    app = loopback.make_app(tmp_path, db_url=url)
    with app.app_context():
        for n in range(5):
            service.append_event("uploaded", actor="insp_chaoyang", photo_sha256=f"{n:064x}", details={"n": n})
        db.session.commit()
    yield url
    loopback.dispose(app)


def tamper(url: str, sql: str) -> None:
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_an_intact_chain_exits_0_with_the_count_and_head(db_url, capsys):
    assert gbfield(["evidence", "verify", "--database-url", db_url]) == 0
    out = capsys.readouterr().out
    assert "chain intact, 5 events" in out and "证据链完整" in out


@pytest.mark.parametrize("sql, broken", [
    ("UPDATE evidence_events SET photo_sha256 = replace(photo_sha256, '03', '99') WHERE seq = 4", 4),
    ("DELETE FROM evidence_events WHERE seq = 2", 3),
])
def test_a_tampered_row_exits_1_naming_the_first_broken_link(db_url, capsys, sql, broken):
    tamper(db_url, sql)
    assert gbfield(["evidence", "verify", "--database-url", db_url]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN at event #{broken}" in out and "证据链断裂" in out


def test_expect_head_catches_a_cut_off_tail(db_url, capsys):
    gbfield(["evidence", "verify", "--database-url", db_url])
    head = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert gbfield(["evidence", "verify", "--database-url", db_url, "--expect-head", head]) == 0
    tamper(db_url, "DELETE FROM evidence_events WHERE seq = 5")
    capsys.readouterr()
    assert gbfield(["evidence", "verify", "--database-url", db_url]) == 0     # the rest still links up…
    assert gbfield(["evidence", "verify", "--database-url", db_url, "--expect-head", head]) == 1   # …but not to the head
    assert "head mismatch" in capsys.readouterr().out
