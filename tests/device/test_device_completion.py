"""完成检查 on the device: completeness offline (fields, evidence per policy, signatures),
signatures bound to the record hash the party read, one transaction, then the lock."""
from pathlib import Path

import pytest
from PIL import Image

from device import InvalidRecord, RecordLocked
from device.completion import (
    DEFAULT_POLICY,
    EvidencePolicy,
    Signature,
    Summary,
    complete_inspection,
    completeness,
)
from sync.protocol.signing import record_hash, signed_content


class VerdictJudge:
    """A judge that fails every value above 20 (enough to exercise the evidence policy)."""

    def __call__(self, indicator_id, measured, unit, *, on=None, product_class=None, claimed=None):
        number = measured.lstrip("<")
        outcome = "fail" if number.replace(".", "").isdigit() and float(number) > 20 else "pass"
        return {"outcome": outcome, "limit_text": "≤20", "ruleset_version": "t"}


@pytest.fixture
def judged(store):
    from device import DeviceRecords

    return DeviceRecords(store, judge=VerdictJudge())


@pytest.fixture
def ink(tmp_path):
    def draw(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        img = Image.new("RGB", (300, 120), (255, 255, 255))
        img.putpixel((10, 10 + len(name)), (0, 0, 0))
        img.save(path)
        return path
    return draw


def officers(ink, n=2):
    return [Signature("officer", f"李{k}", ink(f"o{k}"), signer_number=f"11010{k}") for k in range(n)]


def party(ink):
    return Signature("party", "王经理", ink("party"))


def started(records):
    iid = records.create_inspection("2025-06-01", company_name="北京示例婴童服饰有限公司",
                                    credit_code="91110105MA01ABCD00", address="北京市朝阳区示例路1号")
    return iid


def test_an_empty_inspection_lists_everything_missing(store, judged):
    iid = judged.create_inspection("2025-06-01")
    messages = [p.message for p in completeness(store, iid, signatures=[])]
    assert any("当事人名称" in m for m in messages) and any("统一社会信用代码" in m for m in messages)
    assert any("检查地点" in m for m in messages) and any("还没有检测结果" in m for m in messages)
    assert any("当事人签名或拒签" in m for m in messages) and any("执法人员签名" in m for m in messages)


def test_a_failing_finding_needs_a_photo_and_a_note_by_default(store, judged, ink):
    iid = started(judged)
    fid = judged.add_finding(iid, "formaldehyde", "20.6")
    judged.add_finding(iid, "odour", "15")
    [problem] = completeness(store, iid)
    assert problem.kind == "evidence" and problem.record_id == fid and "缺少照片、说明" in problem.message
    judged.attach_photo(fid, ink("evidence"))
    judged.correct_finding(fid, "20.6", note="样品吊牌批号 B2025")
    assert completeness(store, iid) == ()


def test_the_policy_is_configurable_per_kind_and_per_indicator(store, judged):
    iid = started(judged)
    judged.add_finding(iid, "formaldehyde", "20.6")
    judged.add_finding(iid, "label", "已标示")
    lenient = EvidencePolicy.from_dict({"default": {"photo_on_fail": False, "note_on_fail": True},
                                        "indicators": {"label": {"photo": True}}})
    found = [p.message for p in completeness(store, iid, lenient)]
    assert len(found) == 2 and "缺少说明" in found[0] and "缺少照片" in found[1]
    assert len(completeness(store, iid, DEFAULT_POLICY, kinds={"label": "marking"})) == 2
    with pytest.raises(InvalidRecord, match="未知项"):
        EvidencePolicy.from_dict({"default": {"video": True}})


@pytest.mark.parametrize("signatures,fragment", [
    (lambda ink: [*officers(ink, 1), party(ink)], None),
    (lambda ink: [party(ink)], "需要 1 名执法人员签名"),
    (lambda ink: officers(ink, 1), "缺少当事人签名或拒签记录"),
    (lambda ink: [*officers(ink, 1), Signature("party", "", refused=True)], "由见证人签名，或拍照记录"),
    (lambda ink: [*officers(ink, 1), Signature("party", "", refused=True, witness_name="张见证",
                                               witness_image=ink("w"))], None),
    (lambda ink: [*officers(ink, 1), Signature("party", "", refused=True, evidence_photo="a" * 64)], None),
    (lambda ink: [Signature("officer", "李", ink("o"), signer_number=""), party(ink)], "执法证号"),
    (lambda ink: [Signature("officer", "李", None, signer_number="1"), party(ink)], "请在屏幕上签名"),
])
def test_signatures_and_refusals(store, judged, ink, signatures, fragment):
    iid = started(judged)
    judged.add_finding(iid, "formaldehyde", "15")
    found = [p.message for p in completeness(store, iid, signatures=signatures(ink))]
    assert (found == []) if fragment is None else any(fragment in m for m in found), found


def test_sampling_needs_two_officers_with_different_certificates(store, judged, ink):
    iid = judged.create_inspection("2025-06-01", company_name="甲", credit_code="91110105MA01ABCD00",
                                   site="仓库", inspection_type="sampling")
    judged.add_finding(iid, "formaldehyde", "15")
    assert any("需要 2 名" in p.message for p in completeness(store, iid, signatures=[*officers(ink, 1), party(ink)]))
    twins = [Signature("officer", "李", ink("a"), signer_number="1"), Signature("officer", "赵", ink("b"),
                                                                                  signer_number="1")]
    assert any("执法证号相同" in p.message for p in completeness(store, iid, signatures=[*twins, party(ink)]))
    assert completeness(store, iid, signatures=[*officers(ink), party(ink)]) == ()


def test_completing_binds_signatures_to_the_hash_and_locks(store, judged, ink):
    iid = started(judged)
    fid = judged.add_finding(iid, "formaldehyde", "15")
    summary = Summary.of(store, iid)
    assert summary.record_hash == record_hash(summary.inspection, [store.records.get("finding", fid)["data"]])
    before = len(store.outbox.items())
    ids = complete_inspection(judged, iid, [*officers(ink), party(ink)], expected_hash=summary.record_hash)
    items = store.outbox.items()[before:]
    assert [i["entity"] for i in items] == ["signature"] * 3 + ["inspection"]
    signed = [store.records.get("signature", i)["data"] for i in ids]
    assert {s["record_hash"] for s in signed} == {summary.record_hash}
    queued = {r["sha256"]: r for r in store.photos.rows()}
    assert all(queued[s["image"]]["entity"] == "signature" for s in signed)
    final = items[-1]["data"]
    assert final["record_hash"] == summary.record_hash and final["completed_at"] and "status" not in final
    with pytest.raises(RecordLocked):
        judged.edit_inspection(iid, address="改")
    with pytest.raises(RecordLocked, match="已完成"):
        complete_inspection(judged, iid, [*officers(ink), party(ink)], expected_hash=summary.record_hash)


def test_a_record_changed_after_it_was_read_is_not_signed(store, judged, ink):
    iid = started(judged)
    fid = judged.add_finding(iid, "formaldehyde", "15")
    read = Summary.of(store, iid).record_hash
    judged.correct_finding(fid, "16")
    before = (store.outbox.items(), store.photos.rows())
    with pytest.raises(RecordLocked, match="重新阅读并签名"):
        complete_inspection(judged, iid, [*officers(ink), party(ink)], expected_hash=read)
    assert (store.outbox.items(), store.photos.rows()) == before


def test_server_fields_do_not_change_the_signed_hash():
    inspection = {"id": "i", "company_name": "甲", "address": "", "photos": []}
    finding = {"id": "f", "revision": 2, "measured": "15", "device_verdict": {"outcome": "pass", "steps": ["…"]}}
    served = {**inspection, "status": "submitted", "version": 4, "has_disagreement": False}
    assert record_hash(inspection, [finding]) == record_hash(served, [{**finding, "server_verdict": {}}])
    assert signed_content(inspection, [finding])["findings"] == [{"id": "f", "revision": 2, "measured": "15",
                                                                   "outcome": "pass"}]
    assert record_hash(inspection, [finding]) != record_hash(inspection, [{**finding, "measured": "16"}])
