"""Console sign-in: login/logout, wrong password, lockout, expiry and revocation, roles, CSRF."""
from __future__ import annotations

from datetime import timedelta

import pytest
from console_kit import csrf, sign_in
from server_testkit import PASSWORD

from server.accounts.models import Token, User
from server.kernel import clock
from server.kernel.extensions import db


def test_pages_need_sign_in_and_keep_the_target(client):
    r = client.get("/console/inspections/?status=submitted")
    assert r.status_code == 302
    assert r.location.startswith("/console/login?next=")
    page = client.get(r.location).get_data(as_text=True)
    assert "请先登录" in page and 'name="next"' in page


def test_sign_in_sets_a_hardened_cookie_and_sign_out_revokes_the_token(app, client):
    r = sign_in(client, "sup_chaoyang")
    assert r.status_code == 302 and r.location == "/console/inspections/"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/console/inspections/").status_code == 200
    token = csrf(client, "/console/inspections/")
    r = client.post("/console/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "已退出登录" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Token).where(Token.revoked_at.is_(None))).first() is None
    assert client.get("/console/inspections/").status_code == 302


@pytest.mark.parametrize("username,password,status,message", [
    ("sup_chaoyang", "wrong-password", 401, "用户名或密码错误"),
    ("nobody", PASSWORD, 401, "用户名或密码错误"),
    ("sup_chaoyang", "", 400, "请输入用户名和密码"),
    ("insp_chaoyang", PASSWORD, 403, "执法人员请使用平板应用"),
])
def test_sign_in_refusals_are_readable(client, username, password, status, message):
    r = sign_in(client, username, password)
    assert r.status_code == status
    assert message in r.get_data(as_text=True)
    assert client.get("/console/inspections/").status_code == 302


def test_repeated_wrong_passwords_lock_the_user_out(app, client):
    app.config["GBFIELD_LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        assert sign_in(client, "sup_chaoyang", "wrong-password").status_code == 401
    r = sign_in(client, "sup_chaoyang")
    page = r.get_data(as_text=True)
    assert r.status_code == 429
    assert "密码错误次数过多" in page and "分钟后再试" in page


@pytest.mark.parametrize("how,message", [("expire", "登录已过期"), ("revoke", "登录已失效"), ("disable", "登录已失效")])
def test_a_dead_token_ends_the_session_at_the_next_request(app, client, how, message):
    sign_in(client, "sup_chaoyang")
    assert client.get("/console/inspections/").status_code == 200
    with app.app_context():
        token = db.session.execute(db.select(Token)).scalar_one()
        if how == "expire":
            token.expires_at = clock.now() - timedelta(minutes=1)
        elif how == "revoke":
            token.revoked_at = clock.now()
        else:
            db.session.get(User, token.user_id).disabled_at = clock.now()
        db.session.commit()
    r = client.get("/console/inspections/")
    assert r.status_code == 302
    assert message in client.get(r.location).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/console/login", "/console/logout"])
def test_posts_without_the_csrf_token_are_refused_with_a_page(client, path):
    sign_in(client, "sup_chaoyang")
    r = client.post(path, data={"username": "sup_chaoyang", "password": PASSWORD})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "请求已过期" in page and r.mimetype == "text/html"
    assert client.get("/console/inspections/").status_code == 200   # still signed in


def test_a_token_from_another_session_is_refused(app):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "sup_chaoyang")
    sign_in(second, "sup_chaoyang")
    token = csrf(first, "/console/inspections/")
    assert second.post("/console/logout", data={"csrf_token": token}).status_code == 400


def test_language_switch_is_kept_in_the_session(client):
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and "Inspections" in page
    page = client.get("/console/inspections/").get_data(as_text=True)
    assert "Disagreements only" in page
    assert 'lang="zh-CN"' in client.get("/console/inspections/?lang=zh").get_data(as_text=True)


def test_open_redirects_are_ignored(client):
    r = client.post("/console/login", data={"csrf_token": csrf(client), "username": "sup_chaoyang",
                                            "password": PASSWORD, "next": "//evil.example/x"})
    assert r.location == "/console/inspections/"


def test_expert_lands_on_the_question_queue(client):
    assert sign_in(client, "expert").location == "/console/questions/"
    assert client.get("/console/inspections/").status_code == 403
