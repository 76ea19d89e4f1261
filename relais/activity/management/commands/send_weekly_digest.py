"""Send this week's digest e-mails now. The scheduler (`manage.py run_scheduler`) already enqueues the same work every
Monday at 07:00 (`tasks.send_weekly_digest`); this command is for a manual run, and is safe to run as often as
wanted: each person gets one digest per network and ISO week."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from relais.activity.services import digest_send_weekly


class Command(BaseCommand):
    help = (
        "Envoie la lettre hebdomadaire (nouvelles fiches, documents, événements, questions fréquentes) aux "
        "personnes qui l'ont demandée. Une seule lettre par personne, réseau et semaine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Compte les lettres qui seraient envoyées, sans rien envoyer."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digest_send_weekly(dry_run=options["dry_run"])
        verb = "à envoyer" if options["dry_run"] else "envoyée(s)"
        self.stdout.write(
            f"Semaine {run.week} : {run.sent} lettre(s) {verb}, {run.empty} sans nouveauté, "
            f"{run.already_sent} déjà envoyée(s), {run.not_allowed} sans rôle dans le réseau."
        )
