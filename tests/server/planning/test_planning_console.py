"""The cycle's console pages through the real app: a supervisor makes a plan in the form,
commits (the commitment shown before anything is revealed), reveals, verifies, lists the
tasks with the list machinery, cancels one with a reason, sees orders and results; the
form errors are said; another district sees nothing; English is complete."""
from __future__ import annotations

import re
from datetime import date, timedelta

from planning_kit import PLAN_ID, seed_world
from server_testkit import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TODAY = date.today()


def _csrf(client, path="/console/login"):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def _signed_in(app, username):
    client = app.test_client()
    r = client.post("/console/login", data={"csrf_token": _csrf(client), "username": username, "password": PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client


def _form(**over):
    form = {"id": PLAN_ID, "name": "测试双随机抽查", "items": "textile-infant", "jurisdictions": "110105",
            "strata": "risk_class", "allocation": "count", "amount": "3", "inspectors_per_target": "2",
            "starts": TODAY.isoformat(), "ends": (TODAY + timedelta(days=30)).isoformat()}
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": _csrf(client, "/console/plans/")})


def test_a_supervisor_plans_draws_verifies_and_cancels_in_the_console(app):
    seed_world(app)
    client = _signed_in(app, "sup_chaoyang")
    assert "还没有抽查计划" in client.get("/console/plans/").get_data(as_text=True)
    assert "婴幼儿" in client.get("/console/plans/new").get_data(as_text=True)     # the item list offered

    r = _post(client, "/console/plans/new", _form(items=None))
    assert r.status_code == 400 and "至少包含一个抽查事项" in r.get_data(as_text=True)
    r = _post(client, "/console/plans/new", _form())
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/console/plans/{PLAN_ID}")
    assert _post(client, "/console/plans/new", _form()).status_code == 409          # the id is taken

    page = client.get(f"/console/plans/{PLAN_ID}").get_data(as_text=True)
    assert "提交承诺并公布承诺值" in page and "揭晓抽取结果" not in page
    r = _post(client, f"/console/plans/{PLAN_ID}/commit", {})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    digest = re.search(r'id="commitment">([0-9a-f]{64})<', page).group(1)
    assert f"承诺值已公布：{digest}" in page and "揭晓抽取结果" in page and "<dt>随机种子</dt>" not in page
    r = _post(client, f"/console/plans/{PLAN_ID}/reveal", {})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "已抽取 3 个检查对象，生成 3 项任务" in page and "<dt>随机种子</dt>" in page
    verified = client.get(f"/console/plans/{PLAN_ID}/verify").get_data(as_text=True)
    assert "一致：按公布的输入重新抽取" in verified and digest in verified

    listing = client.get(f"/console/tasks/?plan={PLAN_ID}").get_data(as_text=True)
    assert "共 3 条" in listing and len(set(re.findall(r'href="/console/tasks/([0-9a-f-]{36})"', listing))) == 3
    task_id = re.search(r'href="/console/tasks/([0-9a-f-]{36})"', listing).group(1)
    assert "待检查" in client.get(f"/console/tasks/{task_id}").get_data(as_text=True)
    r = _post(client, f"/console/tasks/{task_id}/cancel", {"reason": " "})
    assert r.status_code == 400 and "请写明理由" in r.get_data(as_text=True)
    r = _post(client, f"/console/tasks/{task_id}/reassign", {"officers": "JC110105001"})
    assert r.status_code == 400 and "至少需要 2 名执法人员" in r.get_data(as_text=True)
    r = _post(client, f"/console/tasks/{task_id}/cancel", {"reason": "企业已注销"})
    assert r.status_code == 302
    page = client.get(f"/console/tasks/{task_id}").get_data(as_text=True)
    assert "已取消" in page and "企业已注销" in page and "取消任务</button>" not in page
    assert "共 1 条" in client.get(f"/console/tasks/?plan={PLAN_ID}&state=cancelled").get_data(as_text=True)
    assert "共 2 条" in client.get("/console/tasks/?state=assigned").get_data(as_text=True)
    assert "共 0 条" in client.get("/console/tasks/?overdue=1").get_data(as_text=True)

    assert "没有符合条件的责令整改" in client.get("/console/orders/").get_data(as_text=True)
    results = client.get(f"/console/plans/{PLAN_ID}/results").get_data(as_text=True)
    assert "还没有审核完成的检查结果" in results and "公示 0 条待公示结果" in results
    report = client.get(f"/console/plans/{PLAN_ID}/report")
    assert report.status_code == 200 and "合规状况报告" in report.get_data(as_text=True)

    # English: the same pages, every word in English
    for path in ("/console/plans/", f"/console/plans/{PLAN_ID}", f"/console/tasks/{task_id}", "/console/tasks/",
                 "/console/orders/", f"/console/plans/{PLAN_ID}/results", "/console/plans/new"):
        html = client.get(path + ("&" if "?" in path else "?") + "lang=en").get_data(as_text=True)
        for word in ("抽查计划", "检查任务", "责令整改", "待检查", "已取消", "状态", "筛选"):
            assert word not in html.replace("测试双随机抽查", ""), (path, word)
    assert "Cancelled" in client.get(f"/console/tasks/{task_id}?lang=en").get_data(as_text=True)

    # another district: nothing of 朝阳区's plan or tasks
    other = _signed_in(app, "sup_haidian")
    assert other.get(f"/console/plans/{PLAN_ID}").status_code == 404
    assert other.get(f"/console/tasks/{task_id}").status_code == 404
    assert "共 0 条" in other.get("/console/tasks/").get_data(as_text=True)
    assert "共 0 条" in other.get("/console/plans/").get_data(as_text=True)

