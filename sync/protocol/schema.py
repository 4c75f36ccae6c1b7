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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from assets.messages import text
from codes import CreditCodeError, validate_credit_code
from codes.gtin import GTIN_LENGTHS, check_digit
from sync.protocol.constants import ErrorCode
from sync.protocol.errors import ProtocolError

_INVALID = object()
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def is_uuid(value: Any) -> bool:
    """Return True when `value` is a UUID string (with or without dashes)."""
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class FieldError:
    """One field that does not follow the schema.

    `path` is the field's place in the item ("data.findings.0.unit"); `code` the error code
    the item is rejected with; `key` the message key; `detail` the short text listed under
    the path in the error body's `details`; `params` fill the message.
    """

    path: str
    code: str
    key: str
    detail: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        """Return the message for a person in `language` (zh-CN when None)."""
        return text(self.key, language, path=self.path, **self.params)


def field_error(path: str, variant: str, detail: str, code: str = ErrorCode.VALIDATION_FAILED,
                **params: Any) -> FieldError:
    """Return the FieldError of `variant` (message key `error.<code>.<variant>`)."""
    return FieldError(path, code, f"error.{code}.{variant}", detail, params)


def rejection(errors: tuple[FieldError, ...] | list[FieldError]) -> ProtocolError:
    """Return the ProtocolError for `errors` (not empty): the first error's code and
    message (zh-CN), every error under `details` and in `errors`."""
    first = errors[0]
    return ProtocolError(first.message(), code=first.code, details=details_of(errors), errors=tuple(errors))


def details_of(errors: tuple[FieldError, ...] | list[FieldError]) -> dict[str, list[str]]:
    """Return the error body's `details` ({path: [detail, ...]}) of `errors`."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.path, []).append(error.detail)
    return out


# ---- field types ------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A field of a record: `check` returns the value to keep, or appends errors."""

    name: str
    required: bool = False

    def check(self, value: Any, path: str, errors: list[FieldError]) -> Any:
        """Return the (normalised) value, or _INVALID after appending its errors."""
        return value


@dataclass(frozen=True)
class Text(Field):
    """A string of at most `max_length` characters (`blank=False`: not only spaces)."""

    max_length: int = 200
    blank: bool = True

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.append(field_error(path, "not_text", "must be a string"))
            return _INVALID
        if len(value) > self.max_length:
            errors.append(field_error(path, "too_long", f"at most {self.max_length} characters",
                                      limit=self.max_length, length=len(value)))
            return _INVALID
        if not self.blank and not value.strip():
            errors.append(field_error(path, "blank", "must not be blank"))
            return _INVALID
        return value


@dataclass(frozen=True)
class Count(Field):
    """An integer ≥ `minimum` (a finding's revision)."""

    minimum: int = 1

    def check(self, value, path, errors):
        if not _is_int(value) or value < self.minimum:
            errors.append(field_error(path, "not_count", f"must be an integer ≥ {self.minimum}",
                                      minimum=self.minimum))
            return _INVALID
        return value


@dataclass(frozen=True)
class Day(Field):
    """A date "YYYY-MM-DD" (a time after it is ignored); kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.append(field_error(path, "not_text", "must be a string"))
            return _INVALID
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            errors.append(field_error(path, "bad_day", "YYYY-MM-DD", value=value))
            return _INVALID
        return value


def parse_day(value: str) -> date:
    """Return the date of a value `Day` accepted ("YYYY-MM-DD…"); raises ValueError."""
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Moment(Field):
    """An ISO 8601 date and time ("2025-06-01T09:30:00+08:00"); kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.append(field_error(path, "not_text", "must be a string"))
            return _INVALID
        try:
            if len(value) > 40:
                raise ValueError(value)
            datetime.fromisoformat(value)
        except ValueError:
            errors.append(field_error(path, "bad_moment", "ISO 8601 date-time", value=value[:40]))
            return _INVALID
        return value


@dataclass(frozen=True)
class Gtin(Field):
    """A GTIN-8/12/13/14 with a right GS1 check digit; kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.append(field_error(path, "not_text", "must be a string"))
            return _INVALID
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
            errors.append(field_error(path, "format", "format", ErrorCode.INVALID_GTIN, value=value[:40]))
            return _INVALID
        expected = check_digit(digits[:-1])
        if expected != digits[-1]:
            errors.append(field_error(path, "checksum", "checksum", ErrorCode.INVALID_GTIN, value=digits,
                                      expected=expected, actual=digits[-1]))
            return _INVALID
        return value


@dataclass(frozen=True)
class CreditCode(Field):
    """A 统一社会信用代码 (GB 32100-2015) with its check character; normalised to 18
    upper-case characters (`codes.validate_credit_code`)."""

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.append(field_error(path, "not_text", "must be a string"))
            return _INVALID
        try:
            return validate_credit_code(value)
        except CreditCodeError as exc:
            if exc.expected is not None:
                number = value.strip().upper().replace(" ", "")
                errors.append(field_error(path, "checksum", "checksum", ErrorCode.INVALID_CREDIT_CODE,
                                          value=number, expected=exc.expected, actual=number[-1]))
            else:
                errors.append(field_error(path, "format", "format", ErrorCode.INVALID_CREDIT_CODE,
                                          value=value[:40]))
        return _INVALID


@dataclass(frozen=True)
class Position(Field):
    """{"lat", "lon"} in degrees; normalised to decimal strings."""

    def check(self, value, path, errors):
        try:
            lat, lon = Decimal(str(value["lat"])), Decimal(str(value["lon"]))
        except (KeyError, TypeError, InvalidOperation, IndexError):
            errors.append(field_error(path, "bad_position", "{lat, lon}"))
            return _INVALID
        if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(field_error(path, "position_range", "out of range", lat=str(lat), lon=str(lon)))
            return _INVALID
        return {"lat": str(lat), "lon": str(lon)}


@dataclass(frozen=True)
class Photos(Field):
    """A list of at most `max_items` photo references: SHA-256 hex strings (or objects
    {"sha256": …}); normalised to lower-case hex strings."""

    max_items: int = 100

    def check(self, value, path, errors):
        if not isinstance(value, list):
            errors.append(field_error(path, "not_list", "must be a list"))
            return _INVALID
        if len(value) > self.max_items:
            errors.append(field_error(path, "too_many", f"at most {self.max_items} items",
                                      limit=self.max_items, count=len(value)))
            return _INVALID
        out = []
        for n, ref in enumerate(value):
            sha = ref.get("sha256") if isinstance(ref, Mapping) else ref
            if not isinstance(sha, str) or not _SHA256_RE.match(sha.lower()):
                errors.append(field_error(f"{path}.{n}", "not_sha256", "not a SHA-256", number=n + 1))
                return _INVALID
            out.append(sha.lower())
        return out


@dataclass(frozen=True)
class Obj(Field):
    """A JSON object (the tablet's verdict); kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, Mapping):
            errors.append(field_error(path, "not_object", "must be an object"))
            return _INVALID
        return value


@dataclass(frozen=True)
class Items(Field):
    """A list of at most `max_items` records of `record` (products, initial findings)."""

    record: Record | None = None
    max_items: int = 100

    def check(self, value, path, errors):
        if not isinstance(value, list):
            errors.append(field_error(path, "not_list", "must be a list"))
            return _INVALID
        if len(value) > self.max_items:
            errors.append(field_error(path, "too_many", f"at most {self.max_items} items",
                                      limit=self.max_items, count=len(value)))
            return _INVALID
        out, before = [], len(errors)
        for n, item in enumerate(value):
            checked = self.record.check(item, path=f"{path}.{n}")
            errors.extend(checked.errors)
            out.append(checked.values)
        return out if len(errors) == before else _INVALID


# ---- records ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedRecord:
    """The outcome of `Record.check`: normalised values and the field errors (in order)."""

    values: dict[str, Any]
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        """True when the record follows its schema."""
        return not self.errors


@dataclass(frozen=True)
class Record:
    """The schema of one pushed entity: its fields, in the order they are checked."""

    entity: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every declared field name, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """The fields that must be given."""
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """The fields that may be absent or null."""
        return tuple(f.name for f in self.fields if not f.required)

    def field(self, name: str) -> Field:
        """Return the declared field `name`; raises KeyError."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def unknown(self, data: Mapping[str, Any]) -> list[str]:
        """Return the keys of `data` this record does not declare (sorted)."""
        return sorted(set(data) - set(self.names))

    def optional_variant(self, *names: str) -> Record:
        """Return this record with the fields `names` made optional (nested records whose
        parent supplies them)."""
        return replace(self, fields=tuple(replace(f, required=False) if f.name in names else f
                                          for f in self.fields))

    def check(self, data: Any, *, path: str = "data", item_id: str | None = None) -> CheckedRecord:
        """Return the CheckedRecord of `data`; with `item_id`, its `id` must equal it.
        Raises nothing: every problem is a FieldError."""
        if not isinstance(data, Mapping):
            return CheckedRecord({}, (field_error(path, "not_object", "must be an object"),))
        values = dict(data)
        errors: list[FieldError] = []
        for spec in self.fields:
            value = data.get(spec.name)
            where = f"{path}.{spec.name}"
            if value is None or (isinstance(value, str) and value == ""):
                if spec.required:
                    errors.append(field_error(where, "required", "required"))
                continue
            clean = spec.check(value, where, errors)
            if clean is not _INVALID:
                values[spec.name] = clean
        if item_id is not None and "id" in data and data.get("id") != item_id:
            errors.append(field_error(f"{path}.id", "id_mismatch", "must equal the item id"))
        return CheckedRecord(values, tuple(errors))


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
    Moment("device_created_at"),
))

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
    Moment("started_at"),
    Moment("ended_at"),
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

#: The schema of every entity a device pushes, by entity name.
RECORDS: dict[str, Record] = {r.entity: r for r in (INSPECTION, FINDING, QUESTION)}


def check_record(entity: str, data: Any, *, item_id: str | None = None,
                 path: str = "data") -> CheckedRecord:
    """Return the CheckedRecord of a pushed `entity` record; raises KeyError for an entity
    that is not pushed (see RECORDS)."""
    return RECORDS[entity].check(data, path=path, item_id=item_id)


#: The entities devices push, in the order their schemas are declared.
PUSHABLE_ENTITIES: tuple[str, ...] = tuple(RECORDS)

#: {entity: {"required": names, "optional": names}}: a view of RECORDS kept for the tablet
#: code that still reads it (docs/contracts.md); new code reads RECORDS.
RECORD_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    entity: {"required": record.required, "optional": record.optional} for entity, record in RECORDS.items()}
