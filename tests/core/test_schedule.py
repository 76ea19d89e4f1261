"""Periodic jobs: slots computed in the site's time, each slot enqueued once (two schedulers, restarts, downtime),
and the real jobs doing their work through the task queue."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from relais.activity.models import DigestSubscription
from relais.activity.tasks import send_weekly_digest
from relais.core import schedule
from relais.core.models import ScheduledRun
from relais.core.schedule import Hourly, PeriodicJob, Weekly, due_jobs_enqueue, register_job, registered_jobs
from relais.events import services as event_services
from relais.events.tasks import send_event_reminders

from ..conftest import Personas
from ..events.factories import EventFactory
from ..factories import CaseSheetFactory

PARIS = ZoneInfo("Europe/Paris")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TEST_JOB = "tests.count"
RUNS: list[int] = []


@task()
def count_run() -> int:
    """What the test job does: count its runs."""
    RUNS.append(1)
    return len(RUNS)


def paris(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.fixture
def test_job() -> Iterator[PeriodicJob]:
    """A job of the tests, every Monday at 07:00 in Paris, next to the apps' own jobs."""
    job = PeriodicJob(name=TEST_JOB, schedule=Weekly(weekday=0, at=dt.time(7, 0)), task=count_run)
    RUNS.clear()
    register_job(job)
    yield job
    schedule.unregister_job(TEST_JOB)


def runs_of(job: str) -> list[dt.datetime]:
    return list(ScheduledRun.objects.filter(job=job).order_by("slot").values_list("slot", flat=True))


# ── Slots ──────────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        (paris(2026, 1, 5, 7, 0), paris(2026, 1, 5, 7, 0)),  # at the slot itself (winter: 06:00 UTC)
        (paris(2026, 1, 5, 6, 59), paris(2025, 12, 29, 7, 0)),  # one minute early: last week's slot
        (paris(2026, 1, 7, 15, 0), paris(2026, 1, 5, 7, 0)),  # Wednesday
        (paris(2026, 1, 11, 23, 59), paris(2026, 1, 5, 7, 0)),  # Sunday night
        (paris(2026, 3, 30, 7, 30), paris(2026, 3, 30, 7, 0)),  # first Monday of summer time: 05:00 UTC
        (paris(2026, 3, 29, 12, 0), paris(2026, 3, 23, 7, 0)),  # the Sunday the clocks change
    ],
)
def test_weekly_slot_is_wall_clock_time_in_paris(now: dt.datetime, slot: dt.datetime) -> None:
    latest = Weekly(weekday=0, at=dt.time(7, 0)).latest_slot(now)
    assert latest == slot
    assert latest.tzinfo == dt.UTC
    assert latest.astimezone(PARIS).hour == 7


def test_summer_and_winter_slots_differ_in_utc() -> None:
    weekly = Weekly(weekday=0, at=dt.time(7, 0))
    assert weekly.latest_slot(paris(2026, 1, 5, 8, 0)).hour == 6
    assert weekly.latest_slot(paris(2026, 7, 6, 8, 0)).hour == 5


def test_hourly_slot() -> None:
    now = dt.datetime(2026, 5, 13, 14, 42, 10, tzinfo=dt.UTC)
    assert Hourly().latest_slot(now) == dt.datetime(2026, 5, 13, 14, 0, tzinfo=dt.UTC)
    assert Hourly(minute=45).latest_slot(now) == dt.datetime(2026, 5, 13, 13, 45, tzinfo=dt.UTC)
    assert Hourly(minute=42).latest_slot(now) == dt.datetime(2026, 5, 13, 14, 42, tzinfo=dt.UTC)


def test_schedules_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="weekday"):
        Weekly(weekday=7, at=dt.time(7, 0))
    with pytest.raises(ValueError, match="minute"):
        Hourly(minute=60)
    with pytest.raises(KeyError):  # zoneinfo's error for an unknown zone
        Weekly(weekday=0, at=dt.time(7, 0), time_zone="Europe/Atlantide")


# ── Registry ───────────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_apps_register_their_jobs_at_start_up() -> None:
    jobs = {job.name: job for job in registered_jobs()}
    digest = jobs["activity.weekly_digest"]
    assert digest.task is send_weekly_digest
    assert str(digest.schedule) == "chaque lundi à 07:00 (Europe/Paris)"
    reminders = jobs["events.reminders"]
    assert reminders.task is send_event_reminders
    assert reminders.schedule == Hourly(minute=0)


def test_a_name_is_registered_once(test_job: PeriodicJob) -> None:
    register_job(test_job)  # the same job again (AppConfig.ready run twice): ignored
    assert [job.name for job in registered_jobs()].count(TEST_JOB) == 1
    with pytest.raises(ImproperlyConfigured, match=TEST_JOB):
        register_job(PeriodicJob(name=TEST_JOB, schedule=Hourly(), task=count_run))


# ── Each slot once ─────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_slot_is_enqueued_once(test_job: PeriodicJob) -> None:
    monday = paris(2026, 11, 23, 7, 0, 20)
    taken = due_jobs_enqueue(now=monday)
    assert TEST_JOB in [run.job for run in taken]
    assert RUNS == [1]
    for later in (monday + dt.timedelta(seconds=30), monday + dt.timedelta(hours=5), monday + dt.timedelta(days=6)):
        assert TEST_JOB not in [run.job for run in due_jobs_enqueue(now=later)]
    assert RUNS == [1]
    (run,) = ScheduledRun.objects.filter(job=TEST_JOB)
    assert run.slot == paris(2026, 11, 23, 7, 0)
    assert run.task_result_id
    # Next Monday is the next slot.
    due_jobs_enqueue(now=monday + dt.timedelta(days=7))
    assert RUNS == [1, 1]


@pytest.mark.django_db
def test_two_schedulers_at_the_same_moment_enqueue_the_slot_once(
    test_job: PeriodicJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second scheduler read before the first one committed: the unique constraint turns it away."""
    monday = paris(2026, 11, 23, 7, 0, 5)
    due_jobs_enqueue(now=monday)
    monkeypatch.setattr(schedule, "_slot_taken", lambda job, slot: False)
    assert due_jobs_enqueue(now=monday) == []
    assert RUNS == [1]
    assert len(runs_of(TEST_JOB)) == 1


@pytest.mark.django_db
def test_a_missed_slot_runs_once_after_a_downtime(test_job: PeriodicJob) -> None:
    due_jobs_enqueue(now=paris(2026, 11, 2, 7, 1))
    # The scheduler was stopped for three weeks and restarts on a Wednesday: the latest slot runs, once.
    restart = paris(2026, 11, 25, 10, 0)
    due_jobs_enqueue(now=restart)
    due_jobs_enqueue(now=restart + dt.timedelta(minutes=1))
    assert RUNS == [1, 1]
    assert runs_of(TEST_JOB) == [paris(2026, 11, 2, 7, 0), paris(2026, 11, 23, 7, 0)]


@pytest.mark.django_db
def test_a_slot_older_than_one_taken_is_not_run(test_job: PeriodicJob) -> None:
    """A scheduler whose clock is behind does not run last week's slot again."""
    due_jobs_enqueue(now=paris(2026, 11, 23, 7, 0))
    due_jobs_enqueue(now=paris(2026, 11, 23, 6, 59))
    assert RUNS == [1]


@pytest.mark.django_db
def test_a_slot_is_not_recorded_when_its_task_cannot_be_enqueued(
    test_job: PeriodicJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    enqueue = Task.enqueue

    def refused(self: Task[[], int], *args: object, **kwargs: object) -> object:
        if self is count_run:
            raise RuntimeError("file d'attente indisponible")
        return enqueue(self, *args, **kwargs)

    monkeypatch.setattr(Task, "enqueue", refused)
    with pytest.raises(RuntimeError):
        due_jobs_enqueue(now=paris(2026, 11, 23, 8, 0))
    assert runs_of(TEST_JOB) == []
    monkeypatch.undo()
    due_jobs_enqueue(now=paris(2026, 11, 23, 8, 1))  # once the queue works, the next pass takes the slot
    assert runs_of(TEST_JOB) == [paris(2026, 11, 23, 7, 0)]
    assert RUNS == [1]


@pytest.mark.django_db
def test_old_slots_are_forgotten() -> None:
    now = timezone.now()
    ScheduledRun.objects.create(job="tests.old", slot=now - dt.timedelta(days=91))
    ScheduledRun.objects.create(job="tests.recent", slot=now - dt.timedelta(days=30))
    assert schedule.scheduled_runs_prune(now=now) == 1
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["tests.recent"]


# ── The command and the real jobs ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_command_once(test_job: PeriodicJob) -> None:
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    text = out.getvalue()
    assert "activity.weekly_digest : chaque lundi à 07:00 (Europe/Paris)" in text
    assert "events.reminders : toutes les heures, à 00 min" in text
    assert f"{TEST_JOB} : créneau du " in text
    assert "mis en file d'attente" in text
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "mis en file d'attente" not in out.getvalue()
    assert RUNS == [1]
    with pytest.raises(CommandError, match="au moins 1 seconde"):
        call_command("run_scheduler", "--interval", "0")


@pytest.mark.django_db
def test_reminders_job_sends_the_reminders(personas: Personas, django_capture_on_commit_callbacks: object) -> None:
    event = EventFactory.create(network=personas.network, starts_at=timezone.now() + dt.timedelta(hours=5))
    event_services.event_register(event=event, user=personas.member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        due_jobs_enqueue()
    assert [message.subject for message in mail.outbox] == [f"[Relais] Rappel : {event.title}"]


@pytest.mark.django_db(transaction=True)
def test_digest_job_sends_the_digest_through_the_database_queue(personas: Personas) -> None:
    """The real path: the scheduler enqueues the job in the database queue, the worker runs it, the digest task
    enqueues the e-mail, the worker sends it."""
    CaseSheetFactory.create(network=personas.network, title="Fiche Grèbe huppé", published=True)
    DigestSubscription.objects.create(user=personas.member, network=personas.network, opted_in=True)
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        run = ScheduledRun.objects.get(job="activity.weekly_digest")
        queued = DBTaskResult.objects.get(id=run.task_result_id)
        assert queued.task_path == "relais.activity.tasks.send_weekly_digest"
        assert queued.status == "READY"
        assert mail.outbox == []

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        assert DBTaskResult.objects.get(id=run.task_result_id).status == "SUCCESSFUL"
        call_command("run_scheduler", "--once", stdout=io.StringIO())  # the same slot is not enqueued again
        assert not DBTaskResult.objects.filter(status="READY").exists()
    (message,) = mail.outbox
    assert message.to == [personas.member.email]
    assert message.subject == "[Relais] Les nouveautés de la semaine — Réseau Grand Ouest"
    assert "Fiche Grèbe huppé" in message.body
