"""The in-memory twin of `device.stores.records`: the same contract (tests/device/stores/), kept
as JSON text like the table, so what comes back is a copy, never a live object."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from device.jsontext import dumps
from device.stores.records import RecordStore, _revision
from device.stores.unit import MemoryUnit


class MemoryRecords(RecordStore):
    """The in-memory twin of SqliteRecords."""

    def __init__(self, unit: MemoryUnit):
        super().__init__(unit)
        unit.register(self)
        # (entity, id) -> [version, data text, server_data text | None]
        self._state: dict[str, dict] = {"records": {}, "revisions": {}, "rejudged": {}}

    @property
    def _records(self) -> dict[tuple[str, str], list]:
        return self._state["records"]

    def get(self, entity: str, ident: str) -> dict[str, Any] | None:
        found = self._records.get((entity, ident))
        if found is None:
            return None
        return {"version": found[0], "data": json.loads(found[1]),
                "server_data": json.loads(found[2]) if found[2] else None}

    def all(self, entity: str) -> dict[str, dict[str, Any]]:
        return {i: {"version": v[0], "data": json.loads(v[1])}
                for (e, i), v in sorted(self._records.items()) if e == entity}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entity, _ in self._records:
            out[entity] = out.get(entity, 0) + 1
        return out

    def revisions(self, finding_id: str) -> list[dict[str, Any]]:
        return [json.loads(text) for (fid, _), text in sorted(self._state["revisions"].items())
                if fid == finding_id]

    def _keep_revision(self, entity: str, ident: str, data: dict[str, Any], text: str) -> None:
        revision = _revision(entity, data)
        if revision is not None:
            self._state["revisions"][(ident, revision)] = text

    def put_local(self, entity: str, ident: str, data: dict[str, Any]) -> None:
        text = dumps(data)
        with self.unit.transaction():
            found = self._records.get((entity, ident))
            if found is None:
                self._records[(entity, ident)] = [0, text, None]
            else:
                found[1] = text
            self._keep_revision(entity, ident, data, text)

    def put_server(self, entity: str, ident: str, version: int, data: dict[str, Any], *,
                   keep_local: bool) -> None:
        text = dumps(data)
        with self.unit.transaction():
            found = self._records.get((entity, ident))
            if keep_local and found is not None:
                found[0], found[2] = version, text
            else:
                self._records[(entity, ident)] = [version, text, text]
            self._keep_revision(entity, ident, data, text)

    def delete_server(self, entity: str, ident: str, version: int, *, keep_local: bool) -> None:
        with self.unit.transaction():
            if not keep_local:
                self._records.pop((entity, ident), None)
            elif (entity, ident) in self._records:
                found = self._records[(entity, ident)]
                found[0], found[2] = version, None

    def acknowledge(self, entity: str, ident: str, version: int) -> None:
        with self.unit.transaction():
            found = self._records.get((entity, ident))
            if found is not None:
                found[0] = max(found[0], version)

    def set_server_view(self, entity: str, ident: str, version: int, data: dict[str, Any]) -> None:
        with self.unit.transaction():
            found = self._records.get((entity, ident))
            if found is not None:
                found[0], found[2] = version, dumps(data)

    def take_server_view(self, entity: str, ident: str) -> None:
        with self.unit.transaction():
            found = self._records.get((entity, ident))
            if found is not None and found[2] is not None:
                found[1] = found[2]

    def drop(self, entity: str, keep: Iterable[str] = ()) -> None:
        kept = set(keep)
        with self.unit.transaction():
            self._state["records"] = {k: v for k, v in self._records.items()
                                      if k[0] != entity or k[1] in kept}

    def forget(self, entity: str, ident: str) -> None:
        with self.unit.transaction():
            self._records.pop((entity, ident), None)
            if entity == "finding":
                for table in ("revisions", "rejudged"):
                    self._state[table] = {k: v for k, v in self._state[table].items() if k[0] != ident}

    def save_rejudged(self, rejudged: Iterable[dict[str, Any]]) -> None:
        rows = [(r.get("finding_id"), int(r.get("revision") or 0), dumps(r)) for r in rejudged
                if isinstance(r, dict) and r.get("finding_id")]
        with self.unit.transaction():
            for finding_id, revision, text in rows:
                self._state["rejudged"][(finding_id, revision)] = text

    def rejudged(self) -> list[dict[str, Any]]:
        return [json.loads(text) for _, text in sorted(self._state["rejudged"].items())]

    def snapshot(self) -> dict:
        return self._state

    def restore(self, state: dict) -> None:
        self._state = state
