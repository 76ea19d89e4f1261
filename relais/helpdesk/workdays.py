"""Working days (Monday to Friday) for the helpdesk's first-answer target.

Public holidays are not taken out: networks set their target in working days and a holiday rarely moves a
question from "on time" to "overdue"; a dated holiday table can be added to `relais.reference` if they ask for it.
"""

from __future__ import annotations

import datetime as dt

SATURDAY = 5


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day of asking does not count, whatever day it is).

    A question asked on a Friday with a 2-day target is due on the Tuesday; asked on a Saturday, also Tuesday.
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
