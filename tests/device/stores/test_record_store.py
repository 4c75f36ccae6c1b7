"""RecordStore contract: the device's view beside the server's, finding revisions,
acknowledgements, conflicts, drops and re-judgements."""
import pytest


def _finding(revision, measured="1.0"):
    return {"id": "f1", "inspection_id": "i1", "revision": revision, "measured": measured}


def test_a_local_record_starts_at_version_zero_without_a_server_view(store):
    store.records.put_local("inspection", "i1", {"id": "i1", "note": "现场"})
    assert store.records.get("inspection", "i1") == {"version": 0, "data": {"id": "i1", "note": "现场"},
                                                     "server_data": None}
    store.records.put_local("inspection", "i1", {"id": "i1", "note": "改"})
    assert store.records.get("inspection", "i1")["data"]["note"] == "改"
    assert store.records.get("inspection", "nope") is None


def test_all_and_counts(store):
    for ident in ("b", "a", "c"):
        store.records.put_local("inspection", ident, {"id": ident})
    store.records.put_local("question", "q", {"id": "q", "text": "?"})
    assert list(store.records.all("inspection")) == ["a", "b", "c"]
    assert store.records.all("inspection")["a"] == {"version": 0, "data": {"id": "a"}}
    assert store.records.counts() == {"inspection": 3, "question": 1}
    assert store.records.all("flag") == {}


def test_finding_revisions_are_kept_from_local_and_server_data(store):
    store.records.put_local("finding", "f1", _finding(1))
    store.records.put_local("finding", "f1", _finding(2, "2.0"))
    store.records.put_server("finding", "f1", 3, _finding(3, "3.0"), keep_local=False)
    assert [r["measured"] for r in store.records.revisions("f1")] == ["1.0", "2.0", "3.0"]
    assert store.records.revisions("other") == []


@pytest.mark.parametrize("keep_local", [False, True])
def test_a_server_record_replaces_the_view_unless_a_local_edit_waits(store, keep_local):
    store.records.put_local("inspection", "i1", {"id": "i1", "note": "mine"})
    store.records.put_server("inspection", "i1", 4, {"id": "i1", "note": "theirs"}, keep_local=keep_local)
    rec = store.records.get("inspection", "i1")
    assert rec["version"] == 4 and rec["server_data"] == {"id": "i1", "note": "theirs"}
    assert rec["data"]["note"] == ("mine" if keep_local else "theirs")


def test_a_server_record_new_to_the_device_is_stored_even_with_keep_local(store):
    store.records.put_server("review", "r1", 1, {"id": "r1", "comment": "请复测"}, keep_local=True)
    assert store.records.get("review", "r1")["data"]["comment"] == "请复测"


@pytest.mark.parametrize("keep_local", [False, True])
def test_a_server_delete_forgets_the_record_unless_a_local_edit_waits(store, keep_local):
    store.records.put_server("inspection", "i1", 1, {"id": "i1"}, keep_local=False)
    store.records.delete_server("inspection", "i1", 2, keep_local=keep_local)
    rec = store.records.get("inspection", "i1")
    if keep_local:
        assert rec == {"version": 2, "data": {"id": "i1"}, "server_data": None}
    else:
        assert rec is None


def test_acknowledge_only_raises_the_version(store):
    store.records.put_local("inspection", "i1", {"id": "i1"})
    store.records.acknowledge("inspection", "i1", 3)
    store.records.acknowledge("inspection", "i1", 2)
    assert store.records.get("inspection", "i1")["version"] == 3


def test_a_conflict_keeps_the_server_view_beside_and_the_officer_may_take_it(store):
    store.records.put_local("inspection", "i1", {"id": "i1", "note": "mine"})
    store.records.take_server_view("inspection", "i1")           # no server view: nothing changes
    assert store.records.get("inspection", "i1")["data"]["note"] == "mine"
    store.records.set_server_view("inspection", "i1", 5, {"id": "i1", "note": "theirs"})
    rec = store.records.get("inspection", "i1")
    assert (rec["version"], rec["data"]["note"], rec["server_data"]["note"]) == (5, "mine", "theirs")
    store.records.take_server_view("inspection", "i1")
    assert store.records.get("inspection", "i1")["data"]["note"] == "theirs"


def test_drop_keeps_the_named_records_and_other_entities(store):
    for ident in ("a", "b", "c"):
        store.records.put_local("inspection", ident, {"id": ident})
    store.records.put_local("question", "q", {"id": "q"})
    store.records.drop("inspection", keep={"b"})
    assert list(store.records.all("inspection")) == ["b"] and store.records.counts()["question"] == 1
    store.records.drop("inspection")
    assert store.records.all("inspection") == {}


def test_rejudgements_are_kept_by_finding_and_revision(store):
    store.records.save_rejudged([{"finding_id": "f2", "revision": 1, "disagrees": False},
                                 {"finding_id": "f1", "revision": 1, "disagrees": True},
                                 {"no": "finding id"}, "not a dict"])
    store.records.save_rejudged([{"finding_id": "f2", "revision": 1, "disagrees": True}])
    assert store.records.rejudged() == [{"finding_id": "f1", "revision": 1, "disagrees": True},
                                        {"finding_id": "f2", "revision": 1, "disagrees": True}]
