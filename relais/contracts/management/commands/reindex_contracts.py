"""`manage.py reindex_contracts`: rebuild the search index of every contract (ADR 0011), batch by batch.

Imports keep the index up to date; this is for contracts imported before the index existed, or after a change of
the French normalisation (`relais.core.text`). It only rewrites index rows, so it can run at any time and again.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from relais.contracts.models import Contract
from relais.contracts.search import reindex_contracts


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French thousands separator (narrow no-break space)


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche des marchés publics (tous les marchés, par lots)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="Marchés par transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, int(options["batch_size"]))
        started = time.perf_counter()
        contracts = rows = 0
        last = 0
        while True:
            # Keyset over the primary key: each batch is one short transaction, whatever the table's size.
            ids = list(Contract.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            rows += reindex_contracts(ids)
            contracts += len(ids)
            last = ids[-1]
            self.stderr.write(f"{_n(contracts)} marchés indexés ({_n(rows)} mots)")
        seconds = time.perf_counter() - started
        self.stdout.write(f"Index reconstruit : {_n(contracts)} marchés, {_n(rows)} mots indexés en {seconds:.1f} s.")
