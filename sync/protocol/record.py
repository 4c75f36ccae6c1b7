"""A pushed entity's schema, `Record` (its fields in order, checked into a `CheckedRecord`),
the fields that hold records (`Nested`, `Items`), and the checks every value of a record
passes, declared or not (`hostile_errors`, `is_clean_text`). The field types are in
`sync.protocol.fields`; the entities themselves in `sync.protocol.schema`.

    Record("officer", (Text("name", required=True, blank=False), ...)).check(data)
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sync.protocol.field_errors import FieldError, field_error
from sync.protocol.fields import INVALID, Field, list_ok

#: characters no text field may hold: lone surrogates (not encodable), C0 controls but tab,
#: line feed and carriage return (NUL is refused by PostgreSQL), DEL
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: any string in a record, declared or not, is at most this long; nesting at most this deep
MAX_ANY_TEXT = 10_000
MAX_RECORD_DEPTH = 8


def is_clean_text(value: Any, max_length: int = 200) -> bool:
    """Return True when `value` is a string of at most `max_length` characters holding no
    character a text field may not hold (safe to look up in a database)."""
    return isinstance(value, str) and len(value) <= max_length and _BAD_CHARS_RE.search(value) is None


def _looks_hostile(data: Any) -> bool:
    """Return False when `data` surely holds no value `hostile_errors` reports: the fast
    pass every record takes (plain JSON types only, no paths built); True sends it to
    `hostile_errors`, which decides and names the paths. Iterative; raises nothing."""
    bad, stack = _BAD_CHARS_RE.search, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str:
            if len(value) > MAX_ANY_TEXT or bad(value) is not None:
                return True
        elif kind is dict:
            if depth >= MAX_RECORD_DEPTH:
                return True
            for key, child in value.items():
                if type(key) is not str or len(key) > 200 or bad(key) is not None:
                    return True
                stack.append((child, depth + 1))
        elif kind is list:
            if depth >= MAX_RECORD_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in value)
        elif kind is float:
            if not math.isfinite(value):
                return True
        elif value is not None and kind is not int and kind is not bool:
            return True                     # any other type: the full check decides
    return False


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



# ---- fields holding records ---------------------------------------------------------

@dataclass(frozen=True)
class Nested(Field):
    """One object following `record` (the party of an inspection)."""

    record: Record | None = None

    def check(self, value, path, errors):
        checked = self.record.check(value, path=path)
        errors.extend(checked.errors)
        return checked.values if checked.ok else INVALID


@dataclass(frozen=True)
class Items(Field):
    """A list of at most `max_items` records of `record` (products, initial findings)."""

    record: Record | None = None
    max_items: int = 100

    def check(self, value, path, errors):
        if not list_ok(value, path, errors, self.max_items):
            return INVALID
        out, before = [], len(errors)
        for n, item in enumerate(value):
            checked = self.record.check(item, path=f"{path}.{n}")
            errors.extend(checked.errors)
            out.append(checked.values)
        return out if len(errors) == before else INVALID


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
        if _looks_hostile(data):
            hostile = hostile_errors(data, path)
            if hostile:
                return CheckedRecord({}, tuple(hostile))
        values = dict(data)
        errors: list[FieldError] = []
        for spec in self.fields:
            value = data.get(spec.name)
            if value is None or value == "":
                if spec.required:
                    errors.append(field_error(f"{path}.{spec.name}", "required", "required"))
                continue
            clean = spec.check(value, f"{path}.{spec.name}", errors)
            if clean is not INVALID:
                values[spec.name] = clean
        if item_id is not None and "id" in data and data.get("id") != item_id:
            errors.append(field_error(f"{path}.id", "id_mismatch", "must equal the item id"))
        return CheckedRecord(values, tuple(errors))
