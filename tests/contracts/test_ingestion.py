"""The fast paths of the DECP import (ADR 0013) give the same rows as the plain ones: the search index made
set-based from the terms stored with each contract equals the one `reindex_contracts` computes from the stored
values; reading in a second process equals reading in-process; the indexes dropped for a first load are back."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from bench.decp_generator import generate
from relais.contracts.bulkload import secondary_indexes, side_by_side
from relais.contracts.cubes import indicators_refresh, latest_refresh
from relais.contracts.enums import RunStatus, SourceFormat
from relais.contracts.indicators import LEVEL_COUNTRY
from relais.contracts.loader import ReferenceData
from relais.contracts.models import (
    Contract,
    ContractHolder,
    ContractModification,
    ContractTerm,
    TerritoryCube,
)
from relais.contracts.reading import ReaderProcess, prepared_batches
from relais.contracts.search import reindex_contracts
from relais.contracts.services import decp_import
from relais.organisations.models import Organisation

from .conftest import DECP_DATA
from .cube_data import cube_snapshot

SOURCE = SourceFormat.DECP_2022_JSON


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decp") / "decp-2022.json"
    generate(contracts=600, fmt="2022", out=path, seed=11)
    return path


def _terms() -> set[tuple[str, str, int, int | None]]:
    return set(ContractTerm.objects.values_list("contract__uid", "term", "sort_key", "amount_cents"))


def _state() -> dict[str, Any]:
    skip = {"id", "public_id", "created_at", "updated_at", "first_run", "last_run", "buyer"}
    fields = [f.attname for f in Contract._meta.concrete_fields if f.name not in skip]
    return {
        "contracts": list(Contract.objects.order_by("uid").values_list(*fields)),
        "holders": list(
            ContractHolder.objects.order_by("contract__uid", "rank").values_list(
                "contract__uid", "rank", "identifier", "organisation__siret"
            )
        ),
        "terms": {(uid, term, cents) for uid, term, _, cents in _terms()},
    }


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "reader-process"])
def test_the_index_made_in_sql_equals_the_one_computed_from_the_contracts(
    synthetic: Path, reference: ReferenceData, parallel: bool
) -> None:
    run = decp_import(path=synthetic, parallel=parallel, batch_size=150)
    assert run.status == RunStatus.DONE, run.error
    made = _terms()
    assert len(made) > 20 * run.created
    reindex_contracts(Contract.objects.values_list("pk", flat=True))
    assert _terms() == made


def test_a_known_organisation_name_is_indexed_with_the_contract(reference: ReferenceData) -> None:
    path = DECP_DATA / "real" / "decp-processing_test_2022.json"
    decp_import(path=path)
    holder = ContractHolder.objects.filter(organisation__isnull=False).select_related("organisation").first()
    assert holder is not None
    assert holder.organisation_id is not None
    Organisation.objects.filter(pk=holder.organisation_id).update(name="Coopérative Arlequin")
    Contract.objects.all().delete()
    decp_import(path=path, resume=False)
    contract = Contract.objects.get(holders__identifier=holder.identifier, holders__rank=holder.rank)
    assert "t:arlequin" in contract.search_terms
    assert ContractTerm.objects.filter(contract=contract, term="t:arlequin").exists()


def test_reading_in_a_second_process_gives_the_same_rows(synthetic: Path, reference: ReferenceData) -> None:
    decp_import(path=synthetic, parallel=False, batch_size=150)
    expected = _state()
    Contract.objects.all().delete()
    run = decp_import(path=synthetic, parallel=True, batch_size=150, resume=False)
    assert run.status == RunStatus.DONE, run.error
    assert _state() == expected
    again = decp_import(path=synthetic, parallel=True, resume=False)
    assert (again.created, again.updated) == (0, 0)


def _constraints() -> dict[str, tuple[object, ...]]:
    """Every index, key and foreign key of the tables a load fills, with what defines it."""
    found = {}
    with connection.cursor() as cursor:
        for model in (Contract, ContractHolder, ContractModification, ContractTerm):
            for name, c in connection.introspection.get_constraints(cursor, model._meta.db_table).items():
                found[name] = (tuple(c["columns"]), c["primary_key"], c["unique"], c["foreign_key"], c["index"])
    return found


def test_the_indexes_and_keys_dropped_for_a_first_load_are_rebuilt(synthetic: Path, reference: ReferenceData) -> None:
    assert not Contract.objects.exists()
    before = _constraints()
    decp_import(path=synthetic, parallel=False)
    wanted = {name for name, _ in secondary_indexes()}
    assert len(wanted) >= 7
    assert wanted <= set(before)
    assert _constraints() == before  # on PostgreSQL the search index's key and the foreign keys were dropped too
    assert any(c[3] for c in before.values())  # foreign keys are among them


def _backend() -> tuple[int, object]:
    """The thread running this and its database session (PostgreSQL's backend process; SQLite has one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 1")
        return threading.get_ident(), cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_steps_after_a_load_run_side_by_side_on_postgresql_outside_a_transaction() -> None:
    seen: list[tuple[int, object]] = []
    side_by_side(lambda: seen.append(_backend()), lambda: seen.append(_backend()))
    assert len(set(seen)) == (2 if connection.vendor == "postgresql" else 1)
    seen.clear()
    with transaction.atomic():  # another connection would not see what this transaction wrote
        side_by_side(lambda: seen.append(_backend()), lambda: seen.append(_backend()))
    assert len(set(seen)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_first_load_outside_a_transaction_ends_with_its_indexes_search_index_and_cubes(
    synthetic: Path, reference: ReferenceData
) -> None:
    """The path of a real import (not inside a test's transaction): on PostgreSQL the search index and the
    contracts' indexes then the cubes are made side by side."""
    before = _constraints()
    run = decp_import(path=synthetic, parallel=False)
    assert run.status == RunStatus.DONE, run.error
    assert _constraints() == before
    made = _terms()
    assert len(made) > 20 * run.created
    reindex_contracts(Contract.objects.values_list("pk", flat=True))
    assert _terms() == made
    dated = Contract.objects.filter(notified_year__isnull=False).count()
    assert TerritoryCube.objects.filter(level=LEVEL_COUNTRY, dimension="").aggregate(n=Sum("contracts"))["n"] == dated


def test_a_later_import_refreshes_the_cubes_of_the_buyers_it_wrote_only(
    synthetic: Path, reference: ReferenceData, tmp_path: Path
) -> None:
    decp_import(path=synthetic, parallel=False)
    assert latest_refresh().buyers is None  # a first load: everything
    later = tmp_path / "later.json"
    generate(contracts=40, fmt="2022", out=later, seed=12)
    run = decp_import(path=later, parallel=False)
    written = Contract.objects.filter(last_run=run)
    buyers = {contract.buyer_identifier for contract in written}
    assert 0 < len(buyers) < Contract.objects.order_by().values("buyer_identifier").distinct().count()
    assert latest_refresh().buyers == len(buyers)
    partial = cube_snapshot()
    indicators_refresh()
    assert cube_snapshot() == partial


def test_two_readers_share_the_batches_in_file_order(synthetic: Path, reference: ReferenceData) -> None:
    arguments: dict[str, Any] = {"start": 35, "reference": reference, "batch_size": 100}
    alone = [[item.position for item in batch] for batch, _ in prepared_batches(synthetic, SOURCE, **arguments)]
    readers = ReaderProcess(synthetic, SOURCE, readers=2, **arguments)
    try:
        shared = [[item.position for item in batch] for batch, _ in readers]
    finally:
        readers.close()
    assert shared == alone
    assert len(alone) > 4
    assert alone[0][0] == 35
