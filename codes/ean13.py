"""EAN-13 bar patterns (GB 12904 / GS1 General Specifications 5.2): pure, no images.

`modules(code)` returns the 95 modules of the symbol as a string of "1" (bar) and "0"
(space); `codes.render` draws them.
"""
from __future__ import annotations

from codes.errors import GTINError
from codes.gtin import validate_gtin

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_G = tuple(p.translate(str.maketrans("01", "10"))[::-1] for p in _L)
_R = tuple(p.translate(str.maketrans("01", "10")) for p in _L)
# Parity of the six left-hand digits (L or G) chosen by the first digit.
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def modules(code: str) -> str:
    """Return the 95-module pattern of a valid EAN-13 (or GTIN-14 with leading 0).

    Raises GTINError / CheckDigitError for an invalid code.
    """
    text = validate_gtin(code)
    if len(text) == 14 and text.startswith("0"):
        text = text[1:]
    if len(text) != 13:
        raise GTINError(f"EAN-13 需要 13 位数字，实为 {len(text)} 位 (EAN-13 needs 13 digits)")
    first, left, right = int(text[0]), text[1:7], text[7:]
    parts = ["101"]
    for parity, digit in zip(_PARITY[first], left):
        parts.append((_L if parity == "L" else _G)[int(digit)])
    parts.append("01010")
    parts.extend(_R[int(d)] for d in right)
    parts.append("101")
    return "".join(parts)


def guard_positions() -> frozenset[int]:
    """Module indexes of the start, centre and end guards (drawn longer)."""
    return frozenset([0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94])
