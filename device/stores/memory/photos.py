"""The in-memory twin of `device.stores.photos`: the same contract (tests/device/stores/), kept
as JSON text like the table, so what comes back is a copy, never a live object."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from device.stores.photos import PENDING, REJECTED, UPLOADED, PhotoStore
from device.stores.unit import MemoryUnit


class MemoryPhotos(PhotoStore):
    """The in-memory twin of SqlitePhotos (rows in the order they were added)."""

    def __init__(self, unit: MemoryUnit):
        super().__init__(unit)
        unit.register(self)
        self._rows: dict[str, dict[str, Any]] = {}

    def _new(self, sha256: str, path: str, entity: str | None, record_id: str | None) -> dict[str, Any]:
        row = {"sha256": sha256, "path": path, "entity": entity, "record_id": record_id, "state": PENDING,
               "attempts": 0, "last_error": None, "upload_url": None}
        self._rows[sha256] = row
        return row

    def add(self, sha256: str, path: str | Path, entity: str | None = None,
            record_id: str | None = None) -> None:
        with self.unit.transaction():
            row = self._rows.get(sha256)
            if row is None:
                self._new(sha256, str(path), entity, record_id)
            elif row["state"] != UPLOADED:
                row["path"] = str(path)

    def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows.values() if not state or r["state"] == state]

    def counts(self) -> dict[str, int]:
        out = {PENDING: 0, UPLOADED: 0, REJECTED: 0}
        for row in self._rows.values():
            out[row["state"]] += 1
        return out

    def _update(self, sha256: str, **values: Any) -> None:
        with self.unit.transaction():
            row = self._rows.get(sha256)
            if row is not None:
                row.update(values)

    def mark_uploaded(self, sha256: str) -> None:
        self._update(sha256, state=UPLOADED, last_error=None, upload_url=None)

    def note_failure(self, sha256: str, error: str, *, rejected: bool = False) -> None:
        with self.unit.transaction():
            row = self._rows.get(sha256)
            if row is not None:
                row.update(attempts=row["attempts"] + 1, last_error=error, state=REJECTED if rejected else PENDING)

    def retry(self, sha256: str) -> None:
        row = self._rows.get(sha256)
        if row is not None and row["state"] == REJECTED:
            self._update(sha256, state=PENDING, upload_url=None)

    def get(self, sha256: str) -> str | None:
        row = self._rows.get(sha256)
        return row["upload_url"] if row else None

    def set(self, sha256: str, url: str) -> None:
        with self.unit.transaction():
            row = self._rows.get(sha256) or self._new(sha256, "", None, None)
            row["upload_url"] = url

    def delete(self, sha256: str) -> None:
        self._update(sha256, upload_url=None)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return self._rows

    def restore(self, state: dict[str, dict[str, Any]]) -> None:
        self._rows = state
