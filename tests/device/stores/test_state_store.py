"""StateStore contract: JSON values by key, the cursor, the horizon and the credentials."""
import pytest


@pytest.mark.parametrize("value", [0, "文本", {"a": [1, 2, None]}, [True, 1.5], None])
def test_a_value_comes_back_as_stored(store, value):
    store.state.set("k", value)
    assert store.state.get("k", "absent") == value


def test_missing_keys_answer_the_default_and_delete_is_idempotent(store):
    assert store.state.get("nothing") is None and store.state.get("nothing", 7) == 7
    store.state.set("k", 1)
    store.state.delete("k")
    store.state.delete("k")
    assert store.state.get("k") is None


def test_a_value_is_a_copy_not_a_live_object(store):
    value = {"user": {"username": "li"}}
    store.state.set("k", value)
    value["user"]["username"] = "wang"
    got = store.state.get("k")
    got["user"]["username"] = "zhao"
    assert store.state.get("k") == {"user": {"username": "li"}}


def test_cursor_and_horizon_move_together_and_reset(store):
    assert store.state.cursor == 0 and store.state.horizon is None
    store.state.move_cursor(40)
    assert (store.state.cursor, store.state.horizon) == (40, None)
    store.state.move_cursor(120, horizon=35)
    store.state.move_cursor(130)              # no horizon reported: the known one stays
    assert (store.state.cursor, store.state.horizon) == (130, 35)
    store.state.reset_cursor()
    assert (store.state.cursor, store.state.horizon) == (0, None)


def test_credentials(store):
    assert store.state.credentials() is None
    creds = {"server_url": "http://127.0.0.1:5000", "device_id": "d1", "token": "t", "user": {"username": "li"}}
    store.state.save_credentials(creds)
    assert store.state.credentials() == creds
