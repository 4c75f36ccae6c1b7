"""The pure hash chain: hashing is canonical, every kind of tampering is named."""
from __future__ import annotations

import pytest

from server.evidence.chain import GENESIS, canonical_json, row_hash, verify_chain


def make_chain(n: int) -> list[dict]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = {"seq": seq, "kind": "uploaded", "photo_sha256": f"{seq:064x}", "record_type": None,
                  "record_id": None, "actor": "张三@dev", "at": f"2025-06-01T10:00:{seq:02d}Z",
                  "details": {"size": seq * 10, "名": "值"}}
        digest = row_hash(fields, prev)
        rows.append({**fields, "prev_hash": prev, "row_hash": digest})
        prev = digest
    return rows


def test_an_untouched_chain_is_intact():
    report = verify_chain(make_chain(5))
    assert report.ok and report.count == 5 and report.head == make_chain(5)[-1]["row_hash"]


def test_an_empty_chain_is_intact_with_the_genesis_head():
    report = verify_chain([])
    assert report.ok and report.count == 0 and report.head == GENESIS


def test_canonical_json_ignores_key_order_and_refuses_floats():
    assert canonical_json({"b": 1, "a": "中"}) == canonical_json({"a": "中", "b": 1}) == '{"a":"中","b":1}'
    with pytest.raises(ValueError):
        canonical_json({"x": [0.1]})


def altered(rows, index, **changes):
    rows = [dict(r) for r in rows]
    rows[index].update(changes)
    return rows


@pytest.mark.parametrize("tamper, broken_seq, words", [
    (lambda rows: altered(rows, 2, actor="李四"), 3, "row_hash"),
    (lambda rows: altered(rows, 2, details={"size": 31, "名": "值"}), 3, "row_hash"),
    (lambda rows: altered(rows, 0, at="2025-06-02T00:00:00Z"), 1, "row_hash"),
    (lambda rows: rows[:2] + rows[3:], 4, "prev_hash"),                  # a row removed
    (lambda rows: rows[1:], 2, "prev_hash"),                             # the first row removed
    (lambda rows: [rows[0], rows[2], rows[1], *rows[3:]], 3, "prev_hash"),  # reordered: #3 read second
    (lambda rows: [rows[0], rows[1], {**rows[0], "seq": 1}], 1, "乱序"),   # a sequence going back
])
def test_tampering_is_named_at_the_first_broken_link(tamper, broken_seq, words):
    report = verify_chain(tamper(make_chain(5)))
    assert not report.ok and report.first_broken.seq == broken_seq and words in report.first_broken.reason


def test_rehashing_a_changed_row_still_breaks_the_next_link():
    rows = make_chain(4)
    fields = {**rows[1], "actor": "forger"}
    rows[1] = {**fields, "row_hash": row_hash(fields, rows[1]["prev_hash"])}
    report = verify_chain(rows)
    assert report.first_broken.seq == 3 and "prev_hash" in report.first_broken.reason
