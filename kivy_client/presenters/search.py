"""Standards search on the tablet, offline: `assets.catalog_search.CatalogSearch` over the
standards the device pulled (甲醛, jiaquan, jq find GB 18401's formaldehyde with its A/B/C
limits). The index is built on the first search and again after a sync changed the catalog."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assets.catalog_search import CatalogSearch, SearchHit
from device import DeviceStore
from device.resolve import local_catalog


class StandardSearch:
    """`search(text)` → ranked hits from the device's catalog; `forget()` after a sync."""

    def __init__(self, store: DeviceStore, *, today: Callable[[], date] = date.today):
        self.store, self.today = store, today
        self._index: CatalogSearch | None = None

    def forget(self) -> None:
        """The catalog changed (a sync): rebuild the index at the next search."""
        self._index = None

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Return the hits for `text` (empty for empty text or an empty catalog)."""
        text = (text or "").strip()
        if not text:
            return []
        if self._index is None:
            codes = [ident for _entity, ident, _data in self.store.catalog.rows(["standard"])]
            self._index = CatalogSearch(local_catalog(self.store.catalog, codes))
        return self._index.search(text, on=self.today(), limit=limit)
