"""JSON text for the tablet: orjson when it is installed (desktop, the server's tests, the
fleet runs), else the standard library (Android: orjson is a Rust extension with no
python-for-android recipe). Both write the same compact UTF-8 text, non-string keys as
strings, so a store written by one reads with the other (docs/decisions.md).

    dumps(value) -> str     dumpb(value) -> bytes     loads(text or bytes)
"""
from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:          # the tablet's build has no orjson: the standard library writes the same text
    orjson = None

#: what `loads` raises on text that is not JSON (both libraries' error is a ValueError)
JSONDecodeError = ValueError


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(value: Any) -> str:
    """Return compact JSON text (UTF-8, not ASCII-escaped, keys in their order). Raises
    TypeError for a value JSON cannot hold, ValueError for NaN/Infinity."""
    if orjson is not None:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    return _compact(value)


def dumpb(value: Any) -> bytes:
    """Return `dumps(value)` as UTF-8 bytes (a request body)."""
    if orjson is not None:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    return _compact(value).encode("utf-8")


def loads(text: str | bytes | bytearray | memoryview) -> Any:
    """Return the value of JSON text. Raises JSONDecodeError (a ValueError)."""
    if orjson is not None:
        return orjson.loads(text)
    if isinstance(text, memoryview):
        text = text.tobytes()
    return json.loads(text)
