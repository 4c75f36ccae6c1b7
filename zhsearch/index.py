"""Scoring and a small in-memory inverted index over `tokens`."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from zhsearch.tokenize import tokens

__all__ = ["Index", "score", "token_weight"]


def token_weight(token: str) -> float:
    """Return how much a matching token counts: standard numbers and ASCII words 3,
    CJK words of 3+ characters 2.5, two characters 2, one character 1."""
    if token[:1].isascii():
        return 3.0
    return {1: 1.0, 2: 2.0}.get(len(token), 2.5)


def score(query: str | Sequence[str], document_tokens: Iterable[str],
          idf: Mapping[str, float] | None = None) -> float:
    """Return how well a document matches a query, 0.0 (nothing) .. about 1.0 (every
    query token found; repeated tokens add a little). `query` is text or its tokens;
    `idf` optionally weights rare tokens up. Raises nothing."""
    q = set(tokens(query) if isinstance(query, str) else query)
    if not q:
        return 0.0
    doc = document_tokens if isinstance(document_tokens, Counter) else Counter(document_tokens)
    total = matched = 0.0
    for tok in q:
        w = token_weight(tok) * (idf.get(tok, 1.0) if idf else 1.0)
        total += w
        tf = doc.get(tok, 0)
        if tf:
            matched += w * (1.0 + 0.1 * math.log(tf))
    return matched / total if total else 0.0


class Index:
    """An in-memory search index: add(id, text), then search(query) -> ranked ids."""

    def __init__(self) -> None:
        self._docs: dict[str, Counter] = {}
        self._postings: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc_id: str, text: str) -> None:
        """Index `text` under `doc_id` (re-adding an id replaces its text)."""
        if doc_id in self._docs:
            self.remove(doc_id)
        counts = Counter(tokens(text))
        self._docs[doc_id] = counts
        for tok in counts:
            self._postings.setdefault(tok, set()).add(doc_id)

    def remove(self, doc_id: str) -> None:
        """Drop `doc_id` from the index; unknown ids are ignored."""
        counts = self._docs.pop(doc_id, None)
        for tok in counts or ():
            ids = self._postings.get(tok)
            if ids is not None:
                ids.discard(doc_id)
                if not ids:
                    del self._postings[tok]

    def _idf(self, tok: str) -> float:
        df = len(self._postings.get(tok, ()))
        return math.log(1.0 + (len(self._docs) + 1) / (df + 0.5))

    def search_scored(self, query: str, limit: int = 20, min_score: float = 0.3) -> list[tuple[str, float]]:
        """Return up to `limit` (id, score) pairs, best first; score as in `score` with
        rarity (idf) weights. Documents below `min_score` are left out."""
        q = set(tokens(query))
        idf = {t: self._idf(t) for t in q}
        candidates: set[str] = set()
        for tok in q:
            candidates |= self._postings.get(tok, set())
        scored = []
        for doc_id in candidates:
            doc = self._docs[doc_id]
            s = score(list(q), doc, idf)
            if s >= min_score:
                # shorter documents win ties: a title beats a long text saying the same
                scored.append((doc_id, s, sum(doc.values())))
        scored.sort(key=lambda x: (-x[1], x[2], x[0]))
        return [(d, round(s, 4)) for d, s, _ in scored[:limit]]

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Return up to `limit` document ids, best match first."""
        return [d for d, _ in self.search_scored(query, limit)]
