import datetime as dt

import pytest

from relais.helpdesk.models import Question
from relais.helpdesk.workdays import add_working_days

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
    ],
)
def test_add_working_days(start: dt.date, days: int, due: dt.date) -> None:
    assert add_working_days(start, days) == due


def test_negative_days_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        add_working_days(FRIDAY, -1)


def test_overdue_flag_on_the_model() -> None:
    question = Question(status="new", due_on=dt.date(2026, 3, 10))
    assert not question.is_overdue(dt.date(2026, 3, 10))  # due today: not yet late
    assert question.is_overdue(dt.date(2026, 3, 11))
    question.first_answered_at = dt.datetime(2026, 3, 9, tzinfo=dt.UTC)
    assert not question.is_overdue(dt.date(2026, 3, 11))
    question.first_answered_at, question.status = None, "closed"
    assert not question.is_overdue(dt.date(2026, 3, 11))
