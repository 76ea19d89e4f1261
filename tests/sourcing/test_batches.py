"""Batches of notifications until the target of interested suppliers, at most two reminders, nothing after the
deadline nor once closed; e-mails captured in mail.outbox, inbox notifications in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from relais.core.models import Notification
from relais.core.schedule import registered_jobs
from relais.sourcing.batches import need_match, need_notify_batch, need_send_reminders, sourcing_due_work
from relais.sourcing.enums import Answer, NeedStatus
from relais.sourcing.models import NeedMatch, SourcingNeed
from relais.sourcing.services import need_answer, need_close

from ..conftest import Personas
from .conftest import Reachable, reachable_supplier

DAY = dt.timedelta(days=1)


@pytest.fixture
def suppliers(personas: Personas, need: SourcingNeed) -> list[Reachable]:
    found = [reachable_supplier(f"Structure {n:02d}", network=personas.network) for n in range(7)]
    SourcingNeed.objects.filter(pk=need.pk).update(status=NeedStatus.VALIDATED, interested_target=2)
    need.refresh_from_db()
    need_match(need=need)
    return found


def emailed(since: int = 0) -> list[str]:
    return sorted(address for message in mail.outbox[since:] for address in message.to)


def answer(match: NeedMatch, value: str, now: dt.datetime) -> None:
    account = Notification.objects.filter(
        url__contains=str(match.need.public_id), recipient__network_roles__organisation=match.supplier
    ).first()
    assert account is not None
    need_answer(
        match=match,
        by=account.recipient,
        answer=value,
        reason="Pas le temps." if value == Answer.NOT_INTERESTED else "",
        now=now,
    )


def test_batches_go_best_first_and_stop_at_the_target(
    need: SourcingNeed, suppliers: list[Reachable], django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert need_notify_batch(need=need, batch_size=3, now=start) == 3
    first = list(need.matches.filter(batch=1))
    assert len(first) == 3
    assert len(emailed()) == 3
    assert Notification.objects.filter(url__contains=str(need.public_id)).count() == 3

    # Not due again before the interval unless the whole batch answered.
    assert sourcing_due_work(now=start + DAY, batch_size=3).notified == 0
    with django_capture_on_commit_callbacks(execute=True):
        answer(first[0], Answer.INTERESTED, start + DAY)
        answer(first[1], Answer.NOT_INTERESTED, start + DAY)
        answer(first[2], Answer.NOT_INTERESTED, start + DAY)
        assert sourcing_due_work(now=start + DAY, batch_size=3).notified == 3
    second = list(need.matches.filter(batch=2))
    assert len(second) == 3
    with django_capture_on_commit_callbacks(execute=True):
        answer(second[0], Answer.INTERESTED_GROUP, start + 2 * DAY)
    # Two interested suppliers: the target is reached, the seventh supplier is never asked, nobody is reminded.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        work = sourcing_due_work(now=start + 10 * DAY, batch_size=3)
    assert (work.notified, work.reminders) == (0, 0)
    assert len(mail.outbox) == sent
    assert need.matches.filter(notified_at__isnull=True).count() == 1


def test_next_batch_after_the_interval_and_at_most_two_reminders(
    need: SourcingNeed, suppliers: list[Reachable], django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now()
    need_notify_batch(need=need, batch_size=5, now=start)
    with django_capture_on_commit_callbacks(execute=True):
        work = sourcing_due_work(now=start + 3 * DAY + dt.timedelta(minutes=1), batch_size=5)
    # The second batch (the last 2) goes, and the first 5 get their first reminder.
    assert (work.notified, work.reminders) == (2, 5)
    assert sum("Rappel" in message.subject for message in mail.outbox) == 5
    first = need.matches.filter(batch=1).first()
    assert first is not None
    with django_capture_on_commit_callbacks(execute=True):
        answer(first, Answer.NOT_INTERESTED, start + 4 * DAY)
    assert need_send_reminders(now=start + 4 * DAY) == 0
    # Seven days on: the second reminder to the 4 still silent of the first batch, the first one to the second
    # batch (notified 3 days later) …
    assert need_send_reminders(now=start + 7 * DAY + dt.timedelta(minutes=1)) == 6
    # … the second batch's second reminder, and never a third one.
    assert need_send_reminders(now=start + 20 * DAY) == 2
    assert need_send_reminders(now=start + 25 * DAY) == 0
    assert set(NeedMatch.objects.filter(need=need).values_list("reminders_sent", flat=True)) <= {0, 1, 2}
    assert NeedMatch.objects.filter(need=need, answer="", reminders_sent=2).count() == 6


def test_nothing_after_the_deadline_nor_once_closed(
    personas: Personas, need: SourcingNeed, suppliers: list[Reachable]
) -> None:
    after_deadline = timezone.now() + 31 * DAY
    assert need_notify_batch(need=need, now=after_deadline) == 0
    assert sourcing_due_work(now=after_deadline).notified == 0
    start = timezone.now()
    need_notify_batch(need=need, batch_size=2, now=start)
    assert need_send_reminders(now=after_deadline) == 0
    need_close(need=need, by=personas.member)
    assert need_send_reminders(now=start + 4 * DAY) == 0
    assert sourcing_due_work(now=start + 4 * DAY).notified == 0


def test_the_hourly_job_is_registered() -> None:
    job = next(job for job in registered_jobs() if job.name == "sourcing.batches")
    assert "toutes les heures" in str(job.schedule)
