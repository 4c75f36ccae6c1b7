"""Questions, answers, publishing and re-judgement through the HTTP API."""
from __future__ import annotations

import pytest
from server_testkit import finding, inspection_item, uid

from tests.server.interpretations.samples import FORMALDEHYDE_A, INFANT_CLASS_A, INFANT_QUESTION


def question_item(text, **extra):
    ident = uid()
    return {"mutation_id": uid(), "entity": "question", "id": ident, "base_version": 0,
            "data": {"id": ident, "text": text, **extra}}


def pulled(api, token, entity):
    changes = api.pull(token=token, entities=entity).json["changes"]
    latest = {}
    for c in changes:
        latest[c["id"]] = c
    return latest


def test_unmatched_question_is_queued_for_its_field_and_answered(api):
    token = api.device("insp_chaoyang")
    q = question_item(INFANT_QUESTION, indicator_id=FORMALDEHYDE_A)
    assert api.push([q], token=token).json["results"][0]["status"] == "applied"
    mine = pulled(api, token, "question")[q["id"]]
    assert mine["data"]["status"] == "queued" and mine["data"]["field"] == "textile"
    assert mine["data"]["candidates"] == []
    r = api.call("PUT", "/api/v1/questions/experts/expert/fields", "admin", json={"fields": ["textile"]})
    assert r.status_code == 200, r.json
    queue = api.call("GET", "/api/v1/questions/?queue=true", "expert").json
    assert [x["id"] for x in queue] == [q["id"]]
    r = api.call("POST", f"/api/v1/questions/{q['id']}/answers", "expert", json={"text": "按A类判定，≤20 mg/kg。"})
    assert r.status_code == 201, r.json
    assert api.call("GET", "/api/v1/questions/?queue=true", "expert").json == []
    mine = pulled(api, token, "question")[q["id"]]
    assert mine["data"]["status"] == "answered"
    assert mine["data"]["answers"][0]["text"].startswith("按A类判定")
    # a later, similar question is matched against that earlier answer
    q2 = question_item("婴儿连体衣甲醛按哪类？", indicator_id=FORMALDEHYDE_A)
    api.push([q2], token=token)
    second = pulled(api, token, "question")[q2["id"]]["data"]
    assert second["status"] == "matched"
    assert second["candidates"][0]["kind"] == "answer"


@pytest.mark.parametrize("who,status", [("insp_chaoyang", 403), ("sup_chaoyang", 403)])
def test_only_experts_answer_and_publish(api, who, status):
    assert api.call("POST", f"/api/v1/questions/{uid()}/answers", who, json={"text": "x"}).status_code == status
    assert api.call("POST", "/api/v1/interpretations/", who, json=INFANT_CLASS_A).status_code == status


def test_publishing_flags_changed_verdicts_and_judges_new_findings_with_it(api):
    token = api.device("insp_chaoyang")
    old = finding(measured="20.4", outcome="fail")
    same = finding(measured="15", outcome="pass")
    api.push([inspection_item(findings=[old, same])], token=token)
    r = api.call("POST", "/api/v1/interpretations/", "expert", json=INFANT_CLASS_A)
    assert r.status_code == 201, r.json
    interp_id = r.json["interpretation"]["id"]
    flags = r.json["flags"]
    assert [f["finding_id"] for f in flags] == [old["id"]]
    assert flags[0]["kind"] == "interpretation_changed"
    assert (flags[0]["before"]["outcome"], flags[0]["after"]["outcome"]) == ("fail", "pass")
    assert flags[0]["after"]["interpretation_ids"] == [interp_id]
    assert flags[0]["before"]["interpretation_ids"] == []
    # the inspector's device pulls the flag and the interpretation
    assert any(c["data"].get("kind") == "interpretation_changed" for c in pulled(api, token, "flag").values())
    assert pulled(api, token, "interpretation")[interp_id]["data"]["effect"] == {"method": "rounded"}
    # a new finding is re-judged with it
    new = finding(measured="20.4", outcome="pass")
    rej = api.push([inspection_item(findings=[new])], token=token).json["rejudged"][0]
    assert rej["server_verdict"]["outcome"] == "pass" and not rej["disagrees"]
    assert rej["server_verdict"]["interpretation_ids"] == [interp_id]


def test_a_new_version_supersedes_and_keeps_history(api):
    first = api.call("POST", "/api/v1/interpretations/", "expert", json=INFANT_CLASS_A).json["interpretation"]
    body = {**INFANT_CLASS_A, "text": INFANT_CLASS_A["text"] + "（第二版：明确口水巾）", "effective": "2025-01-01"}
    r = api.call("POST", f"/api/v1/interpretations/{first['id']}/versions", "expert", json=body)
    assert r.status_code == 201, r.json
    public = api.client.get(f"/api/v1/interpretations/{first['id']}").json
    assert public["version"] == 2 and [v["version"] for v in public["history"]] == [1]
    assert public["history"][0]["superseded_at"] is not None
    assert api.client.get("/api/v1/interpretations/?standard=GB 18401").json[0]["version"] == 2
    assert api.client.get("/api/v1/interpretations/?standard=GB 5749").json == []
    assert api.client.get("/api/v1/interpretations/nope").status_code == 404


@pytest.mark.parametrize("change,field", [
    ({"effect": {"colour": "red"}}, "effect"),
    ({"clauses": [{"edition_id": "GB 18401-2010", "clause": "9.9"}]}, "clauses.0.clause"),
    ({"indicator_ids": ["GB 17761-2024/4.1/max-speed"]}, "indicator_ids"),
    ({"effect": {"limit": "≤2x0"}}, "effect.limit"),
])
def test_invalid_interpretations_are_refused(api, change, field):
    r = api.call("POST", "/api/v1/interpretations/", "expert", json={**INFANT_CLASS_A, **change})
    assert r.status_code == 400 and r.json["error"] == "validation_failed", r.json
    assert field in r.json["details"]


def test_faq_pages_list_by_standard_and_show_history(api):
    first = api.call("POST", "/api/v1/interpretations/", "expert", json=INFANT_CLASS_A).json["interpretation"]
    page = api.client.get("/faq/").get_data(as_text=True)
    assert "GB 18401" in page and INFANT_CLASS_A["title"] in page and "修约值比较法" in page
    assert "cdn" not in page.lower() and "https://" not in page
    detail = api.client.get(f"/faq/{first['id']}").get_data(as_text=True)
    assert "2024-01-01" in detail and "第4.1条" in detail and "版本历史" in detail
    assert api.client.get("/faq/static/faq.css").status_code == 200
    assert api.client.get("/faq/JS-0000-9999").status_code == 404
