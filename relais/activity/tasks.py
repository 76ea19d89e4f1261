"""Background tasks of the digest. They run in the worker (`manage.py db_worker`), never in a request."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_digest_email(*, subject: str, body: str, to: list[str], unsubscribe_url: str) -> int:
    """Send one digest as plain text, with the List-Unsubscribe headers (RFC 2369 and RFC 8058 one-click) that let
    mail clients offer their own "unsubscribe" button: it POSTs to the same signed link."""
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        to,
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    return message.send(fail_silently=False)


@task()
def send_weekly_digest() -> dict[str, object]:
    """The week's digests (services.digest_send_weekly), enqueued every Monday at 07:00 by the scheduler
    (`manage.py run_scheduler`, registered in apps.py); returns the run's counts."""
    from .services import digest_send_weekly  # services enqueue the task above: imported here to avoid a cycle

    return asdict(digest_send_weekly())
