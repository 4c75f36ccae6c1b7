"""Experts manage published interpretations in the console (issue 14 item 8): a preview of
which synced findings a publication would change (nothing stored), revising (version n+1)
and withdrawing (the rules stop using it, the tablets get its tombstone through sync, the
FAQ stops showing it, changed verdicts are flagged, the reason is audited)."""
from __future__ import annotations

import pytest
from console_kit import csrf, sign_in
from server_testkit import FORMALDEHYDE_A, finding, inspection_item, uid

PUBLISH = {"title": "婴幼儿纺织产品的甲醛含量按修约值比较", "text": "甲醛含量按修约值比较法判定。",
           "clauses": [{"edition_id": "GB 18401-2010", "clause": "4.1"}], "indicator_ids": [FORMALDEHYDE_A],
           "effective": "2024-01-01", "effect": {"method": "rounded"}}


@pytest.fixture
def device(api):
    token = api.device("insp_chaoyang")
    r = api.push([inspection_item(findings=[finding(measured="20.4", outcome="fail"), finding(measured="15")])],
                 token=token)
    assert {x["status"] for x in r.json["results"]} == {"applied"}
    return token


def _question(api) -> str:
    qid = uid()
    r = api.push([{"mutation_id": uid(), "entity": "question", "id": qid, "base_version": 0,
                   "data": {"id": qid, "text": "甲醛含量20.4是否合格？", "indicator_id": FORMALDEHYDE_A}}], "insp_chaoyang")
    assert r.json["results"][0]["status"] == "applied", r.json
    return qid


def _flags(api) -> list[dict]:
    rows = api.call("GET", "/api/v1/inspections/", "sup_chaoyang").json
    items = rows["items"] if isinstance(rows, dict) else rows
    flags = []
    for item in items:
        flags += api.call("GET", f"/api/v1/inspections/{item['id']}", "sup_chaoyang").json.get("flags") or []
    return flags


def test_the_publish_form_previews_what_would_change_and_stores_nothing(client, api, device):
    qid = _question(api)
    sign_in(client, "expert")
    page = f"/console/questions/{qid}"
    form = {"csrf_token": csrf(client, page), "title": PUBLISH["title"], "text": PUBLISH["text"],
            "edition_id": "GB 18401-2010", "clause": "4.1", "indicator_ids": FORMALDEHYDE_A,
            "effective": "2024-01-01", "effect_key": "method", "method_value": "rounded", "preview": "1"}
    r = client.post(f"/console/questions/{qid}/publish", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "影响预览" in html and "将改变 1 条" in html
    assert "20.4" in html and "不合格" in html and "合格" in html
    assert _flags(api) == [] and api.call("GET", "/api/v1/interpretations/", "expert").json == []
    # the same form without preview publishes and flags the one finding
    form.pop("preview")
    assert client.post(f"/console/questions/{qid}/publish", data=form).status_code == 302
    assert len(_flags(api)) == 1


def test_revise_then_withdraw(client, api, device):
    r = api.call("POST", "/api/v1/interpretations/", "expert", json=PUBLISH)
    assert r.status_code == 201, r.json
    ident = r.json["interpretation"]["id"]
    assert len(r.json["flags"]) == 1
    sign_in(client, "expert")
    listing = client.get("/console/interpretations/").get_data(as_text=True)
    assert f'id="interp-{ident}"' in listing and "有效" in listing
    page = f"/console/interpretations/{ident}"
    revision = {"csrf_token": csrf(client, page), "title": PUBLISH["title"], "text": PUBLISH["text"] + "（第二版）",
                "effective": "2024-01-01", "effect_key": "method", "method_value": "full"}
    preview = client.post(page + "/revise", data={**revision, "preview": "1"}).get_data(as_text=True)
    assert "将改变 1 条" in preview                      # back to the full-value method: 20.4 fails again
    assert client.post(page + "/revise", data={**revision, "method_value": "rounded"}).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "第 2 版" in html and "已被新版本取代" in html and "（第二版）" in html

    # withdraw: previewed, a reason required, then the tablet drops it and the FAQ stops showing it
    confirm = client.get(page + "/withdraw").get_data(as_text=True)
    assert "将改变 1 条" in confirm
    assert client.post(page + "/withdraw", data={"csrf_token": csrf(client, page), "reason": ""}).status_code == 400
    r = client.post(page + "/withdraw", data={"csrf_token": csrf(client, page), "reason": "与新版标准释义冲突"})
    assert r.status_code == 302
    assert "已撤回" in client.get(page).get_data(as_text=True)
    changes = [c for c in api.pull(token=device, entities="interpretation").json["changes"] if c["id"] == ident]
    assert changes[-1]["op"] == "delete"
    assert api.client.get(f"/faq/{ident}").status_code == 404
    assert api.call("GET", "/api/v1/interpretations/", "expert").json == []
    # the rules no longer use it: a new push judges 20.4 by the full-value method again
    new = finding(measured="20.4", outcome="fail")
    rej = api.push([inspection_item(findings=[new])], token=device).json["rejudged"][0]
    assert rej["server_verdict"]["outcome"] == "fail" and ident not in rej["server_verdict"]["interpretation_ids"]
    withdrawn_flags = [f for f in _flags(api) if f.get("withdrawn")]
    assert len(withdrawn_flags) == 1 and withdrawn_flags[0]["after"]["outcome"] == "fail"
    from server.kernel import audit
    with api.app.app_context():
        assert audit.recent(action="interpretation.withdraw")[0]["details"]["reason"] == "与新版标准释义冲突"
    # once withdrawn: no revision, no second withdrawal
    assert client.post(page + "/revise", data={**revision, "method_value": "rounded"}).status_code == 409
    assert client.post(page + "/withdraw", data={"csrf_token": csrf(client, page), "reason": "x"}).status_code == 409


@pytest.mark.parametrize("who,status", [("sup_chaoyang", 403), ("expert", 200), ("admin", 200)])
def test_managing_interpretations_is_for_experts(client, who, status):
    sign_in(client, who)
    assert client.get("/console/interpretations/").status_code == status
