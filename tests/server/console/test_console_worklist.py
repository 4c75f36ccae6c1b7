"""The inspections work list: every filter, sort, unreadable dates said aloud, numbered
pages, saved views, bulk approve with a result per inspection, and the 回头看 card."""
from __future__ import annotations

import re
from datetime import UTC

import pytest
from console_kit import csrf, seed, sign_in
from server_testkit import finding, inspection_item

from server.inspections import listing
from server.kernel.auth import Principal

SUP = Principal(0, "sup_chaoyang", "supervisor", "110105", "/110000/110100/110105/", None, "t")


@pytest.fixture
def ids(api):
    ids = seed(api)
    late = inspection_item(inspected_on="2025-07-15", company_name="北京晚到商贸有限公司",
                           product_name="儿童防晒衣", findings=[finding(measured="11")])
    ids["late"] = late["id"]
    assert api.push([late], "insp_chaoyang").json["results"][0]["status"] == "applied"
    return ids


def _shown(page: str, ids: dict) -> set[str]:
    return {name for name, ident in ids.items() if f"/console/inspections/{ident}?" in page}


@pytest.mark.parametrize("query,expected", [
    ("", {"disagree", "plain", "late"}),
    ("date_from=2025-07-01", {"late"}),
    ("date_to=2025-06-30", {"disagree", "plain"}),
    ("date_from=2025-06-01&date_to=2025-06-01", {"disagree", "plain"}),
    ("outcome=fail", {"disagree"}),
    ("outcome=pass", {"plain", "late"}),
    ("outcome=none", set()),
    ("inspector=insp_chaoyang", {"disagree", "plain", "late"}),
    ("inspector=insp_haidian", set()),
    ("inspector=nobody", set()),
    ("jurisdiction=110105", {"disagree", "plain", "late"}),
    ("jurisdiction=110108", set()),                     # another district: nothing leaks
    ("standard=GB+18401", {"disagree", "plain", "late"}),
    ("standard=GB+18401-2010", {"disagree", "plain", "late"}),
    ("standard=GB+1840", set()),                         # a prefix of a code is not that standard
    ("product=防晒", {"late"}),
    ("product=06901234567892", {"disagree", "plain", "late"}),
    ("flagged=disagreement", {"disagree"}),
    ("flagged=open", {"disagree"}),
    ("flagged=recheck_reminder", set()),
    ("interpretation=JS-2099-0001", set()),
    ("outcome=bogus&flagged=bogus", {"disagree", "plain", "late"}),   # unknown choices are ignored
])
def test_filters(client, ids, query, expected):
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/inspections/?{query}")
    assert r.status_code == 200
    assert _shown(r.get_data(as_text=True), ids) == expected


def test_unreadable_date_is_said_not_replaced(client, ids):
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/?date_from=2025-13-45").get_data(as_text=True)
    assert "无法识别" in page and "2025-13-45" in page
    assert _shown(page, ids) == {"disagree", "plain", "late"}


@pytest.mark.parametrize("sort,order,first", [
    ("inspected_on", "asc", "北京示例"), ("inspected_on", "desc", "北京晚到"), ("company", "asc", "北京晚到"),
])
def test_sort(client, ids, sort, order, first):
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/inspections/?sort={sort}&order={order}").get_data(as_text=True)
    companies = re.findall(r'<a class="rowlink"[^>]*>([^<]+)</a>', page)
    assert companies[0].startswith(first), companies
    assert 'aria-sort="ascending"' in page if order == "asc" else 'aria-sort="descending"' in page


def test_service_filters_and_counts_agree(app, ids):
    with app.app_context():
        for values in ({"outcome": "fail"}, {"product": "防晒"}, {"standard": "GB 18401"}):
            rows = listing.list_inspections(SUP, **values)
            assert listing.count_inspections(SUP, **values) == len(rows) > 0


def test_numbered_pages_stay_in_range(client, ids, monkeypatch):
    from server.inspections import console as views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/?page=2").get_data(as_text=True)
    assert re.findall(r'class="page-num[^"]*"[^>]*>(\d+)<', page) == ["1", "2", "3"]
    assert "第 2/3 页" in page and "第 2–2 条" in page
    for wild in ("0", "-4", "999999999", "x"):
        shown = client.get(f"/console/inspections/?page={wild}").get_data(as_text=True)
        assert re.search(r"第 [13]/3 页", shown), wild


def test_saved_views(client, ids):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/inspections/")
    r = client.post("/console/views/inspections/save", data={"csrf_token": token, "name": "不合格",
                                                             "arg_outcome": "fail"})
    assert r.status_code == 302 and "outcome=fail" in r.headers["Location"]
    page = client.get("/console/inspections/").get_data(as_text=True)
    assert ">不合格</a>" in page and "outcome=fail" in page
    client.post("/console/views/inspections/delete", data={"csrf_token": token, "name": "不合格"})
    assert ">不合格</a>" not in client.get("/console/inspections/").get_data(as_text=True)
    assert client.post("/console/views/nolist/save", data={"csrf_token": token, "name": "x"}).status_code == 404


def test_saved_views_follow_their_user_to_the_next_sign_in_and_only_them(app, client, ids):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/inspections/")
    for n in range(22):                      # the oldest go past the limit
        client.post("/console/views/inspections/save", data={"csrf_token": token, "name": f"视图{n}",
                                                             "arg_outcome": "fail", "arg_page": "3"})
    later = app.test_client()                # another browser, the next morning
    sign_in(later, "sup_chaoyang")
    page = later.get("/console/inspections/").get_data(as_text=True)
    assert ">视图21</a>" in page and ">视图2</a>" in page and ">视图1</a>" not in page and "page=3" not in page
    other = app.test_client()
    sign_in(other, "sup_haidian")
    assert "视图21" not in other.get("/console/inspections/").get_data(as_text=True)


def test_bulk_approve_reports_each_inspection(client, api, ids):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/inspections/")
    r = client.post("/console/inspections/bulk-approve", data={
        "csrf_token": token, "ids": [ids["plain"], ids["late"], ids["haidian"], ids["plain"]]})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "通过 2 条，共 3 条" in page
    assert "北京示例纺织有限公司" in page and "北京晚到商贸有限公司" in page
    assert "未找到该检查记录，或不在您的辖区内" in page          # haidian: refused, its name not shown
    assert page.count("status-rejected") == 1
    again = client.post("/console/inspections/bulk-approve", data={"csrf_token": token, "ids": [ids["plain"]]})
    assert "通过 0 条，共 1 条" in again.get_data(as_text=True) and "已通过" in again.get_data(as_text=True)
    empty = client.post("/console/inspections/bulk-approve", data={"csrf_token": token})
    assert empty.status_code == 400 and "没有勾选" in empty.get_data(as_text=True)
    r = api.call("GET", f"/api/v1/inspections/{ids['late']}", "sup_chaoyang")
    assert r.json["status"] == "approved"


def test_only_reviewable_rows_can_be_ticked(client, ids):
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/inspections/")
    client.post("/console/inspections/bulk-approve", data={"csrf_token": token, "ids": [ids["plain"]]})
    page = client.get("/console/inspections/").get_data(as_text=True)
    assert f'value="{ids["disagree"]}"' in page and f'value="{ids["plain"]}"' not in page


def test_recheck_card_is_filled_in_the_readers_language(app, client, api):
    ids = seed(api)
    from datetime import date, datetime

    from server.inspections.recheck import remind_rechecks
    from server.kernel import uow

    with app.app_context(), uow.unit_of_work():
        assert remind_rechecks(datetime(2025, 12, 1, tzinfo=UTC), date(2025, 12, 1), 30)
    sign_in(client, "sup_chaoyang")
    page = client.get(f"/console/inspections/{ids['disagree']}").get_data(as_text=True)
    card = page[page.index("回头看提醒"):]
    assert "不合格检查日期" in card and "2025-06-01" in card and "24 mg/kg" in card
    assert "re-inspection" not in page
    english = client.get(f"/console/inspections/{ids['disagree']}?lang=en").get_data(as_text=True)
    assert "Failed on" in english and "回头看：" not in english


def test_rejecting_asks_for_confirmation_first(client, api, ids):
    sign_in(client, "sup_chaoyang")
    path = f"/console/inspections/{ids['plain']}/review"
    token = csrf(client, f"/console/inspections/{ids['plain']}")
    ask = client.post(path, data={"csrf_token": token, "outcome": "rejected", "comment": "样品来源不明"})
    page = ask.get_data(as_text=True)
    assert ask.status_code == 200 and "确认不予通过" in page and "样品来源不明" in page
    assert api.call("GET", f"/api/v1/inspections/{ids['plain']}", "sup_chaoyang").json["status"] == "submitted"
    done = client.post(path, data={"csrf_token": token, "outcome": "rejected", "comment": "样品来源不明",
                                   "confirm": "1"})
    assert done.status_code == 302
    assert api.call("GET", f"/api/v1/inspections/{ids['plain']}", "sup_chaoyang").json["status"] == "rejected"


def test_list_shows_inspectors_by_name(client, ids):
    sign_in(client, "sup_chaoyang")
    page = client.get("/console/inspections/").get_data(as_text=True)
    cells = re.findall(r'<td class="nowrap" data-label="[^"]*" title="insp_chaoyang">([^<]*)</td>', page)
    assert cells and set(cells) == {"朝阳区执法人员 张三"}     # the display name; the username on hover
