"""Console 设备管理: the subtree's tablets, enrolment by QR code (decoded with zxing-cpp and
redeemed once through the API), revocation with confirmation and CSRF, and the tablet's
next request answering 401 device_revoked."""
from __future__ import annotations

import base64
import io
import re

import pytest
from console_kit import csrf, sign_in
from server_testkit import PASSWORD

PAGE = "/console/devices/"


def _device_id(api, token: str) -> str:
    """Return the id of the device a token belongs to (through the list API as admin)."""
    from server.accounts.models import Token
    from server.kernel.auth import hash_token
    from server.kernel.extensions import db

    with api.app.app_context():
        return db.session.get(Token, hash_token(token)).device_id


def _enrol(client, username: str, label: str = "朝阳一所-平板3"):
    return client.post("/console/devices/enrol", data={"csrf_token": csrf(client, PAGE), "username": username,
                                                       "device_label": label})


@pytest.mark.parametrize("who,status", [("expert", 403), ("sup_chaoyang", 200), ("admin", 200)])
@pytest.mark.parametrize("path", [PAGE, "/console/compliance/"])
def test_pages_are_for_supervisors_and_admins(client, who, status, path):
    sign_in(client, who)
    assert client.get(path).status_code == status


def test_inspector_cannot_sign_in_to_the_console(client):
    assert sign_in(client, "insp_chaoyang").status_code == 403
    assert "/console/login" in client.get(PAGE).headers["Location"]


def test_list_shows_only_the_subtrees_tablets(client, api):
    mine = _device_id(api, api.device("insp_chaoyang"))
    other = _device_id(api, api.device("insp_haidian"))
    sign_in(client, "sup_chaoyang")
    page = client.get(PAGE).get_data(as_text=True)
    assert f'id="device-{mine}"' in page and f'id="device-{other}"' not in page
    assert "使用中" in page and "insp_chaoyang" in page
    options = re.findall(r'<option value="([^"]+)"', page)
    assert options == ["insp_chaoyang"]                       # only the subtree's inspectors can be chosen


def test_enrol_shows_a_qr_that_decodes_to_the_payload_and_works_once(client, api):
    import zxingcpp
    from PIL import Image

    sign_in(client, "sup_chaoyang")
    r = _enrol(client, "insp_chaoyang")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "扫码登记：insp_chaoyang" in page and "分钟，至" in page
    code = re.search(r'id="enrol-code">([^<]+)<', page).group(1)
    payload = re.search(r'id="enrol-payload">([^<]+)<', page).group(1).replace("&amp;", "&")
    assert code in payload and payload.startswith("gbfield-enrol:v1?")
    qr_url = re.search(r'<img class="qr" src="([^"]+)"', page).group(1)
    assert qr_url.startswith("data:image/png;base64,")    # finding 11: no URL carries the live code
    png = base64.b64decode(qr_url.split(",", 1)[1])
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [payload]
    first = api.client.post("/api/v1/devices/enrol", json={"code": code, "password": PASSWORD, "device_label": "x", "platform": "android"})
    assert first.status_code == 201, first.json
    again = api.client.post("/api/v1/devices/enrol", json={"code": code, "password": PASSWORD, "device_label": "y"})
    assert again.status_code == 400 and again.json["error"] == "enrolment_invalid"
    listed = client.get(PAGE).get_data(as_text=True)
    assert "朝阳一所-平板3" in listed and "android" in listed


def test_no_url_serves_an_enrolment_qr(client, api):
    r = api.call("POST", "/api/v1/devices/enrolments", "sup_haidian", json={"username": "insp_haidian"})
    sign_in(client, "sup_haidian")
    assert client.get(f"/console/devices/enrolments/{r.json['code']}/qr.png").status_code == 404
    assert api.call("GET", f"/api/v1/devices/enrolments/{r.json['code']}/qr.png", "sup_haidian").status_code in (404, 405)


@pytest.mark.parametrize("form,status,text", [
    ({"username": ""}, 400, "请选择执法人员"),
    ({"username": "insp_chaoyang", "device_label": "x" * 101}, 400, "不能超过 100"),
    ({"username": "insp_haidian"}, 404, "不在您的辖区内"),
    ({"username": "no_such_user"}, 404, "不在您的辖区内"),
])
def test_enrol_form_errors(client, form, status, text):
    sign_in(client, "sup_chaoyang")
    r = client.post("/console/devices/enrol", data={"csrf_token": csrf(client, PAGE), **form})
    assert r.status_code == status and text in r.get_data(as_text=True)


@pytest.mark.parametrize("token", [None, "wrong"])
def test_enrol_and_revoke_need_the_csrf_token(client, api, token):
    device = _device_id(api, api.device("insp_chaoyang"))
    sign_in(client, "sup_chaoyang")
    data = {} if token is None else {"csrf_token": token}
    r = client.post("/console/devices/enrol", data={**data, "username": "insp_chaoyang"})
    assert r.status_code == 400 and "请求已过期" in r.get_data(as_text=True)
    r = client.post(f"/console/devices/{device}/revoke", data=data)
    assert r.status_code == 400
    assert "使用中" in client.get(PAGE).get_data(as_text=True)   # nothing was revoked


def test_revoke_confirms_then_the_tablets_next_request_is_refused(client, api):
    token = api.device("insp_chaoyang")
    device = _device_id(api, token)
    assert api.pull(token=token).status_code == 200
    sign_in(client, "sup_chaoyang")
    confirm = client.get(f"/console/devices/{device}/revoke")
    assert confirm.status_code == 200 and "确认吊销设备" in confirm.get_data(as_text=True)
    assert api.pull(token=token).status_code == 200             # the GET changed nothing
    r = client.post(f"/console/devices/{device}/revoke", data={"csrf_token": csrf(client, PAGE)})
    assert r.status_code == 302 and r.headers["Location"].endswith(PAGE)
    assert "已吊销设备" in client.get(PAGE).get_data(as_text=True)
    refused = api.pull(token=token)
    assert refused.status_code == 401 and refused.json["error"] == "device_revoked"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_districts_device_is_404_and_stays_active(client, api, method):
    token = api.device("insp_haidian")
    device = _device_id(api, token)
    sign_in(client, "sup_chaoyang")
    data = {"csrf_token": csrf(client, PAGE)} if method == "POST" else None
    r = client.open(f"/console/devices/{device}/revoke", method=method, data=data)
    assert r.status_code == 404
    assert api.pull(token=token).status_code == 200
