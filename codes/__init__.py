"""Product codes (pure): GTIN check digits, 统一社会信用代码, GS1 element strings, GS1 Digital Link,
GB/T 33993 商品二维码 forms, EAN-13 bar patterns and the project's standard links.

Imports nothing of ours. Errors derive from `codes.errors.CodeError`.
"""
from codes.credit_code import CreditCodeError, validate_credit_code
from codes.digital_link import DigitalLink, build_digital_link, parse_digital_link
from codes.element_string import build_bracketed, build_element_string, parse_element_string
from codes.errors import CodeError
from codes.gtin import check_digit, china_prefix, gtin14, validate_gtin
from codes.parse import ParsedCode, parse_any, parse_scan
from codes.standard_link import (
    StandardRef,
    build_standard_link,
    parse_standard_link,
    parse_standard_number,
)

__all__ = [
    "CodeError", "CreditCodeError", "DigitalLink", "ParsedCode", "StandardRef", "build_bracketed",
    "build_digital_link", "build_element_string", "build_standard_link", "check_digit",
    "china_prefix", "gtin14", "parse_any", "parse_digital_link", "parse_element_string",
    "parse_scan", "parse_standard_link", "parse_standard_number", "validate_credit_code",
    "validate_gtin",
]
