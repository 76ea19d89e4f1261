"""Send the day-before reminders of events now. The scheduler (`manage.py run_scheduler`) already enqueues the same
work every hour (`tasks.send_event_reminders`); this command is for a manual run, and is safe to run as often as
wanted: each registration gets one reminder."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from relais.events.services import event_send_reminders


class Command(BaseCommand):
    help = "Envoie le rappel de la veille aux inscrits des événements qui commencent dans les 24 heures."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = event_send_reminders()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
