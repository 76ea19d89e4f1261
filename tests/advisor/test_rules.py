"""The advisor's verdicts at the boundaries of the dated rules (thresholds, art. 35, lists of CPV codes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relais.advisor.enums import BuyerType, PurchaseCategory, Verdict
from relais.advisor.insertion import insertion_hours
from relais.advisor.services import AdvisorError, advise

D = dt.date
pytestmark = pytest.mark.usefixtures("reference")


def regime(cpv: str, amount: int, on: dt.date, buyer: str = BuyerType.LOCAL) -> str:
    advice = advise(cpv_codes=[cpv], departement_code="35", amount=Decimal(amount), buyer_category=buyer, on=on)
    item = advice.get("procedure")
    assert item is not None
    return str(item.figures["regime"])


def test_works_below_100k_need_no_advertising_on_both_sides_of_2026_01_01_but_the_rule_changes() -> None:
    before = advise(
        cpv_codes=["45442100"],
        departement_code="35",
        amount=Decimal(99_999),
        buyer_category="local",
        on=D(2025, 12, 31),
    )
    after = advise(
        cpv_codes=["45442100"], departement_code="35", amount=Decimal(99_999), buyer_category="local", on=D(2026, 1, 1)
    )
    rule_before = before.get("procedure").rule  # type: ignore[union-attr]
    rule_after = after.get("procedure").rule  # type: ignore[union-attr]
    assert before.get("procedure").figures["regime"] == "no_advertising"  # type: ignore[union-attr]
    assert after.get("procedure").figures["regime"] == "no_advertising"  # type: ignore[union-attr]
    # The temporary threshold (décret 2022-1683, prorogé par 2024-1217) ends; the permanent one (2025-1386) starts.
    assert rule_before is not None
    assert rule_before.valid_until == D(2025, 12, 31)
    assert "2022-1683" in rule_before.legal_reference
    assert rule_after is not None
    assert rule_after.valid_from == D(2026, 1, 1)
    assert rule_after.valid_until is None
    assert "2025-1386" in rule_after.legal_reference


@pytest.mark.parametrize(
    ("amount", "on", "expected"),
    [
        (99_999, D(2026, 1, 1), "no_advertising"),
        (100_000, D(2026, 1, 1), "adapted"),  # "inférieure à" 100 k€: at the threshold, a procedure is needed
        (100_001, D(2026, 1, 1), "adapted"),
        (39_999, D(2020, 3, 1), "no_advertising"),
        (40_000, D(2020, 3, 1), "adapted"),  # works at 40 k€ before the temporary thresholds
        (69_999, D(2020, 9, 1), "no_advertising"),
        (70_000, D(2020, 9, 1), "adapted"),
        (5_403_999, D(2026, 1, 1), "adapted"),
        (5_404_000, D(2026, 1, 1), "formalised"),
        (5_404_000, D(2025, 12, 31), "adapted"),  # 5,538 k€ in 2024–2025
        (5_538_000, D(2025, 12, 31), "formalised"),
    ],
)
def test_works_thresholds(amount: int, on: dt.date, expected: str) -> None:
    assert regime("45262500", amount, on) == expected


@pytest.mark.parametrize(
    ("amount", "on", "expected"),
    [
        (39_999, D(2026, 3, 31), "no_advertising"),
        (40_000, D(2026, 3, 31), "adapted"),
        (50_000, D(2026, 3, 31), "adapted"),
        (50_000, D(2026, 4, 1), "no_advertising"),
        (59_999, D(2026, 4, 1), "no_advertising"),
        (60_000, D(2026, 4, 1), "adapted"),
        (60_001, D(2026, 4, 1), "adapted"),
    ],
)
def test_supplies_and_services_no_advertising_threshold_moves_on_2026_04_01(
    amount: int, on: dt.date, expected: str
) -> None:
    assert regime("90910000", amount, on) == expected
    assert regime("30197630", amount, on) == expected


@pytest.mark.parametrize(
    ("buyer", "amount", "on", "expected"),
    [
        (BuyerType.LOCAL, 220_999, D(2025, 12, 31), "adapted"),
        (BuyerType.LOCAL, 221_000, D(2025, 12, 31), "formalised"),
        (BuyerType.LOCAL, 215_999, D(2026, 1, 1), "adapted"),
        (BuyerType.LOCAL, 216_000, D(2026, 1, 1), "formalised"),
        (BuyerType.STATE, 142_999, D(2025, 6, 1), "adapted"),
        (BuyerType.STATE, 143_000, D(2025, 6, 1), "formalised"),
        (BuyerType.STATE, 140_000, D(2026, 6, 1), "formalised"),
        (BuyerType.STATE, 139_999, D(2026, 6, 1), "adapted"),
        (BuyerType.UTILITIES, 431_999, D(2026, 6, 1), "adapted"),
        (BuyerType.UTILITIES, 432_000, D(2026, 6, 1), "formalised"),
        (BuyerType.UTILITIES, 442_999, D(2025, 6, 1), "adapted"),
        ("state", 150_000, D(2026, 6, 1), "formalised"),  # an organisation's BuyerCategory works too
        ("commune", 150_000, D(2026, 6, 1), "adapted"),
    ],
)
def test_eu_thresholds_by_buyer_type_and_period(buyer: str, amount: int, on: dt.date, expected: str) -> None:
    assert regime("90910000", amount, on, buyer) == expected


def test_social_and_specific_services_stay_adapted_above_750k() -> None:
    advice = advise(
        cpv_codes=["85311000"], departement_code="35", amount=Decimal(800_000), buyer_category="local", on=D(2026, 6, 1)
    )
    assert advice.category == PurchaseCategory.SOCIAL_SPECIFIC
    procedure = advice.get("procedure")
    assert procedure is not None
    assert procedure.figures["regime"] == "adapted"
    assert procedure.figures["eu_threshold"] == Decimal(750_000)
    assert "R2123-1 3°" in procedure.legal_reference
    assert regime("85311000", 749_999, D(2026, 6, 1)) == "adapted"


@pytest.mark.parametrize(
    ("on", "amount", "environmental", "social"),
    [
        (D(2026, 8, 20), 300_000, Verdict.RECOMMENDED, Verdict.RECOMMENDED),
        (D(2026, 8, 21), 300_000, Verdict.REQUIRED, Verdict.REQUIRED),
        (D(2026, 8, 21), 215_999, Verdict.REQUIRED, Verdict.RECOMMENDED),
        (D(2026, 8, 21), 216_000, Verdict.REQUIRED, Verdict.REQUIRED),
    ],
)
def test_article_35_obligations_start_on_2026_08_21(
    on: dt.date, amount: int, environmental: Verdict, social: Verdict
) -> None:
    advice = advise(
        cpv_codes=["90910000"], departement_code="35", amount=Decimal(amount), buyer_category="local", on=on
    )
    env, soc = advice.get("climate_environmental"), advice.get("climate_social")
    assert env is not None
    assert soc is not None
    assert (env.verdict, soc.verdict) == (environmental, social)
    if environmental == Verdict.REQUIRED:
        assert env.rule is not None
        assert env.rule.valid_from == D(2026, 8, 21)


def test_defence_contracts_are_excluded_from_article_35() -> None:
    advice = advise(
        cpv_codes=["90910000"],
        departement_code="35",
        amount=Decimal(900_000),
        buyer_category="state",
        on=D(2026, 9, 1),
        defence=True,
    )
    env = advice.get("climate_environmental")
    assert env is not None
    assert env.verdict == Verdict.NOT_APPLICABLE
    assert advice.get("climate_social") is None


def test_l2113_15_only_when_every_cpv_is_listed() -> None:
    listed = advise(
        cpv_codes=["85311000", "92500000"],
        departement_code="35",
        amount=Decimal(200_000),
        buyer_category="local",
        on=D(2026, 6, 1),
    )
    mixed = advise(
        cpv_codes=["85311000", "90910000"],
        departement_code="35",
        amount=Decimal(200_000),
        buyer_category="local",
        on=D(2026, 6, 1),
    )
    sse, not_sse = listed.get("reserved_l2113_15"), mixed.get("reserved_l2113_15")
    assert sse is not None
    assert sse.verdict != Verdict.NOT_APPLICABLE
    assert sse.figures["max_years"] == Decimal(3)
    assert "3 ans au plus" in sse.explanation
    assert {rule.code for rule in sse.rules} >= {"reserved_sse_services", "cpv_85", "cpv_925"}
    assert not_sse is not None
    assert not_sse.verdict == Verdict.NOT_APPLICABLE
    assert not_sse.figures["unlisted_codes"] == ["90910000"]
    assert "90910000" in not_sse.explanation


def test_insertion_hours_formula() -> None:
    assert insertion_hours(Decimal(1_000_000), Decimal(50), Decimal(5), Decimal(30)) == 833


def test_insertion_clause_uses_the_labour_share_of_the_cpv_and_says_where_each_input_comes_from() -> None:
    advice = advise(
        cpv_codes=["45262500"],
        departement_code="35",
        amount=Decimal(1_000_000),
        buyer_category="local",
        on=D(2026, 6, 1),
    )
    clause = advice.get("insertion_clause")
    assert clause is not None
    assert clause.figures["hours"] == 833  # masonry 50 %, rate 5 %, 30 €/h
    assert clause.figures["labour_share_rule"] == "cpv_452625"
    assert any("maçonnerie" in line and "01/04/2019" in line for line in clause.details)
    painting = advise(
        cpv_codes=["45442100"],
        departement_code="35",
        amount=Decimal(1_000_000),
        buyer_category="local",
        on=D(2026, 6, 1),
    ).get("insertion_clause")
    assert painting is not None
    assert painting.figures["hours"] == 1167


def test_insertion_overrides_replace_the_defaults() -> None:
    clause = advise(
        cpv_codes=["45000000"],
        departement_code="35",
        amount=Decimal(600_000),
        buyer_category="local",
        on=D(2026, 6, 1),
        insertion_rate=Decimal(10),
        labour_share=Decimal(40),
        hourly_cost=Decimal(25),
    ).get("insertion_clause")
    assert clause is not None
    assert clause.figures["hours"] == 960
    assert sum("saisi par vous" in line for line in clause.details) == 3


def test_labels_of_the_cpv_are_offered_with_or_equivalent() -> None:
    advice = advise(
        cpv_codes=["30197630"], departement_code="35", amount=None, buyer_category="local", on=D(2026, 6, 1)
    )
    criteria = advice.get("environmental_criteria")
    assert criteria is not None
    slugs = {label.slug for label in criteria.labels}
    assert {"fsc", "pefc", "ecolabel-ue", "blauer-engel"} <= slugs
    assert "tco-certified" not in slugs
    assert all(label.equivalent_accepted for label in criteria.labels)
    coffee = advise(
        cpv_codes=["15861000"], departement_code="35", amount=None, buyer_category="local", on=D(2026, 6, 1)
    ).get("environmental_criteria")
    assert coffee is not None
    assert "fairtrade-max-havelaar" in {label.slug for label in coffee.labels}


def test_bad_input_is_refused_in_french() -> None:
    with pytest.raises(AdvisorError, match="inconnu"):
        advise(cpv_codes=["99999999"], departement_code="35", amount=None, buyer_category="local", on=D(2026, 1, 1))
    with pytest.raises(AdvisorError, match="Département"):
        advise(cpv_codes=["90910000"], departement_code="99", amount=None, buyer_category="local", on=D(2026, 1, 1))
    with pytest.raises(AdvisorError, match="Type d'acheteur"):
        advise(cpv_codes=["90910000"], departement_code="35", amount=None, buyer_category="x", on=D(2026, 1, 1))
    with pytest.raises(AdvisorError, match="positif"):
        advise(
            cpv_codes=["90910000"], departement_code="35", amount=Decimal(-1), buyer_category="local", on=D(2026, 1, 1)
        )
