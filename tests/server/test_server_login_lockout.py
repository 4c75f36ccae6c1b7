"""Repeated wrong passwords lock a user's logins for a while (429 with Retry-After); the
count survives the failing requests, a right password resets it, and the lock lifts."""
from datetime import timedelta

import pytest
from server_testkit import PASSWORD, Api, dispose_app, make_app

from server.accounts.models import LoginThrottle
from server.kernel import clock
from server.kernel.extensions import db


@pytest.fixture
def api(db_url):
    app = make_app(db_url, GBFIELD_LOGIN_MAX_FAILURES=3, GBFIELD_LOGIN_LOCK_MINUTES=10)
    yield Api(app)
    dispose_app(app)


def login(api, password, username="insp_chaoyang"):
    return api.client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_too_many_wrong_passwords_lock_the_user_out(api, monkeypatch):
    for _ in range(3):
        assert login(api, "wrong").status_code == 401
    r = login(api, PASSWORD)              # even the right password is refused while locked
    assert r.status_code == 429 and r.json["error"] == "rate_limited"
    assert "分钟后再试" in r.json["message"]
    assert 0 < int(r.headers["Retry-After"]) <= 600
    assert r.json["details"]["retry_after_seconds"] == int(r.headers["Retry-After"])
    assert login(api, PASSWORD, "insp_haidian").status_code == 200   # other users unaffected
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + timedelta(minutes=11))
    assert login(api, PASSWORD).status_code == 200


def test_a_right_password_resets_the_count(api):
    for _ in range(2):
        assert login(api, "wrong").status_code == 401
    assert login(api, PASSWORD).status_code == 200
    for _ in range(2):
        assert login(api, "wrong").status_code == 401
    assert login(api, PASSWORD).status_code == 200
    with api.app.app_context():
        keys = db.session.execute(db.select(LoginThrottle.key)).scalars().all()
        assert not [k for k in keys if "insp_chaoyang" in k]      # the username's counters are gone


def test_finding8_unknown_users_are_answered_exactly_like_known_ones(api):
    """Unknown usernames are counted and locked the same way: the answers never tell
    which accounts exist."""
    known = [(r.status_code, r.json["error"]) for r in (login(api, "wrong", "insp_haidian") for _ in range(4))]
    unknown = [(r.status_code, r.json["error"]) for r in (login(api, "wrong", "nobody") for _ in range(4))]
    assert known == unknown == [(401, "invalid_credentials")] * 3 + [(429, "rate_limited")]
