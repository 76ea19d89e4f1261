"""Load builder records the way an import does, then index them for the search."""

from __future__ import annotations

from relais.contracts.decp.records import ContractRecord
from relais.contracts.loader import ReferenceData, load_batch
from relais.contracts.models import Contract, ImportRun
from relais.contracts.search import reindex_contracts


def load_contracts(records: list[ContractRecord], reference: ReferenceData, *, source: str = "decp.json") -> None:
    run = ImportRun.objects.create(source_name=source, source_signature=source)
    load_batch(records, run=run, reference=reference)
    # The loader indexes each batch once the lead wires `reindex_contracts` into it; indexing again is harmless.
    reindex_contracts(Contract.objects.values_list("pk", flat=True))


def contract(identifier: str) -> Contract:
    return Contract.objects.get(identifier=identifier)
