"""The sync wire protocol, version 1: constants, codes, record schemas and message shapes
(pure, no I/O).

Both sides import this package: the server (`server/`) to check what devices send and to
assign error codes, the device to check records before they enter its outbox, to build
requests and to read answers. docs/protocol.md is the prose version; tests/protocol_cases/
holds shared JSON cases run against both sides.

Modules: `constants` (versions, codes, entities), `schema` (ONE typed schema per pushed
entity: fields, types, limits, GTIN and credit-code checks, FieldError; built of the field
types in `fields` and the `Record` of `record`), `errors`
(ProtocolError, the error body), `messages` (push), `pull` (pull pages, the horizon rule),
`hashing` (canonical JSON, item hashes, digests), `enrol` (QR payload). Import public
names from `sync.protocol` itself. Messages for people come from `assets.messages`.

Every ``from_json`` raises :class:`ProtocolError` (the root of this package's errors) with
``details`` mapping a field path to a list of messages, ready for a ``validation_failed`` body.
"""
from sync.protocol.constants import (
    ALL_ENTITIES,
    API_PREFIX,
    CATALOG_ENTITIES,
    DATA_FORMS,
    DATA_OBJECT,
    DATA_TEXT,
    DEFAULT_PULL_LIMIT,
    ENROL_SCHEME,
    ERROR_STATUS,
    HISTORY,
    INSPECTION_STATUSES,
    MAX_PULL_LIMIT,
    MAX_PUSH_ITEMS,
    MIN_PROTOCOL,
    OP_DELETE,
    OP_UPSERT,
    OPS,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    RECORD_ENTITIES,
    REVIEW_OUTCOMES,
    ErrorCode,
    ItemStatus,
    client_protocol_ok,
)
from sync.protocol.enrol import make_enrol_payload, parse_enrol_payload
from sync.protocol.errors import ErrorBody, ProtocolError, error_body
from sync.protocol.hashing import canonical_json, digest_lines, item_hash
from sync.protocol.messages import PushItem, PushResponse, PushResult, parse_push_request
from sync.protocol.pull import Change, PullPage, change_data, check_pull_page, pull_is_stale
from sync.protocol.schema import (
    FINDING,
    INSPECTION,
    ORDER,
    PRODUCT,
    PUSHABLE_ENTITIES,
    QUESTION,
    RECORDS,
    SIGNATURE,
    TASK,
    CheckedRecord,
    FieldError,
    Record,
    check_record,
    details_of,
    field_error,
    is_clean_text,
    is_uuid,
    parse_day,
    rejection,
)

__all__ = [
    "ALL_ENTITIES",
    "API_PREFIX",
    "CATALOG_ENTITIES",
    "DATA_FORMS",
    "DATA_OBJECT",
    "DATA_TEXT",
    "DEFAULT_PULL_LIMIT",
    "ENROL_SCHEME",
    "ERROR_STATUS",
    "FINDING",
    "HISTORY",
    "INSPECTION",
    "INSPECTION_STATUSES",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_ITEMS",
    "MIN_PROTOCOL",
    "OPS",
    "OP_DELETE",
    "OP_UPSERT",
    "ORDER",
    "PRODUCT",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "PUSHABLE_ENTITIES",
    "QUESTION",
    "RECORDS",
    "RECORD_ENTITIES",
    "REVIEW_OUTCOMES",
    "SIGNATURE",
    "TASK",
    "Change",
    "CheckedRecord",
    "ErrorBody",
    "ErrorCode",
    "FieldError",
    "ItemStatus",
    "ProtocolError",
    "PullPage",
    "PushItem",
    "PushResponse",
    "PushResult",
    "Record",
    "canonical_json",
    "change_data",
    "check_pull_page",
    "check_record",
    "client_protocol_ok",
    "details_of",
    "digest_lines",
    "error_body",
    "field_error",
    "is_clean_text",
    "is_uuid",
    "item_hash",
    "make_enrol_payload",
    "parse_day",
    "parse_enrol_payload",
    "parse_push_request",
    "pull_is_stale",
    "rejection",
]
