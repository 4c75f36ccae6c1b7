"""The public search: standards, clauses and indicators (the offline search module
`assets.catalog_search`, the same the tablet runs), registered products and published
interpretations, for one query. Test-data standards (the synthetic catalog) are left out
unless asked for."""
from __future__ import annotations

import threading
from datetime import date
from typing import Any

from assets.catalog_search import CatalogSearch
from codes import CodeError, build_standard_link, gtin14
from server.catalog import service as catalog
from server.interpretations import service as interpretations
from server.registry import service as registry

MAX_QUERY = 100
_lock = threading.Lock()
_index: dict[str, Any] = {"catalog": None, "search": None}


def _catalog_search() -> CatalogSearch:
    """Return the search index of the live catalog (rebuilt when the catalog changes)."""
    live = catalog.current_catalog()
    with _lock:
        if _index["catalog"] is not live:
            _index["search"] = CatalogSearch(live)
            _index["catalog"] = live
        return _index["search"]


def _standard_hits(text: str, on: date, limit: int, hidden: frozenset[str]) -> list[dict]:
    out = []
    for hit in _catalog_search().search(text, on=on, limit=limit + len(hidden) if hidden else limit):
        if hit.standard_code in hidden:
            continue
        href = build_standard_link(hit.edition_id or hit.standard_code, hit.clause, base="")
        out.append({"kind": hit.kind, "title": hit.title, "href": href, "standard": hit.standard_code,
                    "edition": hit.edition_id, "clause": hit.clause, "status": hit.status,
                    "limits": [lim.text() for lim in hit.limits],
                    "editions": [e.id for e in hit.editions]})
    return out[:limit]


def _product_hits(text: str, limit: int) -> list[dict]:
    found = registry.list_products(None, q=text, limit=limit)["items"]
    digits = text.replace(" ", "")
    if not found and digits.isdigit():
        try:
            product = registry.live_product(gtin14(digits))
        except CodeError:
            product = None
        found = [product] if product else []
    return [{"kind": "product", "title": p.get("name"), "href": f"/01/{p['gtin']}", "gtin": p["gtin"],
             "company": p.get("company_name")} for p in found]


def _interpretation_hits(text: str, limit: int) -> list[dict]:
    return [{"kind": "interpretation", "title": item.get("title"), "href": f"/faq/{item['id']}",
             "id": item["id"], "edition": item.get("edition_id"), "clause": item.get("clause")}
            for item in interpretations.search_public(text, limit=limit)]


def public_search(text: str, *, on: date, limit: int = 10, test_data: bool = False) -> dict:
    """Return {query, standards, products, interpretations, total} for `text` (trimmed to
    MAX_QUERY characters; empty → nothing). Raises nothing beyond database errors."""
    query = " ".join((text or "").split())[:MAX_QUERY]
    if not query:
        return {"query": "", "standards": [], "products": [], "interpretations": [], "total": 0}
    hidden = frozenset() if test_data else catalog.test_data_standards()
    result = {"query": query, "standards": _standard_hits(query, on, limit, hidden),
              "products": _product_hits(query, limit), "interpretations": _interpretation_hits(query, limit)}
    result["total"] = sum(len(result[k]) for k in ("standards", "products", "interpretations"))
    return result
