"""Validation and interpretation of one AI value against its format in the AI table."""
from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from codes.ai_table import AIDef, Component
from codes.errors import AIValueError
from codes.gtin import verify_check_digit

# GS1 AI encodable character set 82 (GS1 General Specifications figure 7.11-1).
CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
# GS1 AI encodable character set 39 (figure 7.11-2).
CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CHARSET_NAMES = {"N": "数字 (digits)", "X": "GS1 字符集 82 (CSET 82)", "Y": "GS1 字符集 39 (CSET 39)"}


def _allowed(charset: str, ch: str, allow_utf8: bool) -> bool:
    if charset == "N":
        return ch.isascii() and ch.isdigit()
    if charset == "Y":
        return ch in CSET39
    if ch in CSET82:
        return True
    # Lenient mode: any printable non-ASCII character (e.g. a Chinese batch number).
    return allow_utf8 and not ch.isascii() and ch.isprintable()


def split_components(definition: AIDef, value: str) -> list[tuple[Component, str, int]]:
    """Cut `value` into its components; return (component, text, offset) triples.

    Raises AIValueError if the value is empty, too short or too long.
    """
    ai = definition.ai
    if not value:
        raise AIValueError(f"AI ({ai}) 的值为空 (empty value)", ai=ai)
    parts, pos = [], 0
    for comp in definition.components:
        rest = len(value) - pos
        if rest == 0 and comp.optional:
            break
        take = comp.max_len if comp.min_len == comp.max_len else min(rest, comp.max_len)
        if rest < comp.min_len or (comp.min_len == comp.max_len and rest < take):
            raise AIValueError(
                f"AI ({ai}) 的值太短：格式 {definition.format}，实为 {len(value)} 个字符 "
                f"(value too short for {definition.format}): {value!r}", ai=ai)
        parts.append((comp, value[pos:pos + take], pos))
        pos += take
    if pos < len(value):
        raise AIValueError(
            f"AI ({ai}) 的值太长：格式 {definition.format}，最多 {definition.max_length} 个字符，"
            f"实为 {len(value)} 个 (value too long for {definition.format}): {value!r}", ai=ai)
    return parts


def validate_value(definition: AIDef, value: str, *, allow_utf8: bool = False) -> None:
    """Check `value` against the AI's format: lengths, character sets and content checks.

    `allow_utf8` also accepts printable non-ASCII characters in X components (outside
    GS1; used for Chinese batch numbers in lenient mode).
    Raises AIValueError (or CheckDigitError, a CodeError) saying what and where.
    """
    ai = definition.ai
    for comp, text, offset in split_components(definition, value):
        for i, ch in enumerate(text):
            if not _allowed(comp.charset, ch, allow_utf8):
                raise AIValueError(
                    f"AI ({ai}) 第 {offset + i + 1} 个字符 {ch!r} 不在允许的字符集"
                    f"（{_CHARSET_NAMES[comp.charset]}）内 (invalid character)", ai=ai,
                    position=offset + i)
        if comp.check:
            _run_check(ai, comp.check, text)


def _run_check(ai: str, check: str, text: str) -> None:
    if check == "csum":
        verify_check_digit(text, what=f"AI ({ai})", ai=ai)
    elif check in ("yymmd0", "yymmdd"):
        _check_date(ai, text, allow_day_zero=(check == "yymmd0"))
    elif check == "hhmi":
        _check_range(ai, text[:2], 0, 23, "小时 (hour)")
        _check_range(ai, text[2:], 0, 59, "分钟 (minute)")
    elif check == "hh":
        _check_range(ai, text, 0, 23, "小时 (hour)")
    elif check in ("mi", "ss"):
        _check_range(ai, text, 0, 59, "分钟或秒 (minute/second)")
    elif check == "zero":
        if text != "0":
            raise AIValueError(f"AI ({ai}) 的首位应为 0 (must be zero): {text}", ai=ai)
    elif check == "nozeroprefix":
        if len(text) > 1 and text.startswith("0"):
            raise AIValueError(f"AI ({ai}) 的值不得以 0 开头 (no leading zero): {text}", ai=ai)
    elif check == "pieceoftotal":
        piece, total = int(text[:2]), int(text[2:])
        if piece == 0 or total == 0 or piece > total:
            raise AIValueError(f"AI ({ai}) 的件号/总件数无效 (invalid piece of total): {text}", ai=ai)
    elif check in ("iso3166", "iso3166list") and len(text) % 3:
        raise AIValueError(
            f"AI ({ai}) 的国家代码应为 3 位数字的整数倍 (country codes are N3 each): {text}", ai=ai)


def _check_range(ai: str, text: str, low: int, high: int, what: str) -> None:
    if not (low <= int(text) <= high):
        raise AIValueError(f"AI ({ai}) 的{what}超出范围 {low}–{high}：{text} (out of range)", ai=ai)


def gs1_year(yy: int, today: date | None = None) -> int:
    """Return the four-digit year for a two-digit YY by the GS1 rule (General
    Specifications 7.12): within -49..+50 years of the current year."""
    current = (today or date.today()).year
    century = current - current % 100
    diff = yy - current % 100
    if diff >= 51:
        century -= 100
    elif diff <= -50:
        century += 100
    return century + yy


def _check_date(ai: str, text: str, *, allow_day_zero: bool) -> None:
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    if not 1 <= mm <= 12:
        raise AIValueError(f"AI ({ai}) 的日期月份无效：{text[2:4]} (invalid month in YYMMDD {text})", ai=ai)
    if dd == 0 and allow_day_zero:
        return
    last = calendar.monthrange(gs1_year(yy), mm)[1]
    if not 1 <= dd <= last:
        raise AIValueError(
            f"AI ({ai}) 的日期无效：{text}，该月只有 {last} 天 (invalid day in YYMMDD)", ai=ai)


def interpret(definition: AIDef, value: str) -> str | None:
    """Return a human value for a valid AI value, or None when the raw value is all.

    Dates YYMMDD -> "2025-07-01" (day 00 -> "2025-07"); 310n etc. -> Decimal string with
    the implied decimal point ("000195" in 3103 -> "0.195"); 7003 / 8008 -> ISO date-time.
    """
    if definition.decimal_unit is not None:
        decimals = int(definition.ai[-1])
        return str(Decimal(int(value)).scaleb(-decimals))
    checks = [c.check for c in definition.components]
    if checks and checks[0] in ("yymmd0", "yymmdd") and len(value) >= 6:
        year = gs1_year(int(value[:2]))
        text = f"{year:04d}-{value[2:4]}" + ("" if value[4:6] == "00" else f"-{value[4:6]}")
        rest = value[6:]
        if definition.ai == "7003":
            text += f"T{rest[:2]}:{rest[2:4]}"
        elif definition.ai == "8008":
            text += f"T{rest[:2]}:{rest[2:4] or '00'}" + (f":{rest[4:6]}" if rest[4:6] else "")
        elif definition.ai == "7007" and rest:
            end = gs1_year(int(rest[:2]))
            text += f"/{end:04d}-{rest[2:4]}-{rest[4:6]}"
        return text
    return None
