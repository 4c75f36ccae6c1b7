"""The field types of the pushed records' schema (`sync.protocol.schema`): text, counts,
dates, times, GTIN, credit code, position, photo hashes, SHA-256, numbers, booleans,
choices, lists of names and free objects. Each `Field.check` returns the value to keep
(normalised) or `INVALID` after appending its `FieldError`s, worded from the message
catalogue. Records of fields, and the fields holding records, are in `sync.protocol.record`.

    Text("name", required=True, blank=False).check(value, "data.name", errors)
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from codes import CreditCodeError, validate_credit_code
from codes.gtin import GTIN_LENGTHS, check_digit
from sync.protocol.constants import ErrorCode
from sync.protocol.field_errors import FieldError, field_error

INVALID = object()
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def is_uuid(value: Any) -> bool:
    """Return True when `value` is a UUID string (with or without dashes)."""
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def list_ok(value: Any, path: str, errors: list[FieldError], max_items: int, min_items: int = 0) -> bool:
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


# ---- field types ------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A field of a record: `check` returns the value to keep, or appends errors."""

    name: str
    required: bool = False

    def check(self, value: Any, path: str, errors: list[FieldError]) -> Any:
        """Return the (normalised) value, or INVALID after appending its errors."""
        return value


@dataclass(frozen=True)
class Text(Field):
    """A string of at most `max_length` characters (`blank=False`: not only spaces)."""

    max_length: int = 200
    blank: bool = True

    def check(self, value, path, errors):
        if not _text_ok(value, path, errors):
            return INVALID
        if len(value) > self.max_length:
            errors.append(field_error(path, "too_long", f"at most {self.max_length} characters",
                                      limit=self.max_length, length=len(value)))
            return INVALID
        if not self.blank and not value.strip():
            errors.append(field_error(path, "blank", "must not be blank"))
            return INVALID
        return value


@dataclass(frozen=True)
class Count(Field):
    """An integer ≥ `minimum` (a finding's revision)."""

    minimum: int = 1

    def check(self, value, path, errors):
        if not _is_int(value) or value < self.minimum:
            errors.append(field_error(path, "not_count", f"must be an integer ≥ {self.minimum}",
                                      minimum=self.minimum))
            return INVALID
        return value


@dataclass(frozen=True)
class Day(Field):
    """A date "YYYY-MM-DD" (a time after it is ignored); kept as sent."""

    def check(self, value, path, errors):
        if not _text_ok(value, path, errors):
            return INVALID
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            errors.append(field_error(path, "bad_day", "YYYY-MM-DD", value=value))
            return INVALID
        return value


def parse_day(value: str) -> date:
    """Return the date of a value `Day` accepted ("YYYY-MM-DD…"); raises ValueError."""
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Moment(Field):
    """An ISO 8601 date and time ("2025-06-01T09:30:00+08:00"); kept as sent."""

    def check(self, value, path, errors):
        if not _text_ok(value, path, errors):
            return INVALID
        try:
            if len(value) > 40:
                raise ValueError(value)
            datetime.fromisoformat(value)
        except ValueError:
            errors.append(field_error(path, "bad_moment", "ISO 8601 date-time", value=value[:40]))
            return INVALID
        return value


@dataclass(frozen=True)
class Gtin(Field):
    """A GTIN-8/12/13/14 with a right GS1 check digit; kept as sent."""

    def check(self, value, path, errors):
        if not _text_ok(value, path, errors):
            return INVALID
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
            errors.append(field_error(path, "format", "format", ErrorCode.INVALID_GTIN, value=value[:40]))
            return INVALID
        expected = check_digit(digits[:-1])
        if expected != digits[-1]:
            errors.append(field_error(path, "checksum", "checksum", ErrorCode.INVALID_GTIN, value=digits,
                                      expected=expected, actual=digits[-1]))
            return INVALID
        return value


@dataclass(frozen=True)
class CreditCode(Field):
    """A 统一社会信用代码 (GB 32100-2015) with its check character; normalised to 18
    upper-case characters (`codes.validate_credit_code`)."""

    def check(self, value, path, errors):
        if not _text_ok(value, path, errors):
            return INVALID
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
        return INVALID


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
            return INVALID
        if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(field_error(path, "position_range", "out of range", lat=str(lat), lon=str(lon)))
            return INVALID
        out: dict[str, Any] = {"lat": str(lat), "lon": str(lon)}
        before = len(errors)
        for spec in _FIX_FIELDS:
            given = value.get(spec.name) if isinstance(value, Mapping) else None
            if given is not None and given != "":
                clean = spec.check(given, f"{path}.{spec.name}", errors)
                if clean is not INVALID:
                    out[spec.name] = clean
        return out if len(errors) == before else INVALID


@dataclass(frozen=True)
class Photos(Field):
    """A list of at most `max_items` photo references: SHA-256 hex strings (or objects
    {"sha256": …}); normalised to lower-case hex strings."""

    max_items: int = 100

    def check(self, value, path, errors):
        if not list_ok(value, path, errors, self.max_items):
            return INVALID
        out = []
        for n, ref in enumerate(value):
            sha = ref.get("sha256") if isinstance(ref, Mapping) else ref
            if not isinstance(sha, str) or not _SHA256_RE.match(sha.lower()):
                errors.append(field_error(f"{path}.{n}", "not_sha256", "not a SHA-256", number=n + 1))
                return INVALID
            out.append(sha.lower())
        return out


@dataclass(frozen=True)
class Sha256(Field):
    """A SHA-256 hex digest (a signature image, a record hash); normalised to lower case."""

    def check(self, value, path, errors):
        if not isinstance(value, str) or not _SHA256_RE.match(value.lower()):
            errors.append(field_error(path, "not_hash", "not a SHA-256", value=str(value)[:80]))
            return INVALID
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
            return INVALID
        return value


@dataclass(frozen=True)
class Boolean(Field):
    """true or false."""

    def check(self, value, path, errors):
        if not isinstance(value, bool):
            errors.append(field_error(path, "not_boolean", "true or false"))
            return INVALID
        return value


@dataclass(frozen=True)
class Choice(Field):
    """One of `choices` (strings)."""

    choices: tuple[str, ...] = ()

    def check(self, value, path, errors):
        if value not in self.choices:
            errors.append(field_error(path, "not_choice", f"one of {', '.join(self.choices)}",
                                      value=str(value)[:40], choices=list(self.choices)))
            return INVALID
        return value


_FIX_FIELDS = (Number("accuracy_m", maximum=100_000), Moment("fixed_at"), Text("source", max_length=20))


@dataclass(frozen=True)
class Names(Field):
    """A list of `min_items`..`max_items` strings of at most `max_length` characters (ids)."""

    max_items: int = 100
    max_length: int = 36
    min_items: int = 0

    def check(self, value, path, errors):
        if not list_ok(value, path, errors, self.max_items, self.min_items):
            return INVALID
        for n, name in enumerate(value):
            if not isinstance(name, str) or not name.strip() or len(name) > self.max_length:
                errors.append(field_error(f"{path}.{n}", "not_text", "must be a string"))
                return INVALID
        return list(value)


@dataclass(frozen=True)
class Obj(Field):
    """A JSON object (the tablet's verdict); kept as sent."""

    def check(self, value, path, errors):
        if not isinstance(value, Mapping):
            errors.append(field_error(path, "not_object", "must be an object"))
            return INVALID
        return value


