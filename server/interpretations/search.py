"""Chinese full-text search that works the same on SQLite and PostgreSQL.

Documents (published interpretations, earlier answers) are tokenised with `zhsearch.tokens`
(jieba search-mode words + CJK character bigrams + normalised standard numbers) into an
inverted index table (`search_terms`: term, doc, tf) maintained on write. A query is scored
in ONE SQL statement with BM25 (k1=1.2, b=0.75), each term's IDF multiplied by
`zhsearch.token_weight` (standard numbers and long words count more than single
characters). `normalised` divides by the score an average-length document holding every
query term once would get, so ~1.0 means "everything asked about is there" and a fixed
threshold means the same thing for short and long questions.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Float, case, cast, delete, func, insert, literal, select

from server.interpretations.models import SearchDoc, SearchTerm
from server.kernel.extensions import db
from zhsearch import token_weight, tokens

K1, B = 1.2, 0.75
MAX_TERM = 100


@dataclass(frozen=True)
class Hit:
    doc_kind: str
    doc_id: str
    title: str
    score: float
    normalised: float


def _terms(text: str) -> Counter:
    return Counter(t[:MAX_TERM] for t in tokens(text) if t.strip())


def index_document(doc_kind: str, doc_id: str, title: str, text: str) -> int:
    """(Re)index a document; returns its number of distinct terms. The caller commits."""
    remove_document(doc_kind, doc_id)
    counts = _terms(f"{title}\n{text}")
    db.session.add(SearchDoc(doc_kind=doc_kind, doc_id=doc_id, length=sum(counts.values()) or 1,
                             title=title[:300]))
    if counts:
        db.session.execute(insert(SearchTerm), [
            {"term": term, "doc_kind": doc_kind, "doc_id": doc_id, "tf": n} for term, n in counts.items()])
    db.session.flush()
    return len(counts)


def remove_document(doc_kind: str, doc_id: str) -> None:
    """Drop a document from the index (unknown ids are ignored). The caller commits."""
    db.session.execute(delete(SearchTerm).where(SearchTerm.doc_kind == doc_kind, SearchTerm.doc_id == doc_id))
    db.session.execute(delete(SearchDoc).where(SearchDoc.doc_kind == doc_kind, SearchDoc.doc_id == doc_id))


def search(text: str, kinds: tuple[str, ...] = ("interpretation", "answer"), *, limit: int = 5,
           threshold: float = 0.0) -> list[Hit]:
    """Return documents of `kinds` matching `text`, best first, with normalised ≥ threshold.

    Raises nothing beyond database errors.
    """
    query = sorted(set(_terms(text)))
    if not query:
        return []
    n_docs, avg_len = db.session.execute(
        select(func.count(), func.avg(SearchDoc.length)).where(SearchDoc.doc_kind.in_(kinds))).one()
    if not n_docs:
        return []
    avg_len = float(avg_len or 1.0)
    df = dict(db.session.execute(
        select(SearchTerm.term, func.count()).where(SearchTerm.term.in_(query), SearchTerm.doc_kind.in_(kinds))
        .group_by(SearchTerm.term)).all())
    weights = {}
    for term in query:
        idf = math.log(1.0 + (n_docs - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5))
        weights[term] = idf * token_weight(term)
    reference = sum(weights.values()) or 1.0
    present = [t for t in query if t in df]
    if not present:
        return []
    tf = cast(SearchTerm.tf, Float)
    norm = literal(K1) * (literal(1.0 - B) + literal(B) * cast(SearchDoc.length, Float) / literal(avg_len))
    term_weight = case({t: literal(weights[t]) for t in present}, value=SearchTerm.term, else_=literal(0.0))
    score = func.sum(term_weight * tf * literal(K1 + 1.0) / (tf + norm)).label("score")
    rows = db.session.execute(
        select(SearchTerm.doc_kind, SearchTerm.doc_id, SearchDoc.title, score)
        .join(SearchDoc, (SearchDoc.doc_kind == SearchTerm.doc_kind) & (SearchDoc.doc_id == SearchTerm.doc_id))
        .where(SearchTerm.term.in_(present), SearchTerm.doc_kind.in_(kinds))
        .group_by(SearchTerm.doc_kind, SearchTerm.doc_id, SearchDoc.title)
        .order_by(score.desc(), SearchTerm.doc_id).limit(limit)).all()
    hits = [Hit(r.doc_kind, r.doc_id, r.title, float(r.score), float(r.score) / reference) for r in rows]
    return [h for h in hits if h.normalised >= threshold]
