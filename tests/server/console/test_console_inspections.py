"""Console inspections: list (scope, filters, columns), detail, review flow to the device,
form validation, photos served with the session's authority."""
from __future__ import annotations

import re

import pytest
from console_kit import csrf, jpeg_bytes, seed, sign_in

from server.accounts.models import User
from server.kernel.auth import Principal
from server.kernel.extensions import db
from server.photos.service import store_photo


@pytest.fixture
def ids(api):
    return seed(api)


def _rows(html: str) -> int:
    return len(re.findall(r'<a class="rowlink"', html))


def test_list_shows_only_the_supervisors_subtree_with_counts(client, ids):
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/").get_data(as_text=True)
    assert _rows(page) == 2
    assert ids["disagree"] in page and ids["plain"] in page and ids["haidian"] not in page
    assert "朝阳区" in page and "91110105MA01ABCD00" in page and "insp_chaoyang" in page
    assert "缺 1 张" in page and '<span class="fail-count">1</span>' in page and "待审核" in page


@pytest.mark.parametrize("query,expected", [
    ("disagreement=1", {"disagree"}),
    ("q=纺织", {"plain"}),
    ("q=91110105MA01ABCD00", {"disagree", "plain"}),
    ("status=approved", set()),
    ("status=submitted&disagreement=1&q=婴童", {"disagree"}),
    ("status=bogus&page=x", {"disagree", "plain"}),
])
def test_list_filters(client, ids, query, expected):
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/inspections/?{query}").get_data(as_text=True)
    assert {name for name in ("disagree", "plain") if ids[name] in page} == expected
    assert _rows(page) == len(expected)


def test_list_pages(client, api, ids, monkeypatch):
    from server.inspections import console as views_inspections

    monkeypatch.setattr(views_inspections, "PAGE_SIZE", 1)
    sign_in(client, "sup_chaoyang")
    first = client.get("/console/inspections/").get_data(as_text=True)
    second = client.get("/console/inspections/?page=2").get_data(as_text=True)
    assert _rows(first) == _rows(second) == 1
    assert 'rel="next"' in first and 'rel="next"' not in second and 'rel="prev"' in second
    assert '<span class="page-num current" aria-current="page">2</span>' in second
    past_the_end = client.get("/console/inspections/?page=999").get_data(as_text=True)
    assert "第 2/2 页" in past_the_end and "第 999" not in past_the_end and _rows(past_the_end) == 1
    assert {ids["disagree"], ids["plain"]} == {i for i in (ids["disagree"], ids["plain"]) if i in first + second}


def test_detail_shows_findings_verdicts_flags_and_missing_photo(client, ids):
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/inspections/{ids['disagree']}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    for text in ("北京示例婴童服饰有限公司", "北京市朝阳区示例路1号", "甲醛含量", "≤20", "24", "mg/kg",
                 "平板与服务器判定不一致", "之前", "之后", "未上传", "全数值比较法", "尚未审核", "提交审核"):
        assert text in page, text
    assert page.count('class="badge outcome-fail"') >= 2       # server verdict + the flag's "after"


def test_detail_of_another_district_is_404(client, ids):
    sign_in(client, "sup_haidian")
    r = client.get(f"/console/inspections/{ids['disagree']}")
    assert r.status_code == 404 and "不在您的辖区内" in r.get_data(as_text=True)
    assert client.get("/console/inspections/no-such-id").status_code == 404


def test_review_return_reaches_the_device_by_pull(client, api, ids):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, f"/console/inspections/{ids['disagree']}")
    r = client.post(f"/console/inspections/{ids['disagree']}/review",
                    data={"csrf_token": token, "outcome": "returned", "comment": "请补拍吊牌照片并复测甲醛",
                          "back": "/console/inspections/?disagreement=1"})
    assert r.status_code == 302 and r.location == "/console/inspections/?disagreement=1"
    page = client.get(r.location).get_data(as_text=True)
    assert "已审核：北京示例婴童服饰有限公司（退回修改）" in page
    detail = client.get(f"/console/inspections/{ids['disagree']}").get_data(as_text=True)
    assert "请补拍吊牌照片并复测甲醛" in detail and "已退回" in detail and "提交审核" not in detail
    changes = api.pull("insp_chaoyang", entities="review,inspection").json["changes"]
    reviews = [c["data"] for c in changes if c["entity"] == "review"]
    assert [(x["outcome"], x["comment"]) for x in reviews] == [("returned", "请补拍吊牌照片并复测甲醛")]
    inspection = [c["data"] for c in changes if c["entity"] == "inspection" and c["id"] == ids["disagree"]][-1]
    assert inspection["status"] == "returned"


@pytest.mark.parametrize("data,status,message", [
    ({"outcome": "returned", "comment": "  "}, 400, "退回修改或不予通过必须填写意见"),
    ({"outcome": "rejected"}, 400, "退回修改或不予通过必须填写意见"),
    ({"outcome": "maybe", "comment": "x"}, 400, "请选择审核结果"),
    ({}, 400, "请选择审核结果"),
])
def test_review_form_errors_are_shown_in_the_form(client, ids, data, status, message):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, f"/console/inspections/{ids['plain']}")
    r = client.post(f"/console/inspections/{ids['plain']}/review", data={"csrf_token": token, **data})
    page = r.get_data(as_text=True)
    assert r.status_code == status and message in page and 'class="field-error"' in page
    assert "待审核" in page   # nothing changed


def test_reviewing_twice_answers_409_with_the_status(client, ids):
    sign_in(client, "sup_chaoyang")
    path = f"/console/inspections/{ids['plain']}/review"
    token = csrf(client, f"/console/inspections/{ids['plain']}")
    assert client.post(path, data={"csrf_token": token, "outcome": "approved"}).status_code == 302
    r = client.post(path, data={"csrf_token": token, "outcome": "rejected", "comment": "再看"})
    assert r.status_code == 409 and "已通过" in r.get_data(as_text=True)


def test_review_without_csrf_changes_nothing(client, api, ids):
    sign_in(client, "sup_chaoyang")
    r = client.post(f"/console/inspections/{ids['plain']}/review", data={"outcome": "approved"})
    assert r.status_code == 400 and "请求已过期" in r.get_data(as_text=True)
    assert api.call("GET", f"/api/v1/inspections/{ids['plain']}", "sup_chaoyang").json["status"] == "submitted"


def test_review_of_another_district_is_404(client, ids):
    sign_in(client, "sup_haidian")
    token = csrf(client, "/console/inspections/")
    r = client.post(f"/console/inspections/{ids['plain']}/review", data={"csrf_token": token, "outcome": "approved"})
    assert r.status_code == 404


def test_photos_are_served_to_the_subtree_only(app, client, ids):
    data, sha = jpeg_bytes()
    with app.test_request_context():
        user = db.session.execute(db.select(User).where(User.username == "insp_chaoyang")).scalar_one()
        store_photo(data, sha, Principal(user.id, user.username, "inspector", "110105",
                                         "/110000/110100/110105/", None, "t"))
        db.session.commit()
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/photos/{sha}/thumb")
    assert r.status_code == 200 and r.mimetype == "image/jpeg" and r.data[:2] == b"\xff\xd8"
    assert "private" in r.headers["Cache-Control"]
    other = app.test_client()
    sign_in(other, "sup_haidian")
    assert other.get(f"/console/photos/{sha}/thumb").status_code == 404
    assert app.test_client().get(f"/console/photos/{sha}/thumb").status_code == 302
