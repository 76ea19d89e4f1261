"""SPASER estimate: plausible amounts notified per SIREN and calendar year against the threshold of the year
(100 M€ until 2022, 50 M€ from 2023), obliged only ABOVE it ("supérieur à", CCP art. L2111-3).

    buyer (SIREN)          year  amounts notified                                 sum              threshold  obliged
    Rennes (213502388)     2023  30,000,000.00 (RENNES) + 20,000,000.00 (CCAS)    50,000,000.00    50 M€      no (equal)
    Rennes                 2024  30,000,000.00 + 20,000,000.01                    50,000,000.01    50 M€      yes
    Brest (212900197)      2022  99,999,999.99                                    99,999,999.99    100 M€     no
    Brest                  2023  99,999,999.99                                    99,999,999.99    50 M€      yes
    State (110002011)      2023  49,999,999.99                                    49,999,999.99    50 M€      no
    Nantes body            2023  40,000,000 + 20,000,000,000 (absurd, left out)   40,000,000.00    50 M€      no
    Nantes body            2022  150,000,000 (no notification date: no year)      —
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relais.contracts.cubes import indicators_refresh
from relais.contracts.indicators import Buyer, Departement, NetworkScope
from relais.contracts.spaser import ESTIMATE_LABEL, spaser_estimates_for, spaser_likely_obliged, spaser_threshold

from ..factories import MembershipFactory, NetworkFactory, OrganisationFactory
from .cube_data import (
    BREST,
    NANTES_BODY,
    RENNES,
    RENNES_CCAS,
    RENNES_SIREN,
    STATE,
    contract,
    load_territories_and_rules,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts() -> None:
    load_territories_and_rules()
    contract(RENNES, on=dt.date(2023, 2, 1), amount="30000000.00", name="Ville de Rennes")
    contract(RENNES_CCAS, on=dt.date(2023, 11, 30), amount="20000000.00")
    contract(RENNES, on=dt.date(2024, 2, 1), amount="30000000.00", name="Ville de Rennes")
    contract(RENNES_CCAS, on=dt.date(2024, 12, 31), amount="20000000.01")
    contract(BREST, on=dt.date(2022, 6, 1), amount="99999999.99", departement="29")
    contract(BREST, on=dt.date(2023, 6, 1), amount="99999999.99", departement="29")
    contract(STATE, on=dt.date(2023, 6, 1), amount="49999999.99", departement="75")
    contract(NANTES_BODY, on=dt.date(2023, 6, 1), amount="40000000", departement="44")
    contract(NANTES_BODY, on=dt.date(2023, 7, 1), amount="20000000000", departement="44")
    contract(NANTES_BODY, on=None, amount="150000000", departement="44")
    indicators_refresh()


def test_threshold_of_each_calendar_year() -> None:
    load_territories_and_rules()
    assert spaser_threshold(2018) is None  # before the Code de la commande publique
    assert spaser_threshold(2019) == spaser_threshold(2022) == Decimal(100_000_000)
    assert spaser_threshold(2023) == spaser_threshold(2026) == Decimal(50_000_000)


@pytest.mark.usefixtures("contracts")
def test_likely_obliged_buyers_are_strictly_above_the_threshold_of_the_year() -> None:
    obliged_2023 = spaser_likely_obliged(2023)
    assert [(e.siren, e.amount) for e in obliged_2023] == [(BREST[:9], Decimal("99999999.99"))]
    assert obliged_2023[0].threshold == Decimal(50_000_000)
    obliged_2024 = spaser_likely_obliged(2024)
    assert [(e.siren, e.amount) for e in obliged_2024] == [(RENNES_SIREN, Decimal("50000000.01"))]
    assert obliged_2024[0].name == "Ville de Rennes"  # names differ between establishments: one is kept
    assert spaser_likely_obliged(2022) == []  # 99,999,999.99 is below the 100 M€ of 2022
    assert spaser_likely_obliged(2018) == []  # no threshold
    assert "montants notifiés" in ESTIMATE_LABEL
    assert "non des sommes réellement dépensées" in ESTIMATE_LABEL


@pytest.mark.usefixtures("contracts")
def test_estimates_of_one_buyer_add_up_its_establishments() -> None:
    estimates = spaser_estimates_for(Buyer(RENNES))
    assert [(e.year, e.amount, e.contracts, e.likely_obliged) for e in estimates] == [
        (2023, Decimal("50000000.00"), 2, False),  # exactly the threshold: not above it
        (2024, Decimal("50000000.01"), 2, True),
    ]
    assert estimates[0].share_of_threshold == pytest.approx(1.0)
    assert not estimates[0].partial
    state = spaser_estimates_for(Buyer(STATE))
    assert [(e.amount, e.likely_obliged) for e in state] == [(Decimal("49999999.99"), False)]
    nantes = spaser_estimates_for(Buyer(NANTES_BODY))
    # the absurd amount is counted as a contract, not as an amount; the undated one belongs to no year
    assert [(e.year, e.amount, e.contracts, e.valued) for e in nantes] == [(2023, Decimal("40000000.00"), 2, 1)]


@pytest.mark.usefixtures("contracts")
def test_list_narrowed_to_a_network_or_a_territory() -> None:
    network = NetworkFactory()
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=RENNES))
    assert [e.siren for e in spaser_likely_obliged(2024, scope=NetworkScope(network))] == [RENNES_SIREN]
    assert spaser_likely_obliged(2023, scope=NetworkScope(network)) == []
    assert [e.siren for e in spaser_likely_obliged(2023, scope=Departement("29"))] == [BREST[:9]]
    assert spaser_likely_obliged(2023, scope=Departement("35")) == []
