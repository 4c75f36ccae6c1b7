"""GS1 element strings: the FNC1 form `^0106901234567892…` and the bracketed (HRI) form
`(01)06901234567892(10)ABC`.

`^` stands for FNC1, as GS1's tools print it: one leading FNC1 (the GS1 marker) and an
FNC1 after every AI that is not of predefined length, unless it is the last. Scanned
data with ASCII GS (0x1D) separators and a symbology identifier (`]Q3`, `]d2`, `]C1`,
`]e0`, `]J1`) is accepted too.
"""
from __future__ import annotations

from codes.ai_table import PREDEFINED_LENGTH, AIDef, lookup, match_prefix
from codes.ai_values import validate_value
from codes.errors import CodeError, DuplicateAIError, ElementStringError, UnknownAIError

FNC1 = "^"
GS = "\x1d"
MAX_AIS = 64
GS1_SYMBOLOGY_IDS = ("]Q3", "]d2", "]C1", "]e0", "]J1")

AIPairs = list[tuple[str, str]]


def parse_element_string(text: str, *, allow_utf8: bool = False) -> dict[str, str]:
    """Return the AIs of a GS1 element string in either form, in order, as {AI: value}.

    Raises ElementStringError (syntax), UnknownAIError, AIValueError / CheckDigitError
    (a value breaks its format) or DuplicateAIError (same AI, different values).
    """
    stripped = text.strip()
    if stripped.startswith("("):
        pairs = parse_bracketed(stripped)
    else:
        pairs = parse_fnc1(stripped)
    return validate_pairs(pairs, allow_utf8=allow_utf8)


def validate_pairs(pairs: AIPairs, *, allow_utf8: bool = False) -> dict[str, str]:
    """Validate each (AI, value) and fold them into an ordered dict.

    An AI repeated with the same value is kept once (GS1 tolerates it); with another
    value it raises DuplicateAIError. Raises the errors of `validate_value` too.
    """
    if len(pairs) > MAX_AIS:
        raise ElementStringError(f"AI 太多：{len(pairs)} 个，最多 {MAX_AIS} 个 (too many AIs)")
    result: dict[str, str] = {}
    for ai, value in pairs:
        definition = lookup(ai)
        validate_value(definition, value, allow_utf8=allow_utf8)
        if ai in result and result[ai] != value:
            raise DuplicateAIError(
                f"AI ({ai}) 重复出现且值不同：{result[ai]!r} 与 {value!r} (repeated AI with different values)",
                ai=ai)
        result[ai] = value
    return result


def parse_bracketed(text: str) -> AIPairs:
    """Split a bracketed element string "(01)…(10)…" into (AI, value) pairs; a literal
    "(" inside a value is written "\\(". Raises ElementStringError, UnknownAIError."""
    pairs: AIPairs = []
    i, n = 0, len(text)
    if not text.startswith("("):
        raise ElementStringError("括号形式的元素串应以 '(' 开头 (must start with an AI in brackets)", position=0)
    while i < n:
        close = text.find(")", i + 1)
        if close < 0:
            raise ElementStringError(f"第 {i + 1} 个字符处的 AI 缺少 ')' (unterminated AI)", position=i)
        ai = text[i + 1:close]
        if not (ai.isascii() and ai.isdigit()) or not 2 <= len(ai) <= 4:
            raise ElementStringError(
                f"第 {i + 1} 个字符处的 AI ({ai}) 应为 2–4 位数字 (AI must be 2-4 digits)", position=i)
        lookup(ai)
        j = close + 1
        value = []
        while j < n and text[j] != "(":
            if text[j] == "\\" and j + 1 < n and text[j + 1] == "(":
                value.append("(")
                j += 2
                continue
            value.append(text[j])
            j += 1
        if not value:
            raise ElementStringError(f"AI ({ai}) 的值为空 (empty value)", ai=ai, position=close + 1)
        pairs.append((ai, "".join(value)))
        i = j
    return pairs


def _strip_symbology(text: str) -> str:
    for sid in GS1_SYMBOLOGY_IDS:
        if text.startswith(sid):
            return FNC1 + text[len(sid):]
    return text


def parse_fnc1(text: str) -> AIPairs:
    """Split an FNC1 element string "^01…^10…" (or GS-separated scan data) into pairs.

    Raises ElementStringError if it does not start with FNC1 or an AI has no value,
    UnknownAIError for an AI not in the table.
    """
    data = _strip_symbology(text).replace(GS, FNC1)
    if not data.startswith(FNC1):
        raise ElementStringError("元素串应以 FNC1 ('^') 开头 (element string must start with FNC1 '^')", position=0)
    pairs: AIPairs = []
    pos = 1
    while pos < len(data):
        if data[pos] == FNC1:          # superfluous FNC1: tolerated
            pos += 1
            continue
        definition = match_prefix(data[pos:pos + 4])
        if definition is None:
            raise UnknownAIError(
                f"第 {pos + 1} 个字符处没有已知的 AI：{data[pos:pos + 4]!r} (no known AI here)",
                position=pos)
        start = pos + len(definition.ai)
        if definition.predefined_length:
            end = start + PREDEFINED_LENGTH[definition.ai[:2]] - len(definition.ai)
            end = min(end, len(data))
        else:
            end = data.find(FNC1, start)
            end = len(data) if end < 0 else end
        value = data[start:end]
        if not value:
            raise ElementStringError(f"AI ({definition.ai}) 的值为空 (empty value)",
                                     ai=definition.ai, position=start)
        pairs.append((definition.ai, value))
        pos = end
    if not pairs:
        raise ElementStringError("元素串中没有 AI (no AIs after FNC1)")
    return pairs


def build_element_string(ais: dict[str, str] | AIPairs) -> str:
    """Return the FNC1 form "^01…10ABC^21…" for AIs in the given order (no validation)."""
    items = list(ais.items()) if isinstance(ais, dict) else list(ais)
    out = [FNC1]
    for index, (ai, value) in enumerate(items):
        out.append(ai + value)
        if index < len(items) - 1 and _definition_or_none(ai) is not None and lookup(ai).fnc1_required:
            out.append(FNC1)
    return "".join(out)


def build_bracketed(ais: dict[str, str] | AIPairs) -> str:
    """Return the bracketed form "(01)…(10)…", escaping "(" in values as "\\("."""
    items = ais.items() if isinstance(ais, dict) else ais
    return "".join(f"({ai}){value.replace('(', chr(92) + '(')}" for ai, value in items)


def to_scan_data(ais: dict[str, str]) -> str:
    """Return the element string as a barcode carries it after the FNC1 mode indicator:
    no leading FNC1 and ASCII GS (0x1D) as separator."""
    return build_element_string(ais)[1:].replace(FNC1, GS)


def _definition_or_none(ai: str) -> AIDef | None:
    try:
        return lookup(ai)
    except CodeError:
        return None
