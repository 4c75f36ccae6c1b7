"""Legal labels: where 违法, 涉嫌, 擅自, 非法 … occur, so the tablet can warn the officer; the
generator's own wording never contains one."""
from dataclasses import replace

import pytest
from document_samples import sample

from documents import LEGAL_LABELS, check_record, find_legal_labels, onsite_record
from documents.model import Finding, Order


@pytest.mark.parametrize("word", ["违法", "涉嫌", "擅自", "非法", "假冒", "伪劣"])
def test_each_label_is_found_where_it_is(word):
    text = f"当事人{word}销售该批产品。"
    (hit,) = find_legal_labels(text)
    assert (hit.word, hit.start, hit.end) == (word, 3, 5)
    assert text[hit.start:hit.end] == word and word in hit.context and hit.reason == LEGAL_LABELS[word]


@pytest.mark.parametrize("text", ["", None, "现场检查甲醛含量，测得值25 mg/kg，不符合该项要求。",
                                  "当事人为非法人组织，负责人在场。", "合法经营，证照齐全。"])
def test_clean_text_and_legal_terms_give_no_hit(text):
    assert find_legal_labels(text) == ()


def test_several_hits_come_in_order_and_overlap_none():
    text = "涉嫌擅自生产，属非法人组织之外的非法行为，违法所得待查"
    assert [(h.word, h.start) for h in find_legal_labels(text)] == [
        ("涉嫌", 0), ("擅自", 2), ("非法", 16), ("违法", 21)]


def test_check_record_names_the_field_of_each_hit():
    record, _ = sample(findings=2)
    record = replace(record, situation="店内陈列商品。\n该店涉嫌销售不合格产品。",
                     findings=(record.findings[0], replace(record.findings[1], note="擅自更改吊牌")),
                     orders=(Order("停止违法行为"),), party_opinion="我们不是非法经营")
    hits = check_record(record)
    assert [(h.field, h.word) for h in hits] == [
        ("situation", "涉嫌"), ("party_opinion", "非法"), ("findings[1].note", "擅自"), ("orders[0].text", "违法")]
    assert record.situation[hits[0].start:hits[0].end] == "涉嫌"


def test_a_clean_record_has_no_hit_and_its_printed_record_none_either():
    record, images = sample(findings=6, photos=3, refused=True, long_text=2)
    assert check_record(record) == ()
    printed = "".join(t for page in onsite_record(record, images).pages for t in page.texts())
    assert find_legal_labels(printed) == ()


def test_the_generator_prints_what_the_officer_wrote_even_with_a_label():
    record, images = sample(findings=1, photos=0)
    record = replace(record, findings=(Finding("甲醛含量", "≤20", "25", "fail", note="涉嫌超标"),))
    printed = "".join(t for page in onsite_record(record, images).pages for t in page.texts())
    assert "涉嫌超标" in printed
