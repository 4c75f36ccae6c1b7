"""统一社会信用代码 checks (GB 32100-2015 through python-stdnum)."""
from __future__ import annotations

import pytest

from codes import CodeError, CreditCodeError, validate_credit_code

GOOD = "91110105MA0000001"


def _valid() -> str:
    from stdnum.cn import uscc
    return GOOD + uscc.calc_check_digit(GOOD)


def test_normalises_case_and_spaces():
    code = _valid()
    assert validate_credit_code(f" {code[:9].lower()} {code[9:]} ") == code


@pytest.mark.parametrize("text, words", [
    ("91110105MA000000", "18位"),
    ("9111010SMA00000010", "不允许的字符"),
])
def test_malformed(text, words):
    with pytest.raises(CreditCodeError, match=words):
        validate_credit_code(text)


def test_wrong_check_character_names_the_right_one():
    code = _valid()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(CodeError) as caught:
        validate_credit_code(wrong)
    assert caught.value.expected == code[17]
    assert f"应为 {code[17]}" in caught.value.message
