"""Working days for the helpdesk's first-answer target: Monday to Friday, except French public holidays.

The national list of public holidays applies (relais.reference.holidays, Code du travail art. L3133-1): the days
are the answering team's, the network's animators, and a network is defined by régions, not départements, so the
two extra holidays of Alsace-Moselle cannot be told apart for a network of the Grand Est (see ADR 0009).
"""

from __future__ import annotations

import datetime as dt

from relais.reference.holidays import is_public_holiday, public_holidays_between

SATURDAY = 5


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day of asking does not count, whatever day it is).

    A question asked on a Friday with a 2-day target is due on the Tuesday; asked on a Saturday, also Tuesday;
    asked on Thursday 13 May 2026 (Ascension is the 14th), due on Monday the 18th.
    """
    if days < 0:
        raise ValueError("days must be positive")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to `end` included: the inverse of `add_working_days` (a question asked on a
    Friday and answered on the Tuesday took 2 working days; answered the same day, 0)."""
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    weekdays = full_weeks * 5
    day = start
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            weekdays += 1
    first = start + dt.timedelta(days=1)
    holidays = [holiday for holiday in public_holidays_between(first, end) if holiday.weekday() < SATURDAY]
    return weekdays - len(holidays)
