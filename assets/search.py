"""Chinese search over a catalog: standard titles, clauses and indicator names."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from rules.catalog import Catalog
from zhsearch import Index

__all__ = ["Hit", "catalog_index", "search_catalog"]


@dataclass(frozen=True)
class Hit:
    kind: str        # "standard" | "clause" | "indicator"
    id: str          # standard code, "<edition id> <clause number>", or indicator id
    standard_code: str
    title: str       # what to show
    score: float


def catalog_index(catalog: Catalog) -> tuple[Index, dict[str, tuple[str, str, str, str]]]:
    """Return (index, meta) for a catalog; meta maps a doc id to (kind, id, code, title)."""
    index, meta = Index(), {}
    for std in catalog.standards:
        doc = f"standard:{std.code}"
        index.add(doc, f"{std.code} {std.title} {std.title_en or ''}")
        meta[doc] = ("standard", std.code, std.code, std.title)
        for ed in std.editions:
            for cl in ed.clauses:
                doc = f"clause:{ed.id} {cl.number}"
                index.add(doc, f"{ed.id} {std.title} {cl.number} {cl.title} {cl.summary or ''}")
                meta[doc] = ("clause", f"{ed.id} {cl.number}", std.code, f"{ed.id} {cl.number} {cl.title}")
            for ind in ed.indicators:
                doc = f"indicator:{ind.id}"
                index.add(doc, f"{ind.name} {ind.name_en or ''} {ed.id} {std.title}")
                meta[doc] = ("indicator", ind.id, std.code, f"{ind.name} {ind.limit}{ind.unit or ''}")
    return index, meta


@functools.lru_cache(maxsize=4)
def _cached(catalog: Catalog):
    return catalog_index(catalog)


def search_catalog(catalog: Catalog, text: str, limit: int = 20) -> list[Hit]:
    """Return up to `limit` hits for `text`, best first (index built once per catalog)."""
    index, meta = _cached(catalog)
    return [Hit(*meta[doc], score=s) for doc, s in index.search_scored(text, limit)]
