"""The shared JSON cases under tests/protocol_cases/, checked against sync.protocol and the
client's answer classification."""
import hashlib
import json

import pytest
from fake_server import load_case

from device import open_store
from sync.client import errors
from sync.client.local import store_page
from sync.client.transport import classify
from sync.protocol import (
    ProtocolError,
    PullPage,
    PushItem,
    PushResult,
    check_pull_page,
    digest_lines,
    item_hash,
    make_enrol_payload,
    parse_enrol_payload,
    parse_push_request,
)

PUSH = load_case("push_items.json")
RESULTS = load_case("push_results.json")
PAGES = load_case("pull_pages.json")
ERRORS = load_case("error_bodies.json")
DIGESTS = load_case("digests.json")
ENROL = load_case("enrol_payloads.json")


@pytest.mark.parametrize("case", PUSH["valid"], ids=lambda c: c["name"])
def test_valid_push_items_parse_and_round_trip(case):
    item = PushItem.from_json(case["item"])
    assert item.to_json() == case["item"]


@pytest.mark.parametrize("case", PUSH["invalid"], ids=lambda c: c["name"])
def test_invalid_push_items_name_the_bad_field(case):
    with pytest.raises(ProtocolError) as info:
        PushItem.from_json(case["item"])
    assert set(case["fields"]) <= set(info.value.details), info.value.details


def test_push_request_reports_fields_per_item_index():
    bad = PUSH["invalid"][0]["item"]
    body = {"items": [PUSH["valid"][0]["item"], bad]}
    with pytest.raises(ProtocolError) as info:
        parse_push_request(body)
    assert "items.1.mutation_id" in info.value.details
    assert not any(k.startswith("items.0.") for k in info.value.details)


def test_push_request_too_many_items_is_payload_too_large():
    item = PUSH["valid"][4]["item"]
    with pytest.raises(ProtocolError) as info:
        parse_push_request({"items": [item] * 501})
    assert info.value.code == "payload_too_large"


@pytest.mark.parametrize("case", RESULTS["valid"], ids=lambda c: c["name"])
def test_valid_push_results(case):
    assert PushResult.from_json(case["result"]).to_json() == case["result"]


@pytest.mark.parametrize("case", RESULTS["invalid"], ids=lambda c: c["name"])
def test_invalid_push_results(case):
    with pytest.raises(ProtocolError):
        PushResult.from_json(case["result"])


@pytest.mark.parametrize("case", PAGES["valid"], ids=lambda c: c["name"])
def test_valid_pull_pages(case):
    page = PullPage.from_json(case["page"], since=case["since"])
    assert page.to_json() == case["page"]


@pytest.mark.parametrize("case", PAGES["text_form"], ids=lambda c: c["name"])
def test_pull_pages_with_data_as_text(case):
    assert check_pull_page(case["page"], since=case["since"]) is case["page"]  # stored as is
    assert PullPage.from_json(case["page"], since=case["since"]).to_json() == case["decoded"]


def test_the_store_keeps_catalog_text_as_served_and_decodes_records(tmp_path):
    case = PAGES["text_form"][0]
    store = open_store(tmp_path / "d.sqlite")
    assert store_page(store, case["page"]["changes"], case["page"]["cursor"]) == 3
    text = store.db.execute("SELECT data FROM catalog WHERE entity = 'indicator'").fetchone()[0]
    assert text == case["page"]["changes"][0]["data"]
    assert store.catalog.row("indicator", case["page"]["changes"][0]["id"]) == {"limit": "≤20", "unit": "mg/kg"}
    assert store.records.get("review", "r1")["data"]["comment"] == "请复测"
    store.close()


@pytest.mark.parametrize("case", PAGES["invalid"], ids=lambda c: c["name"])
def test_invalid_pull_pages(case):
    with pytest.raises(ProtocolError):
        PullPage.from_json(case["page"], since=case["since"])


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c["name"])
def test_error_answers_are_classified(case):
    body = case["body"]
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    with pytest.raises(getattr(errors, case["client_error"])) as info:
        classify(case["status"], raw)
    if isinstance(body, dict):
        assert info.value.code == body["error"]
    if case["client_error"] == "ResyncRequired":
        assert list(info.value.entities) == body["details"].get("entities", [])


@pytest.mark.parametrize("case", DIGESTS, ids=lambda c: c["name"])
def test_digest_cases(case):
    pairs = [tuple(p) for p in case["pairs"]]
    assert digest_lines(pairs) == case["digest"]
    # the digest is independent of order and equals sha256 of the byte-sorted lines
    lines = sorted(f"{i}\t{v}\n".encode() for i, v in pairs)
    assert digest_lines(reversed(pairs)) == hashlib.sha256(b"".join(lines)).hexdigest()


def test_digest_changes_with_a_version():
    assert digest_lines([("a", 1)]) != digest_lines([("a", 2)])
    assert digest_lines([("a", 1)]) == hashlib.sha256(b"a\t1\n").hexdigest()


def test_item_hash_ignores_mutation_id_and_key_order_but_not_content():
    item = dict(PUSH["valid"][2]["item"])
    same = {**item, "mutation_id": "00000000-0000-4000-8000-000000000000",
            "data": dict(reversed(list(item["data"].items())))}
    assert item_hash(item) == item_hash(same)
    changed = {**item, "data": {**item["data"], "measured": "16.5"}}
    assert item_hash(item) != item_hash(changed)
    assert item_hash(item) != item_hash({**item, "base_version": 1})


@pytest.mark.parametrize("case", ENROL["valid"], ids=lambda c: c["code"])
def test_enrol_payloads(case):
    assert parse_enrol_payload(case["payload"]) == (case["server"], case["code"])
    assert parse_enrol_payload(make_enrol_payload(case["server"], case["code"])) == (case["server"], case["code"])


@pytest.mark.parametrize("payload", ENROL["invalid"])
def test_invalid_enrol_payloads(payload):
    with pytest.raises(ProtocolError):
        parse_enrol_payload(payload)
