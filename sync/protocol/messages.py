"""Push messages: items, per-item results and the push answer."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.protocol.constants import MAX_PUSH_ITEMS, ErrorCode, ItemStatus
from sync.protocol.errors import ProtocolError, _check, _is_int, _raise_if, _require
from sync.protocol.schema import RECORDS, FieldError, field_error, is_clean_text, is_uuid, rejection


@dataclass(frozen=True)
class PushItem:
    """One device write: `base_version` is the version the device edited (0 = create).

    `data` is the record as sent (hashed for replays); `values` is the same record with
    the schema's normalised values (credit code, photo hashes, position), what a server
    stores.
    """

    mutation_id: str
    entity: str
    id: str
    base_version: int
    data: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, obj: Any, prefix: str = "") -> PushItem:
        """Return a PushItem from its JSON object: the envelope and the record are checked
        against `sync.protocol.schema`. Raises ProtocolError with every FieldError (code
        and message of the first, `details` per field path)."""
        p = prefix
        if not isinstance(obj, Mapping):
            raise rejection([field_error(p.rstrip(".") or "item", "not_object", "not an object")])
        errors: list[FieldError] = []
        if not is_uuid(obj.get("mutation_id")):
            errors.append(field_error(f"{p}mutation_id", "not_uuid", "must be a UUID"))
        entity = obj.get("entity")
        if not isinstance(entity, str):
            entity = None if entity is None else repr(entity)[:40]
        if entity not in RECORDS:
            errors.append(field_error(f"{p}entity", "not_pushable", f"must be one of {', '.join(RECORDS)}",
                                      entities=", ".join(RECORDS)))
        ident = obj.get("id")
        if not (is_clean_text(ident, 200) and ident):
            errors.append(field_error(f"{p}id", "bad_id", "must be a non-empty string"))
        base = obj.get("base_version")
        if not (_is_int(base) and base >= 0):
            errors.append(field_error(f"{p}base_version", "bad_base_version", "must be an integer ≥ 0"))
        data = obj.get("data")
        values: dict[str, Any] = {}
        if entity in RECORDS:
            checked = RECORDS[entity].check(data, path=f"{p}data", item_id=ident if isinstance(ident, str) else None)
            errors.extend(checked.errors)
            values = checked.values
        elif not isinstance(data, Mapping):
            errors.append(field_error(f"{p}data", "not_object", "must be an object"))
        if entity == "finding" and not errors and base != data["revision"] - 1:
            errors.append(field_error(f"{p}base_version", "revision_base",
                                      "a finding revision n must have base_version n-1"))
        if errors:
            raise rejection(errors)
        return cls(obj["mutation_id"], entity, ident, base, dict(data), values)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object sent on the wire."""
        return {"mutation_id": self.mutation_id, "entity": self.entity, "id": self.id,
                "base_version": self.base_version, "data": self.data}


def parse_push_request(body: Any) -> list[PushItem]:
    """Return the items of a `POST /sync/push` body.

    Raises ProtocolError (`validation_failed`, details per `items.<n>.<field>`) for a bad
    body, or with code `payload_too_large` when it holds more than MAX_PUSH_ITEMS items.
    Servers wanting per-item rejection instead can call PushItem.from_json item by item.
    """
    body = _require(body, "body")
    items = body.get("items")
    if not isinstance(items, list):
        raise ProtocolError("items must be a list", details={"items": ["must be a list"]})
    if len(items) > MAX_PUSH_ITEMS:
        raise ProtocolError(f"too many items: {len(items)} > {MAX_PUSH_ITEMS}",
                            code=ErrorCode.PAYLOAD_TOO_LARGE)
    parsed, errors = [], []
    for n, raw in enumerate(items):
        try:
            parsed.append(PushItem.from_json(raw, prefix=f"items.{n}."))
        except ProtocolError as exc:
            errors.extend(exc.errors)
    if errors:
        raise rejection(errors)
    return parsed


@dataclass(frozen=True)
class PushResult:
    """The server's answer for one push item."""

    mutation_id: str
    status: str
    id: str | None = None
    version: int | None = None             # applied / duplicate
    server_version: int | None = None      # conflict
    current: dict[str, Any] | None = None  # conflict: the server's current record (or None)
    error: str | None = None               # rejected
    message: str | None = None             # rejected (for the officer)

    @classmethod
    def from_json(cls, obj: Any) -> PushResult:
        """Return a PushResult from its JSON object; raises ProtocolError when malformed."""
        obj = _require(obj, "result")
        errors: dict[str, list[str]] = {}
        status = obj.get("status")
        _check(errors, isinstance(obj.get("mutation_id"), str), "mutation_id", "required")
        _check(errors, status in ItemStatus.ALL, "status", f"must be one of {ItemStatus.ALL}")
        if status in ItemStatus.ACKNOWLEDGED:
            _check(errors, _is_int(obj.get("version")), "version", "required for applied/duplicate")
        if status == ItemStatus.CONFLICT:
            sv = obj.get("server_version")
            _check(errors, sv is None or _is_int(sv), "server_version", "must be an integer")
            cur = obj.get("current")
            _check(errors, cur is None or isinstance(cur, Mapping), "current", "must be an object")
        if status == ItemStatus.REJECTED:
            _check(errors, isinstance(obj.get("error"), str), "error", "required for rejected")
        _raise_if(errors, "invalid push result")
        return cls(obj["mutation_id"], status, obj.get("id"), obj.get("version"),
                   obj.get("server_version"), obj.get("current"), obj.get("error"),
                   obj.get("message"))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object, leaving out fields that do not apply to the status."""
        out: dict[str, Any] = {"mutation_id": self.mutation_id, "status": self.status}
        if self.id is not None:
            out["id"] = self.id
        if self.status in ItemStatus.ACKNOWLEDGED:
            out["version"] = self.version
        elif self.status == ItemStatus.CONFLICT:
            out["server_version"] = self.server_version
            out["current"] = self.current
        else:
            out["error"] = self.error
            out["message"] = self.message
        return out


@dataclass(frozen=True)
class PushResponse:
    """`POST /sync/push` answer: one result per item in order, plus server re-judgements."""

    results: tuple[PushResult, ...]
    rejudged: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_json(cls, obj: Any, expected: Iterable[str] | None = None) -> PushResponse:
        """Return the response; with `expected` mutation ids, checks one result per item in
        order. Raises ProtocolError when malformed or when results do not match the items."""
        obj = _require(obj, "body")
        raw = obj.get("results")
        if not isinstance(raw, list):
            raise ProtocolError("results must be a list", details={"results": ["must be a list"]})
        results = tuple(PushResult.from_json(r) for r in raw)
        if expected is not None:
            ids = list(expected)
            if [r.mutation_id for r in results] != ids:
                raise ProtocolError("push results do not match the items sent "
                                    f"({len(results)} results for {len(ids)} items)")
        rejudged = obj.get("rejudged") or []
        if not isinstance(rejudged, list):
            raise ProtocolError("rejudged must be a list", details={"rejudged": ["must be a list"]})
        return cls(results, tuple(rejudged))
