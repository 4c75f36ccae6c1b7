"""zhsearch: tokens, score and the in-memory Index, with real Chinese."""
import pytest

from zhsearch import Index, score, tokens


@pytest.mark.parametrize("text", ["GB18401", "gb 18401", "GB 18401-2010", "18401", "ＧＢ１８４０１"])
def test_standard_numbers_meet_on_a_common_token(text):
    assert "18401" in tokens(text)


def test_prefixed_number_token_and_dotted_parts():
    assert "gb18401" in tokens("GB18401") and "gb18401" in tokens("gb 18401")
    assert {"4806.7", "4806", "gb4806.7"} <= set(tokens("GB 4806.7-2023"))
    assert "gbt8170" in tokens("GB/T 8170-2008")


def test_chinese_words_and_bigrams():
    toks = tokens("电动自行车最高设计车速")
    assert "电动自行车" in toks and "车速" in toks
    assert "高设" in toks  # bigram across a word boundary


def test_single_character_query_and_ascii():
    assert "铅" in tokens("铅")
    assert "ph" in tokens("pH值")
    assert tokens("") == []


def test_score_full_partial_none():
    doc = tokens("生活饮用水卫生标准 铅")
    assert score("饮用水 铅", doc) == pytest.approx(1.0)
    assert 0 < score("饮用水 汞", doc) < 1
    assert score("电动自行车", doc) == 0.0


@pytest.fixture(scope="module")
def index():
    ix = Index()
    docs = {
        "GB 18401/formaldehyde": "甲醛含量 GB 18401-2010 国家纺织产品基本安全技术规范",
        "GB 18401/ph": "pH值 GB 18401-2010 国家纺织产品基本安全技术规范",
        "GB 17761/max-speed": "最高设计车速 GB 17761-2024 电动自行车安全技术规范",
        "GB 17761/mass": "整车质量 GB 17761-2024 电动自行车安全技术规范",
        "GB 5749/lead": "铅 GB 5749-2022 生活饮用水卫生标准",
        "GB 5749/arsenic": "砷 GB 5749-2022 生活饮用水卫生标准",
        "GB 2762/lead": "铅（以Pb计）—谷物 GB 2762-2022 食品安全国家标准 食品中污染物限量",
    }
    for k, v in docs.items():
        ix.add(k, v)
    return ix


@pytest.mark.parametrize("query,first", [
    ("甲醛", "GB 18401/formaldehyde"),
    ("电动自行车 车速", "GB 17761/max-speed"),
    ("饮用水 铅", "GB 5749/lead"),
    ("gb18401 ph", "GB 18401/ph"),
])
def test_index_ranks_the_right_document_first(index, query, first):
    assert index.search(query)[0] == first


def test_index_misses_and_limits(index):
    assert index.search("冰箱能效") == []
    assert len(index.search("GB", limit=2)) <= 2


def test_index_replace_and_remove():
    ix = Index()
    ix.add("a", "甲醛")
    ix.add("a", "车速")
    assert ix.search("甲醛") == [] and ix.search("车速") == ["a"]
    ix.remove("a")
    assert len(ix) == 0 and ix.search("车速") == []
