"""Protocol constants: versions, page sizes, item statuses, error codes and their HTTP
statuses and entity names (pure data). The pushed records' fields are in
`sync.protocol.schema`."""
from __future__ import annotations

PROTOCOL_VERSION = 1
MIN_PROTOCOL = 1
PROTOCOL_HEADER = "X-Gbfield-Protocol"
API_PREFIX = "/api/v1"

#: Page sizes for pull: the default when `limit` is absent and the largest a server serves.
DEFAULT_PULL_LIMIT = 1000
MAX_PULL_LIMIT = 10000
#: Largest number of items in one push batch (more answers 413 payload_too_large).
MAX_PUSH_ITEMS = 500

#: How a pull page carries each upsert's `data` (query `data=`): "object" (default, for
#: tools and browsers) or "text", the record's JSON text as a string, which the device
#: stores without decoding or re-encoding it.
DATA_OBJECT = "object"
DATA_TEXT = "text"
DATA_FORMS = (DATA_OBJECT, DATA_TEXT)

ENROL_SCHEME = "gbfield-enrol:v1"

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
    INVALID_GTIN = "invalid_gtin"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
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
#: `history`: 回头看 — one row per inspection of the officer's jurisdiction (other officers'
#: too), pulled within the server's window (GBFIELD_HISTORY_MONTHS), never pushed
HISTORY = "history"
RECORD_ENTITIES = ("inspection", "finding", "review", "question", "flag", "signature", "task", "order", HISTORY)
ALL_ENTITIES = CATALOG_ENTITIES + RECORD_ENTITIES

OP_UPSERT = "upsert"
OP_DELETE = "delete"
OPS = (OP_UPSERT, OP_DELETE)

INSPECTION_STATUSES = ("draft", "submitted", "approved", "returned", "rejected", "resubmitted")
REVIEW_OUTCOMES = ("approved", "returned", "rejected")

def client_protocol_ok(header_value: str | None) -> bool:
    """Return False when the request's protocol header names a version below MIN_PROTOCOL
    (missing or unreadable headers count as current, per protocol)."""
    if header_value is None or str(header_value).strip() == "":
        return True
    try:
        return int(str(header_value).strip()) >= MIN_PROTOCOL
    except ValueError:
        return True

