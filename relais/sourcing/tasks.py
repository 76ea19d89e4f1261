"""Background tasks of sourcing needs. They run in the worker (`manage.py db_worker`), never in a request."""

from __future__ import annotations

from django_tasks import task

from .batches import need_notify_batch, sourcing_due_work
from .models import SourcingNeed


@task()
def notify_need_batch(*, need_id: int) -> int:
    """The first batch of a need just validated (enqueued once the validation is committed)."""
    need = SourcingNeed.objects.filter(pk=need_id).first()
    return need_notify_batch(need=need) if need is not None else 0


@task()
def send_sourcing_batches() -> int:
    """The due batches and reminders of every open need (batches.sourcing_due_work), enqueued every hour by the
    scheduler (`manage.py run_scheduler`); returns how many suppliers were notified or reminded."""
    work = sourcing_due_work()
    return work.notified + work.reminders
