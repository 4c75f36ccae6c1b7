"""Regression (found by tests/server/test_server_fuzz.py): a list `offset` beyond the
database's integer range was a 500 (OverflowError on SQLite); it is a 400 naming the
field, on inspections, questions and products."""
import pytest

from server.kernel.schemas import MAX_OFFSET


@pytest.mark.parametrize("path", ["/api/v1/inspections/", "/api/v1/questions/", "/api/v1/products/"])
@pytest.mark.parametrize("offset, status", [(MAX_OFFSET, 200), (MAX_OFFSET + 1, 400), (10**30, 400), (-1, 400)])
def test_offset_out_of_range_is_400(api, path, offset, status):
    r = api.call("GET", f"{path}?offset={offset}", "admin")
    assert r.status_code == status, r.json
    if status == 400:
        assert r.json["error"] == "validation_failed" and "offset" in r.json["details"], r.json
    else:
        assert r.json == [] or r.json.get("items") == [], r.json


@pytest.mark.parametrize("param", ["since", "horizon"])
def test_pull_cursor_beyond_integer_range_is_400(api, param):
    r = api.call("GET", f"/api/v1/sync/pull?{param}={10**30}", "admin")
    assert r.status_code == 400, r.json
    assert r.json["error"] == "validation_failed" and param in r.json["details"]
