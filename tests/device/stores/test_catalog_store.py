"""CatalogStore contract: rows as the server sent them, deletes, drops, digests, counts."""
import json

import pytest

from sync.protocol import CATALOG_ENTITIES, digest_lines


def _row(entity, ident, version=1, **data):
    return entity, ident, version, json.dumps({"id": ident, **data}, ensure_ascii=False)


@pytest.fixture
def filled(store):
    store.catalog.put([_row("indicator", f"i{k}", k + 1, limit="≤20") for k in range(3)]
                      + [_row("standard", "GB 18401", title="国家纺织产品基本安全技术规范")])
    return store


def test_text_is_kept_exactly_as_served(store):
    text = '{"limit":"≤20",  "unit":"mg/kg"}'           # odd spacing: never re-encoded
    store.catalog.put([("indicator", "i1", 3, text)])
    assert store.catalog.text("indicator", "i1") == text
    assert store.catalog.row("indicator", "i1") == {"limit": "≤20", "unit": "mg/kg"}


def test_put_replaces_and_unknown_rows_are_none(filled):
    filled.catalog.put([_row("indicator", "i0", 9, limit="≤30")])
    assert filled.catalog.row("indicator", "i0")["limit"] == "≤30"
    assert ("i0", 9) in filled.catalog.versions("indicator")
    assert filled.catalog.row("indicator", "nope") is None and filled.catalog.text("product", "i0") is None


def test_rows_yield_the_asked_entities_by_entity_and_id(filled):
    got = list(filled.catalog.rows(("standard", "indicator")))
    assert [(e, i) for e, i, _ in got] == [("indicator", "i0"), ("indicator", "i1"), ("indicator", "i2"),
                                           ("standard", "GB 18401")]
    assert got[-1][2]["title"].startswith("国家纺织")
    assert list(filled.catalog.rows(("product",))) == []


def test_delete_and_drop(filled):
    filled.catalog.delete([("indicator", "i1"), ("indicator", "missing")])
    assert filled.catalog.counts() == {"indicator": 2, "standard": 1}
    filled.catalog.drop(["indicator"])
    assert filled.catalog.counts() == {"standard": 1}


def test_digests_match_the_protocols_digest_of_id_and_version(filled):
    digests = filled.catalog.digests()
    assert set(digests) == set(CATALOG_ENTITIES)
    assert digests["indicator"] == digest_lines([("i0", 1), ("i1", 2), ("i2", 3)])
    assert digests["product"] == digest_lines([])
    assert filled.catalog.digests(["standard"]) == {"standard": digest_lines([("GB 18401", 1)])}
