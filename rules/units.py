"""Unit conversion with Pint, in Decimal.

One UnitRegistry (non_int_type=Decimal) is built at import. Pint lacks a few units that
standards use; they are defined here: NTU (turbidity), CFU (colony-forming units), 级
(a dimensionless grade). ppm, %, ‰ and mg/dm² come from Pint itself (ppm = 10⁻⁶, a mass
fraction when compared with mg/kg). Multiplicative conversion factors are cached per pair
of unit strings, so converting many values costs one Decimal multiplication each.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pint

from rules.errors import UnitConversionError
from rules.numbers import DECIMAL_CONTEXT, normalize_text

UNITS = pint.UnitRegistry(non_int_type=Decimal, autoconvert_offset_to_baseunit=True)
UNITS.define("nephelometric_turbidity_unit = [turbidity] = NTU")
UNITS.define("colony_forming_unit = [colony] = CFU = cfu")
UNITS.define("grade = [] = 级")

_ALIASES = {
    "": "dimensionless", "级": "grade", "度": "degree", "‰": "permille", "℃": "degC",
    "个": "count", "倍": "dimensionless",
}
_PER_AMOUNT_RE = re.compile(r"/\s*(\d+(?:\.\d+)?)\s*([A-Za-zµμ]+)")
_POWER_RE = re.compile(r"(?<=[A-Za-z])([23])(?![\d.])")


def normalize_unit(unit: str) -> str:
    """Return `unit` in a spelling Pint reads: "μg/g" / "µg/g" -> "ug/g", "g/100g" -> "g/(100 g)",
    full-width characters made plain, "级" -> "grade"."""
    text = normalize_text(unit).strip()
    if text in _ALIASES:
        return _ALIASES[text]
    text = text.replace("μ", "u").replace("µ", "u").replace("·", "*")
    text = _POWER_RE.sub(r"**\1", text)
    return _PER_AMOUNT_RE.sub(r"/(\1 \2)", text)


@lru_cache(maxsize=512)
def _parse(unit: str):
    try:
        quantity = UNITS.parse_expression(normalize_unit(unit))
        if not isinstance(quantity, UNITS.Quantity):
            quantity = UNITS.Quantity(Decimal(quantity), "dimensionless")
        return quantity
    except Exception as exc:  # Pint raises several error types (UndefinedUnitError, syntax...)
        raise UnitConversionError(unit, None, f"未知单位 (unknown unit: {exc})") from exc


def units_equal(a: str | None, b: str | None) -> bool:
    """Return True when two unit strings are the same unit (fast path: identical text)."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    try:
        return _linear(a, b) is not None and conversion_factor(a, b) == 1
    except UnitConversionError:
        return False


def _exact_enough(number: Decimal) -> bool:
    return len(number.normalize(DECIMAL_CONTEXT).as_tuple().digits) <= 20


@lru_cache(maxsize=512)
def _linear(from_unit: str, to_unit: str) -> tuple[Decimal, Decimal] | None:
    """Return (multiplier, divisor) with value_in_to = value × multiplier ÷ divisor, choosing the
    direction whose factor is exact (km/h -> m/s divides by 3.6 rather than multiplying by
    0.2777…); None for offset units (°C). Raises UnitConversionError."""
    try:
        source, target = _parse(from_unit), _parse(to_unit)
    except UnitConversionError as exc:
        raise UnitConversionError(from_unit, to_unit, exc.detail) from exc
    if source.units == target.units and source.magnitude == target.magnitude:
        return Decimal(1), Decimal(1)
    try:
        forward = Decimal(UNITS.Quantity(Decimal(1), source.units).to(target.units).magnitude)
        backward = Decimal(UNITS.Quantity(Decimal(1), target.units).to(source.units).magnitude)
        zero = UNITS.Quantity(Decimal(0), source.units).to(target.units).magnitude
    except pint.DimensionalityError as exc:
        raise UnitConversionError(
            from_unit, to_unit, f"量纲不同 (different dimensions: {exc.dim1} vs {exc.dim2})") from exc
    except Exception as exc:  # pragma: no cover - Pint internals
        raise UnitConversionError(from_unit, to_unit, str(exc)) from exc
    if zero != 0:
        return None
    scale_from, scale_to = Decimal(source.magnitude), Decimal(target.magnitude)
    if _exact_enough(forward) or not _exact_enough(backward):
        return forward * scale_from, scale_to
    return scale_from, backward * scale_to


def conversion_factor(from_unit: str, to_unit: str) -> Decimal | None:
    """Return the Decimal factor f with value_in_to = value_in_from × f, or None when the
    conversion is not a pure factor (offset units such as °C). Raises UnitConversionError."""
    linear = _linear(from_unit, to_unit)
    if linear is None:
        return None
    return DECIMAL_CONTEXT.divide(*linear)


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Return `value` (in `from_unit`) expressed in `to_unit`, as a Decimal.

    mg/kg ↔ ppm ↔ µg/g, km/h ↔ m/s, mg/L ↔ µg/L, % ↔ g/100g ... Raises UnitConversionError
    when a unit is unknown or the two units measure different things.
    """
    if from_unit == to_unit:
        return value
    linear = _linear(from_unit, to_unit)
    if linear is not None:
        multiplier, divisor = linear
        result = DECIMAL_CONTEXT.multiply(value, multiplier)
        return result if divisor == 1 else DECIMAL_CONTEXT.divide(result, divisor)
    try:
        source, target = _parse(from_unit), _parse(to_unit)
        result = UNITS.Quantity(value * Decimal(source.magnitude), source.units).to(target.units).magnitude
        result = Decimal(result) / Decimal(target.magnitude)
    except Exception as exc:  # pragma: no cover - conversion_factor already checked it
        raise UnitConversionError(from_unit, to_unit, str(exc)) from exc
    return Decimal(result)
