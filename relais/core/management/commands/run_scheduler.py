"""`manage.py run_scheduler`: enqueue the periodic jobs at their slots; `manage.py db_worker` runs them.

Runs until stopped (Ctrl-C or SIGTERM); `--once` makes a single pass and exits. Two schedulers may run at the same
time, and one may be restarted at any moment: each slot is still enqueued once (relais.core.schedule, ADR 0010).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from relais.core.schedule import due_jobs_enqueue, registered_jobs, scheduled_runs_prune

DEFAULT_INTERVAL = 30


class Command(BaseCommand):
    help = (
        "Met en file d'attente les tâches périodiques (lettre hebdomadaire, rappels des événements) à leur créneau, "
        "une seule fois par créneau, même avec plusieurs planificateurs ; le worker (manage.py db_worker) les exécute."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Un seul passage, puis arrêt.")
        parser.add_argument(
            "--interval",
            type=int,
            default=DEFAULT_INTERVAL,
            help=f"Secondes entre deux passages (par défaut : {DEFAULT_INTERVAL}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval: int = options["interval"]
        if interval < 1:
            raise CommandError("L'intervalle doit être d'au moins 1 seconde.")
        jobs = registered_jobs()
        if not jobs:
            self.stdout.write(self.style.WARNING("Aucune tâche périodique n'est enregistrée."))
        for job in jobs:
            self.stdout.write(f"{job.name} : {job.schedule}" + (f" — {job.description}" if job.description else ""))
        try:
            while True:
                self._pass(once=options["once"], interval=interval)
                if options["once"]:
                    return
                time.sleep(interval)
                # A process that runs for weeks: drop a connection past CONN_MAX_AGE or broken by a database restart.
                close_old_connections()
        except KeyboardInterrupt:
            self.stdout.write("Planificateur arrêté.")

    def _pass(self, *, once: bool, interval: int) -> None:
        try:
            runs = due_jobs_enqueue()
            scheduled_runs_prune()
        except DatabaseError as error:
            if once:
                raise CommandError(f"Erreur de base de données : {error}") from error
            # The database may be restarting. Nothing was recorded for the failed job (one transaction per job): the
            # next pass takes its slot.
            self.stderr.write(f"Erreur de base de données, nouvel essai dans {interval} s : {error}")
            return
        for run in runs:
            slot = timezone.localtime(run.slot)
            self.stdout.write(f"{run.job} : créneau du {slot:%d/%m/%Y à %H:%M} mis en file d'attente.")
