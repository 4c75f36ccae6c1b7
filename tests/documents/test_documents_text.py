"""Line breaking: nothing wider than the line, Latin runs and numbers with their units kept
whole, the punctuation rules (避头尾), every character kept."""
import pytest

from documents.fonts import metrics
from documents.text import NO_END, NO_START, justify_spacing, wrap

TEXTS = [
    ("抽取婴儿连体衣（货号XS-2301，批号20250501）1件，现场检测甲醛含量，依据GB 18401-2010第5.1条A类要求，"
    "测得值25\u00a0mg/kg，要求≤20\u00a0mg/kg。当事人称该批产品系2025年5月从上海某服饰有限公司购进，共计120件。"),
    "（一）“样品”：《说明书》【附件】，见照片。。。！？",
    "a" * 80 + "中文" + "9" * 50,
    "短",
]


@pytest.mark.parametrize("width", [25.0, 41.0, 60.0, 156.0])
@pytest.mark.parametrize("text", TEXTS)
def test_lines_fit_and_keep_every_character(text, width):
    lines = wrap(text, 12.0, width)
    font = metrics()
    assert all(font.width(line.text, 12.0) <= width + 1e-6 for line in lines)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    assert lines[-1].full is False and all(line.full for line in lines[:-1])


@pytest.mark.parametrize("width", [30.0, 47.0, 61.0])
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(width):
    text = "检查项目：甲醛含量（GB 18401-2010第5.1条），要求（A类）：≤20，现场测得：25；结果：不符合。" * 3
    lines = [line.text for line in wrap(text, 12.0, width)]
    assert not any(line[0] in NO_START for line in lines[1:])
    assert not any(line[-1] in NO_END for line in lines)


def test_a_number_keeps_its_unit_and_a_standard_number_stays_whole():
    text = "测得值为" * 5 + "25\u00a0mg/kg，依据GB/T 2912.1-2009"
    for width in (30.0, 33.0, 45.0, 70.0):       # wider than "2912.1-2009" (26 mm)
        joined = [line.text for line in wrap(text, 12.0, width)]
        assert any("25\u00a0mg/kg" in line for line in joined)
        assert any("2912.1-2009" in line for line in joined)


def test_paragraphs_break_at_newlines_and_the_first_line_can_be_shorter():
    lines = wrap("第一段\n第二段第二段第二段第二段", 12.0, 30.0, first_width=10.0)
    assert [line.text for line in lines][:2] == ["第一", "段"]
    assert lines[1].full is False and lines[2].text.startswith("第二段")


def test_empty_text_is_one_empty_line():
    assert [line.text for line in wrap("", 12.0, 50.0)] == [""]


def test_full_lines_are_justified_and_the_last_is_not():
    lines = wrap("现场负责人刘芳提供了该批次产品的进货单据复印件2页，单据显示供货方为上海某服饰有限公司。", 12.0, 50.0)
    spacing = justify_spacing(lines[0], 50.0, 12.0)
    assert spacing >= 0
    assert abs(lines[0].width + spacing * (len(lines[0].text) - 1) - 50.0) < 1e-6 or spacing == 0
    assert justify_spacing(lines[-1], 50.0, 12.0) == 0.0
