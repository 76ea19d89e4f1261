"""`manage.py load_reference`: upsert the reference tables from the shipped files of `relais/reference/data/`.

Safe to run on every start: unchanged rows are not written. All files load in one transaction, and a malformed file
stops the command before anything is written.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.reference.loaders import DATA_DIR, ReferenceDataError, load_all


class Command(BaseCommand):
    help = "Charge les données de référence (CPV, territoires, thèmes, règles datées) depuis les fichiers livrés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Dossier des fichiers de référence (par défaut : ceux livrés avec l'application).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            results = load_all(options["data_dir"])
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(str(result))
        written = sum(result.created + result.updated + result.deleted for result in results)
        summary = f"Données de référence à jour en {time.monotonic() - started:.1f} s ({written} lignes écrites)."
        self.stdout.write(self.style.SUCCESS(summary))
