"""zhsearch.pinyin and RankedIndex: pinyin, initials, prefixes, field weights, exact keys."""
import pytest

from zhsearch.pinyin import is_pinyin_query, pinyin_keys
from zhsearch.ranked import RankedIndex, exact_key
from zhsearch.tokenize import cjk_words


@pytest.mark.parametrize("word,keys", [
    ("甲醛", ("jiaquan", "jq")),
    ("色牢度", ("selaodu", "sld")),          # 色 read "se" in this word, not "shai"
    ("绿色", ("lvse", "ls")),
    ("pH值", ("zhi", "z")),
])
def test_pinyin_keys(word, keys):
    assert pinyin_keys(word) == keys


@pytest.mark.parametrize("word", ["GB", "18401", "", "—"])
def test_no_pinyin_without_chinese(word):
    assert pinyin_keys(word) is None


@pytest.mark.parametrize("token,expected", [("jq", True), ("jiaquan", True), ("j", False),
                                            ("18401", False), ("gb18401", False), ("甲醛", False)])
def test_is_pinyin_query(token, expected):
    assert is_pinyin_query(token) is expected


def test_cjk_words_mark_the_leading_word():
    words = dict(cjk_words("总大肠菌群"))
    assert words["总大肠菌群"] is True
    assert any(not leading for w, leading in cjk_words("总大肠菌群") if w != "总大肠菌群")


@pytest.fixture(scope="module")
def index():
    ix = RankedIndex()
    ix.add("formaldehyde", [("甲醛含量", 1.0), ("国家纺织产品基本安全技术规范", 0.4)], exact=["GB 18401"])
    ix.add("coliforms", [("总大肠菌群", 1.0), ("生活饮用水卫生标准", 0.4)])
    ix.add("lead-water", [("铅", 1.0), ("生活饮用水卫生标准", 0.4)])
    ix.add("lead-food", [("铅（以Pb计）—谷物", 1.0), ("食品中污染物限量", 0.4)])
    ix.add("textile", [("GB 18401 国家纺织产品基本安全技术规范", 1.0), ("甲醛含量 pH值", 0.4, False)],
           exact=["GB 18401", "18401"])
    return ix


@pytest.mark.parametrize("query,first", [
    ("甲醛", "formaldehyde"),
    ("jiaquan", "formaldehyde"),
    ("jq", "formaldehyde"),            # 菌群 is jq too, but inside 总大肠菌群: counts less
    ("jiaq", "formaldehyde"),          # a prefix of the full pinyin while typing
    ("JiaQuan", "formaldehyde"),
    ("zdcjq", "coliforms"),
    ("qian", "lead-water"),            # shorter document wins the tie
    ("饮用水 铅", "lead-water"),
    ("GB 18401", "textile"),           # an exact key puts the standard first
    ("gb18401", "textile"),
    ("18401", "textile"),
])
def test_ranked_first(index, query, first):
    assert index.search(query)[0][0] == first


def test_field_weight_orders_name_over_context(index):
    ranked = [doc for doc, _ in index.search("甲醛")]
    assert ranked.index("formaldehyde") < ranked.index("textile")


def test_field_without_pinyin_is_not_found_by_pinyin(index):
    assert "textile" not in [doc for doc, _ in index.search("jiaquan")]


@pytest.mark.parametrize("query", ["", "   ", "电动自行车", "xyzzy"])
def test_nothing_found(index, query):
    assert index.search(query) == []


def test_scores_are_shares_and_exact_adds_two(index):
    results = dict(index.search("18401"))
    assert results["textile"] >= 2.0
    assert all(0 < s <= 1.05 for d, s in index.search("甲醛") if d != "textile")


def test_limit_and_min_score(index):
    assert len(index.search("生活饮用水卫生标准", limit=1)) == 1
    assert index.search("饮用水 甲醛 铅 电动自行车", min_score=0.99) == []


def test_bad_weight_is_refused():
    with pytest.raises(ValueError, match="0..1"):
        RankedIndex().add("x", [("甲醛", 1.5)])


@pytest.mark.parametrize("text,key", [("GB/T 8170-2008", "gbt8170-2008"), ("ＧＢ １８４０１", "gb18401")])
def test_exact_key(text, key):
    assert exact_key(text) == key
