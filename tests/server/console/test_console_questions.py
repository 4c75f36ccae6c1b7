"""Console expert queue: open questions, answering, publishing an interpretation."""
from __future__ import annotations

import pytest
from console_kit import csrf, sign_in
from server_testkit import FORMALDEHYDE_A, uid

QUESTION = "饮用水中菌落总数超标时如何复检？"


@pytest.fixture
def question_id(api):
    qid = uid()
    r = api.push([{"mutation_id": uid(), "entity": "question", "id": qid, "base_version": 0,
                   "data": {"id": qid, "text": QUESTION, "indicator_id": FORMALDEHYDE_A}}], "insp_chaoyang")
    assert r.json["results"][0]["status"] == "applied", r.json
    return qid


def test_expert_sees_the_queue_and_answers(client, api, question_id):
    sign_in(client, "expert")
    page = client.get("/console/questions/").get_data(as_text=True)
    assert QUESTION in page and "待专家答复" in page
    token = csrf(client, f"/console/questions/{question_id}")
    r = client.post(f"/console/questions/{question_id}/answer", data={"csrf_token": token, "text": "  "})
    assert r.status_code == 400 and "答复内容不能为空" in r.get_data(as_text=True)
    r = client.post(f"/console/questions/{question_id}/answer",
                    data={"csrf_token": token, "text": "按 GB 5749 附录复检。"}, follow_redirects=True)
    assert "已答复问题" in r.get_data(as_text=True)
    assert QUESTION not in client.get("/console/questions/").get_data(as_text=True)
    asked = [c["data"] for c in api.pull("insp_chaoyang", entities="question").json["changes"]]
    assert asked[-1]["status"] == "answered"


def test_publish_validation_then_success(client, question_id):
    sign_in(client, "expert")
    token = csrf(client, f"/console/questions/{question_id}")
    form = {"csrf_token": token, "title": "婴幼儿纺织产品甲醛按A类判定", "text": "按A类限值判定。",
            "edition_id": "GB 18401-2010", "clause": "4.1", "indicator_ids": FORMALDEHYDE_A,
            "effective": "not-a-date", "effect_key": "method", "effect_value": "rounded"}
    r = client.post(f"/console/questions/{question_id}/publish", data=form)
    assert r.status_code == 400 and "YYYY-MM-DD" in r.get_data(as_text=True)
    r = client.post(f"/console/questions/{question_id}/publish", data={**form, "effective": "2024-01-01",
                                                                       "clause": "99.9"})
    assert r.status_code == 400 and 'class="alert alert-error"' in r.get_data(as_text=True)
    r = client.post(f"/console/questions/{question_id}/publish", data={**form, "effective": "2024-01-01"},
                    follow_redirects=True)
    assert "已发布解释" in r.get_data(as_text=True)
    assert client.get("/faq/").status_code == 200


def test_supervisor_cannot_use_the_queue(client, question_id):
    sign_in(client, "sup_chaoyang")
    assert client.get("/console/questions/").status_code == 403
    assert client.get(f"/console/questions/{question_id}").status_code == 403


@pytest.mark.parametrize("typed,ok", [("修约值", True), ("修约值比较法", True), ("全数值", True), ("bogus", False)])
def test_publish_form_takes_words(client, question_id, typed, ok):
    sign_in(client, "expert")
    token = csrf(client, f"/console/questions/{question_id}")
    page = client.get(f"/console/questions/{question_id}").get_data(as_text=True)
    assert "全数值比较法" in page and "修约值比较法" in page and "甲醛含量" in page
    assert "rounded/full" not in page
    form = {"csrf_token": token, "title": "甲醛按修约值比较", "text": "按修约值比较法判定。",
            "edition_id": "GB 18401-2010", "clause": "4.1", "indicator_ids": FORMALDEHYDE_A,
            "effective": "2024-01-01", "effect_key": "method", "effect_value": typed}
    r = client.post(f"/console/questions/{question_id}/publish", data=form, follow_redirects=True)
    text = r.get_data(as_text=True)
    if ok:
        assert "已发布解释" in text
    else:
        assert r.status_code == 400 and "判定方法“bogus”无法识别" in text and "bad method" not in text


def test_publish_form_method_from_the_select(client, question_id):
    sign_in(client, "expert")
    token = csrf(client, f"/console/questions/{question_id}")
    form = {"csrf_token": token, "title": "甲醛按全数值比较", "text": "按全数值比较法判定。",
            "edition_id": "GB 18401-2010", "clause": "4.1", "indicator_ids": FORMALDEHYDE_A,
            "effective": "2024-01-01", "effect_key": "method", "method_value": "full"}
    r = client.post(f"/console/questions/{question_id}/publish", data=form, follow_redirects=True)
    assert "已发布解释" in r.get_data(as_text=True)


def test_question_shows_the_asker_inspection_and_field_in_words(client, api, question_id):
    sign_in(client, "expert")
    page = client.get(f"/console/questions/{question_id}").get_data(as_text=True)
    asker = page[page.index("提问人"):].split("</dd>")[0]
    assert "—" not in asker and "甲醛含量" in page
    assert "纺织品" in client.get("/console/questions/").get_data(as_text=True)
    assert ">textile<" not in client.get("/console/questions/").get_data(as_text=True)
