"""Chinese-aware tokens for indexing and search.

A text gives: jieba search-mode words, character bigrams of every CJK run, lower-cased
ASCII words, and normalised standard numbers (so "GB18401", "gb 18401", "GB 18401-2010"
and "18401" meet on the token "18401", and on "gb18401" when a prefix is written).
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata

__all__ = ["DOMAIN_WORDS", "cjk_words", "normalise", "tokens"]

# Words jieba's general dictionary splits badly in standards text.
DOMAIN_WORDS = (
    "电动自行车", "饮用水", "色牢度", "邻苯二甲酸酯", "芳香胺", "甲醛释放量", "婴幼儿", "菌落总数",
    "大肠埃希氏菌", "总大肠菌群", "浑浊度", "溶解性总固体", "高锰酸盐指数", "人造板", "可迁移元素",
    "总迁移量", "高锰酸钾消耗量", "车速", "整车质量", "标称电压", "食品接触", "污染物限量",
)
_STOP = frozenset(["的", "和", "及", "与", "或", "中", "等", "其", "之", "为", "对", "在", "以", "由", "了", "是", "（", "）", "(", ")", "、", "，", ",", "。", "：", ":", "；", ";", "—", "-", "/", "·", "~", "≤", "≥", "<", ">", "="])

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ASCII_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)*")
# A standard number: optional prefix (gb, gb/t, hg/t ...), number (+ .part), optional year.
_STD_NUMBER = re.compile(
    r"(?<![a-z])([a-z]{1,4}(?:\s*/\s*[tz])?)?\s*(\d{3,6}(?:\.\d+)?)(?:\s*[-—–]\s*(\d{2,4}))?(?![\d.])")


def normalise(text: str) -> str:
    """Return NFKC-normalised, lower-cased text (full-width letters/digits become ASCII)."""
    return unicodedata.normalize("NFKC", text).lower()


@functools.cache
def _tokenizer():
    import jieba  # noqa: PLC0415 — loaded once, on the first search (its import and dictionary are slow)

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in DOMAIN_WORDS:
        tk.add_word(word, freq=200000)
    return tk


def _standard_number_tokens(text: str) -> list[str]:
    out: list[str] = []
    for m in _STD_NUMBER.finditer(text):
        prefix, number, year = m.group(1), m.group(2), m.group(3)
        if prefix is None and len(number.split(".")[0]) < 4 and not year:
            continue  # a bare short number is no standard number
        base = number.split(".")[0]
        found = [number]
        if base != number:
            found.append(base)
        if prefix:
            p = re.sub(r"[\s/]", "", prefix)
            found += [p + number, p + base] if base != number else [p + number]
        if year:
            found.append(f"{number}-{year}")
        out += found
    return out


def tokens(text: str) -> list[str]:
    """Return the search tokens of `text` (order kept, duplicates kept for term counts).

    Raises nothing; jieba loads its dictionary on first use (about a second).
    """
    if not text:
        return []
    norm = normalise(text)
    out: list[str] = _standard_number_tokens(norm)
    for m in _ASCII_WORD.finditer(_CJK_RUN.sub(" ", norm)):
        out.append(m.group())
    for run in _CJK_RUN.findall(norm):
        words = [w for w in _tokenizer().cut_for_search(run, HMM=True) if w.strip() and w not in _STOP]
        out += words
        if len(run) == 1:
            if run not in _STOP and run not in words:
                out.append(run)
            continue
        out += [run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in words]
    return out


def cjk_words(text: str) -> list[tuple[str, bool]]:
    """Return (word, starts its run) for every Chinese run of `text` and every jieba
    search-mode word inside it (no bigrams): what pinyin initials are made from. Raises nothing."""
    out: list[tuple[str, bool]] = []
    for run in _CJK_RUN.findall(normalise(text or "")):
        out.append((run, True))
        if len(run) > 1:
            out += [(w, start == 0) for w, start, _ in _tokenizer().tokenize(run, mode="search")
                    if w != run and w not in _STOP]
    return out
