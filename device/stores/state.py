"""The device's named values: the pull cursor and horizon, the enrolment credentials.

    store.state.cursor                  # 0 before the first sync
    store.state.move_cursor(120, horizon=40)
    store.state.credentials()           # {server_url, device_id, token, user} or None
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from device.jsontext import dumps
from device.stores.unit import SqliteUnit, Unit

SCHEMA = "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"


class StateStore(ABC):
    """JSON values by key. Subclasses store them; the named values are built on get/set."""

    def __init__(self, unit: Unit):
        self.unit = unit

    @abstractmethod
    def get(self, key: str, default: Any = None) -> Any:
        """Return the JSON value stored under `key`, or `default`."""

    @abstractmethod
    def set(self, key: str, value: Any) -> None:
        """Store `value` (JSON) under `key`."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Forget `key` (nothing happens when it is absent)."""

    @property
    def cursor(self) -> int:
        """The pull cursor: the last page stored (0 before the first sync)."""
        return int(self.get("cursor", 0))

    @property
    def horizon(self) -> int | None:
        """The tombstone horizon the server last reported, or None."""
        return self.get("horizon")

    def move_cursor(self, cursor: int, horizon: int | None = None) -> None:
        """Store the new cursor (and the horizon the server reported, when given)."""
        with self.unit.transaction():
            self.set("cursor", int(cursor))
            if horizon is not None:
                self.set("horizon", int(horizon))

    def reset_cursor(self) -> None:
        """Go back to cursor 0 and forget the horizon (a re-sync from scratch)."""
        with self.unit.transaction():
            self.set("cursor", 0)
            self.delete("horizon")

    def credentials(self) -> dict[str, Any] | None:
        """Return {server_url, device_id, token, user} saved at enrolment, or None."""
        return self.get("credentials")

    def save_credentials(self, creds: dict[str, Any]) -> None:
        """Save the device credentials received at enrolment."""
        self.set("credentials", creds)


class SqliteState(StateStore):
    """The `sync_state` table."""

    def __init__(self, unit: SqliteUnit):
        super().__init__(unit)
        unit.create(SCHEMA)
        self.db = unit.db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, dumps(value)))

    def delete(self, key: str) -> None:
        self.db.execute("DELETE FROM sync_state WHERE key = ?", (key,))

