"""Indicators read from the cubes: shares among known considerations, values over plausible amounts only, scopes
(buyer, SIREN, network, département, région, country), breakdowns and the PNAD reference lines.

The fixture, with the figures computed by hand:

    #   buyer        year dep div  type      procedure  amount         social          environmental    innovative
    1   RENNES       2025 35  45   works     open       1,000,000      clause          clause+criterion True
    2   RENNES       2025 35  45   works     adaptee      200,000      none            criterion        False
    3   RENNES_CCAS  2025 35  90   services  adaptee       50,000      reserved        none             —
    4   RENNES       2025 35  30   supplies  open         (none)       criterion       none             —
    5   RENNES       2025 35  90   services  open     20,000,000,000   unknown         unknown          —   (absurd)
    6   BREST        2025 29  45   works     open         300,000      clause+crit.    clause           False
    7   BREST        2025 29  79   services  adaptee       80,000      unknown         unknown          —
    8   STATE        2025 75  72   services  open         500,000      none            criterion        —
    9   NANTES_BODY  2025 44  45   works     negociee     150,000      clause          none             —
    10  NANTES_BODY  2025 —   33   supplies  adaptee       40,000      none            none             —
    11  RENNES       2024 35  45   works     open         400,000      clause          none             —
    12  BREST        2024 29  90   services  adaptee       60,000      none            clause           —
    13  STATE        2024 —   72   services  open              -5      none            none             —   (negative)
    14  RENNES       —    35  90   services  open         100,000      none            none             —   (no date)

Country 2025 (1–10): 10 contracts. Social known 8 (5 and 7 unknown), at least one 5 (1, 3, 4, 6, 9): 5/8; clause 3
(1, 6, 9), criterion 2 (4, 6), reserved 1 (3); coverage 8/10. Environmental known 8, at least one 4 (1, 2, 6, 8):
4/8; clause 2, criterion 3. Innovative known 3 (1, 2, 6), true 1.
By value: plausible amounts 8 contracts (4 has none, 5 is absurd) = 2,320,000; social known 2,240,000 (all but 7),
at least one 1,500,000 (1, 3, 6, 9); environmental at least one 2,000,000 (1, 2, 6, 8); reserved 50,000.
Country 2024 (11–13): 3 contracts, 2 with a plausible amount = 460,000. Contract 14 belongs to no year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from relais.contracts.compliance import compliance_for
from relais.contracts.cubes import indicators_refresh, latest_refresh, network_cube_refresh
from relais.contracts.indicators import (
    TARGET_NOTE,
    Breakdown,
    Buyer,
    Country,
    Departement,
    NetworkScope,
    Region,
    buyer_contracts,
    cube_rows,
    indicator_years,
    indicators_for,
    member_sirens,
    scope_label,
)
from relais.contracts.models import BuyerCube, NetworkCube, TerritoryCube
from relais.networks.enums import MembershipStatus

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

Y25 = dt.date(2025, 3, 1)
Y24 = dt.date(2024, 5, 1)


@pytest.fixture
def contracts() -> None:
    load_territories_and_rules()
    contract(
        RENNES,
        on=Y25,
        amount="1000000",
        division="45",
        social={"clause"},
        environmental={"clause", "criterion"},
        innovative=True,
    )  # 1
    contract(
        RENNES,
        on=Y25,
        amount="200000",
        division="45",
        procedure="adaptee",
        environmental={"criterion"},
        innovative=False,
    )  # 2
    contract(RENNES_CCAS, on=Y25, amount="50000", division="90", procedure="adaptee", social={"reserved"})  # 3
    contract(RENNES, on=Y25, amount=None, division="30", social={"criterion"})  # 4
    contract(RENNES, on=Y25, amount="20000000000", division="90", social="unknown", environmental="unknown")  # 5
    contract(
        BREST,
        on=Y25,
        amount="300000",
        departement="29",
        division="45",
        social={"clause", "criterion"},
        environmental={"clause"},
        innovative=False,
    )  # 6
    contract(
        BREST,
        on=Y25,
        amount="80000",
        departement="29",
        division="79",
        procedure="adaptee",
        social="unknown",
        environmental="unknown",
    )  # 7
    contract(STATE, on=Y25, amount="500000", departement="75", division="72", environmental={"criterion"})  # 8
    contract(
        NANTES_BODY, on=Y25, amount="150000", departement="44", division="45", procedure="negociee", social={"clause"}
    )  # 9
    contract(NANTES_BODY, on=Y25, amount="40000", departement=None, division="33", procedure="adaptee")  # 10
    contract(RENNES, on=Y24, amount="400000", division="45", social={"clause"})  # 11
    contract(
        BREST, on=Y24, amount="60000", departement="29", division="90", procedure="adaptee", environmental={"clause"}
    )  # 12
    contract(STATE, on=Y24, amount="-5", departement=None, division="72")  # 13
    contract(RENNES, on=None, amount="100000")  # 14
    indicators_refresh()


@pytest.mark.usefixtures("contracts")
def test_country_shares_by_number_count_only_known_considerations() -> None:
    result = indicators_for(Country(), years=[2025])
    figures = result.per_year[0].total
    number = figures.number
    assert (number.total, number.social_known, number.social_some) == (10, 8, 5)
    assert (number.social_clause, number.social_criterion, number.reserved) == (3, 2, 1)
    assert (number.environmental_known, number.environmental_some) == (8, 4)
    assert (number.environmental_clause, number.environmental_criterion) == (2, 3)
    assert (number.innovative_known, number.innovative) == (3, 1)
    shares = figures.by_number
    assert shares.social == pytest.approx(5 / 8)  # not 5/10: the two unknown contracts are not "none"
    assert shares.social_clause == pytest.approx(3 / 8)
    assert shares.reserved == pytest.approx(1 / 8)
    assert shares.social_coverage == pytest.approx(0.8)
    assert shares.environmental == pytest.approx(0.5)
    assert shares.environmental_criterion == pytest.approx(3 / 8)
    assert shares.innovative == pytest.approx(1 / 3)
    assert result.label == "France entière"


@pytest.mark.usefixtures("contracts")
def test_values_sum_plausible_amounts_only() -> None:
    figures = indicators_for(Country(), years=[2025]).per_year[0].total
    value = figures.value
    assert figures.valued == 8  # no amount (4) and 20 billion (5) left out of values
    assert value.total == Decimal("2320000.00")
    assert value.social_known == Decimal("2240000.00")
    assert value.social_some == Decimal("1500000.00")
    assert value.environmental_some == Decimal("2000000.00")
    assert value.reserved == Decimal("50000.00")
    assert figures.by_value.social == pytest.approx(1_500_000 / 2_240_000)
    assert figures.by_value.environmental == pytest.approx(2_000_000 / 2_240_000)
    assert figures.value_coverage == pytest.approx(0.8)


@pytest.mark.usefixtures("contracts")
def test_per_year_overall_and_years_without_contracts() -> None:
    result = indicators_for(Country())
    assert result.years == (2024, 2025)  # contract 14 has no date: no year, nowhere
    assert result.overall.number.total == 13
    y2024 = result.per_year[0].total
    assert (y2024.number.total, y2024.valued, y2024.value.total) == (3, 2, Decimal("460000.00"))  # -5 left out

    asked = indicators_for(Country(), years=[2023, 2025])
    assert asked.years == (2023, 2025)
    assert asked.per_year[0].total.number.total == 0
    assert asked.per_year[0].total.by_number.social is None
    assert asked.overall.number.total == 10
    assert indicator_years(Country()) == [2024, 2025]


@pytest.mark.usefixtures("contracts")
def test_buyer_by_siret_or_by_siren() -> None:
    by_siret = indicators_for(Buyer(RENNES), years=[2025]).overall
    assert by_siret.number.total == 4  # 1, 2, 4, 5 — not the CCAS's contract 3
    by_siren = indicators_for(Buyer(RENNES_SIREN), years=[2025]).overall
    assert by_siren.number.total == 5
    assert (by_siren.number.social_known, by_siren.number.social_some) == (4, 3)
    assert by_siren.value.total == Decimal("1250000.00")  # 1,000,000 + 200,000 + 50,000
    assert indicators_for(Buyer(RENNES)).years == (2024, 2025)
    assert scope_label(Buyer(RENNES)) == f"Acheteur {RENNES} ({RENNES})"


def test_a_sirens_contracts_are_those_its_cube_rows_count() -> None:
    """The contracts listed on a SIREN's dashboard (its legal checks) are exactly those the cubes group under it:
    the SIREN itself and every 14-character identifier starting with it, whatever its last characters; not the
    neighbouring SIRENs at either end of the range the index reads, nor identifiers of another length."""
    load_territories_and_rules()
    inside = [RENNES_SIREN, RENNES, RENNES_CCAS, f"{RENNES_SIREN}ABCDE", f"{RENNES_SIREN}99999", f"{RENNES_SIREN}00000"]
    outside = [f"{RENNES_SIREN}0000", f"{RENNES_SIREN}000000", "213502387" + "99999", "213502389" + "00000", "2135023"]
    made = {identifier: contract(identifier) for identifier in inside + outside}
    indicators_refresh()
    selected = set(buyer_contracts(Buyer(RENNES_SIREN)).values_list("buyer_identifier", flat=True))
    assert selected == set(inside)
    counted = BuyerCube.objects.filter(buyer_siren=RENNES_SIREN).aggregate(n=Sum("contracts"))["n"]
    assert counted == len(inside) == len({made[i].pk for i in inside})
    assert set(buyer_contracts(Buyer(RENNES)).values_list("buyer_identifier", flat=True)) == {RENNES}


@pytest.mark.usefixtures("contracts")
def test_territories_add_up_to_the_country() -> None:
    def total(scope: Departement | Region | Country) -> int:
        return indicators_for(scope, years=[2025]).overall.number.total

    assert total(Departement("35")) == 5
    assert total(Departement("29")) == 2
    assert total(Region("53")) == 7  # Bretagne: 35 and 29
    assert total(Region("52")) == 1  # Pays de la Loire: 44
    assert total(Region("11")) == 1  # Île-de-France: 75
    assert total(Country()) == 10  # 5 + 2 + 1 + 1 + contract 10 without a département
    assert indicators_for(Region("53"), years=[2025]).label == "Bretagne"
    assert indicators_for(Departement("35")).label == "Ille-et-Vilaine (35)"


@pytest.mark.usefixtures("contracts")
def test_network_of_two_members_matched_by_siren() -> None:
    network = NetworkFactory()
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=None, siren=RENNES_SIREN))
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=BREST, siren=""))
    # The CCAS shares Rennes's SIREN: its contracts count once. The ended membership does not count.
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=RENNES_CCAS))
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=STATE), status=MembershipStatus.ENDED)
    assert member_sirens(network) == [BREST[:9], RENNES_SIREN]

    result = indicators_for(NetworkScope(network))
    assert [year.total.number.total for year in result.per_year] == [2, 7]  # 2024: 11, 12; 2025: 1–7
    y2025 = result.per_year[1].total
    # social known: 1, 2, 3, 4, 6 → 5; at least one: 1, 3, 4, 6 → 4
    assert (y2025.number.social_known, y2025.number.social_some) == (5, 4)
    assert y2025.value.total == Decimal("1630000.00")  # 1,000,000 + 200,000 + 50,000 + 300,000 + 80,000
    broken = indicators_for(NetworkScope(network), years=[2025], breakdown=Breakdown.CONTRACT_TYPE)
    assert {g.key: g.number.total for g in broken.per_year[0].groups} == {"works": 3, "services": 3, "supplies": 1}
    assert result.label == str(network)


@pytest.mark.usefixtures("contracts")
def test_network_cube_is_read_while_the_members_are_unchanged() -> None:
    network = NetworkFactory()
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=None, siren=RENNES_SIREN))
    assert cube_rows(NetworkScope(network)).model is not NetworkCube  # created after the refresh: members' rows
    live = indicators_for(NetworkScope(network), breakdown=Breakdown.CPV_DIVISION)
    indicators_refresh()
    assert cube_rows(NetworkScope(network), breakdown=Breakdown.CPV_DIVISION).model is NetworkCube
    cached = indicators_for(NetworkScope(network), breakdown=Breakdown.CPV_DIVISION)
    assert cached == live
    # Rennes 2025: 45 → 1, 2; 90 → 3, 5; 30 → 4. 2024: 45 → 11.
    assert {g.key: g.number.total for g in cached.overall_groups} == {"45": 3, "90": 2, "30": 1}
    assert compliance_for(NetworkScope(network)) == compliance_for(Buyer(RENNES_SIREN))

    MembershipFactory(network=network, organisation=OrganisationFactory(siret=BREST))
    assert cube_rows(NetworkScope(network)).model is not NetworkCube  # stale: never read
    assert indicators_for(NetworkScope(network), years=[2025]).overall.number.total == 7
    assert network_cube_refresh(network=network) > 0
    assert cube_rows(NetworkScope(network)).model is NetworkCube
    assert indicators_for(NetworkScope(network), years=[2025]).overall.number.total == 7


@pytest.mark.usefixtures("contracts")
def test_breakdowns_by_division_type_and_procedure() -> None:
    by_type = indicators_for(Country(), years=[2025], breakdown=Breakdown.CONTRACT_TYPE).per_year[0]
    assert [(g.key, g.number.total) for g in by_type.groups] == [("services", 4), ("works", 4), ("supplies", 2)]
    assert by_type.total.number.total == 10
    works = by_type.groups[1]
    assert works.label == "Travaux"
    # works 2025: 1, 2, 6, 9 — social known 4, at least one 3 (1, 6, 9); value 1,650,000
    assert works.by_number.social == pytest.approx(3 / 4)
    assert works.value.total == Decimal("1650000.00")

    by_division = indicators_for(Country(), years=[2025], breakdown=Breakdown.CPV_DIVISION).per_year[0]
    assert {g.key: g.number.total for g in by_division.groups} == {"45": 4, "90": 2, "30": 1, "79": 1, "72": 1, "33": 1}
    assert by_division.groups[0].key == "45"

    by_procedure = indicators_for(Departement("35"), breakdown=Breakdown.PROCEDURE)
    assert {g.key: g.number.total for g in by_procedure.overall_groups} == {"ao_ouvert": 4, "adaptee": 2}
    assert {g.key: g.label for g in by_procedure.overall_groups}["adaptee"] == "Procédure adaptée"

    buyer = indicators_for(Buyer(RENNES_SIREN), years=[2025], breakdown=Breakdown.CPV_DIVISION).per_year[0]
    assert {g.key: g.number.total for g in buyer.groups} == {"45": 2, "90": 2, "30": 1}


@pytest.mark.usefixtures("contracts")
def test_national_targets_are_reference_lines_not_obligations() -> None:
    result = indicators_for(Country(), years=[2025, 2026])
    by_year = {year.year: year.targets for year in result.per_year}
    assert {(t.measure, t.share) for t in by_year[2025]} == {("environmental", 1.0), ("social", 0.3)}
    assert by_year[2026] == ()  # the PNAD 2022–2025 ends with 2025
    assert all(t.note == TARGET_NOTE == "objectif national non contraignant" and not t.binding for t in result.targets)


@pytest.mark.usefixtures("contracts")
def test_refresh_rebuilds_the_cubes_from_scratch() -> None:
    first = latest_refresh()
    assert first is not None
    assert first.contracts == 13
    contract(STATE, on=Y25, amount="1000", departement="75", division="72", social={"clause"})
    assert indicators_for(Country(), years=[2025]).overall.number.total == 10  # cubes are read, not contracts
    second = indicators_refresh()
    assert second.contracts == 14
    assert indicators_for(Country(), years=[2025]).overall.number.total == 11
    assert indicators_for(Departement("75"), years=[2025]).overall.number.social_some == 1
    # The base cube holds one row per buyer × year × département × division × type × procedure.
    assert BuyerCube.objects.filter(buyer_identifier=RENNES, year=2025).count() == 4  # 45/open, 45/adaptee, 30, 90
    assert TerritoryCube.objects.filter(level="country", dimension="", year=2025).count() == 1
    assert second.rows["territory"] == TerritoryCube.objects.count()
