"""DeviceRecords, the local records API, over both store implementations: each call writes
the record and its outbox item in one transaction; photos attach to unsent items in place."""
import hashlib
from datetime import date

import pytest

from device import DeviceError, DeviceRecords, InvalidRecord, UnknownRecord, ruleset_judge


@pytest.fixture
def photos(tmp_path):
    out = []
    for k in range(3):
        p = tmp_path / f"p{k}.jpg"
        p.write_bytes(f"jpeg bytes {k}".encode() * 100)
        out.append((p, hashlib.sha256(p.read_bytes()).hexdigest()))
    return out


def test_attach_photo_amends_an_unsent_item_and_queues_the_file(store, records, photos):
    iid = records.create_inspection("2024-05-20", company_name="甲")
    sha = records.attach_photo(iid, photos[0][0])
    assert sha == photos[0][1]
    [item] = store.outbox.items()
    assert item["data"]["photos"] == [sha] and store.records.get("inspection", iid)["data"]["photos"] == [sha]
    assert [(r["sha256"], r["state"], r["record_id"]) for r in store.photos.rows()] == [(sha, "pending", iid)]
    assert records.attach_photo(iid, photos[0][0]) == sha and len(store.outbox.items()) == 1  # idempotent


def test_attach_photo_after_a_send_attempt_queues_a_new_revision(store, records, photos):
    iid = records.create_inspection("2024-05-20")
    fid = records.add_finding(iid, "ind-1", "1.0")
    store.outbox.mark_attempt([i["mutation_id"] for i in store.outbox.items()])  # it may have reached the server
    records.attach_photo(fid, photos[1][0])
    items = [i for i in store.outbox.items() if i["entity"] == "finding"]
    assert [i["data"]["revision"] for i in items] == [1, 2]
    assert items[0]["data"]["photos"] == [] and items[1]["data"]["photos"] == [photos[1][1]]


def test_attach_photo_refuses_unknown_records_and_missing_files(records, photos, tmp_path):
    iid = records.create_inspection("2024-05-20")
    with pytest.raises(DeviceError):
        records.attach_photo("no-such-record", photos[0][0])
    with pytest.raises(DeviceError):
        records.attach_photo(iid, tmp_path / "missing.jpg")




class FailingRecords:
    """Wraps a RecordStore: put_local raises after the outbox item was written."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def put_local(self, *args, **kw):
        raise OSError("disk full")


@pytest.mark.parametrize("call", ["create", "edit", "finding", "correct", "question"])
def test_a_record_and_its_outbox_item_are_written_together_or_not_at_all(store, records, call):
    iid = records.create_inspection("2024-05-20", company_name="甲")
    fid = records.add_finding(iid, "ind-1", "1.0")
    before = (store.outbox.items(), store.records.get("inspection", iid), store.records.revisions(fid))
    store.records = FailingRecords(store.records)
    with pytest.raises(OSError):
        {"create": lambda: records.create_inspection("2024-05-21"),
         "edit": lambda: records.edit_inspection(iid, note="改"),
         "finding": lambda: records.add_finding(iid, "ind-2", "2.0"),
         "correct": lambda: records.correct_finding(fid, "1.1"),
         "question": lambda: records.ask_question("怎么判？", inspection_id=iid)}[call]()
    store.records = store.records.inner
    assert (store.outbox.items(), store.records.get("inspection", iid), store.records.revisions(fid)) == before


def test_create_inspection_queues_the_pushable_fields_and_refuses_unknown_ones(store, records):
    iid = records.create_inspection("2024-05-20", company_name="甲", status="approved")
    [item] = store.outbox.items()
    assert (item["entity"], item["id"], item["base_version"]) == ("inspection", iid, 0)
    # a draft until completed: the device never claims another status (the server decides it)
    assert item["data"]["status"] == "draft" and item["data"]["company_name"] == "甲"
    assert store.records.get("inspection", iid)["data"] == item["data"]
    with pytest.raises(InvalidRecord) as info:
        records.create_inspection("2024-05-20", colour="red")
    assert info.value.code == "validation_failed" and "colour" in info.value.message


@pytest.mark.parametrize("call", [
    lambda r: r.edit_inspection("nope", note="x"),
    lambda r: r.add_finding("nope", "ind", "1"),
    lambda r: r.correct_finding("nope", "1"),
    lambda r: r.resolve_conflict("nope"),
    lambda r: r.retry_rejected("nope"),
])
def test_unknown_records_and_items_are_not_found(records, call):
    with pytest.raises(UnknownRecord) as info:
        call(records)
    assert info.value.code == "not_found"


@pytest.mark.parametrize("call", [
    lambda r, iid: r.add_finding(iid, "ind", 1.5),
    lambda r, iid: r.ask_question("   "),
])
def test_bad_values_are_refused(records, call):
    iid = records.create_inspection("2024-05-20")
    with pytest.raises(InvalidRecord):
        call(records, iid)


@pytest.mark.parametrize("call, field", [
    (lambda r, iid: r.create_inspection("2024-02-30"), "data.inspected_on"),
    (lambda r, iid: r.create_inspection("2024-05-20", credit_code="91110000600037341X"), "data.credit_code"),
    (lambda r, iid: r.create_inspection("2024-05-20", gtin="06901234567890"), "data.gtin"),
    (lambda r, iid: r.edit_inspection(iid, note="长" * 2001), "data.note"),
    (lambda r, iid: r.add_finding(iid, "ind", "1" * 61), "data.measured"),
    (lambda r, iid: r.ask_question("问" * 4001), "data.text"),
])
def test_a_record_breaking_the_schema_never_enters_the_outbox(store, records, call, field):
    """The tablet runs the server's record schema (sync.protocol.schema) before queueing."""
    iid = records.create_inspection("2024-05-20")
    before = store.outbox.items()
    with pytest.raises(InvalidRecord) as info:
        call(records, iid)
    assert info.value.code == "validation_failed" and field in info.value.details
    assert info.value.message.strip() and " / " not in info.value.message
    assert store.outbox.items() == before


def test_a_correction_is_revision_n_plus_one_on_base_n(store, records):
    iid = records.create_inspection("2024-05-20")
    fid = records.add_finding(iid, "ind-1", "1.0", "mg/kg", note="初测")
    assert records.correct_finding(fid, "1.2") == 2
    items = [i for i in store.outbox.items() if i["entity"] == "finding"]
    assert [(i["base_version"], i["data"]["revision"], i["data"]["unit"]) for i in items] == [
        (0, 1, "mg/kg"), (1, 2, "mg/kg")]
    assert [r["measured"] for r in store.records.revisions(fid)] == ["1.0", "1.2"]


class _FixedRuleSet:
    def __init__(self, answer):
        self.answer = answer
        self.asked = []

    def judge_indicator(self, indicator_id, value, unit, *, on=None, product_class=None):
        self.asked.append((indicator_id, value, unit, on, product_class))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_the_provisional_verdict_uses_the_inspection_date_and_class(store):
    rules = _FixedRuleSet({"outcome": "pass", "ruleset_version": "2025.1"})
    records = DeviceRecords(store, judge=ruleset_judge(rules))
    iid = records.create_inspection("2024-05-20", product_class="A")
    fid = records.add_finding(iid, "ind-1", "0.4", "mg/kg")
    data = store.records.get("finding", fid)["data"]
    assert data["device_verdict"]["outcome"] == "pass" and data["ruleset_version"] == "2025.1"
    assert rules.asked == [("ind-1", "0.4", "mg/kg", date(2024, 5, 20), "A")]


def test_a_judge_that_fails_never_blocks_entry(store):
    records = DeviceRecords(store, judge=ruleset_judge(_FixedRuleSet(KeyError("ind-1"))))
    iid = records.create_inspection("2024-05-20")
    fid = records.add_finding(iid, "ind-1", "0.4")
    verdict = store.records.get("finding", fid)["data"]["device_verdict"]
    # stored, inconclusive, with a reason a person reads (never an exception's class name)
    assert verdict["outcome"] == "inconclusive" and "KeyError" not in verdict["reason"]
    assert "服务器判定" in verdict["reason"]


def test_keep_mine_requeues_in_place_on_the_servers_version(store, records):
    iid = records.create_inspection("2024-05-20", note="mine")
    [item] = store.outbox.items()
    store.outbox.mark_conflict(item["mutation_id"], 3, {"id": iid, "note": "theirs"}, "冲突")
    new_id = records.resolve_conflict(item["mutation_id"], keep="mine")
    [again] = store.outbox.items()
    assert (again["mutation_id"], again["state"], again["base_version"]) == (new_id, "pending", 3)
    assert new_id != item["mutation_id"]


def test_keep_mine_on_a_finding_becomes_the_next_revision(store, records):
    iid = records.create_inspection("2024-05-20")
    fid = records.add_finding(iid, "ind-1", "1.0")
    item = store.outbox.items()[1]
    store.outbox.mark_conflict(item["mutation_id"], 2, {"id": fid, "revision": 2}, "冲突")
    records.resolve_conflict(item["mutation_id"], keep="mine")
    again = store.outbox.items()[1]
    assert (again["base_version"], again["data"]["revision"]) == (2, 3)
    assert store.records.get("finding", fid)["data"]["revision"] == 3


def test_retry_rejected_requeues_with_the_fixes(store, records):
    iid = records.create_inspection("2024-05-20", jurisdiction="999999")
    [item] = store.outbox.items()
    store.outbox.mark_rejected(item["mutation_id"], "validation_failed", "辖区不存在")
    new_id = records.retry_rejected(item["mutation_id"], jurisdiction="110105")
    [again] = store.outbox.items()
    assert (again["mutation_id"], again["state"], again["data"]["jurisdiction"]) == (new_id, "pending", "110105")
    assert store.records.get("inspection", iid)["data"]["jurisdiction"] == "110105"
    with pytest.raises(UnknownRecord):
        records.resolve_conflict(new_id)                         # pending, not a conflict


def test_photos_attached_offline_are_errors_of_the_device_root(records, tmp_path):
    with pytest.raises(DeviceError):
        records.attach_photo("nope", tmp_path / "missing.jpg")
