"""`manage.py load_demo [--if-empty]`: load the demo networks, organisations, accounts and case sheets.

Idempotent: what already exists is left as it is. `make run` calls it with `--if-empty`, so that a database in use
is never filled with demo content. The demo accounts share a public password, hence the DEBUG guard.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.demo.loader import DemoDataError, load_demo, missing_reference_data


class Command(BaseCommand):
    help = "Charge les données de démonstration (réseaux, organisations, comptes, fiches) ; sans doublon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si la base contient déjà un réseau ou une fiche.",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Charger même quand DEBUG est désactivé (instance de démonstration publique).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Les comptes de démonstration ont un mot de passe public : load_demo ne s'exécute qu'avec DEBUG "
                "activé. Pour une instance de démonstration, ajoutez --allow-without-debug."
            )
        started = time.monotonic()
        if missing_reference_data():
            self.stdout.write("Données de référence absentes : chargement (manage.py load_reference)…")
            call_command("load_reference", stdout=self.stdout, stderr=self.stderr)
        try:
            report = load_demo(only_if_empty=options["if_empty"])
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        if report.skipped or not report.created:
            self.stdout.write(str(report))
        else:
            self.stdout.write(self.style.SUCCESS(f"{report} ({time.monotonic() - started:.1f} s)"))
