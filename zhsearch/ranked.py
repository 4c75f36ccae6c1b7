"""A fielded, ranked in-memory index: Chinese words, standard numbers, pinyin and initials.

    ix = RankedIndex()
    ix.add("ind:1", [("甲醛含量", 1.0), ("国家纺织产品基本安全技术规范", 0.4)], exact=["gb18401"])
    ix.search("jiaquan")      # [("ind:1", 1.0)]

A document is a list of (text, weight) fields; weights are 0..1 (a title or name 1.0,
context such as the parent standard's title less). A query's tokens (`zhsearch.tokens`)
each match a document through the token itself or, for a token of letters, through the
full pinyin, the initials (of a whole name, or of a word in it, counted a little less),
or a prefix of the full pinyin (`jiaq` while typing). The score
is the rarity-weighted share of the query found, each token counted at the weight of the
best field it was found in (0..1, times the document's boost). A query equal to an
`exact` key of a document (a standard number written any way) puts that document first.
"""
from __future__ import annotations

import bisect
import heapq
import math
import re
from collections.abc import Iterable, Sequence

from zhsearch.index import token_weight
from zhsearch.pinyin import is_pinyin_query, pinyin_keys
from zhsearch.tokenize import cjk_words, normalise, tokens

__all__ = ["RankedIndex", "exact_key"]

_PY, _PI, _EXACT = "py:", "pi:", "="
_PREFIX_WEIGHT = 0.8          # a prefix of the pinyin counts a little less than the whole
_EXACT_SCORE = 2.0
_INNER_INITIALS = 0.9       # initials of a word inside a longer name (菌群 in 总大肠菌群)
_SQUASH = re.compile(r"[\s/]+")


def exact_key(text: str) -> str:
    """Return the form used for exact matches: normalised, spaces and slashes removed
    ("GB/T 8170-2008" → "gbt8170-2008")."""
    return _SQUASH.sub("", normalise(text))


def _is_cjk(token: str) -> bool:
    return not token[:1].isascii()


class RankedIndex:
    """Documents added once (add), then searched many times (search); not thread-safe
    for writes, safe for concurrent searches once built."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = {}
        self._ids: list[str] = []
        self._boost: list[float] = []
        self._length: list[int] = []
        self._pinyin_sorted: list[str] | None = None
        self._memo: dict[str, tuple[list[str], list[str], list[tuple[str, float]]]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def _post(self, key: str, doc: int, weight: float) -> None:
        docs = self._postings.setdefault(key, {})
        if docs.get(doc, 0.0) < weight:
            docs[doc] = weight

    def _analyse(self, text: str) -> tuple[list[str], list[str], list[tuple[str, float]]]:
        """Return (tokens, pinyin keys, (initials key, factor)) of a field text, memoised:
        catalog texts repeat (an edition's title is the context of all its indicators)."""
        found = self._memo.get(text)
        if found is None:
            toks = tokens(text)
            full = [_PY + keys[0] for keys in map(pinyin_keys, filter(_is_cjk, toks)) if keys]
            initials = [(_PI + keys[1], 1.0 if leading else _INNER_INITIALS)
                        for word, leading in cjk_words(text) if len(word) > 1
                        for keys in (pinyin_keys(word),) if keys]
            found = self._memo[text] = (toks, full, initials)
        return found

    def add(self, doc_id: str, fields: Sequence[tuple[str, float] | tuple[str, float, bool]], *,
            boost: float = 1.0, exact: Iterable[str] = ()) -> None:
        """Index a document: `fields` as (text, weight 0..1[, with pinyin: default True]),
        `boost` multiplies its score, `exact` are keys a whole query may equal (see
        exact_key). Raises ValueError for a weight outside 0..1."""
        doc = len(self._ids)
        length = 0
        for text, weight, *options in fields:
            with_pinyin = options[0] if options else True
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"field weight must be 0..1, got {weight}")
            if not text:
                continue
            toks, full, initials = self._analyse(text)
            length += len(toks)
            for key in (*toks, *full) if with_pinyin else toks:
                self._post(key, doc, weight)
            for key, factor in initials if with_pinyin else ():
                self._post(key, doc, weight * factor)
        for key in exact:
            self._post(_EXACT + exact_key(key), doc, 1.0)
        self._ids.append(doc_id)
        self._boost.append(boost)
        self._length.append(length)
        self._pinyin_sorted = None

    def _pinyin_prefixed(self, prefix: str) -> list[str]:
        if self._pinyin_sorted is None:
            self._pinyin_sorted = sorted(k for k in self._postings if k.startswith(_PY))
        keys, start = self._pinyin_sorted, _PY + prefix
        i = bisect.bisect_left(keys, start)
        out = []
        while i < len(keys) and keys[i].startswith(start):
            out.append(keys[i])
            i += 1
        return out

    def _matches(self, term: str) -> dict[int, float]:
        """Return doc -> weight of the best field matching the query term (or a variant)."""
        found = dict(self._postings.get(term, {}))
        if is_pinyin_query(term):
            variants = [(_PY + term, 1.0), (_PI + term, 1.0)]
            if len(term) >= 3:
                variants += [(k, _PREFIX_WEIGHT) for k in self._pinyin_prefixed(term) if k != _PY + term]
            for key, factor in variants:
                for doc, weight in self._postings.get(key, {}).items():
                    weight *= factor
                    if found.get(doc, 0.0) < weight:
                        found[doc] = weight
        return found

    def search(self, query: str, limit: int = 20, min_score: float = 0.34) -> list[tuple[str, float]]:
        """Return up to `limit` (doc id, score) pairs, best first: exact-key matches first
        (score 2 + share found), then by share found (0..1 × boost); shorter documents
        win ties. Documents under `min_score` are left out. Raises nothing."""
        terms = list(dict.fromkeys(tokens(query)))
        if not terms:
            return []
        n = len(self._ids) + 1
        totals: dict[int, float] = {}
        denominator = 0.0
        for term in terms:
            matched = self._matches(term)
            weight = token_weight(term) * math.log(1.0 + n / (len(matched) + 0.5))
            denominator += weight
            for doc, field_weight in matched.items():
                totals[doc] = totals.get(doc, 0.0) + weight * field_weight
        exact = self._postings.get(_EXACT + exact_key(query), {})
        scored = []
        for doc, total in totals.items():
            s = total / denominator * self._boost[doc]
            if doc in exact:
                s += _EXACT_SCORE
            if s >= min_score:
                scored.append((-s, self._length[doc], doc))
        for doc in exact:
            if doc not in totals:
                scored.append((-_EXACT_SCORE, self._length[doc], doc))
        best = heapq.nsmallest(limit, scored)
        return [(self._ids[doc], round(-neg, 4)) for neg, _, doc in best]
