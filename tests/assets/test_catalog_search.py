"""assets.catalog_search over the real catalog: what an officer types finds what they mean."""
from datetime import date

import pytest

import assets
from assets.catalog_search import CatalogSearch

ON = date(2026, 1, 1)


@pytest.fixture(scope="module")
def search():
    return CatalogSearch(assets.load_catalog())


def first(search, query, kind=None):
    hits = [h for h in search.search(query, on=ON) if kind is None or h.kind == kind]
    assert hits, f"nothing found for {query!r}"
    return hits[0]


def among_first(search, query, edition_id, n=3):
    """The hit of `edition_id` among the first `n` (several standards limit formaldehyde)."""
    hits = search.search(query, on=ON)[:n]
    found = [h for h in hits if h.edition_id == edition_id]
    assert found, f"{edition_id} not in the first {n} hits for {query!r}: {[h.id for h in hits]}"
    return found[0]


@pytest.mark.parametrize("query", ["甲醛", "甲醛含量", "jiaquan", "jq", "jiaq", "formaldehyde"])
def test_formaldehyde_of_gb18401_with_its_three_class_limits(search, query):
    hit = among_first(search, query, "GB 18401-2010")
    assert (hit.kind, hit.edition_id, hit.title) == ("indicator", "GB 18401-2010", "甲醛含量")
    assert [lim.text() for lim in hit.limits] == ["A类 ≤20 mg/kg", "B类 ≤75 mg/kg", "C类 ≤300 mg/kg"]
    assert hit.status == "现行" and hit.key


def test_a_product_word_puts_that_fields_formaldehyde_first(search):
    hit = first(search, "纺织 甲醛")
    assert (hit.kind, hit.edition_id, hit.title) == ("indicator", "GB 18401-2010", "甲醛含量")
    assert [lim.text() for lim in hit.limits] == ["A类 ≤20 mg/kg", "B类 ≤75 mg/kg", "C类 ≤300 mg/kg"]
    assert hit.status == "现行" and hit.key


@pytest.mark.parametrize("query", ["GB 18401", "gb18401", "18401", "GB18401-2010", "ＧＢ１８４０１"])
def test_a_standard_number_puts_the_standard_first(search, query):
    hit = first(search, query)
    assert (hit.kind, hit.id) == ("standard", "GB 18401")
    assert [(e.id, e.status) for e in hit.editions] == [("GB 18401-2010", "现行")]


def test_editions_with_status_and_replacement(search):
    hit = first(search, "GB 17761")
    assert [(e.id, e.status, e.replaced_by) for e in hit.editions] == [
        ("GB 17761-2024", "现行", None), ("GB 17761-2018", "废止", "GB 17761-2024")]
    upcoming = search.search("GB 18580", on=date(2025, 12, 1))[0]
    assert [(e.id, e.status) for e in upcoming.editions] == [("GB 18580-2025", "即将实施"),
                                                             ("GB 18580-2017", "现行")]


def test_related_standards_from_the_data(search):
    # GB 31701 says its products must meet GB 18401 too: related both ways
    assert "GB 18401" in first(search, "GB 31701").related
    assert "GB 31701" in first(search, "GB 18401").related
    assert "GB/T 2912.1" in among_first(search, "甲醛", "GB 18401-2010").test_methods


@pytest.mark.parametrize("query,title_part", [
    ("selaodu", "色牢度"),
    ("sld", "色牢度"),
    ("饮用水 铅", "铅"),
    ("qian", "铅"),
    ("婴幼儿", "婴幼儿"),
    ("电动自行车 车速", "电动自行车"),
    ("zdcjq", "大肠菌群"),
])
def test_keywords_and_pinyin(search, query, title_part):
    assert title_part in first(search, query).title


def test_clause_by_number(search):
    hit = first(search, "GB 18401 4.1")
    assert (hit.kind, hit.id) == ("clause", "GB 18401-2010 4.1")


def test_withdrawn_editions_rank_below_current_ones(search):
    hits = [h for h in search.search("总迁移量 婴幼儿", on=ON) if h.kind == "indicator"]
    states = [h.status for h in hits[:2]]
    assert states == ["现行", "废止"]


@pytest.mark.parametrize("query", ["", "xyzzy", "电饭煲"])
def test_nothing_found_is_an_empty_list(search, query):
    assert search.search(query, on=ON) == []


def test_limit(search):
    assert len(search.search("GB", on=ON, limit=3)) <= 3
