"""Checks of what an officer types into the inspection form, with readable messages."""
from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from codes import CodeError, parse_any
from device.entry import unit_choices as device_unit_choices
from kivy_client.presenters.base import PresenterError


def check_credit_code(text: str) -> str:
    """Return the 统一社会信用代码 (GB 32100-2015) in canonical form.

    Raises PresenterError naming what is wrong: length, characters or the check character
    (with the one expected)."""
    number = uscc.compact(text or "")
    try:
        return uscc.validate(number)
    except InvalidLength as exc:
        raise PresenterError(f"统一社会信用代码应为18位，实为{len(number)}位 / the credit code must have "
                             f"18 characters") from exc
    except InvalidChecksum as exc:
        expected = uscc.calc_check_digit(number[:-1])
        raise PresenterError(f"统一社会信用代码校验位错误：应为 {expected}，实为 {number[-1]} / wrong check "
                             f"character") from exc
    except InvalidFormat as exc:
        raise PresenterError("统一社会信用代码含不允许的字符（不使用 I、O、Z、S、V） / invalid characters") from exc
    except ValidationError as exc:
        raise PresenterError(f"统一社会信用代码无效：{exc} / invalid credit code") from exc


def check_gtin(text: str) -> str | None:
    """Return the GTIN-14 of a scanned/typed code, or None for an empty field.

    Raises PresenterError with codes' message (e.g. the expected check digit)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = parse_any(text)
    except CodeError as exc:
        raise PresenterError(f"商品条码无效：{exc.message}") from exc
    if not parsed.gtin:
        raise PresenterError("该码不含商品条码（GTIN） / no GTIN in the code")
    return parsed.gtin


def unit_choices(unit: str | None) -> list[str]:
    """Return the units a value may be entered in (device.entry.unit_choices)."""
    return list(device_unit_choices(unit))
