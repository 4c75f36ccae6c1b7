"""Working-day deadlines follow China's holiday calendar including swapped weekend days."""
from __future__ import annotations

from datetime import date

import pytest

from sampling.deadlines import (
    PUBLICATION_WORKING_DAYS,
    is_working_day,
    working_day_deadline,
    working_days_between,
)
from sampling.errors import SamplingError


@pytest.mark.parametrize("day, working", [
    (date(2025, 10, 1), False),    # National Day
    (date(2025, 10, 8), False),    # swapped day off
    (date(2025, 10, 11), True),    # Saturday worked (调休)
    (date(2025, 1, 26), True),     # Sunday worked before the Spring Festival
    (date(2025, 10, 12), False),   # an ordinary Sunday
    (date(2025, 10, 13), True),
])
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_deadline_across_national_day():
    # 10-09, 10-10, 10-11 (Sat, worked) … the 20th working day after 09-30 is 11-04
    assert working_day_deadline(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert working_day_deadline(date(2025, 9, 30), PUBLICATION_WORKING_DAYS) == date(2025, 11, 4)
    assert working_days_between(date(2025, 9, 30), date(2025, 11, 4)) == 20


def test_deadline_across_a_year_end():
    assert working_day_deadline(date(2025, 12, 24), 20) > date(2026, 1, 1)
    assert working_day_deadline(date(2025, 12, 24), 0) == date(2025, 12, 24)


def test_negative_is_refused():
    with pytest.raises(SamplingError):
        working_day_deadline(date(2025, 1, 1), -1)
    assert working_days_between(date(2025, 2, 1), date(2025, 1, 1)) == 0
