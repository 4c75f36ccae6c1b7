"""The sync wire protocol, version 1: constants, codes and message shapes (pure, no I/O).

Both sides import this module: the server (`server/`) to validate what devices send and to
assign error codes, the device engine (`sync.client`) to build requests and read answers.
docs/protocol.md is the prose version; tests/protocol_cases/ holds shared JSON cases.

Every ``from_json`` raises :class:`ProtocolError` (the root of this package's errors) with
``details`` mapping a field path to a list of messages, ready for a ``validation_failed`` body.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

PROTOCOL_VERSION = 1
MIN_PROTOCOL = 1
PROTOCOL_HEADER = "X-Gbfield-Protocol"
API_PREFIX = "/api/v1"

#: Page sizes for pull: the default when `limit` is absent and the largest a server serves.
DEFAULT_PULL_LIMIT = 1000
MAX_PULL_LIMIT = 10000
#: Largest number of items in one push batch (more answers 413 payload_too_large).
MAX_PUSH_ITEMS = 500

ENROL_SCHEME = "gbfield-enrol:v1"


class ProtocolError(Exception):
    """Root of the sync package's errors: a message that does not follow the protocol.

    ``code`` is an :class:`ErrorCode` value; ``details`` maps a field path to messages.
    """

    def __init__(self, message: str, *, code: str = "validation_failed",
                 details: Mapping[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = dict(details or {})


class ItemStatus:
    """Per-item push outcomes."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    ALL = (APPLIED, DUPLICATE, CONFLICT, REJECTED)
    #: statuses after which the device may forget the outbox item
    ACKNOWLEDGED = (APPLIED, DUPLICATE)


class ErrorCode:
    """Stable machine codes of the one error body (`error` field)."""

    VALIDATION_FAILED = "validation_failed"
    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REVOKED = "token_revoked"
    DEVICE_REVOKED = "device_revoked"
    ENROLMENT_INVALID = "enrolment_invalid"      # code unknown, used or expired
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    RESYNC_REQUIRED = "resync_required"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    CLIENT_TOO_OLD = "client_too_old"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    UNAVAILABLE = "unavailable"
    # per-item rejection reasons (push `rejected.error`); servers may add more specific ones
    INVALID_CREDIT_CODE = "invalid_credit_code"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_INSPECTION = "unknown_inspection"
    INSPECTION_LOCKED = "inspection_locked"      # approved/rejected: no more edits
    # evidence photos and tus uploads (docs/photos.md)
    CHECKSUM_MISMATCH = "checksum_mismatch"      # tus chunk checksum (460)
    UPLOAD_EXPIRED = "upload_expired"
    UPLOAD_OFFSET_MISMATCH = "upload_offset_mismatch"
    UPLOAD_INTERRUPTED = "upload_interrupted"    # client went away mid-chunk (logged, 400)
    PHOTO_CORRUPT = "photo_corrupt"
    PHOTO_TOO_MANY_PIXELS = "photo_too_many_pixels"
    PHOTO_HASH_MISMATCH = "photo_hash_mismatch"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    UNSUPPORTED_TUS_VERSION = "unsupported_tus_version"


#: HTTP status for each error code (the server assigns statuses from this one table).
ERROR_STATUS: dict[str, int] = {
    ErrorCode.VALIDATION_FAILED: 400,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.ENROLMENT_INVALID: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.TOKEN_REVOKED: 401,
    ErrorCode.DEVICE_REVOKED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RESYNC_REQUIRED: 410,
    ErrorCode.UPLOAD_EXPIRED: 410,
    ErrorCode.UPLOAD_OFFSET_MISMATCH: 409,
    ErrorCode.UPLOAD_INTERRUPTED: 400,
    ErrorCode.UNSUPPORTED_TUS_VERSION: 412,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.PHOTO_CORRUPT: 422,
    ErrorCode.PHOTO_TOO_MANY_PIXELS: 422,
    ErrorCode.PHOTO_HASH_MISMATCH: 422,
    ErrorCode.CHECKSUM_MISMATCH: 460,
    ErrorCode.CLIENT_TOO_OLD: 426,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.UNAVAILABLE: 503,
}

# ---- entities -------------------------------------------------------------------------

CATALOG_ENTITIES = ("standard", "edition", "indicator", "ruleset", "interpretation", "product")
RECORD_ENTITIES = ("inspection", "finding", "review", "question", "flag")
ALL_ENTITIES = CATALOG_ENTITIES + RECORD_ENTITIES
PUSHABLE_ENTITIES = ("inspection", "finding", "question")

OP_UPSERT = "upsert"
OP_DELETE = "delete"
OPS = (OP_UPSERT, OP_DELETE)

INSPECTION_STATUSES = ("draft", "submitted", "approved", "returned", "rejected", "resubmitted")
REVIEW_OUTCOMES = ("approved", "returned", "rejected")

#: Record shapes pushed by devices (`data` of a push item). Keys listed in REQUIRED must be
#: present; the others are optional and may be null. `id` always equals the item's `id`.
RECORD_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "inspection": {
        "required": ("id", "inspected_on"),
        "optional": ("jurisdiction", "company_name", "credit_code", "address",
                     "product_name", "gtin", "category", "product_class",
                     "manufactured_on", "batch", "standard_code", "edition_id",
                     "note", "status", "device_created_at", "products", "position", "photos"),
    },
    "finding": {
        "required": ("id", "inspection_id", "revision", "indicator_id", "measured"),
        "optional": ("unit", "device_verdict", "ruleset_version", "note", "photos",
                     "device_created_at"),
    },
    "question": {
        "required": ("id", "text"),
        "optional": ("inspection_id", "indicator_id", "edition_id", "clause",
                     "device_created_at"),
    },
}

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


# ---- hashing ---------------------------------------------------------------------------

def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of `value` (sorted keys, no spaces, UTF-8 kept).

    Raises ProtocolError for values JSON cannot carry (NaN, sets, floats are allowed but
    measurements must be strings by protocol).
    """
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"not JSON-serialisable: {exc}") from exc


def item_hash(item: Mapping[str, Any] | PushItem) -> str:
    """Return the SHA-256 hex of a push item's content (entity, id, base_version, data).

    The mutation id itself is left out: the server stores this hash beside the mutation id
    and answers `duplicate` when a replay hashes the same, `conflict` when it differs.
    """
    if isinstance(item, PushItem):
        item = item.to_json()
    content = {"entity": item.get("entity"), "id": item.get("id"),
               "base_version": item.get("base_version"), "data": item.get("data")}
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def digest_lines(pairs: Iterable[tuple[str, int]]) -> str:
    """Return the drift-check digest: SHA-256 hex of the sorted lines "<id>\\t<version>\\n".

    `pairs` are (id, version) of every live (non-deleted) row of one entity a side holds.
    Lines are sorted as UTF-8 byte strings so both sides agree whatever their collation.
    """
    lines = sorted(f"{ident}\t{int(version)}\n".encode() for ident, version in pairs)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()


# ---- validation helpers -----------------------------------------------------------------

def _require(obj: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise ProtocolError(f"{what} must be a JSON object", details={what: ["not an object"]})
    return obj


def _check(errors: dict[str, list[str]], ok: bool, path: str, message: str) -> None:
    if not ok:
        errors.setdefault(path, []).append(message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _raise_if(errors: dict[str, list[str]], what: str) -> None:
    if errors:
        first = next(iter(errors.items()))
        raise ProtocolError(f"{what}: {first[0]}: {first[1][0]}", details=errors)


def is_uuid(text: Any) -> bool:
    """Return True when `text` is a UUID string (with or without dashes)."""
    return isinstance(text, str) and bool(_UUID_RE.match(text))


def validate_record(entity: str, data: Any, ident: str | None = None,
                    prefix: str = "data") -> dict[str, list[str]]:
    """Return field errors of a pushed record's `data` ({} when it has the right shape).

    Checks only the shape the protocol fixes (required keys, id, revision and measured
    types); domain checks (credit codes, known indicators) are the server's.
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(data, Mapping):
        return {prefix: ["must be an object"]}
    shape = RECORD_FIELDS.get(entity)
    if shape is None:
        return errors
    for key in shape["required"]:
        _check(errors, data.get(key) not in (None, ""), f"{prefix}.{key}", "required")
    if ident is not None and "id" in data:
        _check(errors, data.get("id") == ident, f"{prefix}.id", "must equal the item id")
    if entity == "finding":
        _check(errors, "revision" not in data or (_is_int(data["revision"]) and data["revision"] >= 1),
               f"{prefix}.revision", "must be an integer ≥ 1")
        _check(errors, "measured" not in data or isinstance(data["measured"], str),
               f"{prefix}.measured", "must be a string (measurements travel as strings)")
        _check(errors, data.get("photos") is None or isinstance(data["photos"], list),
               f"{prefix}.photos", "must be a list of SHA-256 hex strings")
    if entity == "question":
        _check(errors, data.get("text") is None or isinstance(data["text"], str),
               f"{prefix}.text", "must be a string")
    return errors


# ---- messages ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PushItem:
    """One device write: `base_version` is the version the device edited (0 = create)."""

    mutation_id: str
    entity: str
    id: str
    base_version: int
    data: dict[str, Any]

    @classmethod
    def from_json(cls, obj: Any, prefix: str = "") -> PushItem:
        """Return a PushItem from its JSON object; raises ProtocolError with field details."""
        p = prefix
        if not isinstance(obj, Mapping):
            raise ProtocolError("push item must be a JSON object", details={p or "item": ["not an object"]})
        errors: dict[str, list[str]] = {}
        _check(errors, is_uuid(obj.get("mutation_id")), f"{p}mutation_id", "must be a UUID")
        entity = obj.get("entity")
        _check(errors, entity in PUSHABLE_ENTITIES, f"{p}entity",
               f"must be one of {', '.join(PUSHABLE_ENTITIES)}")
        ident = obj.get("id")
        _check(errors, isinstance(ident, str) and 0 < len(ident) <= 200, f"{p}id", "must be a non-empty string")
        base = obj.get("base_version")
        _check(errors, _is_int(base) and base >= 0, f"{p}base_version", "must be an integer ≥ 0")
        data = obj.get("data")
        if entity in PUSHABLE_ENTITIES:
            errors.update(validate_record(entity, data, ident if isinstance(ident, str) else None,
                                          prefix=f"{p}data"))
        else:
            _check(errors, isinstance(data, Mapping), f"{p}data", "must be an object")
        if entity == "finding" and not errors:
            _check(errors, base == data["revision"] - 1, f"{p}base_version",
                   "a finding revision n must have base_version n-1")
        _raise_if(errors, "invalid push item")
        return cls(obj["mutation_id"], entity, ident, base, dict(data))

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
    parsed, errors = [], {}
    for n, raw in enumerate(items):
        try:
            parsed.append(PushItem.from_json(raw, prefix=f"items.{n}."))
        except ProtocolError as exc:
            errors.update(exc.details or {f"items.{n}": [exc.message]})
    _raise_if(errors, "invalid push request")
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


@dataclass(frozen=True)
class Change:
    """One entry of the server change log as served by pull."""

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
            _check(errors, isinstance(data, Mapping), f"{p}data", "an upsert carries an object")
        _raise_if(errors, "invalid change")
        return cls(obj["seq"], obj["entity"], obj["id"], op, obj["version"],
                   dict(data) if op == OP_UPSERT else None)

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
                               dict(c["data"]) if c["op"] == OP_UPSERT else None) for c in obj["changes"])
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
    building a Change per row: the device stores big pages straight from the JSON).

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
    entities, upsert, delete = _ENTITY_SET, OP_UPSERT, OP_DELETE
    for n, c in enumerate(obj["changes"]):
        # the fast path: exact types, no per-row allocation; anything odd gets the full check
        try:
            seq, op, data = c["seq"], c["op"], c["data"]
            ok = (type(seq) is int and seq > last and c["entity"] in entities and type(c["id"]) is str
                  and c["id"] != "" and type(c["version"]) is int
                  and ((op == upsert and type(data) is dict) or op == delete))
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


@dataclass(frozen=True)
class ErrorBody:
    """The one error body: `{status, error, message, details}`."""

    status: int
    error: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any, status: int | None = None) -> ErrorBody:
        """Return the error body; raises ProtocolError when `error` is missing."""
        obj = _require(obj, "body")
        if not isinstance(obj.get("error"), str):
            raise ProtocolError("error body without an error code", details={"error": ["required"]})
        st = obj.get("status", status)
        return cls(int(st) if _is_int(st) else int(status or 0), obj["error"],
                   str(obj.get("message") or ""), dict(obj.get("details") or {}))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {"status": self.status, "error": self.error, "message": self.message,
                "details": self.details}


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None,
               status: int | None = None) -> dict[str, Any]:
    """Return the JSON error body for `code` (status from ERROR_STATUS unless given)."""
    return ErrorBody(status or ERROR_STATUS.get(code, 400), code, message, dict(details or {})).to_json()


def client_protocol_ok(header_value: str | None) -> bool:
    """Return False when the request's protocol header names a version below MIN_PROTOCOL
    (missing or unreadable headers count as current, per protocol)."""
    if header_value is None or str(header_value).strip() == "":
        return True
    try:
        return int(str(header_value).strip()) >= MIN_PROTOCOL
    except ValueError:
        return True


# ---- enrolment payload ----------------------------------------------------------------

def make_enrol_payload(server_url: str, code: str) -> str:
    """Return the QR payload `gbfield-enrol:v1?server=<url>&code=<code>`."""
    return f"{ENROL_SCHEME}?server={quote(server_url, safe=':/')}&code={quote(code, safe='')}"


def parse_enrol_payload(payload: str) -> tuple[str, str]:
    """Return (server_url, code) from a QR enrolment payload.

    Raises ProtocolError when the text is not a `gbfield-enrol:v1` payload or lacks a part.
    """
    text = (payload or "").strip()
    if not text.startswith(ENROL_SCHEME + "?"):
        raise ProtocolError(f"不是登记二维码内容 / not an enrolment payload: {text[:60]!r}")
    query = parse_qs(text[len(ENROL_SCHEME) + 1:], keep_blank_values=True)
    server = (query.get("server") or [""])[0]
    code = (query.get("code") or [""])[0]
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProtocolError("登记二维码缺少服务器地址 / enrolment payload lacks a server URL")
    if not code:
        raise ProtocolError("登记二维码缺少登记码 / enrolment payload lacks a code")
    return server.rstrip("/"), code
