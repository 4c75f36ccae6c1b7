"""OutboxStore contract: queue order, what may be sent, acknowledgements fixing the next
base, conflicts and rejections kept, in-place requeues, unsent amendments."""
import pytest


def _add(store, mid, ident="i1", base=0, entity="inspection", **data):
    store.outbox.add(mid, entity, ident, base, {"id": ident, **data})


def test_items_keep_queue_order_and_every_field(store):
    _add(store, "m1", note="a")
    _add(store, "m2", "i2")
    [first, second] = store.outbox.items()
    assert first == {"mutation_id": "m1", "entity": "inspection", "id": "i1", "base_version": 0,
                     "data": {"id": "i1", "note": "a"}, "attempts": 0, "last_error": None,
                     "state": "pending", "server_version": None, "server_current": None, "error_code": None}
    assert second["mutation_id"] == "m2"
    assert store.outbox.counts() == {"pending": 2, "conflict": 0, "rejected": 0}
    assert store.outbox.get("m2")["id"] == "i2" and store.outbox.get("nope") is None


def test_an_edit_behind_an_unacknowledged_one_has_no_base_but_a_revision_keeps_its_own(store):
    _add(store, "m1")
    _add(store, "m2", base=1)
    _add(store, "f1", "f", base=0, entity="finding")
    _add(store, "f2", "f", base=1, entity="finding")
    assert [i["base_version"] for i in store.outbox.items()] == [0, None, 0, 1]
    assert store.outbox.has_items("inspection", "i1") and not store.outbox.has_items("inspection", "i9")
    assert store.outbox.record_keys() == {("inspection", "i1"), ("finding", "f")}
    assert store.outbox.key_of("f2") == ("finding", "f") and store.outbox.key_of("nope") is None


def test_sendable_is_the_first_pending_item_of_each_record_with_a_known_base(store):
    _add(store, "m1")
    _add(store, "m2", base=None)          # waits for m1
    _add(store, "n1", "i2")
    _add(store, "k1", "i3", base=None)    # the first of its record, base unknown: waits
    _add(store, "p1", "i4")
    assert [i["mutation_id"] for i in store.outbox.sendable(10)] == ["m1", "n1", "p1"]
    assert [i["mutation_id"] for i in store.outbox.sendable(2)] == ["m1", "n1"]
    assert set(store.outbox.sendable(1)[0]) == {"mutation_id", "entity", "id", "base_version", "data"}
    store.outbox.mark_rejected("n1", "validation_failed", "坏")
    assert [i["mutation_id"] for i in store.outbox.sendable(10)] == ["m1", "p1"]


def test_attempts_and_errors(store):
    _add(store, "m1")
    _add(store, "m2", "i2")
    store.outbox.mark_attempt(["m1", "m2"])
    store.outbox.mark_attempt(["m1"], error="timeout")
    store.outbox.note_error(["m2"], "cut")
    assert [(i["attempts"], i["last_error"]) for i in store.outbox.items()] == [(2, "timeout"), (1, "cut")]


def test_acknowledge_removes_the_item_and_gives_the_next_one_its_base(store):
    _add(store, "m1")
    _add(store, "m2", base=None)
    _add(store, "m3", base=None)
    assert store.outbox.acknowledge("m1", 1) == ("inspection", "i1")
    assert [(i["mutation_id"], i["base_version"]) for i in store.outbox.items()] == [("m2", 1), ("m3", None)]
    assert store.outbox.acknowledge("m1", 1) is None          # already acknowledged
    assert store.outbox.acknowledge("m2", 2) == ("inspection", "i1")
    assert store.outbox.items()[0]["base_version"] == 2


def test_conflicts_and_rejections_stay_with_the_servers_answer(store):
    _add(store, "m1")
    _add(store, "m2", "i2")
    assert store.outbox.mark_conflict("m1", 3, {"id": "i1", "note": "theirs"}, "冲突") == ("inspection", "i1")
    assert store.outbox.mark_rejected("m2", "unknown_indicator", "指标不存在") == ("inspection", "i2")
    assert store.outbox.mark_conflict("nope", 1, None, "x") is None and store.outbox.mark_rejected("nope", "e", "m") is None
    conflict, rejected = store.outbox.items()
    assert (conflict["state"], conflict["server_version"], conflict["server_current"], conflict["error_code"],
            conflict["last_error"]) == ("conflict", 3, {"id": "i1", "note": "theirs"}, "conflict", "冲突")
    assert (rejected["state"], rejected["error_code"], rejected["last_error"]) == (
        "rejected", "unknown_indicator", "指标不存在")
    assert store.outbox.counts() == {"pending": 0, "conflict": 1, "rejected": 1}
    assert [i["mutation_id"] for i in store.outbox.items("conflict")] == ["m1"]
    store.outbox.mark_conflict("m2", None, None, "冲突")
    assert store.outbox.get("m2")["server_current"] is None


def test_requeue_is_in_place_under_a_new_mutation_id(store):
    _add(store, "m1", note="a")
    _add(store, "m2", base=None, note="b")
    store.outbox.mark_attempt(["m1"], error="x")
    store.outbox.mark_conflict("m1", 4, {"id": "i1"}, "冲突")
    assert store.outbox.requeue("m1", "m1b", 4, {"id": "i1", "note": "a2"}) == ("inspection", "i1")
    first, second = store.outbox.items()
    assert first == {"mutation_id": "m1b", "entity": "inspection", "id": "i1", "base_version": 4,
                     "data": {"id": "i1", "note": "a2"}, "attempts": 0, "last_error": None, "state": "pending",
                     "server_version": None, "server_current": None, "error_code": None}
    assert second["mutation_id"] == "m2"
    assert store.outbox.requeue("nope", "x", 0, {}) is None


@pytest.mark.parametrize("attempted, state, amended", [
    (False, "pending", True), (True, "pending", False), (False, "rejected", False)])
def test_only_the_newest_never_sent_item_is_amended(store, attempted, state, amended):
    _add(store, "m0", note="older")
    _add(store, "m1", base=None, note="a")
    if attempted:
        store.outbox.mark_attempt(["m1"])
    if state == "rejected":
        store.outbox.mark_rejected("m1", "e", "m")
    assert store.outbox.amend_unsent("inspection", "i1", {"id": "i1", "note": "b"}) is amended
    notes = [i["data"]["note"] for i in store.outbox.items()]
    assert notes == ["older", "b" if amended else "a"]
    assert store.outbox.amend_unsent("inspection", "nobody", {}) is False


def test_the_edit_behind_a_discarded_conflict_becomes_a_conflict_too(store):
    _add(store, "m1", note="a")
    _add(store, "m2", base=None, note="b")
    store.outbox.mark_conflict("m1", 2, {"id": "i1", "note": "srv"}, "冲突")
    discarded = store.outbox.get("m1")
    store.outbox.remove("m1")
    store.outbox.surface_successor_conflict(discarded, "前一项已放弃")
    [item] = store.outbox.items()
    assert (item["mutation_id"], item["state"], item["server_version"], item["server_current"],
            item["last_error"]) == ("m2", "conflict", 2, {"id": "i1", "note": "srv"}, "前一项已放弃")


def test_a_successor_with_a_known_base_is_left_pending(store):
    _add(store, "m1")
    _add(store, "f1", "f", entity="finding")
    discarded = {**store.outbox.get("m1"), "server_version": 1, "server_current": None}
    store.outbox.remove("m1")
    store.outbox.surface_successor_conflict(discarded, "x")
    store.outbox.surface_successor_conflict({**discarded, "entity": "finding", "id": "f"}, "x")
    assert [i["state"] for i in store.outbox.items()] == ["pending"]
    store.outbox.remove("nope")
    assert len(store.outbox.items()) == 1
