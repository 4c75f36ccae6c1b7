"""Record shapes pushed by devices and UUIDs (field errors, never exceptions)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sync.protocol.constants import RECORD_FIELDS
from sync.protocol.errors import _check, _is_int

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


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
