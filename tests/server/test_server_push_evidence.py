"""What a push writes besides the records: evidence "attached" events for referenced photos
(chained, and only for items that were applied) and the matching of pushed questions."""
import hashlib

from server_testkit import finding, finding_item, inspection_item, uid

from server.evidence.models import EvidenceEvent
from server.evidence.service import verify
from server.interpretations.models import Question
from server.kernel.extensions import db


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def attached_events(app):
    with app.app_context():
        return [(e.photo_sha256, e.record_type, e.record_id)
                for e in db.session.query(EvidenceEvent).filter_by(kind="attached").order_by(EvidenceEvent.seq)]


def test_applied_records_chain_an_attached_event_per_referenced_photo(api):
    token = api.device("insp_chaoyang")
    photo_a, photo_b = sha("label photo"), sha("sample photo")
    insp = inspection_item(findings=[finding(photos=[photo_b])], photos=[photo_a])
    r = api.push([insp], token=token)
    assert [x["status"] for x in r.json["results"]] == ["applied"]
    events = attached_events(api.app)
    assert (photo_a, "inspection", f"{insp['id']}#v1") in events
    finding_id = insp["data"]["findings"][0]["id"]
    assert (photo_b, "finding", f"{finding_id}#1") in events
    with api.app.app_context():
        report = verify()
    assert report.ok, report


def test_rejected_and_replayed_items_attach_nothing(api):
    token = api.device("insp_chaoyang")
    photo = sha("never attached")
    bad = inspection_item(credit_code="91110105MA01ABCD01", photos=[photo])   # wrong check character
    good = inspection_item(photos=[sha("attached once")])
    first = api.push([bad, good], token=token)
    assert [x["status"] for x in first.json["results"]] == ["rejected", "applied"]
    api.push([good], token=token)                                           # replay: duplicate
    events = attached_events(api.app)
    assert all(e[0] != photo for e in events)
    assert [e[0] for e in events].count(sha("attached once")) == 1


def test_a_pushed_finding_photo_revision_is_its_own_record(api):
    token = api.device("insp_chaoyang")
    insp = inspection_item(findings=[finding()])
    api.push([insp], token=token)
    fid = insp["data"]["findings"][0]["id"]
    correction = finding_item(insp["id"], finding(fid, revision=2, measured="16", photos=[sha("re-test")]))
    r = api.push([correction], token=token)
    assert [x["status"] for x in r.json["results"]] == ["applied"]
    assert (sha("re-test"), "finding", f"{fid}#2") in attached_events(api.app)


def test_a_pushed_question_is_matched_or_queued_in_the_same_request(api):
    token = api.device("insp_chaoyang")
    qid = uid()
    item = {"mutation_id": uid(), "entity": "question", "id": qid, "base_version": 0,
            "data": {"id": qid, "text": "电动自行车的最高车速怎么判定？"}}
    assert [x["status"] for x in api.push([item], token=token).json["results"]] == ["applied"]
    with api.app.app_context():
        status = db.session.get(Question, qid).status
    assert status != "open", "the push hook should have matched the question or queued it for experts"
