"""Safe records on the device: an edit is a new version of the same inspection, a
correction a new revision of the finding chosen, the same indicator and sample is never
silently recorded twice, a draft that never left the device can be deleted."""
import pytest

from device import DuplicateFinding, RecordLocked, UnknownRecord


def test_editing_an_inspection_queues_a_new_version_of_the_same_record(store, records):
    iid = records.create_inspection("2025-06-01", company_name="甲", address="北京市朝阳区示例路1号")
    records.edit_inspection(iid, address="北京市朝阳区示例路2号")
    assert list(store.records.all("inspection")) == [iid]
    assert [i["id"] for i in store.outbox.items()] == [iid, iid]
    assert store.records.get("inspection", iid)["data"]["address"] == "北京市朝阳区示例路2号"


def test_the_same_indicator_and_sample_asks_correct_or_second_sample(store, records):
    iid = records.create_inspection("2025-06-01")
    first = records.add_finding(iid, "ind-1", "19.8")
    with pytest.raises(DuplicateFinding) as info:
        records.add_finding(iid, "ind-1", "20.6")
    assert (info.value.finding_id, info.value.sample, info.value.next_sample) == (first, 1, 2)
    assert "请更正该结果，或作为样品2记录" in info.value.message
    assert len(records.findings_of(iid)) == 1
    second = records.add_finding(iid, "ind-1", "20.6", sample=info.value.next_sample)
    assert [f for f, _ in records.findings_of(iid)] == [first, second]
    assert records.finding_for(iid, "ind-1", 2) == second and records.next_sample(iid, "ind-1") == 3
    assert records.add_finding(iid, "ind-2", "1.0")                  # another indicator is its own


def test_a_correction_supersedes_the_chosen_finding_only(store, records):
    iid = records.create_inspection("2025-06-01")
    formaldehyde = records.add_finding(iid, "formaldehyde", "20.6")
    odour = records.add_finding(iid, "odour", "无异味")
    assert records.correct_finding(formaldehyde, "19.8") == 2
    assert store.records.get("finding", odour)["data"]["measured"] == "无异味"
    revisions = store.records.revisions(formaldehyde)
    assert [(r["revision"], r["measured"]) for r in revisions] == [(1, "20.6"), (2, "19.8")]
    # the order of the findings is the order they were first made, corrections or not
    assert [f for f, _ in records.findings_of(iid)] == [formaldehyde, odour]


def test_delete_a_draft_that_never_left_the_device(store, records):
    iid = records.create_inspection("2025-06-01")
    fid = records.add_finding(iid, "ind-1", "1.0")
    keep = records.create_inspection("2025-06-02")
    records.delete_draft(iid)
    assert store.records.get("inspection", iid) is None and store.records.get("finding", fid) is None
    assert store.records.revisions(fid) == [] and [i["id"] for i in store.outbox.items()] == [keep]
    with pytest.raises(UnknownRecord):
        records.delete_draft(iid)


def test_a_draft_that_may_have_reached_a_server_is_not_deleted(store, records):
    iid = records.create_inspection("2025-06-01")
    store.outbox.mark_attempt([i["mutation_id"] for i in store.outbox.items()])
    with pytest.raises(RecordLocked, match="已上传过"):
        records.delete_draft(iid)
    assert store.records.get("inspection", iid) is not None and len(store.outbox.items()) == 1


def test_a_completed_inspection_changes_only_by_corrections(store, records):
    iid = records.create_inspection("2025-06-01")
    fid = records.add_finding(iid, "ind-1", "1.0")
    records._edit(iid, store.records.get("inspection", iid), {"completed_at": "2025-06-01T11:00:00+00:00"})
    for call in (lambda: records.edit_inspection(iid, address="改"), lambda: records.add_finding(iid, "ind-2", "2"),
                 lambda: records.delete_draft(iid)):
        with pytest.raises(RecordLocked) as info:
            call()
        assert info.value.code == "inspection_locked"
    assert records.correct_finding(fid, "1.1") == 2
