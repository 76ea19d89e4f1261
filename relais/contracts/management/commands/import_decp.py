"""`manage.py import_decp PATH [PATH ...]`: import DECP files or folders, with a progress line (records/s, ETA).

Every run is recorded (see the page "Imports de données essentielles"); importing a file again is a no-op, and a
run that was interrupted (killed, crashed) resumes where it stopped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.contracts.services import DEFAULT_BATCH_SIZE, DecpImportError, Progress, decp_import, files_of


def _n(number: int) -> str:
    """French thousands separator (narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}"


class Command(BaseCommand):
    help = "Importe des fichiers de données essentielles de la commande publique (DECP), format détecté."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Fichiers ou dossiers à importer.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--restart", action="store_true", help="Ne pas reprendre un import interrompu : tout relire."
        )
        parser.add_argument(
            "--reader-process",
            choices=["auto", "always", "never"],
            default="auto",
            help="Lire le fichier dans des processus à part (auto : pour les fichiers d’au moins 8 Mio).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = sys.stderr.isatty()

        def show(progress: Progress) -> None:
            rate = progress.records / progress.elapsed if progress.elapsed else 0.0
            eta = ""
            if progress.fraction:
                remaining = progress.elapsed * (1 - progress.fraction) / progress.fraction
                eta = f" · {progress.fraction:.0%} · reste ~{_duration(remaining)}"
            line = (
                f"{progress.run.source_name} : {_n(progress.run.position)} enregistrements · {_n(round(rate))}/s{eta}"
            )
            self.stderr.write(("\r" + line) if interactive else line, ending="" if interactive else "\n")

        try:
            paths = [file for path in options["paths"] for file in files_of(path)]
        except DecpImportError as error:
            raise CommandError(str(error)) from error
        failures = 0
        for path in paths:
            try:
                run = decp_import(
                    path=path,
                    batch_size=options["batch_size"],
                    progress=show,
                    resume=not options["restart"],
                    parallel={"auto": None, "always": True, "never": False}[options["reader_process"]],
                )
            except DecpImportError as error:
                failures += 1
                self.stderr.write(f"{path} : {error}")
                continue
            if interactive:
                self.stderr.write("")
            self.stdout.write(
                f"{run.source_name} ({run.get_source_format_display()}) : {_n(run.read)} lus, {_n(run.created)} créés, "
                f"{_n(run.updated)} mis à jour, {_n(run.unchanged)} inchangés, {_n(run.flagged)} avec défauts, "
                f"{_n(run.quarantined)} en quarantaine — {_duration(run.duration_seconds)} "
                f"({_n(round(run.records_per_second))}/s)"
            )
            for label, count in run.flag_rows():
                self.stdout.write(f"  · {label} : {_n(count)}")
            for label, count in run.quarantine_rows():
                self.stdout.write(f"  · quarantaine — {label} : {_n(count)}")
        if failures:
            raise CommandError(f"{failures} fichier(s) n'ont pas pu être importés.")
