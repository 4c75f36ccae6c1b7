"""统一社会信用代码 (unified social credit code, GB 32100-2015), checked with python-stdnum.

    validate_credit_code(" 91110105ma01abcd0x ") -> "91110105MA01ABCD0X"   # or raises CreditCodeError

The code has 18 characters from "0-9A-Z" without I, O, Z, S, V; the last one is a check
character over the first 17 (`stdnum.cn.uscc` implements the standard's algorithm).
"""
from __future__ import annotations

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum as _InvalidChecksum
from stdnum.exceptions import InvalidLength as _InvalidLength
from stdnum.exceptions import ValidationError as _ValidationError

from codes.errors import CodeError


class CreditCodeError(CodeError):
    """A 统一社会信用代码 is malformed; `expected` holds the right check character when only
    the check character is wrong (else None)."""

    def __init__(self, message: str, *, expected: str | None = None):
        super().__init__(message)
        self.expected = expected


def validate_credit_code(text: str) -> str:
    """Return the normalised (upper-case, no spaces) 18-character credit code.

    Raises CreditCodeError saying what is wrong: the length, a character outside the
    standard's set, or the check character (naming the one expected).
    """
    code = str(text).strip().upper().replace(" ", "")
    try:
        return _uscc.validate(code)
    except _InvalidLength as exc:
        raise CreditCodeError(f"统一社会信用代码应为18位，实为{len(code)}位：{text} "
                              f"(a credit code has 18 characters, this has {len(code)})") from exc
    except _InvalidChecksum as exc:
        expected = _uscc.calc_check_digit(code[:17])
        raise CreditCodeError(f"统一社会信用代码校验码错误：应为 {expected}，实为 {code[17]}（GB 32100-2015）：{text} "
                              f"(check character should be {expected})", expected=expected) from exc
    except _ValidationError as exc:
        raise CreditCodeError(f"统一社会信用代码含不允许的字符（不使用 I、O、Z、S、V）或格式错误：{text} "
                              f"(invalid characters or format)") from exc
