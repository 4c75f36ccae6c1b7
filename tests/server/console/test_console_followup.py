"""Following up flags in the console: acknowledge, assign, resolve with a note, reopen,
each kept as a step and shown; wrong steps refused with a reason; the flags list and
"my work"; another district's flag is not found."""
from __future__ import annotations

import re

import pytest
from console_kit import csrf, seed, sign_in

from server.inspections import followup
from server.inspections.models import Flag
from server.kernel.extensions import db


@pytest.fixture
def ids(api):
    return seed(api)


def _flag_id(app, inspection_id):
    with app.app_context():
        return db.session.execute(db.select(Flag.id).where(Flag.inspection_id == inspection_id)).scalar_one()


def _act(client, flag_id, token, **form):
    return client.post(f"/console/flags/{flag_id}/act", data={"csrf_token": token,
                                                               "back": "/console/flags/?state=all", **form})


def test_a_flag_followed_up_step_by_step(app, client, ids):
    flag = _flag_id(app, ids["disagree"])
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/flags/")
    page = client.get("/console/flags/").get_data(as_text=True)
    assert "北京示例婴童服饰有限公司" in page and "待处理" in page and "平板与服务器判定不一致" in page
    assert _act(client, flag, token, action="acknowledge").status_code == 302
    assert _act(client, flag, token, action="acknowledge").status_code == 302       # refused: already acknowledged
    refused = client.get("/console/flags/").get_data(as_text=True)
    assert "不能执行此操作" in refused and "已知悉" in refused
    _act(client, flag, token, action="assign", assignee="nobody")
    assert "无法指派给“nobody”" in client.get("/console/flags/").get_data(as_text=True)
    _act(client, flag, token, action="assign", assignee="sup_chaoyang")
    mine = client.get("/console/flags/?mine=1").get_data(as_text=True)
    assert "北京示例婴童服饰有限公司" in mine
    _act(client, flag, token, action="resolve")                                      # no note: refused
    assert "必须填写说明" in client.get("/console/flags/").get_data(as_text=True)
    _act(client, flag, token, action="resolve", note="已复测，服务器判定为准，已通知当事人整改。")
    assert "北京示例婴童服饰有限公司" not in client.get("/console/flags/").get_data(as_text=True)  # unresolved only
    detail = client.get(f"/console/inspections/{ids['disagree']}").get_data(as_text=True)
    card = detail[detail.index(f'id="flag-{flag}"'):]
    assert "已办结" in card and "已复测，服务器判定为准" in card
    assert [s for s in ("已知悉", "指派给", "办结") if s in card] == ["已知悉", "指派给", "办结"]
    assert "重新打开" in card
    _act(client, flag, token, action="reopen", note="当事人申辩，需再核")
    with app.app_context():
        history = followup.flag_history([flag])[flag]
        row = db.session.get(Flag, flag)
        assert [h["action"] for h in history] == ["acknowledge", "assign", "resolve", "reopen"]
        assert row.resolved_at is None and row.resolution is None


def test_my_work_shows_what_waits(app, client, ids):
    flag = _flag_id(app, ids["disagree"])
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/my/")
    page = client.get("/console/my/").get_data(as_text=True)
    assert "待我审核的检查记录" in page and "北京示例纺织有限公司" in page
    assert "辖区内未处理的提示" in page and page.count("北京示例婴童服饰有限公司") >= 2
    _act(client, flag, token, action="assign", assignee="sup_chaoyang")
    page = client.get("/console/my/").get_data(as_text=True)
    mine = page[page.index("指派给我的提示"):page.index("待我审核的检查记录")]
    assert "北京示例婴童服饰有限公司" in mine and "已知悉" in mine


def test_flags_of_another_district(app, client, ids):
    flag = _flag_id(app, ids["disagree"])
    sign_in(client, "sup_haidian")
    token = csrf(client, "/console/flags/")
    assert "北京示例婴童服饰有限公司" not in client.get("/console/flags/?state=all").get_data(as_text=True)
    _act(client, flag, token, action="acknowledge")
    assert "未找到该提示" in client.get("/console/flags/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Flag, flag).acknowledged_at is None


@pytest.mark.parametrize("query", ["state=open", "state=resolved", "state=all", "kind=recheck_reminder",
                                   "state=bogus&page=99"])
def test_flags_list_filters(client, ids, query):
    sign_in(client, "sup_chaoyang")
    r = client.get(f"/console/flags/?{query}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and re.search(r"第 1/1 页", page)
    shown = "北京示例婴童服饰有限公司" in page
    assert shown == (query.split("&")[0] in ("state=open", "state=all", "state=bogus"))


def test_the_activity_history_is_in_order(app, client, ids):
    flag = _flag_id(app, ids["disagree"])
    sign_in(client, "sup_chaoyang")
    token = csrf(client, "/console/flags/")
    _act(client, flag, token, action="acknowledge")
    client.get(f"/console/inspections/{ids['disagree']}/onsite.pdf")
    path = f"/console/inspections/{ids['disagree']}/review"
    client.post(path, data={"csrf_token": token, "outcome": "returned", "comment": "请复测"})
    page = client.get(f"/console/inspections/{ids['disagree']}").get_data(as_text=True)
    history = page[page.index('id="activity"'):]
    steps = ["记录检测结果：甲醛含量 15", "产生提示：平板与服务器判定不一致", "知悉提示", "打印/导出：现场笔录", "审核：退回修改"]
    positions = [history.index(s) for s in steps]
    assert positions == sorted(positions), positions
    assert "请复测" in history
