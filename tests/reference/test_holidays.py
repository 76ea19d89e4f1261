"""French public holidays computed from the law's list and the Gregorian computus."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.reference.holidays import (
    easter_sunday,
    is_public_holiday,
    public_holiday_dates,
    public_holidays,
    public_holidays_between,
)


@pytest.mark.parametrize(
    "easter",
    [
        dt.date(1818, 3, 22),  # the earliest possible date
        dt.date(1943, 4, 25),  # the latest possible date
        dt.date(2000, 4, 23),
        dt.date(2019, 4, 21),
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
        dt.date(2027, 3, 28),
        dt.date(2038, 4, 25),
        dt.date(2285, 3, 22),
    ],
)
def test_easter_sunday(easter: dt.date) -> None:
    assert easter_sunday(easter.year) == easter
    assert easter.weekday() == 6


def test_easter_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="1583"):
        easter_sunday(1500)


def test_the_eleven_national_holidays_of_2026() -> None:
    assert [(holiday.day, holiday.name) for holiday in public_holidays(2026)] == [
        (dt.date(2026, 1, 1), "Jour de l'an"),
        (dt.date(2026, 4, 6), "Lundi de Pâques"),
        (dt.date(2026, 5, 1), "Fête du travail"),
        (dt.date(2026, 5, 8), "Victoire 1945"),
        (dt.date(2026, 5, 14), "Ascension"),
        (dt.date(2026, 5, 25), "Lundi de Pentecôte"),
        (dt.date(2026, 7, 14), "Fête nationale"),
        (dt.date(2026, 8, 15), "Assomption"),
        (dt.date(2026, 11, 1), "Toussaint"),
        (dt.date(2026, 11, 11), "Armistice 1918"),
        (dt.date(2026, 12, 25), "Noël"),
    ]


def test_movable_holidays_follow_easter() -> None:
    assert {dt.date(2027, 3, 29), dt.date(2027, 5, 6), dt.date(2027, 5, 17)} <= public_holiday_dates(2027)
    assert dt.date(2027, 3, 26) not in public_holiday_dates(2027)  # Good Friday: Alsace-Moselle only


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_adds_good_friday_and_26_december(departement: str) -> None:
    local = public_holiday_dates(2027, departement)
    assert local - public_holiday_dates(2027) == {dt.date(2027, 3, 26), dt.date(2027, 12, 26)}
    assert is_public_holiday(dt.date(2026, 12, 26), departement)
    assert [holiday.name for holiday in public_holidays(2026, departement)][1] == "Vendredi saint"


@pytest.mark.parametrize("departement", ["", "35", "54", "2A", "974"])
def test_elsewhere_the_national_list_applies(departement: str) -> None:
    assert public_holiday_dates(2026, departement) == public_holiday_dates(2026)
    assert not is_public_holiday(dt.date(2026, 12, 26), departement)


def test_holidays_between_spans_years() -> None:
    assert public_holidays_between(dt.date(2026, 12, 20), dt.date(2027, 1, 5)) == [
        dt.date(2026, 12, 25),
        dt.date(2027, 1, 1),
    ]
    assert public_holidays_between(dt.date(2026, 5, 14), dt.date(2026, 5, 14)) == [dt.date(2026, 5, 14)]
    assert public_holidays_between(dt.date(2026, 5, 15), dt.date(2026, 5, 24)) == []
