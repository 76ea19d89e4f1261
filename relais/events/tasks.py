"""Background tasks of events. They run in the worker (`manage.py db_worker`), never in a request."""

from __future__ import annotations

from django_tasks import task

from .services import event_send_reminders


@task()
def send_event_reminders() -> int:
    """The day-before reminders (services.event_send_reminders), enqueued every hour by the scheduler
    (`manage.py run_scheduler`); returns how many were sent."""
    return event_send_reminders()
