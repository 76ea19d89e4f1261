import datetime as dt

import pytest

from relais.helpdesk import services
from relais.helpdesk.models import HelpdeskSettings, Question
from relais.helpdesk.workdays import add_working_days, is_working_day, working_days_between

from ..conftest import Personas
from .conftest import member_organisation

FRIDAY = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (FRIDAY, 2, dt.date(2026, 3, 10)),  # Friday + 2 working days → Tuesday
        (FRIDAY, 1, dt.date(2026, 3, 9)),  # → Monday
        (dt.date(2026, 3, 7), 2, dt.date(2026, 3, 10)),  # Saturday → Tuesday
        (dt.date(2026, 3, 8), 1, dt.date(2026, 3, 9)),  # Sunday → Monday
        (dt.date(2026, 3, 2), 5, dt.date(2026, 3, 9)),  # Monday + 5 → next Monday
        (dt.date(2026, 3, 4), 10, dt.date(2026, 3, 18)),  # two full weeks
        (FRIDAY, 0, FRIDAY),
        # Public holidays are not working days (Code du travail, art. L3133-1).
        (dt.date(2026, 5, 13), 2, dt.date(2026, 5, 18)),  # Thursday before Ascension (14th), Friday 15th, Monday
        (dt.date(2026, 5, 13), 1, dt.date(2026, 5, 15)),
        (dt.date(2026, 12, 23), 2, dt.date(2026, 12, 28)),  # Wednesday; Christmas on the Friday
        (dt.date(2026, 12, 24), 1, dt.date(2026, 12, 28)),
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # New Year's Eve (Thursday): 1 January is a Friday
        (dt.date(2027, 3, 26), 1, dt.date(2027, 3, 30)),  # Friday; Easter Monday 29 March
        (dt.date(2027, 3, 25), 3, dt.date(2027, 3, 31)),
        (dt.date(2026, 5, 22), 1, dt.date(2026, 5, 26)),  # Friday before Whit Monday (25 May)
        (dt.date(2026, 4, 30), 5, dt.date(2026, 5, 11)),  # 1 May and 8 May, both Fridays
        (dt.date(2026, 11, 10), 1, dt.date(2026, 11, 12)),  # Armistice, a Wednesday
    ],
)
def test_add_working_days(start: dt.date, days: int, due: dt.date) -> None:
    assert add_working_days(start, days) == due


def test_negative_days_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        add_working_days(FRIDAY, -1)


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 5, 14), dt.date(2026, 12, 25), dt.date(2027, 3, 29), dt.date(2026, 11, 11), dt.date(2026, 7, 14)],
)
def test_public_holidays_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert is_working_day(day - dt.timedelta(days=7))


def test_holiday_on_a_weekend_takes_no_working_day() -> None:
    # 15 August 2026 is a Saturday, 1 November 2026 a Sunday: the target is the same as without them.
    assert add_working_days(dt.date(2026, 8, 14), 1) == dt.date(2026, 8, 17)
    assert add_working_days(dt.date(2026, 10, 30), 1) == dt.date(2026, 11, 2)


def test_working_days_between_is_the_inverse_across_holidays() -> None:
    assert working_days_between(dt.date(2026, 5, 13), dt.date(2026, 5, 18)) == 2
    assert working_days_between(dt.date(2026, 12, 23), dt.date(2026, 12, 28)) == 2
    assert working_days_between(dt.date(2026, 5, 14), dt.date(2026, 5, 14)) == 0
    assert working_days_between(dt.date(2026, 5, 18), dt.date(2026, 5, 13)) == 0
    # Every start over a year of holidays and every target up to 60 days (the settings' maximum).
    for offset in range(0, 400, 3):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        for days in (0, 1, 2, 5, 13, 60):
            assert working_days_between(start, add_working_days(start, days)) == days, (start, days)


def test_overdue_flag_on_the_model() -> None:
    question = Question(status="new", due_on=dt.date(2026, 3, 10))
    assert not question.is_overdue(dt.date(2026, 3, 10))  # due today: not yet late
    assert question.is_overdue(dt.date(2026, 3, 11))
    question.first_answered_at = dt.datetime(2026, 3, 9, tzinfo=dt.UTC)
    assert not question.is_overdue(dt.date(2026, 3, 11))
    question.first_answered_at, question.status = None, "closed"
    assert not question.is_overdue(dt.date(2026, 3, 11))


def test_question_asked_before_ascension_is_due_after_the_bridge(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The due date a question gets when asked, and the overdue flag of the inbox, skip the public holiday."""
    HelpdeskSettings.objects.create(network=personas.network, first_answer_days=2)
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: dt.date(2026, 5, 13))  # Thursday
    question = services.question_ask(
        network=personas.network,
        organisation=member_organisation(personas),
        asker=personas.member,
        category="legal",
        title="Question de la veille de l'Ascension",
        text="…",
    )
    monkeypatch.undo()
    assert question.due_on == dt.date(2026, 5, 18)
    assert not Question.objects.overdue(dt.date(2026, 5, 18)).exists()
    assert list(Question.objects.overdue(dt.date(2026, 5, 19))) == [question]
