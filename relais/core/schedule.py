"""Periodic jobs without cron: the apps say what runs when, `manage.py run_scheduler` enqueues each due slot once.

django-tasks runs what is enqueued but has no periodic scheduler. Each app registers its jobs at start-up, in its
AppConfig.ready (`register_job(PeriodicJob(...))`), the way `relais.workgroups` fills the document library's
registry: core never imports the apps. A job's *slot* is the moment it is due (Monday 07:00 Europe/Paris for the
weekly digest, the top of the hour for event reminders).

The scheduler records the slot in `ScheduledRun` and enqueues the task in one transaction (the database queue is a
table of the same database, ADR 0002): both are written or neither. The unique (job, slot) constraint makes a second
scheduler, or the same one after a restart, skip a slot already taken. Only the latest slot counts: after a
downtime the missed run happens once, not once per missed period, and it runs late rather than never (the digest
and the reminders are themselves idempotent: one digest per person and week, one reminder per registration).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import ScheduledRun

WEEKDAYS: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Slots are kept for a while as a trace of what ran; deciding needs only the latest slot of each job.
RETENTION: Final = dt.timedelta(days=90)


@dataclass(frozen=True)
class Weekly:
    """Every week on `weekday` (0 = Monday) at the wall-clock time `at` of `time_zone`, summer time included."""

    weekday: int
    at: dt.time
    time_zone: str = "Europe/Paris"

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        ZoneInfo(self.time_zone)  # an unknown zone fails at registration, not at the first slot

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The last slot at or before `now`, in UTC."""
        zone = ZoneInfo(self.time_zone)
        local_day = now.astimezone(zone).date()
        day = local_day - dt.timedelta(days=(local_day.weekday() - self.weekday) % 7)
        slot = dt.datetime.combine(day, self.at, tzinfo=zone)
        if slot > now:
            slot = dt.datetime.combine(day - dt.timedelta(days=7), self.at, tzinfo=zone)
        return slot.astimezone(dt.UTC)

    def __str__(self) -> str:
        return f"chaque {WEEKDAYS[self.weekday]} à {self.at:%H:%M} ({self.time_zone})"


@dataclass(frozen=True)
class Hourly:
    """Every hour at `minute` past the hour."""

    minute: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.minute <= 59:
            raise ValueError("minute must be 0 to 59")

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The last slot at or before `now`, in UTC."""
        utc = now.astimezone(dt.UTC)
        slot = utc.replace(minute=self.minute, second=0, microsecond=0)
        return slot if slot <= utc else slot - dt.timedelta(hours=1)

    def __str__(self) -> str:
        return f"toutes les heures, à {self.minute:02d} min"


@dataclass(frozen=True)
class PeriodicJob:
    """A task without arguments enqueued at each slot of its schedule. `name` is stored in `ScheduledRun`: keep it
    stable ("<app>.<job>")."""

    name: str
    schedule: Weekly | Hourly
    task: Task[[], Any]
    description: str = ""


_jobs: dict[str, PeriodicJob] = {}


def register_job(job: PeriodicJob) -> None:
    """Called by an app's AppConfig.ready. The same job registered again is ignored; another job under a name
    already taken is a programming error."""
    existing = _jobs.get(job.name)
    if existing is not None and existing != job:
        raise ImproperlyConfigured(f"Periodic job {job.name!r} is already registered with another definition.")
    _jobs[job.name] = job


def unregister_job(name: str) -> None:
    """For tests that register a job of their own."""
    _jobs.pop(name, None)


def registered_jobs() -> list[PeriodicJob]:
    return [_jobs[name] for name in sorted(_jobs)]


def _slot_taken(job: PeriodicJob, slot: dt.datetime) -> bool:
    # A cheap read first, so that the usual case (nothing due) does not make the database log a failed insert at
    # every pass. The unique constraint still decides when two schedulers get here at the same moment.
    return ScheduledRun.objects.filter(job=job.name, slot__gte=slot).exists()


def due_jobs_enqueue(*, now: dt.datetime | None = None) -> list[ScheduledRun]:
    """Enqueue the task of every registered job whose latest slot has not been taken yet; returns the slots taken.

    Each job in its own transaction: the `ScheduledRun` row and the queued task are committed together, so a slot is
    never recorded without its task nor enqueued twice. A slot older than one already taken (a scheduler whose clock
    is behind) is skipped."""
    now = now or timezone.now()
    taken: list[ScheduledRun] = []
    for job in registered_jobs():
        slot = job.schedule.latest_slot(now)
        if _slot_taken(job, slot):
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(job=job.name, slot=slot)
            except IntegrityError:
                continue  # another scheduler took this slot between our read and our insert
            result = job.task.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id", "updated_at"])
        taken.append(run)
    return taken


def scheduled_runs_prune(*, now: dt.datetime | None = None) -> int:
    """Forget the slots older than RETENTION (far older than any job's period); returns how many were deleted."""
    now = now or timezone.now()
    deleted, _ = ScheduledRun.objects.filter(slot__lt=now - RETENTION).delete()
    return deleted
