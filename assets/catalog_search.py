"""Offline search over a standards catalog: standards, clauses and indicators found by
number, title, keyword, pinyin and pinyin initials, ranked, with what an officer needs
to read at a glance.

    search = CatalogSearch(catalog)            # build once (the tablet: from its pulled rows)
    hits = search.search("jiaquan", on=date.today())
    hits[0].title, hits[0].limits              # 甲醛含量, (A类 ≤20 mg/kg, B类 ≤75, C类 ≤300)

- An indicator whose limit differs by product class (GB 18401's A/B/C) is ONE hit with
  one limit per class, each labelled with its class.
- A standard's hit lists its editions with their status on the day asked (现行 /
  即将实施 / 废止, computed from dates) and what replaced what.
- Related standards come from the data: other standards of the catalog that a standard's
  clauses, indicators, notes or test methods name (and those that name it); test-method
  standards outside the catalog are listed as test methods.
Pure: builds on `zhsearch.RankedIndex` and `rules`; no I/O.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rules.catalog import Catalog, Edition, Indicator, Standard, normalise_code
from rules.editions import UPCOMING, WITHDRAWN, status
from zhsearch.ranked import RankedIndex

__all__ = ["CatalogSearch", "EditionInfo", "LimitView", "SearchHit"]

# field weights: what a hit is called counts most, its context least
_NAME, _TITLE_EN, _CLAUSE, _SUMMARY, _CONTEXT = 1.0, 0.7, 0.6, 0.5, 0.4
_KIND_BOOST = {"standard": 1.0, "clause": 0.9, "indicator": 1.0}
_STATUS_FACTOR = {WITHDRAWN: 0.8, UPCOMING: 0.95}
_STD_REF = re.compile(r"(?<![A-Za-z])(GB(?:/[TZ])?\s*\d{3,6}(?:\.\d+)?)")


@dataclass(frozen=True)
class EditionInfo:
    """An edition as a standard's hit shows it."""

    id: str
    status: str                   # 现行 | 即将实施 | 废止 on the day asked
    effective: date
    replaces: tuple[str, ...]
    replaced_by: str | None


@dataclass(frozen=True)
class LimitView:
    """One limit of an indicator hit; `class_label` names the product class it is for."""

    indicator_id: str
    limit: str
    unit: str | None
    class_label: str | None       # "A类" … or None when the limit is the same for every class

    def text(self) -> str:
        """Return e.g. "A类 ≤20 mg/kg"."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.class_label + ' ' if self.class_label else ''}{self.limit}{unit}"


@dataclass(frozen=True)
class SearchHit:
    """A search result. `id` is the standard code, "<edition id> <clause>" or the first
    indicator's id; `status` is the edition's status (standards: the newest in force)."""

    kind: str                     # standard | clause | indicator
    id: str
    standard_code: str
    edition_id: str | None
    title: str
    score: float
    status: str | None = None
    clause: str | None = None
    key: bool = False
    limits: tuple[LimitView, ...] = ()
    editions: tuple[EditionInfo, ...] = ()
    related: tuple[str, ...] = ()
    test_methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Doc:
    kind: str
    standard: Standard
    edition: Edition | None
    title: str
    clause: str | None = None
    indicators: tuple[Indicator, ...] = ()


def _class_label(ind: Indicator, edition: Edition) -> str | None:
    if not ind.classes:
        return None
    names = {c.id: c.name for c in edition.classes}
    return "/".join(names.get(c, f"{c}类") for c in ind.classes)


def _indicator_groups(edition: Edition) -> list[tuple[Indicator, ...]]:
    """Indicators of one edition, class-specific limits of one indicator grouped together."""
    groups: dict[tuple, list[Indicator]] = defaultdict(list)
    for ind in edition.indicators:
        key = (ind.clause, ind.name, tuple(ind.categories)) if ind.classes else (ind.id,)
        groups[key].append(ind)
    return [tuple(g) for g in groups.values()]


def _references(std: Standard) -> set[str]:
    texts = []
    for ed in std.editions:
        texts += [c.summary or "" for c in ed.clauses]
        texts += [f"{i.test_method or ''} {i.note or ''}" for i in ed.indicators]
    found = set()
    for m in _STD_REF.finditer(" ".join(texts)):
        code, _ = normalise_code(m.group(1))
        if code != std.code:
            found.add(code)
    return found


class CatalogSearch:
    """The search index of one catalog (build once; `search` is safe from any thread)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._index = RankedIndex()
        self._docs: list[_Doc] = []
        self._related, self._methods = self._relations(catalog)
        for std in catalog.standards:
            self._add_standard(std)

    @staticmethod
    def _relations(catalog: Catalog) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        codes = {s.code for s in catalog.standards}
        related: dict[str, set[str]] = defaultdict(set)
        methods: dict[str, set[str]] = defaultdict(set)
        for std in catalog.standards:
            for code in _references(std):
                if code in codes:
                    related[std.code].add(code)
                    related[code].add(std.code)
                else:
                    methods[std.code].add(code)
        return related, methods

    def _add(self, doc: _Doc, fields, exact=(), boost: float = 1.0) -> None:
        self._index.add(str(len(self._docs)), fields, exact=exact, boost=boost * _KIND_BOOST[doc.kind])
        self._docs.append(doc)

    def _add_standard(self, std: Standard) -> None:
        ed_ids = [e.id for e in std.editions]
        names = " ".join(dict.fromkeys(i.name for e in std.editions for i in e.indicators))
        self._add(_Doc("standard", std, None, std.title),
                  [(f"{std.code} {std.title}", _NAME), (std.title_en or "", _TITLE_EN),
                   (" ".join(ed_ids), _NAME), (names, _CONTEXT, False)],
                  exact=[std.code, std.code.split(" ", 1)[-1], *ed_ids,
                         *(e.split(" ", 1)[-1] for e in ed_ids)])
        for ed in std.editions:
            context = f"{ed.id} {ed.title}"
            for cl in ed.clauses:
                self._add(_Doc("clause", std, ed, cl.title, clause=cl.number),
                          [(cl.title, _NAME), (cl.summary or "", _SUMMARY), (cl.number, _CONTEXT),
                           (context, _CONTEXT, False)],
                          exact=[f"{ed.id} {cl.number}", f"{std.code} {cl.number}"])
            for group in _indicator_groups(ed):
                first = group[0]
                fields = [(first.name, _NAME), (first.name_en or "", _TITLE_EN),
                          (first.test_method or "", _CONTEXT, False), (context, _CONTEXT, False)]
                self._add(_Doc("indicator", std, ed, first.name, clause=first.clause, indicators=group),
                          fields, boost=1.05 if first.key else 1.0)

    def __len__(self) -> int:
        return len(self._docs)

    def search(self, text: str, *, on: date, limit: int = 20) -> list[SearchHit]:
        """Return up to `limit` hits for `text`, best first, statuses as on `on`. Withdrawn
        editions rank a little lower than current ones. Raises nothing."""
        raw = self._index.search(text, limit=limit * 3)
        hits = [self._hit(self._docs[int(doc)], score, on) for doc, score in raw]
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _hit(self, doc: _Doc, score: float, on: date) -> SearchHit:
        std = doc.standard
        related = tuple(sorted(self._related.get(std.code, ())))
        methods = tuple(sorted(self._methods.get(std.code, ())))
        if doc.kind == "standard":
            editions = tuple(EditionInfo(e.id, status(e, on, std), e.effective, e.replaces, e.replaced_by)
                             for e in sorted(std.editions, key=lambda e: e.effective, reverse=True))
            current = next((e.status for e in editions if e.status != UPCOMING), editions[-1].status)
            return SearchHit("standard", std.code, std.code, None, std.title, score, current,
                             editions=editions, related=related, test_methods=methods)
        ed = doc.edition
        state = status(ed, on, std)
        score = round(score * _STATUS_FACTOR.get(state, 1.0), 4)
        if doc.kind == "clause":
            return SearchHit("clause", f"{ed.id} {doc.clause}", std.code, ed.id, doc.title, score, state,
                             clause=doc.clause, related=related)
        limits = tuple(LimitView(i.id, i.limit, i.unit, _class_label(i, ed)) for i in doc.indicators)
        first = doc.indicators[0]
        return SearchHit("indicator", first.id, std.code, ed.id, doc.title, score, state, clause=first.clause,
                         key=any(i.key for i in doc.indicators), limits=limits, related=related,
                         test_methods=tuple(dict.fromkeys(i.test_method for i in doc.indicators if i.test_method)))
