"""GTIN-8/12/13/14 (EAN/UPC) check digits and normalisation to GTIN-14.

The GS1 mod-10 check digit (weights 3,1,3,… from the rightmost data digit) is computed
with python-stdnum (`stdnum.ean`), which implements exactly that algorithm.
"""
from __future__ import annotations

from stdnum import ean as _ean
from stdnum.exceptions import ValidationError as _StdnumError

from codes.errors import CheckDigitError, GTINError

GTIN_LENGTHS = (8, 12, 13, 14)
CHINA_PREFIXES = tuple(str(p) for p in range(690, 700))   # GS1 China: 690–699


def check_digit(body: str) -> str:
    """Return the GS1 mod-10 check digit for the digits `body` (without its check digit).

    Raises GTINError if `body` is empty or not all ASCII digits.
    """
    if not body or not (body.isascii() and body.isdigit()):
        raise GTINError(f"校验位只能对数字计算：{body!r} (check digit needs digits only)")
    try:
        return _ean.calc_check_digit(body)
    except _StdnumError as exc:  # pragma: no cover - guarded above
        raise GTINError(f"无法计算校验位：{body!r} (cannot compute check digit)") from exc


def verify_check_digit(digits: str, *, what: str = "GTIN", ai: str | None = None,
                       position: int | None = None) -> None:
    """Check the last digit of `digits` against the GS1 mod-10 check digit.

    Raises CheckDigitError naming the expected and the actual digit.
    """
    expected = check_digit(digits[:-1])
    actual = digits[-1]
    if expected != actual:
        raise CheckDigitError(
            f"{what} 校验位错误：应为 {expected}，实为 {actual} "
            f"(check digit should be {expected}, got {actual}): {digits}",
            expected=expected, actual=actual, ai=ai, position=position, key="check_digit",
            params={"what": what, "expected": expected, "actual": actual, "value": digits})


def validate_gtin(code: str) -> str:
    """Return `code` (stripped) if it is a valid GTIN-8, -12, -13 or -14.

    Raises GTINError for a wrong length or a non-digit, CheckDigitError for a wrong
    check digit.
    """
    text = code.strip()
    if not (text.isascii() and text.isdigit()):
        bad = next((i for i, ch in enumerate(text) if not (ch.isascii() and ch.isdigit())), 0)
        raise GTINError(
            f"GTIN 只能包含数字：第 {bad + 1} 个字符 {text[bad:bad + 1]!r} 不是数字 "
            f"(GTIN must be digits only)", position=bad, key="gtin_digits",
            params={"position": bad + 1, "char": text[bad:bad + 1]})
    if len(text) not in GTIN_LENGTHS:
        raise GTINError(
            f"GTIN 长度错误：应为 8、12、13 或 14 位，实为 {len(text)} 位 "
            f"(GTIN must have 8, 12, 13 or 14 digits, got {len(text)})", key="gtin_length",
            params={"length": len(text)})
    verify_check_digit(text)
    return text


def gtin14(code: str) -> str:
    """Return the 14-digit form of a valid GTIN-8/12/13/14 (left-padded with zeros).

    Raises GTINError / CheckDigitError as `validate_gtin`.
    """
    return validate_gtin(code).rjust(14, "0")


def make_gtin(body: str) -> str:
    """Return `body` (7, 11, 12 or 13 data digits) followed by its check digit."""
    if len(body) + 1 not in GTIN_LENGTHS:
        raise GTINError(f"GTIN 数据位长度错误：{len(body)} 位 (wrong number of data digits)")
    return body + check_digit(body)


def china_prefix(code: str) -> bool:
    """Return True if the GTIN (any length) carries a GS1 China prefix 690–699.

    The prefix is read from the GTIN-13 inside the GTIN-14 (the digits after the
    indicator digit), so "06901234567892" and "6901234567892" are both Chinese.
    GTIN-8 and GTIN-12 (UPC) are never reported as Chinese.
    """
    text = code.strip()
    if len(text) == 14:
        if text.startswith("0"):
            text = text[1:]
        else:  # indicator digit 1–9: the GS1 prefix follows it
            return text[1:4] in CHINA_PREFIXES
    return len(text) == 13 and text[:3] in CHINA_PREFIXES
