"""Background work of the contracts: imports queued from the import page, the search index of an organisation's
contracts after its renaming, and a network's indicator cube after a change of its members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from relais.networks.models import Network

from .cubes import network_cube_refresh_if_stale
from .models import Contract, ContractHolder, ImportRun
from .search import reindex_contracts
from .services import decp_import


@task()
def import_decp_file(*, run_id: int, path: str) -> int:
    """Import the file of a queued run; returns the number of records read. A run deleted meanwhile is skipped."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    return decp_import(path=Path(path), run=run).read


@task()
def reindex_organisation_contracts(*, organisation_id: int) -> int:
    """Rebuild the search index of the contracts whose buyer or a holder is this organisation: the words of the
    name Relais knows for it are among their terms ("a:", "t:"). Returns the number of index rows written."""
    as_buyer = Contract.objects.filter(buyer_id=organisation_id).values_list("pk", flat=True)
    as_holder = ContractHolder.objects.filter(organisation_id=organisation_id).values_list("contract_id", flat=True)
    return reindex_contracts(sorted({*as_buyer, *as_holder}))


def organisation_renamed(*, organisation_id: int, **_: Any) -> None:
    """Receiver of `organisations.signals.organisation_renamed` (connected in `apps.py`): the index is rebuilt in
    the background, a big buyer having thousands of contracts."""
    reindex_organisation_contracts.enqueue(organisation_id=organisation_id)


@task()
def refresh_network_cube(*, network_id: int) -> int:
    """Rebuild a network's cube for its current members (until then its pages sum its members' rows live: right,
    but slower). Returns the number of rows written (0: already up to date, or the network is gone)."""
    network = Network.objects.filter(pk=network_id).first()
    return 0 if network is None else network_cube_refresh_if_stale(network=network)


def members_changed(*, network_id: int, **_: Any) -> None:
    """Receiver of `networks.signals.members_changed` (connected in `apps.py`, sent after the commit): the
    network's cube is refreshed in the background."""
    refresh_network_cube.enqueue(network_id=network_id)
