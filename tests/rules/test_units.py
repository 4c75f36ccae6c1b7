"""rules.units: Pint-backed Decimal conversion."""
from __future__ import annotations

from decimal import Decimal

import pytest

from rules.errors import RulesError, UnitConversionError
from rules.units import UNITS, convert, normalize_unit, units_equal


@pytest.mark.parametrize("value, source, target, expected", [
    ("20", "mg/kg", "ppm", "20"),
    ("20", "ppm", "mg/kg", "20"),
    ("20", "mg/kg", "µg/g", "20"),     # micro sign
    ("20", "mg/kg", "μg/g", "20"),     # Greek mu
    ("20", "mg/kg", "ug/g", "20"),
    ("36", "km/h", "m/s", "10"),
    ("10", "m/s", "km/h", "36"),
    ("0.01", "mg/L", "µg/L", "10"),
    ("5", "%", "g/100g", "5"),
    ("5", "g/100 g", "%", "5"),
    ("0.1", "%", "mg/kg", "1000"),
    ("1", "mg/100g", "mg/kg", "10"),
    ("0.124", "mg/m³", "µg/m3", "124"),
    ("10", "mg/dm²", "mg/dm2", "10"),
    ("100", "CFU/mL", "CFU/L", "100000"),
    ("1", "NTU", "NTU", "1"),
    ("3.5", "级", "级", "3.5"),
    ("25", "℃", "K", "298.15"),
    ("2", "‰", "%", "0.2"),
])
def test_convert(value, source, target, expected):
    result = convert(Decimal(value), source, target)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


@pytest.mark.parametrize("source, target", [
    ("mg/kg", "km/h"), ("NTU", "mg/L"), ("CFU/mL", "mg/L"), ("wombats", "mg"), ("mg", "mg/"),
])
def test_cannot_convert(source, target):
    with pytest.raises(UnitConversionError) as info:
        convert(Decimal(1), source, target)
    assert isinstance(info.value, RulesError)
    assert (info.value.from_unit, info.value.to_unit) == (source, target)
    assert str(info.value).startswith("单位无法换算")


def test_registry_uses_decimal():
    assert UNITS.non_int_type is Decimal


def test_units_equal():
    assert units_equal("mg/kg", "ppm") and units_equal("mg/kg", "µg/g")
    assert not units_equal("mg/kg", "%") and not units_equal("mg/kg", None)


@pytest.mark.parametrize("unit, expected", [("μg/g", "ug/g"), ("g/100g", "g/(100 g)"), ("mg/dm2", "mg/dm**2"),
                                            ("级", "grade"), ("ｍｇ/ｋｇ", "mg/kg")])
def test_normalize_unit(unit, expected):
    assert normalize_unit(unit) == expected
