"""French public holidays ("jours fériés légaux"), computed for any year from the law's list and the date of Easter.

The list is the law's own and is the same every year; only the movable holidays move, with Easter:
- Code du travail, art. L3133-1: 1 January, Easter Monday, 1 May, 8 May, Ascension Thursday, Whit Monday,
  14 July, 15 August, 1 November, 11 November, 25 December;
- art. L3134-13 (local law of the Bas-Rhin, Haut-Rhin and Moselle): also Good Friday and 26 December.

Whit Monday stays a public holiday even where an employer makes it the "journée de solidarité" (L3133-7 ff.).
Why this is a constant cited to the law rather than a table of `data/`: see docs/adr/0009-public-holidays.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

# (month, day, name) of the holidays on a fixed date — Code du travail, art. L3133-1.
FIXED_HOLIDAYS: Final = (
    (1, 1, "Jour de l'an"),
    (5, 1, "Fête du travail"),
    (5, 8, "Victoire 1945"),
    (7, 14, "Fête nationale"),
    (8, 15, "Assomption"),
    (11, 1, "Toussaint"),
    (11, 11, "Armistice 1918"),
    (12, 25, "Noël"),
)
# (days after Easter Sunday, name) of the movable holidays — Code du travail, art. L3133-1.
EASTER_HOLIDAYS: Final = (
    (1, "Lundi de Pâques"),
    (39, "Ascension"),
    (50, "Lundi de Pentecôte"),
)
# Local law of Alsace-Moselle — Code du travail, art. L3134-13. Good Friday is a holiday there "in the communes
# that have a Protestant church or a mixed church"; it is applied to the whole of the three départements.
ALSACE_MOSELLE_DEPARTEMENTS: Final = frozenset({"57", "67", "68"})
ALSACE_MOSELLE_FIXED_HOLIDAYS: Final = ((12, 26, "Saint-Étienne"),)
ALSACE_MOSELLE_EASTER_HOLIDAYS: Final = ((-2, "Vendredi saint"),)

# The Gregorian computus below is valid from the first Gregorian Easter on.
FIRST_GREGORIAN_YEAR: Final = 1583


@dataclass(frozen=True)
class PublicHoliday:
    day: dt.date
    name: str


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a year of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus: the first
    Sunday after the ecclesiastical full moon falling on or after 21 March)."""
    if year < FIRST_GREGORIAN_YEAR:
        raise ValueError(f"year must be {FIRST_GREGORIAN_YEAR} or later")
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late_correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * late_correction + 114, 31)
    return dt.date(year, month, day + 1)


def applies_alsace_moselle(departement: str) -> bool:
    """The INSEE code of a département of Alsace-Moselle (Moselle 57, Bas-Rhin 67, Haut-Rhin 68)."""
    return departement.strip() in ALSACE_MOSELLE_DEPARTEMENTS


@lru_cache(maxsize=128)
def public_holidays(year: int, departement: str = "") -> tuple[PublicHoliday, ...]:
    """The public holidays of a year in date order: the national ones, plus those of Alsace-Moselle when
    `departement` is 57, 67 or 68 (any other code, or none, gives the national list)."""
    fixed = list(FIXED_HOLIDAYS)
    movable = list(EASTER_HOLIDAYS)
    if applies_alsace_moselle(departement):
        fixed += ALSACE_MOSELLE_FIXED_HOLIDAYS
        movable += ALSACE_MOSELLE_EASTER_HOLIDAYS
    easter = easter_sunday(year)
    holidays = [PublicHoliday(dt.date(year, month, day), name) for month, day, name in fixed]
    holidays += [PublicHoliday(easter + dt.timedelta(days=offset), name) for offset, name in movable]
    return tuple(sorted(holidays, key=lambda holiday: holiday.day))


@lru_cache(maxsize=128)
def public_holiday_dates(year: int, departement: str = "") -> frozenset[dt.date]:
    return frozenset(holiday.day for holiday in public_holidays(year, departement))


def is_public_holiday(day: dt.date, departement: str = "") -> bool:
    return day in public_holiday_dates(day.year, departement)


def public_holidays_between(start: dt.date, end: dt.date, departement: str = "") -> list[dt.date]:
    """Public holidays from `start` to `end`, both included, in date order."""
    return sorted(
        day
        for year in range(start.year, end.year + 1)
        for day in public_holiday_dates(year, departement)
        if start <= day <= end
    )
