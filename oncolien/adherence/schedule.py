"""The planned contacts of a plan: one rule, pure, on calendar dates.

Dates are days of the Paris calendar (what the nurse writes in her diary); each is
counted from the start date, never from the previous one, so that a 31st does not
drift to the 28th after February.
"""

from __future__ import annotations

import calendar
from datetime import date

MONTHS_PER_YEAR = 12


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, on the last day of the month when the day
    does not exist there (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_dates(
    *,
    start: date,
    years: int,
    interval_months: int,
    first_year_interval_months: int | None = None,
) -> list[date]:
    """Every planned contact from `start` to the end of the treatment (`years` later,
    that day included): every `first_year_interval_months` in the first year (when
    given), then every `interval_months` from the first anniversary.

    E.g. 5 years, every 3 months the first year then every 6 months: months 3, 6, 9,
    12, 18, 24, … 60 — 12 contacts.
    """
    if years < 1 or interval_months < 1:
        raise ValueError("years and interval_months must be positive")
    first = first_year_interval_months or interval_months
    total = years * MONTHS_PER_YEAR
    offsets: list[int] = []
    month = first
    while month < MONTHS_PER_YEAR and month <= total:
        offsets.append(month)
        month += first
    month = MONTHS_PER_YEAR if first_year_interval_months else month
    while month <= total:
        offsets.append(month)
        month += interval_months
    return [add_months(start, offset) for offset in offsets]


def end_of(start: date, years: int) -> date:
    return add_months(start, years * MONTHS_PER_YEAR)
