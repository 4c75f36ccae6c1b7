"""Push semantics on SQLite and PostgreSQL: per-item answers, replays, conflicts,
rejections with readable reasons, append-only findings, re-judgement."""
import pytest
from server_testkit import FORMALDEHYDE_A, finding, finding_item, inspection_item, uid

from server.inspections.models import Finding, Flag, Inspection
from server.interpretations.models import Question
from server.kernel.changes import Change
from server.kernel.extensions import db
from server.syncing.models import ProcessedMutation


@pytest.fixture
def token(api):
    return api.device("insp_chaoyang")


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.query(m).count()
                for m in (Inspection, Finding, Flag, Question, Change, ProcessedMutation)}


def statuses(r):
    assert r.status_code == 200, r.json
    return [x["status"] for x in r.json["results"]]


def test_replay_of_every_push_type_is_duplicate_and_changes_nothing(api, token):
    insp = inspection_item(findings=[finding()])
    extra = finding_item(insp["id"], finding(measured="30", outcome="fail"))
    question = {"mutation_id": uid(), "entity": "question", "id": uid(), "base_version": 0,
                "data": {"id": None, "text": "婴儿服装甲醛按A类判定吗？", "indicator_id": FORMALDEHYDE_A}}
    question["data"]["id"] = question["id"]
    batch = [insp, extra, question]
    assert statuses(api.push(batch, token=token)) == ["applied"] * 3
    before = counts(api.app)
    again = api.push(batch, token=token)
    assert statuses(again) == ["duplicate"] * 3
    assert [r["version"] for r in again.json["results"]] == [1, 1, 1]
    assert counts(api.app) == before


def test_same_mutation_id_with_other_content_is_a_conflict(api, token):
    item = inspection_item()
    assert statuses(api.push([item], token=token)) == ["applied"]
    before = counts(api.app)
    changed = {**item, "data": {**item["data"], "company_name": "另一家公司"}}
    r = api.push([changed], token=token)
    assert statuses(r) == ["conflict"]
    assert counts(api.app) == before


def test_edit_with_stale_base_version_conflicts_with_server_record(api, token):
    item = inspection_item()
    api.push([item], token=token)
    edit = inspection_item(item["id"], base_version=1, note="第一次修改")
    assert statuses(api.push([edit], token=token)) == ["applied"]
    stale = inspection_item(item["id"], base_version=1, note="基于旧版本的修改")
    r = api.push([stale], token=token)
    res = r.json["results"][0]
    assert res["status"] == "conflict" and res["server_version"] == 2
    assert res["current"]["note"] == "第一次修改"


def test_creating_an_existing_inspection_again_conflicts(api, token):
    item = inspection_item()
    api.push([item], token=token)
    r = api.push([inspection_item(item["id"])], token=token)
    assert statuses(r) == ["conflict"]


@pytest.mark.parametrize("extra,error,words", [
    ({"credit_code": "91110105MA01ABCD01"}, "invalid_credit_code", "统一社会信用代码校验位错误"),
    ({"credit_code": "12345"}, "invalid_credit_code", "统一社会信用代码格式错误"),
    ({"gtin": "6901234567891"}, "invalid_gtin", "校验位错误"),
    ({"products": [{"gtin": "6901234567892", "batch": "1"}, {"gtin": "12"}]}, "invalid_gtin", "GTIN"),
    ({"jurisdiction": "310115"}, "outside_jurisdiction", "不在本人辖区内"),
    ({"jurisdiction": "999999"}, "unknown_jurisdiction", "未知辖区"),
    ({"photos": ["not-a-hash"]}, "validation_failed", "SHA-256"),
    ({"inspected_on": "2025-13-45"}, "validation_failed", "日期"),
    ({"findings": [finding(indicator="GB 1-2000/nope")]}, "unknown_indicator", "未知指标"),
])
def test_invalid_items_are_rejected_with_a_readable_reason(api, token, extra, error, words):
    before = counts(api.app)
    r = api.push([inspection_item(**extra)], token=token)
    assert r.status_code == 200
    res = r.json["results"][0]
    assert res["status"] == "rejected" and res["error"] == error
    assert words in res["message"]
    assert counts(api.app) == before


def test_malformed_items_are_rejected_per_item_and_others_apply(api, token):
    good = inspection_item()
    r = api.push([{"mutation_id": "x", "entity": "inspection"}, good, "junk"], token=token)
    assert statuses(r) == ["rejected", "applied", "rejected"]


def test_conflicting_item_three_keeps_items_one_and_two(api, token):
    existing = inspection_item()
    api.push([existing], token=token)
    one, two = inspection_item(), inspection_item()
    three = inspection_item(existing["id"], base_version=7)
    four = inspection_item()
    r = api.push([one, two, three, four], token=token)
    assert statuses(r) == ["applied", "applied", "conflict", "applied"]
    with api.app.app_context():
        ids = set(db.session.execute(db.select(Inspection.id)).scalars())
    assert {one["id"], two["id"], four["id"]} <= ids


def test_findings_are_append_only_revisions(api, token):
    f = finding(measured="15")
    insp = inspection_item(findings=[f])
    api.push([insp], token=token)
    rev2 = finding_item(insp["id"], {**f, "revision": 2, "measured": "16"})
    assert statuses(api.push([rev2], token=token)) == ["applied"]
    skip = finding_item(insp["id"], {**f, "revision": 4, "measured": "17"})
    r = api.push([skip], token=token)
    assert r.json["results"][0]["status"] == "conflict" and r.json["results"][0]["server_version"] == 2
    again2 = finding_item(insp["id"], {**f, "revision": 2, "measured": "99"})
    assert statuses(api.push([again2], token=token)) == ["conflict"]
    with api.app.app_context():
        revs = db.session.execute(db.select(Finding.revision, Finding.measured).where(Finding.id == f["id"])
                                  .order_by(Finding.revision)).all()
    assert [tuple(x) for x in revs] == [(1, "15"), (2, "16")]


def test_finding_for_unknown_inspection_is_rejected(api, token):
    r = api.push([finding_item(uid(), finding())], token=token)
    assert r.json["results"][0]["error"] == "unknown_inspection"


def test_server_rejudges_and_flags_disagreement(api, token):
    agree, disagree = finding(measured="19.9", outcome="pass"), finding(measured="20.4", outcome="pass")
    r = api.push([inspection_item(findings=[agree, disagree])], token=token)
    rejudged = {x["finding_id"]: x for x in r.json["rejudged"]}
    assert rejudged[agree["id"]]["disagrees"] is False
    assert rejudged[disagree["id"]]["disagrees"] is True
    assert rejudged[disagree["id"]]["server_verdict"]["outcome"] == "fail"
    with api.app.app_context():
        flags = db.session.execute(db.select(Flag)).scalars().all()
        assert [f.finding_id for f in flags] == [disagree["id"]]
        assert flags[0].data["device_verdict"]["outcome"] == "pass"
        assert flags[0].data["server_verdict"]["outcome"] == "fail"
    sup = api.pull("sup_chaoyang", entities="flag").json["changes"]
    assert [c["data"]["finding_id"] for c in sup] == [disagree["id"]]
    dev = api.pull(token=token, entities="flag").json["changes"]
    assert len(dev) == 1
    assert api.pull("sup_haidian", entities="flag").json["changes"] == []


def test_rejudgement_uses_the_rule_set_in_force_on_the_inspection_date(api, token):
    """A later rule set (effective 2030) is not used for a 2025 inspection."""
    import dataclasses
    from datetime import date

    import assets
    from server.rulesets.service import ensure_ruleset, judge
    catalog = assets.load_catalog()
    changed = dataclasses.replace(catalog, standards=catalog.standards[:-1])
    with api.app.app_context():
        later, created = ensure_ruleset(changed, source="test", effective_from=date(2030, 1, 1))
        db.session.commit()
        snapshot = judge()
        assert created
        assert snapshot.version_on(date(2025, 6, 1))[0] != later.version
        assert snapshot.version_on(date(2031, 1, 1))[0] == later.version
    r = api.push([inspection_item(findings=[finding()])], token=token)
    assert r.json["rejudged"][0]["ruleset_version"] != later.version


def test_review_flow_returned_corrected_resubmitted_approved(api, token):
    f = finding(measured="25", outcome="fail")
    insp = inspection_item(findings=[f])
    api.push([insp], token=token)
    r = api.call("POST", f"/api/v1/inspections/{insp['id']}/reviews", "sup_chaoyang",
                 json={"outcome": "returned", "comment": "请复核甲醛数值"})
    assert r.status_code == 201
    page = api.pull(token=token, entities="review,inspection").json["changes"]
    review = next(c for c in page if c["entity"] == "review")
    assert review["data"]["outcome"] == "returned" and review["data"]["comment"] == "请复核甲醛数值"
    current = [c for c in page if c["entity"] == "inspection"][-1]
    assert current["data"]["status"] == "returned" and current["version"] == 2
    fix = finding_item(insp["id"], {**f, "revision": 2, "measured": "18", "device_verdict": {"outcome": "pass"}})
    edit = inspection_item(insp["id"], base_version=2, note="已复核")
    assert statuses(api.push([fix, edit], token=token)) == ["applied", "applied"]
    detail = api.call("GET", f"/api/v1/inspections/{insp['id']}", "sup_chaoyang").json
    assert detail["status"] == "resubmitted"
    assert [x["revision"] for x in detail["findings"]] == [1, 2]
    r = api.call("POST", f"/api/v1/inspections/{insp['id']}/reviews", "sup_chaoyang", json={"outcome": "approved"})
    assert r.status_code == 201
    late = inspection_item(insp["id"], base_version=4)
    res = api.push([late], token=token).json["results"][0]
    assert res["status"] == "rejected" and res["error"] == "inspection_locked"


def test_a_finding_correction_alone_resubmits_a_returned_inspection(api, token):
    """Correcting only a finding (a new revision) sends the inspection back for review; its
    version stays, so an inspection edit made offline on the same base still applies."""
    f = finding(measured="25", outcome="fail")
    insp = inspection_item(findings=[f])
    api.push([insp], token=token)
    api.call("POST", f"/api/v1/inspections/{insp['id']}/reviews", "sup_chaoyang",
             json={"outcome": "returned", "comment": "请复核"})
    fix = finding_item(insp["id"], {**f, "revision": 2, "measured": "18", "device_verdict": {"outcome": "pass"}})
    assert statuses(api.push([fix], token=token)) == ["applied"]
    detail = api.call("GET", f"/api/v1/inspections/{insp['id']}", "sup_chaoyang").json
    assert (detail["status"], detail["version"]) == ("resubmitted", 2)
    pulled = [c for c in api.pull(token=token, entities="inspection").json["changes"]]
    assert pulled[-1]["data"]["status"] == "resubmitted" and pulled[-1]["version"] == 2
    edit = inspection_item(insp["id"], base_version=2, note="已复核")
    assert statuses(api.push([edit], token=token)) == ["applied"]


def test_return_without_comment_is_refused(api, token):
    insp = inspection_item()
    api.push([insp], token=token)
    r = api.call("POST", f"/api/v1/inspections/{insp['id']}/reviews", "sup_chaoyang", json={"outcome": "rejected"})
    assert r.status_code == 400 and r.json["error"] == "validation_failed"


def test_too_many_items_is_413(api, token):
    r = api.push([inspection_item() for _ in range(501)], token=token)
    assert r.status_code == 413 and r.json["error"] == "payload_too_large"


def test_commit_failure_answers_503_and_acknowledges_nothing(api, token, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from server.syncing import push as push_module
    real_commit = push_module.db.session.commit

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("disk full"))

    monkeypatch.setattr(push_module.db.session, "commit", failing_commit)
    item = inspection_item()
    r = api.push([item], token=token)
    assert r.status_code == 503 and r.json["error"] == "unavailable"
    monkeypatch.setattr(push_module.db.session, "commit", real_commit)
    assert counts(api.app)["Inspection"] == 0
    assert statuses(api.push([item], token=token)) == ["applied"]
