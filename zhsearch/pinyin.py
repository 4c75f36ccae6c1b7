"""Pinyin keys of Chinese text, so an officer can type 甲醛 as `jiaquan` or `jq`.

Each Chinese word gives two keys: its full pinyin without tones (`jiaquan`) and its
initials (`jq`). pypinyin picks the reading of polyphonic characters from its phrase
dictionary (色牢度 → `selaodu`); ü is written `v` as on a pinyin keyboard (绿 → `lv`).
"""
from __future__ import annotations

import functools
import re

__all__ = ["is_pinyin_query", "pinyin_keys"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTERS = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=65536)
def pinyin_keys(word: str) -> tuple[str, str] | None:
    """Return (full pinyin, initials) of a word holding Chinese characters, lower case,
    other characters dropped; None when the word has no Chinese character. Raises nothing."""
    if not _CJK.search(word):
        return None
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 — its dictionaries take seconds to load: only when a word has Chinese

    syllables = [s for s in lazy_pinyin(word, errors="ignore") if _LETTERS.fullmatch(s)]
    if not syllables:
        return None
    initials = "".join(s[0] for s in lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
                       if _LETTERS.fullmatch(s))
    return "".join(syllables), initials


def is_pinyin_query(token: str) -> bool:
    """True when a query token could be pinyin: two or more ASCII letters only."""
    return len(token) >= 2 and _LETTERS.fullmatch(token) is not None
