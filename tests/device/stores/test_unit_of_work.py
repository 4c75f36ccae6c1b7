"""The unit of work: writes to several stores inside one `transaction()` commit together
or not at all; store methods join an open transaction; a store method alone is atomic."""
import pytest

from device import StoreError, open_store


class Boom(Exception):
    pass


def _write_everything(store):
    store.catalog.put([("indicator", "i1", 1, '{"limit": "≤20"}')])
    store.records.put_local("inspection", "r1", {"id": "r1"})
    store.outbox.add("m1", "inspection", "r1", 0, {"id": "r1"})
    store.state.move_cursor(7, horizon=3)
    store.photos.add("a" * 64, "/a.jpg", "inspection", "r1")


def _nothing_written(store):
    return (store.catalog.counts(), store.records.counts(), store.outbox.items(), store.state.cursor,
            store.state.horizon, store.photos.rows()) == ({}, {}, [], 0, None, [])


def test_one_transaction_over_every_store_commits_together(store):
    with store.transaction():
        _write_everything(store)
    assert store.counts() == {"catalog.indicator": 1, "records.inspection": 1}
    assert len(store.outbox.items()) == 1 and store.state.cursor == 7 and len(store.photos.rows()) == 1


def test_an_error_rolls_back_every_store(store):
    with pytest.raises(Boom), store.transaction():
        _write_everything(store)
        raise Boom
    assert _nothing_written(store)


def test_an_inner_transaction_joins_the_outer_one(store):
    with pytest.raises(Boom), store.transaction():
        with store.transaction():
            store.state.set("k", 1)
        assert store.state.get("k") == 1          # visible inside the outer block
        raise Boom
    assert store.state.get("k") is None


def test_the_store_works_after_a_rollback(store):
    with pytest.raises(Boom), store.transaction():
        store.outbox.add("m1", "inspection", "r1", 0, {"id": "r1"})
        raise Boom
    store.outbox.add("m1", "inspection", "r1", 0, {"id": "r1"})
    assert [i["mutation_id"] for i in store.outbox.items()] == ["m1"]


def test_a_store_method_alone_is_atomic(store):
    rows = [("indicator", "i1", 1, "{}"), ("indicator", "i2", 1, None)]   # the second is not JSON text
    with pytest.raises(StoreError):
        store.catalog.put(rows)
    assert store.catalog.counts() == {}


def test_a_refused_write_is_a_store_error_and_changes_nothing(store):
    store.outbox.add("m1", "inspection", "r1", 0, {"id": "r1"})
    with pytest.raises(StoreError) as info, store.transaction():
        store.records.put_local("inspection", "r2", {"id": "r2"})
        store.outbox.add("m1", "inspection", "r2", 0, {"id": "r2"})      # the mutation id is taken
    assert "the device store failed" in info.value.message
    assert [i["id"] for i in store.outbox.items()] == ["r1"] and store.records.get("inspection", "r2") is None


def test_committed_writes_survive_a_restart_and_rolled_back_ones_do_not(tmp_path):
    store = open_store(tmp_path / "d.sqlite")
    with store.transaction():
        _write_everything(store)
    with pytest.raises(Boom), store.transaction():
        store.outbox.add("m2", "inspection", "r2", 0, {"id": "r2"})
        raise Boom
    store.close()
    again = open_store(tmp_path / "d.sqlite")
    assert [i["mutation_id"] for i in again.outbox.items()] == ["m1"] and again.state.cursor == 7
    again.close()


def test_another_connection_sees_nothing_before_the_commit(tmp_path):
    writer, reader = open_store(tmp_path / "d.sqlite"), open_store(tmp_path / "d.sqlite")
    with writer.transaction():
        writer.records.put_local("inspection", "r1", {"id": "r1"})
        writer.outbox.add("m1", "inspection", "r1", 0, {"id": "r1"})
        assert reader.records.get("inspection", "r1") is None and reader.outbox.items() == []
    assert reader.records.get("inspection", "r1") is not None and len(reader.outbox.items()) == 1
    writer.close()
    reader.close()


def test_a_file_that_is_not_a_store_is_refused_with_a_readable_error(tmp_path):
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "cannot open the device store" in info.value.message
