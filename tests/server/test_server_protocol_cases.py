"""The shared JSON cases under tests/protocol_cases/ against the REAL server (the device
side runs them in tests/sync/test_protocol_cases.py): push items in order with the answer
each case names, invalid items rejected naming their fields, real pull pages and push
answers read by the protocol's own parsers, and every error body case provoked for real and
classified by the device engine's transport as the case says."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from server_testkit import PASSWORD, uid

from server.kernel import clock
from server.kernel.changes import record_change
from server.kernel.extensions import db
from server.syncing.pull import purge_tombstones
from sync.client import errors as client_errors
from sync.client.transport import classify
from sync.protocol import OP_DELETE, PullPage, PushResponse, check_pull_page

CASES = Path(__file__).resolve().parents[1] / "protocol_cases"


def load(name: str):
    return json.loads((CASES / name).read_text(encoding="utf-8"))


PUSH = load("push_items.json")
PAGES = load("pull_pages.json")
ERRORS = load("error_bodies.json")


@pytest.fixture
def device(api):
    return api.device("insp_chaoyang")


def push(api, token, items):
    r = api.push(items, token=token)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    response = PushResponse.from_json(r.json, expected=[i["mutation_id"] for i in items])
    return r.json, response


def test_valid_cases_in_order_get_the_answer_each_names(api, device):
    for case in PUSH["valid"]:
        body, response = push(api, device, [case["item"]])
        (result,) = response.results
        assert result.status == case["server"], (case["name"], body)
    again, _ = push(api, device, [PUSH["valid"][0]["item"]])
    assert again["results"][0]["status"] == "duplicate"


@pytest.mark.parametrize("case", PUSH["invalid"], ids=lambda c: c["name"])
def test_invalid_cases_are_rejected_naming_their_fields(api, device, case):
    body, _ = push(api, device, [case["item"]])
    (result,) = body["results"]
    assert result["status"] == "rejected", result
    assert set(case["fields"]) <= set(result["details"]), result
    assert result["error"] == case.get("error", "validation_failed"), result
    assert result["message"].strip() and " / " not in result["message"]


def test_real_pull_pages_follow_the_protocol(api, device):
    first = api.call("GET", "/api/v1/sync/pull?since=0&limit=50", token=device)
    page = PullPage.from_json(first.json, since=0)
    assert page.changes and page.cursor == page.changes[-1].seq
    text = api.call("GET", "/api/v1/sync/pull?since=0&limit=50&data=text", token=device)
    assert check_pull_page(text.json, since=0) is not None
    assert PullPage.from_json(text.json, since=0).to_json() == page.to_json()
    last = page
    while last.has_more:
        r = api.call("GET", f"/api/v1/sync/pull?since={last.cursor}&limit=5000", token=device)
        last = PullPage.from_json(r.json, since=last.cursor)
    empty = api.call("GET", f"/api/v1/sync/pull?since={last.cursor}", token=device)
    assert PullPage.from_json(empty.json, since=last.cursor).to_json()["cursor"] == last.cursor
    push(api, device, [PUSH["valid"][0]["item"]])
    own = PullPage.from_json(api.call("GET", f"/api/v1/sync/pull?since={last.cursor}", token=device).json,
                             since=last.cursor)
    assert [c.entity for c in own.changes] == ["inspection"]


def test_real_pull_pages_have_the_shape_of_the_cases(api, device):
    """The cases the device's parser is tested with look like what this server sends."""
    cases = [c["page"] for kind in ("valid", "text_form") for c in PAGES[kind]]
    page_keys = set().union(*(set(page) for page in cases))
    change_keys = {frozenset(change) for page in cases for change in page["changes"]}
    push(api, device, [PUSH["valid"][0]["item"]])
    for query in ("since=0&limit=50", "since=0&limit=50&data=text", "since=0&limit=5000"):
        real = api.call("GET", f"/api/v1/sync/pull?{query}", token=device).json
        assert {"cursor", "has_more", "remaining", "changes"} <= set(real) <= page_keys, sorted(real)
        assert real["changes"] and {frozenset(change) for change in real["changes"]} <= change_keys


# ---- every error body case, provoked on the real server -------------------------------

def _stale_cursor(api):
    with api.app.app_context():
        record_change("product", "06900000000017", OP_DELETE, 2, None)
        db.session.commit()
        purge_tombstones(clock.now() + timedelta(days=1))
        db.session.commit()


def _revoked_device(api):
    token = api.device("insp_chaoyang")
    devices = api.call("GET", "/api/v1/devices/", "admin").json
    api.call("POST", f"/api/v1/devices/{devices[-1]['device_id']}/revoke", "admin")
    return token


def _locked_out(api):
    for _ in range(5):
        api.call("POST", "/api/v1/auth/login", json={"username": "sup_haidian", "password": "wrong-pass"})
    return api.call("POST", "/api/v1/auth/login", json={"username": "sup_haidian", "password": PASSWORD})


def _resync(api, entities):
    _stale_cursor(api)
    suffix = f"&entities={entities}" if entities else ""
    return api.call("GET", f"/api/v1/sync/pull?since=1{suffix}", token=api.device("insp_chaoyang"))


PROVOKE = {
    "validation failed": lambda api: api.call("POST", "/api/v1/auth/login", json={"username": 5}),
    "unauthorized": lambda api: api.call("GET", "/api/v1/sync/pull"),
    "device revoked": lambda api: api.call("GET", "/api/v1/sync/pull", token=_revoked_device(api)),
    "forbidden": lambda api: api.call("GET", "/api/v1/inspections/", "expert"),
    "resync required, all entities": lambda api: _resync(api, None),
    "resync required, named entities": lambda api: _resync(api, "product"),
    "payload too large": lambda api: api.push([{"mutation_id": uid()}] * 501, "admin"),
    "client too old": lambda api: api.call("GET", "/api/v1/health", headers={"X-Gbfield-Protocol": "0"}),
    "rate limited": _locked_out,
    "internal error": lambda api: api.call("GET", "/api/v1/_protocol_case_boom"),
}
NOT_FROM_THIS_SERVER = {"proxy 502 with html": "a proxy's page, never the app's answer"}


def test_every_error_case_is_provoked_here():
    assert {c["name"] for c in ERRORS} == set(PROVOKE) | set(NOT_FROM_THIS_SERVER)


@pytest.mark.parametrize("case", [c for c in ERRORS if c["name"] in PROVOKE], ids=lambda c: c["name"])
def test_real_error_answers_are_classified_as_the_case_says(api, case):
    @api.app.route("/api/v1/_protocol_case_boom")
    def boom():
        raise RuntimeError("internals")

    r = PROVOKE[case["name"]](api)
    assert r.status_code == case["status"], r.get_data(as_text=True)[:300]
    assert set(r.json) == set(case["body"]) and r.json["error"] == case["body"]["error"]
    if "entities" in case["body"]["details"]:
        assert r.json["details"]["entities"] == case["body"]["details"]["entities"]
    with pytest.raises(getattr(client_errors, case["client_error"])):
        classify(r.status_code, r.get_data())
