"""The in-memory twin of `device.stores.outbox`: the same contract (tests/device/stores/), kept
as JSON text like the table, so what comes back is a copy, never a live object."""
from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from device.errors import StoreError
from device.jsontext import dumps
from device.stores.outbox import CONFLICT, KEYS, PENDING, REJECTED, Key, OutboxStore
from device.stores.unit import MemoryUnit
from sync.protocol import ErrorCode


class MemoryOutbox(OutboxStore):
    """The in-memory twin of SqliteOutbox: a list of rows in queue order."""

    def __init__(self, unit: MemoryUnit):
        super().__init__(unit)
        unit.register(self)
        # rows keep data/server_current as JSON text, like the table
        self._state: dict[str, Any] = {"rows": [], "next": 1}

    @property
    def _rows(self) -> list[dict[str, Any]]:
        return self._state["rows"]

    def _row(self, mutation_id: str) -> dict[str, Any] | None:
        return next((r for r in self._rows if r["mutation_id"] == mutation_id), None)

    def _of(self, entity: str, ident: str) -> list[dict[str, Any]]:
        return [r for r in self._rows if r["entity"] == entity and r["id"] == ident]

    def add(self, mutation_id: str, entity: str, ident: str, base_version: int | None,
            data: dict[str, Any]) -> None:
        with self.unit.transaction():
            if self._row(mutation_id) is not None:
                raise StoreError(f"本地数据库出错 / the device store failed: mutation id {mutation_id} is already queued")
            if base_version is not None and entity != "finding" and self.has_items(entity, ident):
                base_version = None
            self._rows.append({"position": self._state["next"], "mutation_id": mutation_id, "entity": entity,
                               "id": ident, "base_version": base_version, "data": dumps(data),
                               "created_at": time.time(), "attempts": 0, "last_error": None,
                               "state": PENDING, "server_version": None, "server_current": None,
                               "error_code": None})
            self._state["next"] += 1

    def items(self, state: str | None = None) -> list[dict[str, Any]]:
        out = []
        for row in self._rows:
            if state and row["state"] != state:
                continue
            item = {k: row[k] for k in KEYS}
            item["data"] = json.loads(item["data"])
            item["server_current"] = json.loads(item["server_current"]) if item["server_current"] else None
            out.append(item)
        return out

    def counts(self) -> dict[str, int]:
        out = {PENDING: 0, CONFLICT: 0, REJECTED: 0}
        for row in self._rows:
            out[row["state"]] += 1
        return out

    def has_items(self, entity: str, ident: str) -> bool:
        return bool(self._of(entity, ident))

    def record_keys(self) -> set[Key]:
        return {(r["entity"], r["id"]) for r in self._rows}

    def key_of(self, mutation_id: str) -> Key | None:
        row = self._row(mutation_id)
        return (row["entity"], row["id"]) if row else None

    def sendable(self, limit: int) -> list[dict[str, Any]]:
        seen: set[Key] = set()
        out = []
        for row in self._rows:
            key = (row["entity"], row["id"])
            first = key not in seen
            seen.add(key)
            if first and row["state"] == PENDING and row["base_version"] is not None and len(out) < limit:
                out.append({"mutation_id": row["mutation_id"], "entity": row["entity"], "id": row["id"],
                            "base_version": row["base_version"], "data": json.loads(row["data"])})
        return out

    def mark_attempt(self, mutation_ids: Iterable[str], error: str | None = None) -> None:
        with self.unit.transaction():
            for mid in mutation_ids:
                row = self._row(mid)
                if row is not None:
                    row["attempts"] += 1
                    row["last_error"] = error

    def note_error(self, mutation_ids: Iterable[str], error: str) -> None:
        with self.unit.transaction():
            for mid in mutation_ids:
                row = self._row(mid)
                if row is not None:
                    row["last_error"] = error

    def acknowledge(self, mutation_id: str, version: int | None) -> Key | None:
        with self.unit.transaction():
            row = self._row(mutation_id)
            if row is None:
                return None
            self._rows.remove(row)
            rest = self._of(row["entity"], row["id"])
            if rest and rest[0]["base_version"] is None:
                rest[0]["base_version"] = version
            return row["entity"], row["id"]

    def mark_conflict(self, mutation_id: str, server_version: int | None,
                      server_current: dict[str, Any] | None, message: str) -> Key | None:
        with self.unit.transaction():
            row = self._row(mutation_id)
            if row is None:
                return None
            row.update(state=CONFLICT, server_version=server_version, error_code=ErrorCode.CONFLICT, last_error=message,
                       server_current=dumps(server_current) if server_current is not None else None)
            return row["entity"], row["id"]

    def mark_rejected(self, mutation_id: str, error: str | None, message: str | None) -> Key | None:
        with self.unit.transaction():
            row = self._row(mutation_id)
            if row is None:
                return None
            row.update(state=REJECTED, error_code=error, last_error=message)
            return row["entity"], row["id"]

    def requeue(self, mutation_id: str, new_mutation_id: str, base_version: int | None,
                data: dict[str, Any]) -> Key | None:
        with self.unit.transaction():
            row = self._row(mutation_id)
            if row is None:
                return None
            row.update(mutation_id=new_mutation_id, base_version=base_version, data=dumps(data), state=PENDING,
                       attempts=0, last_error=None, server_version=None, server_current=None, error_code=None)
            return row["entity"], row["id"]

    def amend_unsent(self, entity: str, ident: str, data: dict[str, Any]) -> bool:
        with self.unit.transaction():
            mine = self._of(entity, ident)
            if not mine or mine[-1]["state"] != PENDING or mine[-1]["attempts"] != 0:
                return False
            mine[-1]["data"] = dumps(data)
            return True

    def surface_successor_conflict(self, discarded: dict[str, Any], message: str) -> None:
        with self.unit.transaction():
            mine = self._of(discarded["entity"], discarded["id"])
            if mine and mine[0]["base_version"] is None and mine[0]["state"] == PENDING:
                current = discarded["server_current"]
                mine[0].update(state=CONFLICT, server_version=discarded["server_version"], error_code=ErrorCode.CONFLICT,
                               last_error=message, server_current=dumps(current) if current is not None else None)

    def remove(self, mutation_id: str) -> None:
        with self.unit.transaction():
            row = self._row(mutation_id)
            if row is not None:
                self._rows.remove(row)

    def snapshot(self) -> dict[str, Any]:
        return self._state

    def restore(self, state: dict[str, Any]) -> None:
        self._state = state
