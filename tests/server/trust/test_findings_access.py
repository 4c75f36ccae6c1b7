"""Findings 2, 6, 10 and 13 of issue 12: no disclosure through a push conflict; the
console cookie holds no bearer token and is Secure by configuration; CSV formula cells;
separation of duties (self-review, enrolment by the officer's own password, registry
writes by a province registrar)."""
import re

import pytest
from server_testkit import PASSWORD, Api, dispose_app, finding, inspection_item, make_app, uid

from server.accounts.service import create_user
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('find') / 'f.db'}")
    with app.app_context(), unit_of_work():
        create_user("registrar_cy", PASSWORD, "registrar", "110105")    # a district: too low for the registry
        create_user("sup_beijing", PASSWORD, "supervisor", "110000")
    yield Api(app)
    dispose_app(app)


def question(ident, text="5.1条的限值是否适用于外包装？"):
    return {"mutation_id": uid(), "entity": "question", "id": ident, "base_version": 0,
            "data": {"id": ident, "text": text}}


def test_finding2_a_question_conflict_does_not_disclose_another_districts_question(api):
    ident = uid()
    assert api.push([question(ident, "浦东的机密问题")], "insp_pudong").json["results"][0]["status"] == "applied"
    result = api.push([question(ident)], "insp_chaoyang").json["results"][0]
    assert result["status"] == "conflict"
    assert result["current"] is None and result["server_version"] is None
    assert "浦东" not in str(result)
    own = api.push([question(ident)], "insp_pudong").json["results"][0]     # its asker still sees it
    assert own["status"] == "conflict" and own["current"]["text"] == "浦东的机密问题"


def sign_in(client, username):
    html = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/console/login", data={"csrf_token": token, "username": username, "password": PASSWORD})


def _session_token(app, client):
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)["console_token"]


def test_finding6_the_console_cookie_holds_no_api_token(api):
    client = api.app.test_client()
    assert sign_in(client, "sup_chaoyang").status_code == 302
    token = _session_token(api.app, client)
    r = api.call("GET", "/api/v1/auth/me", token=token)
    assert r.status_code == 401                                   # decoded, it is no bearer token
    assert client.get("/console/inspections/").status_code == 200  # but it is the console session


def test_finding6_session_cookie_secure_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = make_app(f"sqlite:///{tmp_path / 's.db'}")
    try:
        client = app.test_client()
        r = sign_in(client, "sup_chaoyang")
        cookie = r.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        dispose_app(app)


def test_finding10_formula_cells_are_refused_at_import(api):
    csv = ("gtin,name,category,product_class,company_name,credit_code,standards\n"
           "6901234567892,=HYPERLINK(\"http://x\"),infant,A,,,GB 18401\n"
           "6901234567892,婴儿纯棉连体衣,infant,A,@SUM(1),,GB 18401\n")
    r = api.call("POST", "/api/v1/products/import?dry_run=true", "registrar", data=csv.encode(),
                 content_type="text/csv", headers={"Accept-Language": "en"})
    assert r.status_code == 200 and r.json["accepted"] == 0
    refused = {(row["row"], e["column"]): e["reason"] for row in r.json["rejections"] for e in row["errors"]}
    assert "formula" in refused[(2, "name")] and "formula" in refused[(3, "company_name")]


def test_finding10_exported_csv_cells_cannot_run():
    from server.planning.opendata import to_csv
    body = to_csv([{"enterprise": "=cmd|'/c calc'!A1", "item": "-2+3", "plan_name": "正常"}]).decode("utf-8-sig")
    assert "'=cmd" in body and "'-2+3" in body and ",正常," in body


def _inspection(api, who, jurisdiction="110105"):
    item = inspection_item(jurisdiction=jurisdiction, findings=[finding(measured="12")])
    assert api.push([item], who).json["results"][0]["status"] == "applied"
    return item["id"]


@pytest.mark.parametrize("author", ["sup_chaoyang", "admin"])
def test_finding13_nobody_reviews_an_inspection_they_took_part_in(api, author):
    ident = _inspection(api, author)
    r = api.call("POST", f"/api/v1/inspections/{ident}/reviews", author, json={"outcome": "approved"})
    assert r.status_code == 403 and r.json["error"] == "forbidden"
    other = "sup_beijing" if author == "sup_chaoyang" else "sup_chaoyang"
    assert api.call("POST", f"/api/v1/inspections/{ident}/reviews", other,
                    json={"outcome": "approved"}).status_code == 201


def test_finding13_a_supervisor_who_corrected_a_finding_cannot_review_it(api):
    ident = _inspection(api, "insp_chaoyang")
    fix = finding(measured="13")
    item = {"mutation_id": uid(), "entity": "finding", "id": fix["id"], "base_version": 0,
            "data": {**fix, "inspection_id": ident}}
    assert api.push([item], "sup_chaoyang").json["results"][0]["status"] == "applied"
    r = api.call("POST", f"/api/v1/inspections/{ident}/reviews", "sup_chaoyang", json={"outcome": "approved"})
    assert r.status_code == 403


def test_finding13_enrolment_needs_the_officers_own_password(api):
    def code():
        r = api.call("POST", "/api/v1/devices/enrolments", "sup_chaoyang", json={"username": "insp_chaoyang"})
        return r.json["code"]
    c = code()
    r = api.client.post("/api/v1/devices/enrol", json={"code": c, "device_label": "t"})
    assert r.status_code == 400 and r.json["details"] == {"password": ["required"]}
    r = api.client.post("/api/v1/devices/enrol", json={"code": c, "device_label": "t", "password": "wrong-one"})
    assert r.status_code == 401
    r = api.client.post("/api/v1/devices/enrol", json={"code": c, "device_label": "t", "password": PASSWORD})
    assert r.status_code == 201 and r.json["user"]["username"] == "insp_chaoyang"


@pytest.mark.parametrize("who, status", [("sup_chaoyang", 403), ("sup_beijing", 403), ("registrar_cy", 403),
                                         ("registrar", 200), ("admin", 200)])
def test_finding13_registry_writes_need_a_registrar_of_a_province(api, who, status):
    body = {"name": "婴儿连体衣", "category": "infant", "product_class": "A", "standards": "GB 18401"}
    r = api.call("PUT", "/api/v1/products/6901234567892", who, json=body)
    assert r.status_code == status, r.json
    with api.app.app_context():
        db.session.remove()
