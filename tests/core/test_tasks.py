"""The background queue is real: tasks go through the database queue and the worker command runs them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from relais.core.tasks import send_email

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_email_task_waits_in_the_database_queue_until_the_worker_runs_it() -> None:
    with override_settings(TASKS=DATABASE_QUEUE):
        result = send_email.enqueue(subject="Bonjour", body="Corps du message", to=["adherent@exemple.fr"])

        assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
        assert mail.outbox == []

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox] == ["Bonjour"]
    assert mail.outbox[0].to == ["adherent@exemple.fr"]
