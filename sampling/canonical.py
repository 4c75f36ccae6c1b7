"""Canonical JSON and SHA-256 digests: how every hash in a draw is computed.

canonical_json(value) is UTF-8 JSON with object keys sorted by code point, no spaces
(separators "," and ":"), non-ASCII characters written as themselves (not \\u escapes).
Only null, booleans, integers, strings, arrays and objects may appear: numbers that are
not integers (ratios) are strings, so no float formatting ever enters a digest. For these
values the output is the same as RFC 8785 (JSON Canonicalization Scheme) except that JCS
escapes nothing but what JSON requires, as here, and sorts keys by UTF-16 units — the two
orders agree for the ASCII keys used in draws.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from sampling.errors import SamplingError


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        raise SamplingError(f"规范化 JSON 中不允许小数，请写成字符串：{path} (floats are not allowed: {path})")
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SamplingError(f"JSON 对象的键必须是字符串：{path} (object keys must be strings)")
            _check(item, f"{path}.{key}")
        return
    raise SamplingError(f"无法写入规范化 JSON 的值：{path} ({type(value).__name__})")


def canonical_json(value: Any) -> bytes:
    """Return the canonical UTF-8 JSON bytes of `value`; raises SamplingError for floats or
    other values JSON cannot hold."""
    _check(value, "$")
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(value: Any) -> str:
    """Return the lower-case hex SHA-256 of canonical_json(value); raises SamplingError."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
