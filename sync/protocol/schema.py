"""The pushed records: ONE typed schema per entity, run by the tablet before an item enters
its outbox and by the server before it applies the item.

    from sync.protocol import check_record
    checked = check_record("inspection", data, item_id=ident)
    checked.errors      # () or FieldError(path, code, key, detail, params), in field order
    checked.values      # data with normalised values (credit code, photo hashes, position)
    checked.errors[0].message("en")                     # from the message catalogue

Each entity is a `Record` of `Field`s (name, type, required, limits). A value that is
absent, null or "" counts as not given (an error only for required fields). Keys a record
does not declare are kept as they are (`Record.unknown(data)` names them: the tablet
refuses them at entry). Field errors carry an error code of `ErrorCode`, a message key of
`assets.messages` (`error.<code>.<variant>`) with its parameters, and a short `detail`
for the error body's `details`.

To add an entity (signatures, tasks, orders …): declare its Record below and add it to
RECORDS; PUSHABLE_ENTITIES and docs/protocol.md follow it.
"""
from __future__ import annotations

from typing import Any

from sync.protocol.field_errors import FieldError, details_of, field_error, rejection
from sync.protocol.fields import (
    Boolean,
    Choice,
    Count,
    CreditCode,
    Day,
    Gtin,
    Moment,
    Names,
    Obj,
    Photos,
    Position,
    Sha256,
    Text,
    is_uuid,
    parse_day,
)
from sync.protocol.record import CheckedRecord, Items, Nested, Record, hostile_errors, is_clean_text

__all__ = [
    "FINDING", "INSPECTION", "INSPECTION_TYPES", "OFFICER", "ORDER", "PARTY", "PRODUCT", "PUSHABLE_ENTITIES",
    "QUESTION", "RECORDS", "SIGNATURE", "SIGNATURE_ROLES", "TASK", "CheckedRecord", "FieldError", "Record",
    "check_record", "details_of", "field_error", "hostile_errors", "is_clean_text", "is_uuid", "parse_day", "rejection",
]


PRODUCT = Record("product", (
    Gtin("gtin"), Text("batch", max_length=100), Text("name", max_length=200),
    Text("product_class", max_length=10), Day("manufactured_on"),
))

FINDING = Record("finding", (
    Text("id", required=True, max_length=36),
    Text("inspection_id", required=True, max_length=36),
    Count("revision", required=True),
    Text("indicator_id", required=True, max_length=200),
    Text("measured", required=True, max_length=60),
    Text("unit", max_length=30),
    Obj("device_verdict"),
    Text("ruleset_version", max_length=40),
    Text("note", max_length=2000),
    Photos("photos", max_items=100),
    Text("product_class", max_length=10),   # overrides the inspection's class for this finding
    Count("sample"),                        # the product sample (1, 2 …) of this indicator
    Text("claimed_grade", max_length=10),   # the energy-efficiency grade the label claims
    Moment("device_created_at"),
))

#: who the inspection is of besides its registered name and credit code (现场笔录)
PARTY = Record("party", (
    Text("legal_representative", max_length=60), Text("on_site_person", max_length=60),
    Text("on_site_role", max_length=60), Text("phone", max_length=40), Text("address", max_length=300),
    Text("opinion", max_length=2000),
))

#: an officer named on the 现场笔录 (the tablet's user first)
OFFICER = Record("officer", (
    Text("name", required=True, max_length=60, blank=False),
    Text("certificate_no", required=True, max_length=40, blank=False),
))

INSPECTION_TYPES = ("inspection", "sampling")

INSPECTION = Record("inspection", (
    Text("id", required=True, max_length=36),
    Day("inspected_on", required=True),
    Text("jurisdiction", max_length=12),
    Text("company_name", max_length=200),
    CreditCode("credit_code"),
    Text("address", max_length=300),
    Text("product_name", max_length=200),
    Gtin("gtin"),
    Text("category", max_length=60),
    Text("product_class", max_length=10),
    Day("manufactured_on"),
    Text("batch", max_length=100),
    Text("standard_code", max_length=60),
    Text("edition_id", max_length=80),
    Text("note", max_length=2000),
    Text("status", max_length=20),           # "draft" keeps it a draft; the server owns the rest
    Moment("device_created_at"),
    Text("task_id", max_length=36),          # the task (双随机 target, 回头看) it was started from
    Moment("started_at"),
    Moment("ended_at"),
    Moment("completed_at"),                 # 完成检查: from then on only corrections change it
    Text("site", max_length=300),           # typed by the officer (no position, or more precise)
    Nested("party", record=PARTY),
    Items("officers", record=OFFICER, max_items=10),
    Choice("inspection_type", choices=INSPECTION_TYPES),   # sampling: two officers sign
    Sha256("record_hash"),                  # sync.protocol.signing.record_hash of what was signed
    Items("products", record=PRODUCT, max_items=50),
    Position("position"),
    Photos("photos", max_items=100),
    # initial findings travel inside their inspection (revision 1 unless given)
    Items("findings", record=FINDING.optional_variant("inspection_id", "revision"), max_items=500),
))

QUESTION = Record("question", (
    Text("id", required=True, max_length=36),
    Text("text", required=True, max_length=4000, blank=False),
    Text("inspection_id", max_length=36),
    Text("indicator_id", max_length=200),
    Text("edition_id", max_length=80),
    Text("clause", max_length=40),
    Moment("device_created_at"),
))

SIGNATURE_ROLES = ("officer", "party", "witness")

#: A signature drawn on the tablet at 完成检查 (or the party's refusal to sign), bound to
#: the record hash of what was signed; its images are photos (uploaded by SHA-256).
SIGNATURE = Record("signature", (
    Text("id", required=True, max_length=36),
    Text("inspection_id", required=True, max_length=36),
    Choice("role", required=True, choices=SIGNATURE_ROLES),
    Sha256("record_hash", required=True),
    Moment("signed_at", required=True),
    Text("signer_name", max_length=60),
    Text("signer_number", max_length=40),   # an officer's 执法证号
    Sha256("image"),                        # the drawn signature (PNG)
    Boolean("refused"),
    Text("refusal_note", max_length=500),
    Text("witness_name", max_length=60),
    Sha256("witness_image"),
    Sha256("evidence_photo"),               # a photo recording the refusal
    Moment("device_created_at"),
))


#: 责令改正 issued on site from failed findings (docs/planning.md); the server adds its state
ORDER = Record("order", (
    Text("id", required=True, max_length=36),
    Text("inspection_id", required=True, max_length=36),
    Text("task_id", max_length=36),
    CreditCode("credit_code", required=True),
    Names("finding_ids", required=True, max_items=200, min_items=1),
    Text("requirement", required=True, max_length=2000, blank=False),
    Day("deadline", required=True),
    Text("company_name", max_length=200),
    Moment("issued_at"),
))

#: The schema of every entity a device pushes, by entity name.
RECORDS: dict[str, Record] = {r.entity: r for r in (INSPECTION, FINDING, QUESTION, SIGNATURE, ORDER)}

#: A task as the server sends it (pulled, never pushed): a drawn target or a 回头看. The
#: device checks a pulled task with it before the Home screen lists it.
TASK = Record("task", (
    Text("id", required=True, max_length=36),
    Text("kind", required=True, max_length=20),          # planned | reinspection
    Text("state", required=True, max_length=20),         # assigned | in_progress | closed | cancelled
    Text("plan_id", max_length=60),
    Text("plan_name", max_length=200),
    Obj("enterprise", required=True),                    # {credit_code, name, address}
    Items("items", record=Record("item", (Text("id", required=True, max_length=60),
                                          Text("name", required=True, max_length=200))), max_items=50),
    Names("inspectors", required=True, max_items=10, max_length=40, min_items=1),
    Day("due"),
    Text("order_id", max_length=36),
    Text("inspection_id", max_length=36),
    Text("cancel_reason", max_length=500),               # why a supervisor cancelled it (state cancelled)
    Items("products", record=Record("task_product", (Gtin("gtin", required=True),      # the enterprise's
                                                     Text("name", max_length=200))),   # registered products
          max_items=50),
))


def check_record(entity: str, data: Any, *, item_id: str | None = None,
                 path: str = "data") -> CheckedRecord:
    """Return the CheckedRecord of a pushed `entity` record; raises KeyError for an entity
    that is not pushed (see RECORDS)."""
    return RECORDS[entity].check(data, path=path, item_id=item_id)


#: The entities devices push, in the order their schemas are declared.
PUSHABLE_ENTITIES: tuple[str, ...] = tuple(RECORDS)
