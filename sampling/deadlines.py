"""Working-day deadlines in China: public holidays and the weekend days worked instead
(调休) come from the `holidays` package's China calendar (State Council notices; years
not yet announced get the statutory holidays without swaps).

    working_day_deadline(date(2025, 9, 30), 3) -> date(2025, 10, 11)   # 10-01…08 off, Sat 10-11 worked

Used for the publication deadline of 双随机 results (default 20 working days after the
result is made; sources in docs/sampling.md).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from sampling.errors import SamplingError

PUBLICATION_WORKING_DAYS = 20


@lru_cache(maxsize=8)
def _calendar(first_year: int, last_year: int) -> holidays.HolidayBase:
    return holidays.China(years=range(first_year, last_year + 1))


def is_working_day(day: date) -> bool:
    """True when `day` is a working day in China (weekday not a holiday, or a swapped weekend day)."""
    return _calendar(day.year, day.year).is_working_day(day)


def working_day_deadline(start: date, working_days: int) -> date:
    """Return the date `working_days` working days after `start` (start itself not counted);
    raises SamplingError for a negative count."""
    if working_days < 0:
        raise SamplingError(f"工作日数不能为负：{working_days} (working days must be ≥ 0)")
    if working_days == 0:
        return start
    calendar = _calendar(start.year, start.year + 1 + working_days // 200)
    return calendar.get_nth_working_day(start, working_days)


def working_days_between(start: date, end: date) -> int:
    """Number of working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    calendar = _calendar(start.year, end.year)
    return calendar.get_working_days_count(start, end) - (1 if calendar.is_working_day(start) else 0)
