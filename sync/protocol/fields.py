"""The building blocks of the pushed records' schema (`sync.protocol.schema`): field
types (text, counts, dates, times, GTIN, credit code, position, photo hashes, SHA-256,
numbers, booleans, choices, nested objects and lists), `Record` (an entity's fields in
order) and the `FieldError`s a check returns, worded from the message catalogue.

    Record("officer", (Text("name", required=True, blank=False), ...)).check(data)
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from codes import CreditCodeError, validate_credit_code
from codes.gtin import GTIN_LENGTHS, check_digit
from sync.protocol.constants import ErrorCode
from sync.protocol.field_errors import FieldError, field_error

_INVALID = object()
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
#: characters no text field may hold: lone surrogates (not encodable), C0 controls but tab,
#: line feed and carriage return (NUL is refused by PostgreSQL), DEL
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: any string in a record, declared or not, is at most this long; nesting at most this deep
MAX_ANY_TEXT = 10_000
MAX_RECORD_DEPTH = 8
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def is_uuid(value: Any) -> bool:
    """Return True when `value` is a UUID string (with or without dashes)."""
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _list_ok(value: Any, path: str, errors: list[FieldError], max_items: int, min_items: int = 0) -> bool:
    """True when `value` is a list of `min_items`..`max_items` items; else append the error."""
    if not isinstance(value, list):
        errors.append(field_error(path, "not_list", "must be a list"))
        return False
    if len(value) < min_items:
        errors.append(field_error(path, "too_few", f"at least {min_items} items", minimum=min_items))
        return False
    if len(value) > max_items:
        errors.append(field_error(path, "too_many", f"at most {max_items} items", limit=max_items, count=len(value)))
        return False
    return True


def _text_ok(value: Any, path: str, errors: list[FieldError]) -> bool:
    """True when `value` is a string; else append the not_text error."""
    if isinstance(value, str):
        return True
    errors.append(field_error(path, "not_text", "must be a string"))
    return False


def is_clean_text(value: Any, max_length: int = 200) -> bool:
    """Return True when `value` is a string of at most `max_length` characters holding no
    character a text field may not hold (safe to look up in a database)."""
    return isinstance(value, str) and len(value) <= max_length and _BAD_CHARS_RE.search(value) is None


def hostile_errors(data: Any, path: str = "data") -> list[FieldError]:
    """Return the FieldErrors of values no field may hold, anywhere in `data` (undeclared
    keys and free objects included): a string with a lone surrogate or a control character,
    a string longer than MAX_ANY_TEXT, a number that is not finite, nesting deeper than
    MAX_RECORD_DEPTH. Iterative; raises nothing."""
    errors: list[FieldError] = []
    stack = [(data, path, 0)]
    while stack and len(errors) < 20:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            bad = _BAD_CHARS_RE.search(value)
            if bad is not None:
                errors.append(field_error(where, "bad_character", "bad character",
                                          code_point=f"U+{ord(bad.group()):04X}", position=bad.start() + 1))
            elif len(value) > MAX_ANY_TEXT:
                errors.append(field_error(where, "too_long", f"at most {MAX_ANY_TEXT} characters",
                                          limit=MAX_ANY_TEXT, length=len(value)))
        elif isinstance(value, float) and not math.isfinite(value):
            errors.append(field_error(where, "not_finite", "must be a finite number"))
        elif isinstance(value, (Mapping, list)):
            if depth >= MAX_RECORD_DEPTH:
                errors.append(field_error(where, "too_deep", f"nested deeper than {MAX_RECORD_DEPTH}",
                                          limit=MAX_RECORD_DEPTH))
                continue
            pairs = value.items() if isinstance(value, Mapping) else enumerate(value)
            for key, child in pairs:
                name = f"{where}.{key}"
                if isinstance(key, str) and (_BAD_CHARS_RE.search(key) or len(key) > 200):
                    errors.append(field_error(where, "bad_key", "bad key"))
                    continue
                stack.append((child, name, depth + 1))
    return sorted(errors, key=lambda e: e.path)


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
        if not _text_ok(value, path, errors):
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
        if not _text_ok(value, path, errors):
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
        if not _text_ok(value, path, errors):
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
        if not _text_ok(value, path, errors):
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
        if not _text_ok(value, path, errors):
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
    """{"lat", "lon"} in degrees, normalised to decimal strings; with the fix's
    `accuracy_m` (metres, 0–100 000), `fixed_at` (ISO time) and `source` ("gps",
    "typed", "replay"…, ≤ 20 characters) kept when given."""

    def check(self, value, path, errors):
        try:
            lat, lon = Decimal(str(value["lat"])), Decimal(str(value["lon"]))
        except (KeyError, TypeError, InvalidOperation, IndexError):
            errors.append(field_error(path, "bad_position", "{lat, lon}"))
            return _INVALID
        if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(field_error(path, "position_range", "out of range", lat=str(lat), lon=str(lon)))
            return _INVALID
        out: dict[str, Any] = {"lat": str(lat), "lon": str(lon)}
        before = len(errors)
        for spec in _FIX_FIELDS:
            given = value.get(spec.name) if isinstance(value, Mapping) else None
            if given is not None and given != "":
                clean = spec.check(given, f"{path}.{spec.name}", errors)
                if clean is not _INVALID:
                    out[spec.name] = clean
        return out if len(errors) == before else _INVALID


@dataclass(frozen=True)
class Photos(Field):
    """A list of at most `max_items` photo references: SHA-256 hex strings (or objects
    {"sha256": …}); normalised to lower-case hex strings."""

    max_items: int = 100

    def check(self, value, path, errors):
        if not _list_ok(value, path, errors, self.max_items):
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
class Sha256(Field):
    """A SHA-256 hex digest (a signature image, a record hash); normalised to lower case."""

    def check(self, value, path, errors):
        if not isinstance(value, str) or not _SHA256_RE.match(value.lower()):
            errors.append(field_error(path, "not_hash", "not a SHA-256", value=str(value)[:80]))
            return _INVALID
        return value.lower()


@dataclass(frozen=True)
class Number(Field):
    """A JSON number (not a boolean) between `minimum` and `maximum`."""

    minimum: float = 0
    maximum: float = 1e9

    def check(self, value, path, errors):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                self.minimum <= value <= self.maximum):
            errors.append(field_error(path, "not_number", f"a number {self.minimum:g}–{self.maximum:g}",
                                      minimum=f"{self.minimum:g}", maximum=f"{self.maximum:g}"))
            return _INVALID
        return value


@dataclass(frozen=True)
class Boolean(Field):
    """true or false."""

    def check(self, value, path, errors):
        if not isinstance(value, bool):
            errors.append(field_error(path, "not_boolean", "true or false"))
            return _INVALID
        return value


@dataclass(frozen=True)
class Choice(Field):
    """One of `choices` (strings)."""

    choices: tuple[str, ...] = ()

    def check(self, value, path, errors):
        if value not in self.choices:
            errors.append(field_error(path, "not_choice", f"one of {', '.join(self.choices)}",
                                      value=str(value)[:40], choices=list(self.choices)))
            return _INVALID
        return value


_FIX_FIELDS = (Number("accuracy_m", maximum=100_000), Moment("fixed_at"), Text("source", max_length=20))


@dataclass(frozen=True)
class Names(Field):
    """A list of `min_items`..`max_items` strings of at most `max_length` characters (ids)."""

    max_items: int = 100
    max_length: int = 36
    min_items: int = 0

    def check(self, value, path, errors):
        if not _list_ok(value, path, errors, self.max_items, self.min_items):
            return _INVALID
        for n, name in enumerate(value):
            if not isinstance(name, str) or not name.strip() or len(name) > self.max_length:
                errors.append(field_error(f"{path}.{n}", "not_text", "must be a string"))
                return _INVALID
        return list(value)


@dataclass(frozen=True)
class Obj(Field):
    """A JSON object (the tablet's verdict); kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, Mapping):
            errors.append(field_error(path, "not_object", "must be an object"))
            return _INVALID
        return value


@dataclass(frozen=True)
class Nested(Field):
    """One object following `record` (the party of an inspection)."""

    record: Record | None = None

    def check(self, value, path, errors):
        checked = self.record.check(value, path=path)
        errors.extend(checked.errors)
        return checked.values if checked.ok else _INVALID


@dataclass(frozen=True)
class Items(Field):
    """A list of at most `max_items` records of `record` (products, initial findings)."""

    record: Record | None = None
    max_items: int = 100

    def check(self, value, path, errors):
        if not _list_ok(value, path, errors, self.max_items):
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
        hostile = hostile_errors(data, path)
        if hostile:
            return CheckedRecord({}, tuple(hostile))
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
