"""Legal checks: the environmental condition of art. 35 from 2026-08-21 (defence excluded, unknown kept apart) and
the social condition at or above the EU threshold of the notification date, by contract type and buyer type.

Buyers: L = RENNES (SIREN starting with 2: local authorities' thresholds), S = STATE (SIREN starting with 1).

Environmental (amount 10,000, services, far below any EU threshold):
    e1  L 2026-08-20 none       — notified the day before: not checked
    e2  L 2026-08-21 none       — checked, without
    e3  L 2026-09-01 some       — checked
    e4  L 2026-09-01 unknown    — checked, unknown (never "none")
    e5  L 2026-10-01 none, defence — not checked
    e6  S 2026-09-15 none       — checked, without
Social (environmental "some" everywhere, so that they only add checked-and-compliant contracts to the first check):
    s1  L services 2025-06-01     221,000.00 none     — 2025 threshold 221,000: above, before the obligation
    s2  L services 2025-06-01     220,999.99 none     — below
    s3  L services 2026-03-01     216,000.00 none     — 2026 threshold 216,000: above, before the obligation
    s4  L services 2026-03-01     215,999.99 none     — below
    s5  L services 2026-09-01     300,000.00 none     — above, bound, without
    s6  L services 2026-09-01     300,000.00 unknown  — above, bound, unknown
    s7  L services 2026-09-01     300,000.00 clause   — above, bound, compliant
    s8  L works    2026-09-01   1,000,000.00 none     — works threshold 5,404,000: below
    s9  L works    2026-09-01   5,404,000.00 none     — above, bound, without
    s10 S services 2025-06-01     143,000.00 none     — State's 2025 threshold 143,000: above (local would be 221,000)
    s11 S services 2026-02-01     139,999.99 none     — State's 2026 threshold 140,000: below
    s12 L services 2026-09-01   1,000,000.00 none, defence — not checked
    s13 L concession 2026-09-01 5,404,000.00 none     — concessions threshold: above, bound, without
    s14 L services 2021-06-01     214,000.00 none     — 2021 threshold 214,000: above
    s15 L services 2023-06-01     214,999.99 none     — 2023 threshold 215,000: below
    s16 L services 2019-06-01   1,000,000.00 none     — no EU threshold in the table for 2019: not checked

L environmental: checked e2, e3, e4 + s5, s6, s7, s8, s9, s13 = 9; without 1 (e2); unknown 1 (e4).
L social: above s1, s3, s5, s6, s7, s9, s13, s14 = 8; without 6 (s1, s3, s5, s9, s13, s14); unknown 1 (s6);
    from the obligation date: s5, s6, s7, s9, s13 = 5, without 3 (s5, s9, s13), unknown 1 (s6).
S environmental: checked 1 (e6), without 1. S social: above 1 (s10), without 1, none bound.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relais.contracts.compliance import (
    Check,
    above_eu_threshold,
    compliance_by_buyer,
    compliance_for,
    environmental_obligation_date,
    eu_threshold_for,
    eu_thresholds,
    non_compliant_contracts,
    proxy_note,
    social_obligation_date,
)
from relais.contracts.cubes import indicators_refresh
from relais.contracts.enums import ContractKind, Nature
from relais.contracts.indicators import Buyer, Country, Departement, NetworkScope
from relais.contracts.models import Contract
from relais.reference.models import LegalRule

from ..factories import MembershipFactory, NetworkFactory, OrganisationFactory
from .cube_data import RENNES, RENNES_SIREN, STATE, contract, load_territories_and_rules

pytestmark = pytest.mark.django_db

AFTER = dt.date(2026, 9, 1)


@pytest.fixture
def contracts() -> dict[str, Contract]:
    load_territories_and_rules()
    small = {"amount": "10000", "division": "90"}
    made = {
        "e1": contract(RENNES, on=dt.date(2026, 8, 20), **small),
        "e2": contract(RENNES, on=dt.date(2026, 8, 21), **small),
        "e3": contract(RENNES, on=AFTER, environmental={"clause"}, **small),
        "e4": contract(RENNES, on=AFTER, environmental="unknown", **small),
        "e5": contract(RENNES, on=dt.date(2026, 10, 1), nature=Nature.DEFENCE, **small),
        "e6": contract(STATE, on=dt.date(2026, 9, 15), departement="75", **small),
    }
    some = {"environmental": {"criterion"}}
    for name, buyer, on, division, amount, social, extra in [
        ("s1", RENNES, dt.date(2025, 6, 1), "90", "221000.00", "none", {}),
        ("s2", RENNES, dt.date(2025, 6, 1), "90", "220999.99", "none", {}),
        ("s3", RENNES, dt.date(2026, 3, 1), "90", "216000.00", "none", {}),
        ("s4", RENNES, dt.date(2026, 3, 1), "90", "215999.99", "none", {}),
        ("s5", RENNES, AFTER, "90", "300000", "none", {}),
        ("s6", RENNES, AFTER, "90", "300000", "unknown", {}),
        ("s7", RENNES, AFTER, "90", "300000", {"clause"}, {}),
        ("s8", RENNES, AFTER, "45", "1000000", "none", {}),
        ("s9", RENNES, AFTER, "45", "5404000", "none", {}),
        ("s10", STATE, dt.date(2025, 6, 1), "90", "143000", "none", {"departement": "75"}),
        ("s11", STATE, dt.date(2026, 2, 1), "90", "139999.99", "none", {"departement": "75"}),
        ("s12", RENNES, AFTER, "90", "1000000", "none", {"nature": Nature.DEFENCE}),
        ("s13", RENNES, AFTER, "90", "5404000", "none", {"kind": ContractKind.CONCESSION}),
        ("s14", RENNES, dt.date(2021, 6, 1), "90", "214000", "none", {}),
        ("s15", RENNES, dt.date(2023, 6, 1), "90", "214999.99", "none", {}),
        ("s16", RENNES, dt.date(2019, 6, 1), "90", "1000000", "none", {}),
    ]:
        made[name] = contract(buyer, on=on, division=division, amount=amount, social=social, **some, **extra)
    indicators_refresh()
    return made


def test_obligation_dates_come_from_the_dated_rules() -> None:
    load_territories_and_rules()
    assert environmental_obligation_date() == social_obligation_date() == dt.date(2026, 8, 21)
    assert "date de notification" in proxy_note(dt.date(2026, 8, 21))
    assert "21/08/2026" in proxy_note(dt.date(2026, 8, 21))


def test_eu_thresholds_of_every_period() -> None:
    load_territories_and_rules()
    local = {t.valid_from.year: t.value for t in eu_thresholds() if t.code == "supplies_services_local"}
    assert local == {2020: 214000, 2022: 215000, 2024: 221000, 2026: 216000}
    state = {t.valid_from.year: t.value for t in eu_thresholds() if t.code == "supplies_services_state"}
    assert state == {2020: 139000, 2022: 140000, 2024: 143000, 2026: 140000}
    works = {t.valid_from.year: t.value for t in eu_thresholds() if t.code == "works"}
    assert works == {2020: 5350000, 2022: 5382000, 2024: 5538000, 2026: 5404000}


def test_environmental_check_of_a_buyer(contracts: dict[str, Contract]) -> None:
    result = compliance_for(Buyer(RENNES))
    environmental = result.environmental
    assert (environmental.subject, environmental.without, environmental.unknown) == (9, 1, 1)
    assert environmental.rate_without == pytest.approx(1 / 8)  # among the 8 whose status is known
    assert environmental.coverage == pytest.approx(8 / 9)
    assert result.environmental_since == dt.date(2026, 8, 21)
    assert list(non_compliant_contracts(Buyer(RENNES), check=Check.ENVIRONMENTAL)) == [contracts["e2"]]
    with_unknown = non_compliant_contracts(Buyer(RENNES_SIREN), check=Check.ENVIRONMENTAL, include_unknown=True)
    assert list(with_unknown) == [contracts["e4"], contracts["e2"]]  # newest first; e1 (08-20) and e5 (defence) out


def test_social_check_uses_the_threshold_of_the_period_and_the_buyer_type(contracts: dict[str, Contract]) -> None:
    result = compliance_for(Buyer(RENNES))
    above = result.social_above_threshold
    assert (above.subject, above.without, above.unknown) == (8, 6, 1)
    bound = result.social_bound
    assert (bound.subject, bound.without, bound.unknown) == (5, 3, 1)
    assert bound.rate_without == pytest.approx(3 / 4)

    state = compliance_for(Buyer(STATE))
    assert (state.social_above_threshold.subject, state.social_above_threshold.without) == (1, 1)
    assert state.social_bound.subject == 0
    assert (state.environmental.subject, state.environmental.without) == (1, 1)

    bound_list = non_compliant_contracts(Buyer(RENNES), check=Check.SOCIAL)
    assert set(bound_list) == {contracts[name] for name in ("s5", "s9", "s13")}
    every_date = non_compliant_contracts(Buyer(RENNES), check=Check.SOCIAL, from_obligation=False)
    assert set(every_date) == {contracts[name] for name in ("s1", "s3", "s5", "s9", "s13", "s14")}


def test_the_sql_condition_and_the_python_threshold_agree(contracts: dict[str, Contract]) -> None:
    condition = above_eu_threshold(eu_thresholds())
    assert condition is not None
    above = set(Contract.objects.filter(condition).values_list("pk", flat=True))
    thresholds = eu_thresholds()
    for name, item in contracts.items():
        threshold = eu_threshold_for(item, thresholds)
        expected = threshold is not None and item.amount is not None and item.amount >= threshold.value
        assert (item.pk in above) == expected, name
    assert eu_threshold_for(contracts["s1"], thresholds).value == Decimal(221000)  # type: ignore[union-attr]
    assert eu_threshold_for(contracts["s3"], thresholds).value == Decimal(216000)  # type: ignore[union-attr]
    assert eu_threshold_for(contracts["s10"], thresholds).code == "supplies_services_state"  # type: ignore[union-attr]
    assert eu_threshold_for(contracts["s13"], thresholds).code == "concessions"  # type: ignore[union-attr]
    assert eu_threshold_for(contracts["s12"], thresholds) is None  # defence
    assert eu_threshold_for(contracts["s16"], thresholds) is None  # 2019: no threshold in the table


def test_rates_per_buyer_most_contracts_without_first(contracts: dict[str, Contract]) -> None:
    environmental = compliance_by_buyer(check=Check.ENVIRONMENTAL)
    assert [(b.identifier, b.compliance.environmental.without) for b in environmental] == [(RENNES, 1), (STATE, 1)]
    assert environmental[1].compliance.environmental.rate_without == 1.0
    assert environmental[0].name == f"Acheteur {RENNES}"
    social = compliance_by_buyer(check=Check.SOCIAL)
    assert [(b.identifier, b.compliance.social_above_threshold.without) for b in social] == [(RENNES, 6), (STATE, 1)]
    assert [b.identifier for b in compliance_by_buyer(Departement("75"), check=Check.SOCIAL)] == [STATE]
    assert compliance_by_buyer(check=Check.SOCIAL, years=[2024]) == []


def test_scopes_add_up(contracts: dict[str, Contract]) -> None:
    country = compliance_for(Country())
    assert (country.environmental.subject, country.environmental.without, country.environmental.unknown) == (10, 2, 1)
    assert (country.social_above_threshold.subject, country.social_above_threshold.without) == (9, 7)
    assert compliance_for(Country(), years=[2025]).social_above_threshold.subject == 2  # s1, s10
    network = NetworkFactory()
    MembershipFactory(network=network, organisation=OrganisationFactory(siret=STATE))
    assert compliance_for(NetworkScope(network)).environmental.without == 1


def test_without_rules_nothing_is_checked() -> None:
    load_territories_and_rules()
    LegalRule.objects.filter(kind__in=["climate_resilience", "eu_threshold"]).delete()
    item = contract(RENNES, on=AFTER, amount="9000000")
    indicators_refresh()
    result = compliance_for(Country())
    assert result.environmental.subject == result.social_above_threshold.subject == 0
    assert result.environmental_since is None
    assert list(non_compliant_contracts(Buyer(RENNES), check=Check.ENVIRONMENTAL)) == []
    assert eu_threshold_for(item) is None
