"""Console administration (issue 14 item 7): users (create, disable / enable, a new password,
unlock after a lockout, role / jurisdiction / name), jurisdictions, expert fields, and
reopening an approved inspection with a reason — each through the one policy (admins;
never on the admin's own account; nobody reopens what they took part in) and each in the
audit log."""
from __future__ import annotations

import re

import pytest
from console_kit import csrf, seed, sign_in
from server_testkit import PASSWORD

USERS = "/console/users/"


def _audit(app, action: str) -> list[dict]:
    from server.kernel import audit

    with app.app_context():
        return audit.recent(action=action)


def _create(client, **fields):
    data = {"username": "insp_new", "display_name": "朝阳区执法人员 新人", "role": "inspector",
            "jurisdiction": "110105", "password": "a-new-password", **fields}
    return client.post("/console/users/create", data={"csrf_token": csrf(client, USERS), **data})


def _act(client, username: str, act: str):
    path = f"/console/users/{username}/{act}"
    return client.post(path, data={"csrf_token": csrf(client, path)})


@pytest.mark.parametrize("who,status", [("sup_chaoyang", 403), ("expert", 403), ("admin", 200)])
@pytest.mark.parametrize("path", [USERS, "/console/users/insp_chaoyang", "/console/jurisdictions/",
                                  "/console/users/insp_chaoyang/disable"])
def test_administration_pages_are_for_admins(client, who, status, path):
    sign_in(client, who)
    assert client.get(path).status_code == status


def test_users_list_filters_and_states(client, app):
    sign_in(client, "admin")
    page = client.get(USERS + "?role=inspector&jurisdiction=110100").get_data(as_text=True)
    assert 'id="user-insp_chaoyang"' in page and 'id="user-insp_haidian"' in page
    assert 'id="user-insp_pudong"' not in page and 'id="user-sup_chaoyang"' not in page
    page = client.get(USERS + "?q=张三").get_data(as_text=True)
    assert 'id="user-insp_chaoyang"' in page and 'id="user-insp_haidian"' not in page


def test_create_a_user_who_then_signs_in(app, client):
    sign_in(client, "admin")
    r = _create(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/console/users/insp_new")
    assert _audit(app, "user.create")[0]["target"] == "insp_new"
    r = app.test_client().post("/api/v1/auth/login", json={"username": "insp_new", "password": "a-new-password"})
    assert r.status_code == 200 and r.json["user"]["jurisdiction"] == "110105"


@pytest.mark.parametrize("fields,message", [
    ({"username": "Bad Name"}, "用户名只能使用小写字母"),
    ({"username": "insp_chaoyang"}, "用户名已存在"),
    ({"password": "short"}, "密码至少8位"),
    ({"jurisdiction": "999999"}, "未知辖区"),
])
def test_a_refused_user_form_says_why(client, fields, message):
    sign_in(client, "admin")
    r = _create(client, **fields)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and message in page
    assert "a-new-password" not in page                       # the password is not echoed


def test_disable_stops_tokens_and_enable_restores(app, client, api):
    token = api.login("insp_chaoyang")
    sign_in(client, "admin")
    page = client.get("/console/users/insp_chaoyang/disable").get_data(as_text=True)
    assert "停用后" in page                                   # asked again first
    assert _act(client, "insp_chaoyang", "disable").status_code == 302
    assert app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "已停用" in client.get("/console/users/insp_chaoyang").get_data(as_text=True)
    assert _act(client, "insp_chaoyang", "enable").status_code == 302
    assert app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert [e["action"] for e in _audit(app, "user.disable")] == ["user.disable"]
    assert [e["action"] for e in _audit(app, "user.enable")] == ["user.enable"]


def test_reset_password_shows_it_once_and_revokes_sessions(app, client, api):
    old = api.login("sup_chaoyang")
    sign_in(client, "admin")
    page = _act(client, "sup_chaoyang", "reset").get_data(as_text=True)
    new = re.search(r'<p class="mono big-code">([^<]+)</p>', page).group(1)
    other = app.test_client()
    assert other.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert other.post("/api/v1/auth/login", json={"username": "sup_chaoyang", "password": PASSWORD}).status_code == 401
    assert other.post("/api/v1/auth/login", json={"username": "sup_chaoyang", "password": new}).status_code == 200
    assert new not in client.get("/console/users/sup_chaoyang").get_data(as_text=True)
    assert new not in str(_audit(app, "user.reset_password"))


def test_unlock_after_a_lockout(app, client):
    tablet = app.test_client()
    for _ in range(5):
        tablet.post("/api/v1/auth/login", json={"username": "sup_chaoyang", "password": "wrong-password"})
    assert tablet.post("/api/v1/auth/login", json={"username": "sup_chaoyang", "password": PASSWORD}).status_code == 429
    sign_in(client, "admin")
    page = client.get(USERS + "?state=locked").get_data(as_text=True)
    assert 'id="user-sup_chaoyang"' in page and "登录锁定" in page
    r = _act(client, "sup_chaoyang", "unlock")
    assert r.status_code == 302
    assert "已解除 sup_chaoyang 的登录锁定" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert tablet.post("/api/v1/auth/login", json={"username": "sup_chaoyang", "password": PASSWORD}).status_code == 200
    assert _audit(app, "user.unlock")[0]["target"] == "sup_chaoyang"


def test_change_role_and_jurisdiction_is_audited_and_takes_effect(app, client, api):
    sign_in(client, "admin")
    r = client.post("/console/users/sup_haidian/edit", data={
        "csrf_token": csrf(client, "/console/users/sup_haidian"), "role": "supervisor", "jurisdiction": "110105",
        "display_name": "朝阳区科室负责人 二"})
    assert r.status_code == 302
    event = _audit(app, "user.change")[0]
    assert event["target"] == "sup_haidian" and event["details"]["jurisdiction_code"] == "110108 → 110105"
    assert api.call("GET", "/api/v1/auth/me", "sup_haidian").json["jurisdiction"] == "110105"


def test_an_admin_does_not_administer_their_own_account(app, client):
    sign_in(client, "admin")
    page = client.get("/console/users/admin").get_data(as_text=True)
    assert "职责分离" in page and "/console/users/admin/edit" not in page
    for act in ("disable", "reset"):
        assert _act(client, "admin", act).status_code == 403
    r = client.post("/console/users/admin/edit", data={"csrf_token": csrf(client, USERS), "role": "supervisor",
                                                       "jurisdiction": "110105", "display_name": ""})
    assert r.status_code == 403
    assert _audit(app, "user.change") == [] and _audit(app, "user.disable") == []


def test_a_second_admin_administers_the_first(client):
    sign_in(client, "admin")
    assert _create(client, username="admin2", role="admin", jurisdiction="110000").status_code == 302
    other = client.application.test_client()
    sign_in(other, "admin2", "a-new-password")
    assert _act(other, "admin", "reset").status_code == 200


def test_jurisdictions_add_rename_and_refusals(app, client):
    sign_in(client, "admin")
    page = "/console/jurisdictions/"
    r = client.post("/console/jurisdictions/create", data={"csrf_token": csrf(client, page), "code": "110106",
                                                           "name": "丰台区", "parent": "110100"})
    assert r.status_code == 302
    assert 'id="division-110106"' in client.get(page).get_data(as_text=True)
    for data, message in (({"code": "110106", "name": "x", "parent": "110100"}, "已存在"),
                          ({"code": "11010", "name": "x", "parent": "110100"}, "6位数字"),
                          ({"code": "110107", "name": "x", "parent": "999999"}, "上级行政区划不存在"),
                          ({"code": "110107", "name": " ", "parent": "110100"}, "辖区名称必须填写")):
        r = client.post("/console/jurisdictions/create", data={"csrf_token": csrf(client, page), **data})
        assert r.status_code == 400 and message in r.get_data(as_text=True), data
    r = client.post("/console/jurisdictions/110106/rename", data={"csrf_token": csrf(client, page), "name": "丰台"})
    assert r.status_code == 302
    assert [e["action"] for e in _audit(app, None) if e["target"] == "110106"] == ["jurisdiction.rename",
                                                                                   "jurisdiction.create"]
    assert _create(client, username="insp_fengtai", jurisdiction="110106").status_code == 302


def test_expert_fields_are_set_by_an_admin_and_audited(app, client):
    sign_in(client, "admin")
    path = "/console/experts/expert/fields"
    assert "纺织品" in client.get(path).get_data(as_text=True)
    r = client.post(path, data={"csrf_token": csrf(client, path), "fields": ["textile", "toy", "not-a-field"]})
    assert r.status_code == 302
    from server.accounts import service as accounts
    from server.interpretations import service as interpretations
    with app.app_context():
        assert interpretations.expert_fields(accounts.find_user("expert").id) == ["textile", "toy"]
    assert _audit(app, "expert.fields")[0]["details"]["fields"] == "textile,toy"
    r = client.post("/console/experts/sup_chaoyang/fields", data={"csrf_token": csrf(client, path), "fields": ["toy"]})
    assert r.status_code == 400


def _approve(api, inspection_id: str, who: str = "sup_chaoyang"):
    r = api.call("POST", f"/api/v1/inspections/{inspection_id}/reviews", who, json={"outcome": "approved"})
    assert r.status_code == 201, r.json


def test_reopen_an_approved_inspection_with_a_reason(app, client, api):
    ids = seed(api)
    _approve(api, ids["plain"])
    sign_in(client, "sup_chaoyang")
    detail = f"/console/inspections/{ids['plain']}"
    assert f"/console/inspections/{ids['plain']}/reopen" in client.get(detail).get_data(as_text=True)
    r = client.post(detail + "/reopen", data={"csrf_token": csrf(client, detail + "/reopen"), "reason": " "})
    assert r.status_code == 400 and "请写明重新打开的理由" in r.get_data(as_text=True)
    r = client.post(detail + "/reopen", data={"csrf_token": csrf(client, detail + "/reopen"),
                                              "reason": "样品批号与抽样单不一致，请核对后重新提交。"})
    assert r.status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "重新打开已通过的检查" in page and "样品批号与抽样单不一致" in page and "审核：通过" in page
    assert api.call("GET", f"/api/v1/inspections/{ids['plain']}", "insp_chaoyang").json["status"] == "returned"
    assert _audit(app, "inspection.reopen")[0]["target"] == ids["plain"]
    r = client.post(detail + "/reopen", data={"csrf_token": csrf(client, detail), "reason": "again"})
    assert r.status_code == 409 and "只有已审核通过的检查可以重新打开" in r.get_data(as_text=True)


def test_reopen_keeps_separation_of_duties_and_the_subtree(app, client, api):
    ids = seed(api)
    _approve(api, ids["haidian"], "sup_haidian")
    sign_in(client, "sup_chaoyang")
    path = f"/console/inspections/{ids['haidian']}/reopen"
    assert client.post(path, data={"csrf_token": csrf(client, "/console/inspections/"), "reason": "x"}).status_code == 404
    expert = app.test_client()
    sign_in(expert, "expert")
    assert expert.get(path).status_code == 403
    # an admin who pushed an inspection does not reopen it
    from server_testkit import finding, inspection_item, uid
    own = uid()
    r = api.push([inspection_item(own, findings=[finding(measured="12")])], "admin")
    assert r.json["results"][0]["status"] == "applied", r.json
    _approve(api, own)
    admin = app.test_client()
    sign_in(admin, "admin")
    path = f"/console/inspections/{own}/reopen"
    assert "/reopen" not in admin.get(f"/console/inspections/{own}").get_data(as_text=True)
    assert admin.post(path, data={"csrf_token": csrf(admin, "/console/inspections/"), "reason": "x"}).status_code == 403
