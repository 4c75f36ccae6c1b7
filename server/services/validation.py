"""Checks on what officers push: 统一社会信用代码 (GB 32100-2015), GTIN, photo hashes, dates.

Each check raises ItemRejected with a Chinese-first message an officer can act on and a
stable `code` for the push answer.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum import ean
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from server.errors import ItemRejected
from sync.protocol import ErrorCode

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def check_credit_code(value: str, field: str = "credit_code") -> str:
    """Return the normalised 18-character 统一社会信用代码; raises ItemRejected."""
    try:
        return uscc.validate(value)
    except InvalidChecksum as exc:
        msg = f"统一社会信用代码校验位错误：{value}（GB 32100-2015）/ credit code check character wrong"
        raise ItemRejected(msg, code=ErrorCode.INVALID_CREDIT_CODE, details={field: ["checksum"]}) from exc
    except (InvalidLength, InvalidFormat, ValidationError) as exc:
        msg = f"统一社会信用代码格式错误：{value!r} 应为18位 / credit code malformed"
        raise ItemRejected(msg, code=ErrorCode.INVALID_CREDIT_CODE, details={field: ["format"]}) from exc


def check_gtin(value: str, field: str = "gtin") -> str:
    """Return the GTIN as 14 digits (left-padded); raises ItemRejected (code invalid_gtin)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) not in (8, 12, 13, 14):
        raise ItemRejected(f"商品条码（GTIN）应为8/12/13/14位数字：{value!r} / GTIN must have 8, 12, 13 or 14 digits",
                           code="invalid_gtin", details={field: ["format"]})
    try:
        ean.validate(text)
    except ValidationError as exc:
        raise ItemRejected(f"商品条码（GTIN）校验位错误：{value} / GTIN check digit wrong",
                           code="invalid_gtin", details={field: ["checksum"]}) from exc
    return text.zfill(14)


def check_photos(photos, field: str = "photos") -> list[str]:
    """Return the photo references (lower-case SHA-256 hex); raises ItemRejected."""
    if photos is None:
        return []
    if not isinstance(photos, list):
        raise ItemRejected("照片引用必须是列表 / photos must be a list", code=ErrorCode.VALIDATION_FAILED,
                           details={field: ["must be a list"]})
    out = []
    for n, ref in enumerate(photos):
        text = ref.get("sha256") if isinstance(ref, dict) else ref
        if not isinstance(text, str) or not SHA256_RE.match(text.lower()):
            raise ItemRejected(f"照片引用不是 SHA-256：第{n + 1}张 / photo reference {n + 1} is not a SHA-256 hex",
                               code=ErrorCode.VALIDATION_FAILED, details={f"{field}.{n}": ["not a SHA-256"]})
        out.append(text.lower())
    return out


def check_date(value, field: str) -> date:
    """Return the date of a "YYYY-MM-DD" string; raises ItemRejected."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ItemRejected(f"日期格式错误：{field}={value!r}（应为 YYYY-MM-DD）/ bad date",
                           code=ErrorCode.VALIDATION_FAILED, details={field: ["YYYY-MM-DD"]}) from exc


def check_position(position, field: str = "position") -> dict | None:
    """Return {"lat": str, "lon": str} (decimal strings) or None; raises ItemRejected."""
    if position is None:
        return None
    try:
        lat, lon = Decimal(str(position["lat"])), Decimal(str(position["lon"]))
    except (KeyError, TypeError, InvalidOperation) as exc:
        raise ItemRejected("位置格式错误 / position must be {lat, lon}", code=ErrorCode.VALIDATION_FAILED,
                           details={field: ["{lat, lon}"]}) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ItemRejected(f"位置超出范围：{lat}, {lon} / position out of range",
                           code=ErrorCode.VALIDATION_FAILED, details={field: ["out of range"]})
    return {"lat": str(lat), "lon": str(lon)}


#: Fields of pushed records that are text (or absent/null). The protocol's shape check
#: (sync.protocol.validate_record) fixes only required keys; a list or object here would
#: otherwise reach lookups, the rules engine or a text column and fail as a server error.
TEXT_FIELDS = {
    "inspection": ("id", "inspected_on", "jurisdiction", "company_name", "credit_code", "address",
                   "product_name", "gtin", "category", "product_class", "manufactured_on", "batch",
                   "standard_code", "edition_id", "note", "status", "device_created_at",
                   "started_at", "ended_at"),
    "finding": ("id", "inspection_id", "indicator_id", "measured", "unit", "ruleset_version", "note",
                "product_class", "device_created_at"),
    "question": ("id", "text", "inspection_id", "indicator_id", "edition_id", "clause", "device_created_at"),
}
OBJECT_FIELDS = {"finding": ("device_verdict",)}


def check_field_types(entity: str, data: dict, prefix: str = "data") -> None:
    """Check that a pushed record's text fields are strings (or null) and its object
    fields objects (or null); returns None, raises ItemRejected (validation_failed) naming
    the first wrong field."""
    errors: dict[str, list[str]] = {}
    for key in TEXT_FIELDS.get(entity, ()):
        if data.get(key) is not None and not isinstance(data[key], str):
            errors[f"{prefix}.{key}"] = ["must be a string"]
    for key in OBJECT_FIELDS.get(entity, ()):
        if data.get(key) is not None and not isinstance(data[key], dict):
            errors[f"{prefix}.{key}"] = ["must be an object"]
    if errors:
        field = next(iter(errors))
        raise ItemRejected(f"字段类型错误：{field} 应为{'文本' if errors[field][0].endswith('string') else '对象'}"
                           f" / {field} {errors[field][0]}", code=ErrorCode.VALIDATION_FAILED, details=errors)
