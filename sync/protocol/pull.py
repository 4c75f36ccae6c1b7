"""Pull pages: change-log entries, the page check the device runs on raw pages, and the
stale-cursor rule of the tombstone horizon."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.protocol.constants import ALL_ENTITIES, OP_DELETE, OP_UPSERT, OPS
from sync.protocol.errors import ProtocolError, _check, _is_int, _raise_if, _require


def change_data(data: Any) -> dict[str, Any]:
    """Return an upsert's `data` as a dict: an object as is, or the JSON text of an object
    (pages pulled with `data=text`) decoded. Raises ProtocolError for anything else."""
    if isinstance(data, Mapping):
        return dict(data)
    if isinstance(data, str):
        try:
            decoded = json.loads(data)
        except ValueError as exc:
            raise ProtocolError(f"change data is not JSON text: {exc}",
                                details={"data": ["not JSON text"]}) from exc
        if isinstance(decoded, dict):
            return decoded
    raise ProtocolError("an upsert carries an object (or its JSON text)",
                        details={"data": ["an upsert carries an object"]})


@dataclass(frozen=True)
class Change:
    """One entry of the server change log as served by pull (`data` decoded: a dict, or
    None for a delete)."""

    seq: int
    entity: str
    id: str
    op: str
    version: int
    data: dict[str, Any] | None

    @classmethod
    def from_json(cls, obj: Any, prefix: str = "") -> Change:
        """Return a Change; raises ProtocolError when malformed (a delete carries data null)."""
        if not isinstance(obj, Mapping):
            raise ProtocolError("change must be a JSON object", details={prefix or "change": ["not an object"]})
        p = prefix
        errors: dict[str, list[str]] = {}
        _check(errors, _is_int(obj.get("seq")) and obj["seq"] > 0, f"{p}seq", "must be an integer > 0")
        _check(errors, obj.get("entity") in ALL_ENTITIES, f"{p}entity", "unknown entity")
        _check(errors, isinstance(obj.get("id"), str) and obj["id"] != "", f"{p}id", "required")
        op = obj.get("op")
        _check(errors, op in OPS, f"{p}op", "must be upsert or delete")
        _check(errors, _is_int(obj.get("version")), f"{p}version", "must be an integer")
        data = obj.get("data")
        if op == OP_UPSERT:
            try:
                data = change_data(data)
            except ProtocolError:
                _check(errors, False, f"{p}data", "an upsert carries an object (or its JSON text)")
        _raise_if(errors, "invalid change")
        return cls(obj["seq"], obj["entity"], obj["id"], op, obj["version"],
                   data if op == OP_UPSERT else None)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object served in a pull page."""
        return {"seq": self.seq, "entity": self.entity, "id": self.id, "op": self.op,
                "version": self.version, "data": self.data}


@dataclass(frozen=True)
class PullPage:
    """`GET /sync/pull` answer."""

    cursor: int
    has_more: bool
    remaining: int
    changes: tuple[Change, ...] = field(default_factory=tuple)
    #: the tombstone horizon when the page was served (optional; see `pull_is_stale`)
    horizon: int | None = None

    @classmethod
    def from_json(cls, obj: Any, since: int | None = None) -> PullPage:
        """Return a PullPage; raises ProtocolError when malformed, when sequences are not
        strictly increasing, or (given `since`) when the cursor moves backwards or a change
        is at or below `since`."""
        obj = check_pull_page(obj, since)
        changes = tuple(Change(c["seq"], c["entity"], c["id"], c["op"], c["version"],
                               change_data(c["data"]) if c["op"] == OP_UPSERT else None)
                        for c in obj["changes"])
        return cls(obj["cursor"], obj["has_more"], obj.get("remaining", 0), changes, obj.get("horizon"))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the page."""
        out = {"cursor": self.cursor, "has_more": self.has_more, "remaining": self.remaining,
               "changes": [c.to_json() for c in self.changes]}
        if self.horizon is not None:
            out["horizon"] = self.horizon
        return out


def check_pull_page(obj: Any, since: int | None = None) -> Mapping[str, Any]:
    """Return the raw page `obj` after checking it like `PullPage.from_json` (without
    building a Change per row: the device stores big pages straight from the JSON). An
    upsert's `data` may be an object or, from `data=text`, a string starting with "{"
    (its text is not decoded here: the device stores it as is).

    Raises ProtocolError when malformed, when sequences are not strictly increasing, or
    (given `since`) when the cursor moves backwards or a change is at or below `since`.
    """
    obj = _require(obj, "body")
    errors: dict[str, list[str]] = {}
    _check(errors, _is_int(obj.get("cursor")) and obj["cursor"] >= 0, "cursor", "must be an integer ≥ 0")
    _check(errors, isinstance(obj.get("has_more"), bool), "has_more", "must be a boolean")
    rem = obj.get("remaining", 0)
    _check(errors, _is_int(rem) and rem >= 0, "remaining", "must be an integer ≥ 0")
    _check(errors, isinstance(obj.get("changes"), list), "changes", "must be a list")
    hz = obj.get("horizon")
    _check(errors, hz is None or (_is_int(hz) and hz >= 0), "horizon", "must be an integer ≥ 0")
    _raise_if(errors, "invalid pull page")
    last = since if since is not None else 0
    entities, upsert, delete, text_ok = _ENTITY_SET, OP_UPSERT, OP_DELETE, _is_object_text
    for n, c in enumerate(obj["changes"]):
        # the fast path: exact types, no per-row allocation; anything odd gets the full check
        try:
            seq, op, data = c["seq"], c["op"], c["data"]
            ok = (type(seq) is int and seq > last and c["entity"] in entities and type(c["id"]) is str
                  and c["id"] != "" and type(c["version"]) is int
                  and ((op == upsert and (type(data) is dict or text_ok(data))) or op == delete))
        except (KeyError, TypeError):
            ok = False
        if not ok:
            change = Change.from_json(c, prefix=f"changes.{n}.")
            if change.seq <= last:
                raise ProtocolError(f"pull page out of order: seq {change.seq} after {last}")
            seq = change.seq
        last = seq
    changes = obj["changes"]
    if changes and obj["cursor"] < changes[-1]["seq"]:
        raise ProtocolError("pull cursor is below the last change served")
    if since is not None and obj["cursor"] < since:
        raise ProtocolError(f"pull cursor moved backwards: {obj['cursor']} < {since}")
    return obj


_ENTITY_SET = frozenset(ALL_ENTITIES)


def _is_object_text(data: Any) -> bool:
    """Cheap check of a `data=text` upsert: a string that opens and closes an object."""
    return type(data) is str and data[:1] == "{" and data[-1:] == "}"


def pull_is_stale(since: int, horizon: int, client_horizon: int | None = None) -> bool:
    """Return True when a pull from `since` must be answered 410 resync_required.

    `horizon` is the largest purged seq. A cursor below it may have seen a record whose
    tombstone was purged — unless the client's pass already started under this horizon:
    the client echoes the `horizon` of its last page as `&horizon=`; when that is ≥ the
    current horizon, nothing it could have seen was purged since (a first sync paging up
    from 0 after a purge is therefore never sent back to 0 on its second page).
    """
    if since <= 0 or since >= horizon:
        return False
    return client_horizon is None or client_horizon < horizon
