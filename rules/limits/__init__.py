"""Limits as standards write them, parsed into typed limits (GB/T 8170-2008 §4.2)."""
from rules.limits.parser import parse_limit
from rules.limits.types import (
    Bound,
    EnumLimit,
    GradeLimit,
    Limit,
    NotDetectedLimit,
    NumericLimit,
    format_decimal,
    grade_rank,
    grade_text,
)

__all__ = [
    "Bound", "EnumLimit", "GradeLimit", "Limit", "NotDetectedLimit", "NumericLimit",
    "format_decimal", "grade_rank", "grade_text", "parse_limit",
]
