"""完成检查 on the server: a completed inspection (place, party, officers, record hash)
and its signatures are accepted; a signature is kept and compared with the server's own
hash of what it signs; after completion the inspection changes only by corrections."""
import pytest
from server_testkit import finding, finding_item, inspection_item, uid

from server.evidence.models import EvidenceEvent
from server.inspections.models import Inspection, Signature
from server.inspections.signatures import signatures_of
from server.kernel.extensions import db
from sync.protocol.signing import record_hash

SHA_A = "a" * 64
SHA_B = "b" * 64
MOMENT = "2025-06-01T10:30:00+08:00"
COMPLETION = {"site": "仓库二楼", "party": {"legal_representative": "张三", "opinion": "无异议"},
              "officers": [{"name": "李四", "certificate_no": "11010012345"}], "inspection_type": "inspection",
              "position": {"lat": 39.9087, "lon": 116.3975, "accuracy_m": 8.0, "source": "gps"},
              "started_at": "2025-06-01T09:00:00+08:00"}


@pytest.fixture
def token(api):
    return api.device("insp_chaoyang")


def results(r):
    assert r.status_code == 200, r.json
    return r.json["results"]


def signature_item(inspection_id, digest, *, role="party", **extra):
    ident = uid()
    data = {"id": ident, "inspection_id": inspection_id, "role": role, "record_hash": digest,
            "signed_at": MOMENT, "signer_name": "张三", "image": SHA_A, **extra}
    return {"mutation_id": uid(), "entity": "signature", "id": ident, "base_version": 0, "data": data}


def completed_batch(**extra):
    """The items a tablet pushes after 完成检查: the inspection, its finding, the
    signatures (bound to the hash of what was read), the completion edit."""
    f = finding(measured="30", outcome="fail", note="超标", photos=[SHA_B], sample=1)
    create = inspection_item(**COMPLETION, **extra)
    data = create["data"]
    digest = record_hash({k: v for k, v in data.items() if k != "findings"}, [{**f, "inspection_id": data["id"]}])
    create["data"]["findings"] = []
    items = [create, finding_item(data["id"], f),
             signature_item(data["id"], digest, role="officer", signer_name="李四", signer_number="11010012345"),
             signature_item(data["id"], digest)]
    done = inspection_item(data["id"], base_version=1, **COMPLETION, completed_at=MOMENT, record_hash=digest,
                           **extra)
    return [*items, done], digest


def test_a_completed_inspection_and_its_signatures_are_stored(api, token):
    items, digest = completed_batch()
    assert [r["status"] for r in results(api.push(items, token=token))] == ["applied"] * 5
    with api.app.app_context():
        row = db.session.get(Inspection, items[0]["id"])
        assert row.data["completed_at"] == MOMENT and row.data["record_hash"] == digest
        assert row.data["position"]["accuracy_m"] == 8.0 and row.data["site"] == "仓库二楼"
        signed = signatures_of(row.id)
        assert [s["role"] for s in signed] == ["officer", "party"]
        assert all(s["hash_matches"] for s in signed), signed
        events = db.session.query(EvidenceEvent).filter(EvidenceEvent.record_type == "signature").count()
        assert events == 2


def test_a_signature_of_another_content_is_kept_and_marked(api, token):
    items, _ = completed_batch()
    api.push(items[:2], token=token)
    other = signature_item(items[0]["id"], "c" * 64)
    assert results(api.push([other], token=token))[0]["status"] == "applied"
    api.push(items[2:], token=token)
    with api.app.app_context():
        row = db.session.get(Signature, other["id"])
        assert row.hash_matches is False and row.data["signer_name"] == "张三"
        assert all(s["hash_matches"] for s in signatures_of(items[0]["id"]) if s["id"] != other["id"])


def test_signatures_are_compared_when_the_completion_arrives_in_a_later_batch(api, token):
    """Found in the walkthrough: the tablet sends one edit of a record per batch, so the
    signatures went with the inspection's first version (without the party, the officers and
    the end time) and were all marked as not matching the record they signed."""
    items, _ = completed_batch()
    create, f, officer, party_sig, done = items
    early = inspection_item(create["id"], **{k: v for k, v in create["data"].items()
                                             if k not in ("id", "party", "officers", "findings")})
    assert [r["status"] for r in results(api.push([early, f, officer, party_sig], token=token))] == ["applied"] * 4
    with api.app.app_context():
        assert [s["hash_matches"] for s in signatures_of(create["id"])] == [None, None]
    edit = {**done, "base_version": 1}
    assert results(api.push([edit], token=token))[0]["status"] == "applied"
    with api.app.app_context():
        assert [s["hash_matches"] for s in signatures_of(create["id"])] == [True, True]


def test_signatures_appear_in_the_pull(api, token):
    items, _ = completed_batch()
    api.push(items, token=token)
    changes = api.pull(token=token, entities="signature").json["changes"]
    assert {c["id"] for c in changes} == {items[2]["id"], items[3]["id"]}
    assert all(c["data"]["hash_matches"] for c in changes)


@pytest.mark.parametrize("change, error", [
    ({"role": "boss"}, "validation_failed"),
    ({"record_hash": "abc"}, "validation_failed"),
    ({"inspection_id": "nope"}, "unknown_inspection"),
])
def test_a_bad_signature_is_rejected_alone(api, token, change, error):
    items, digest = completed_batch()
    api.push(items[:2], token=token)
    bad = signature_item(items[0]["id"], digest)
    bad["data"].update(change)
    good = signature_item(items[0]["id"], digest)
    answer = results(api.push([bad, good], token=token))
    assert answer[0]["status"] == "rejected" and answer[0]["error"] == error
    assert answer[0]["message"]
    assert answer[1]["status"] == "applied"


def test_a_signature_sent_twice_conflicts(api, token):
    items, _ = completed_batch()
    api.push(items, token=token)
    again = {**items[3], "mutation_id": uid()}
    assert results(api.push([again], token=token))[0]["status"] == "conflict"


def test_after_completion_only_corrections_change_the_inspection(api, token):
    items, digest = completed_batch()
    api.push(items, token=token)
    edit = inspection_item(items[0]["id"], base_version=2, **{**COMPLETION, "site": "仓库三楼"},
                           completed_at=MOMENT, record_hash=digest)
    answer = results(api.push([edit], token=token))[0]
    assert answer["status"] == "rejected" and answer["error"] == "inspection_locked"
    assert "更正" in answer["message"]
    f = items[1]["data"]
    fix = finding_item(items[0]["id"], {**{k: v for k, v in f.items() if k != "inspection_id"},
                                        "revision": 2, "measured": "18", "device_verdict": {"outcome": "pass"}})
    assert results(api.push([fix], token=token))[0]["status"] == "applied"
    same = inspection_item(items[0]["id"], base_version=2, **COMPLETION, completed_at=MOMENT, record_hash=digest,
                           note=None)
    assert results(api.push([same], token=token))[0]["status"] == "applied"
