"""Login throttling (finding 8): per client for any usernames (password spraying), per
(username, client) so a guesser elsewhere cannot lock an officer out at their own tablet,
and an admin's unlock (API and CLI)."""
import pytest
from server_testkit import PASSWORD, Api, dispose_app, make_app


@pytest.fixture
def api(sqlite_url):
    app = make_app(sqlite_url, GBFIELD_LOGIN_MAX_FAILURES=3, GBFIELD_LOGIN_CLIENT_MAX_FAILURES=6,
                   GBFIELD_LOGIN_USER_MAX_FAILURES=50)
    yield Api(app)
    dispose_app(app)


def login(api, username, password, client="10.0.0.1"):
    return api.client.post("/api/v1/auth/login", json={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": client})


def test_spraying_from_one_client_is_stopped(api):
    names = [f"guess{n}" for n in range(7)]
    answers = [login(api, name, "Winter2026!").status_code for name in names]
    assert answers == [401] * 6 + [429]
    assert login(api, "insp_chaoyang", PASSWORD).status_code == 429            # the client is locked
    assert login(api, "insp_chaoyang", PASSWORD, client="10.0.0.2").status_code == 200


def test_a_guesser_elsewhere_does_not_lock_the_officer_out(api):
    for _ in range(4):
        login(api, "insp_chaoyang", "wrong", client="192.0.2.66")
    assert login(api, "insp_chaoyang", PASSWORD, client="192.0.2.66").status_code == 429
    assert login(api, "insp_chaoyang", PASSWORD, client="10.0.0.9").status_code == 200


def test_admin_unlocks_a_user(api):
    for _ in range(3):
        login(api, "insp_chaoyang", "wrong")
    assert login(api, "insp_chaoyang", PASSWORD).status_code == 429
    assert api.call("POST", "/api/v1/auth/users/insp_chaoyang/unlock", "sup_chaoyang").status_code == 403
    r = api.call("POST", "/api/v1/auth/users/insp_chaoyang/unlock", "admin")
    assert r.status_code == 200 and r.json["cleared"] >= 1
    assert login(api, "insp_chaoyang", PASSWORD).status_code == 200


def test_cli_unlock(api, monkeypatch, capsys):
    from cli.main import main
    for _ in range(3):
        login(api, "insp_haidian", "wrong")
    assert login(api, "insp_haidian", PASSWORD).status_code == 429
    monkeypatch.setenv("DATABASE_URL", api.app.config["SQLALCHEMY_DATABASE_URI"])
    assert main(["users", "unlock", "insp_haidian"]) == 0
    assert "unlocked insp_haidian" in capsys.readouterr().out
    assert login(api, "insp_haidian", PASSWORD).status_code == 200
