"""Tokens, revocation at the next request, enrolment codes (one use, expiry), QR."""
from datetime import timedelta

import pytest
from server_testkit import PASSWORD, Api, make_app

from server.kernel import clock


@pytest.fixture
def api(tmp_path):
    return Api(make_app(f"sqlite:///{tmp_path / 'a.db'}"))


def _shift(monkeypatch, **delta):
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + timedelta(**delta))


def test_user_token_expires(api, monkeypatch):
    token = api.login("insp_chaoyang")
    assert api.pull(token=token, limit=1).status_code == 200
    _shift(monkeypatch, hours=13)
    r = api.pull(token=token, limit=1)
    assert r.status_code == 401 and r.json["error"] == "token_expired"


def test_logout_revokes_at_next_request(api):
    token = api.login("insp_chaoyang")
    assert api.call("POST", "/api/v1/auth/logout", token=token).status_code == 204
    r = api.pull(token=token, limit=1)
    assert r.status_code == 401 and r.json["error"] == "token_revoked"


def test_device_revocation_takes_effect_at_next_request(api):
    token = api.device("insp_chaoyang", supervisor="sup_chaoyang")
    assert api.pull(token=token, limit=1).status_code == 200
    devices = api.call("GET", "/api/v1/devices/", "sup_chaoyang").json
    r = api.call("POST", f"/api/v1/devices/{devices[0]['device_id']}/revoke", "sup_chaoyang")
    assert r.status_code == 200
    r = api.pull(token=token, limit=1)
    assert r.status_code == 401 and r.json["error"] == "device_revoked"


def test_disabling_the_user_kills_device_tokens(api):
    token = api.device("insp_chaoyang")
    from server.accounts.models import User
    from server.accounts.service import disable_user
    from server.kernel.extensions import db
    with api.app.app_context():
        disable_user(db.session.execute(db.select(User.id).where(User.username == "insp_chaoyang")).scalar())
        db.session.commit()
    r = api.pull(token=token, limit=1)
    assert r.status_code == 401 and r.json["error"] == "token_revoked"


def test_supervisor_cannot_revoke_device_outside_jurisdiction(api):
    api.device("insp_chaoyang")
    device_id = api.call("GET", "/api/v1/devices/", "admin").json[0]["device_id"]
    assert api.call("GET", "/api/v1/devices/", "sup_haidian").json == []
    r = api.call("POST", f"/api/v1/devices/{device_id}/revoke", "sup_haidian")
    assert r.status_code == 404


def test_enrolment_code_works_once(api):
    r = api.call("POST", "/api/v1/devices/enrolments", "sup_chaoyang", json={"username": "insp_chaoyang"})
    assert r.status_code == 201
    assert r.json["payload"] == f"gbfield-enrol:v1?server=http://gbfield.test&code={r.json['code']}"
    code = r.json["code"]
    first = api.client.post("/api/v1/devices/enrol", json={"code": code, "password": PASSWORD, "device_label": "平板1"})
    assert first.status_code == 201 and first.json["user"]["username"] == "insp_chaoyang"
    again = api.client.post("/api/v1/devices/enrol", json={"code": code, "password": PASSWORD, "device_label": "平板2"})
    assert again.status_code == 400 and again.json["error"] == "enrolment_invalid"


def test_enrolment_code_expires(api, monkeypatch):
    code = api.call("POST", "/api/v1/devices/enrolments", "admin", json={"username": "insp_haidian"}).json["code"]
    _shift(monkeypatch, minutes=16)
    r = api.client.post("/api/v1/devices/enrol", json={"code": code, "password": PASSWORD})
    assert r.status_code == 400 and r.json["error"] == "enrolment_invalid"
    assert "过期" in r.json["message"]


def test_enrolment_qr_png_decodes_to_the_payload(api):
    r = api.call("POST", "/api/v1/devices/enrolments", "admin", json={"username": "insp_haidian"})
    import base64
    import io

    import zxingcpp
    from PIL import Image
    prefix = "data:image/png;base64,"
    assert r.json["qr_png_data_url"].startswith(prefix)      # the image inside the answer: no URL holds the code
    png = base64.b64decode(r.json["qr_png_data_url"][len(prefix):])
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded[0].text == r.json["payload"]
    assert "qr_png_url" not in r.json


def test_supervisor_cannot_enrol_outside_jurisdiction(api):
    r = api.call("POST", "/api/v1/devices/enrolments", "sup_haidian", json={"username": "insp_chaoyang"})
    assert r.status_code == 404


def test_passwords_are_argon2_hashed(api):
    from server.accounts.models import User
    from server.kernel.extensions import db
    with api.app.app_context():
        h = db.session.execute(db.select(User.password_hash).where(User.username == "admin")).scalar()
    assert h.startswith("$argon2id$")
