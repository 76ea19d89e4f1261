"""A refresh limited to the buyers an import touched gives exactly the cubes a full rebuild gives; it falls back to a
full rebuild when there is no refresh yet, when the legal rules changed since the latest one, or when too many
buyers were touched."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.contracts import cubes
from relais.contracts.cubes import indicators_refresh, network_cube_refresh
from relais.contracts.models import (
    BuyerYearCube,
    Contract,
)
from relais.reference.models import LegalRule

from ..factories import MembershipFactory, NetworkFactory, OrganisationFactory
from .cube_data import (
    BREST,
    NANTES_BODY,
    RENNES,
    RENNES_CCAS,
    RENNES_SIREN,
    STATE,
    contract,
    cube_snapshot,
    load_territories_and_rules,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed() -> None:
    load_territories_and_rules()
    contract(RENNES, on=dt.date(2025, 3, 1), division="45", social={"clause"})
    contract(RENNES, on=dt.date(2024, 5, 1), amount="300000", environmental={"criterion"})
    contract(RENNES_CCAS, on=dt.date(2025, 6, 1), division="90", procedure="adaptee")
    contract(BREST, on=dt.date(2026, 9, 1), departement="29", amount="250000")
    contract(STATE, on=dt.date(2025, 1, 1), departement="75")
    network = NetworkFactory()
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=None, siren=RENNES_SIREN))
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=BREST))
    indicators_refresh()
    network_cube_refresh(network=network)


def _an_import_touching_rennes_and_a_new_buyer() -> list[str]:
    """What a run writes: a contract of Rennes changed (year, département, amount, status), one added, and the first
    contract of a buyer the cubes do not know yet."""
    changed = Contract.objects.filter(buyer_identifier=RENNES, notified_year=2024).get()
    changed.notified_on, changed.notified_year, changed.departement_id = dt.date(2026, 10, 1), 2026, "29"
    changed.amount, changed.environmental_status, changed.environmental_criterion = None, "none", False
    changed.save()
    contract(RENNES, on=dt.date(2026, 9, 2), division="30", social={"reserved"})
    contract(NANTES_BODY, on=dt.date(2026, 9, 3), departement="44", procedure="adaptee")
    return [RENNES, NANTES_BODY]


@pytest.mark.usefixtures("refreshed")
def test_a_refresh_of_the_buyers_an_import_touched_equals_a_full_rebuild() -> None:
    touched = _an_import_touching_rennes_and_a_new_buyer()
    partial = indicators_refresh(buyers=touched)
    assert partial.buyers == 2
    after_partial = cube_snapshot()
    full = indicators_refresh()
    assert full.buyers is None
    assert cube_snapshot() == after_partial
    assert partial.contracts == full.contracts == 7


@pytest.mark.usefixtures("refreshed")
def test_a_change_of_the_legal_rules_makes_the_next_refresh_full() -> None:
    # The EU threshold of 2026 for local authorities' services rises above Brest's 250,000: Brest, untouched by the
    # import, must be rechecked too.
    assert BuyerYearCube.objects.get(buyer_identifier=BREST, year=2026).eu_above == 1
    changed = LegalRule.objects.filter(code="supplies_services_local", valid_from__year=2026).update(value=300000)
    assert changed == 1
    touched = _an_import_touching_rennes_and_a_new_buyer()
    assert indicators_refresh(buyers=touched).buyers is None
    assert BuyerYearCube.objects.get(buyer_identifier=BREST, year=2026).eu_above == 0


@pytest.mark.usefixtures("refreshed")
def test_too_many_touched_buyers_make_the_refresh_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cubes, "INCREMENTAL_MAX_BUYERS", 1)
    assert indicators_refresh(buyers=_an_import_touching_rennes_and_a_new_buyer()).buyers is None


def test_the_first_refresh_is_full() -> None:
    load_territories_and_rules()
    contract(RENNES)
    assert indicators_refresh(buyers=[RENNES]).buyers is None
