"""Reads of the reference tables: CPV hierarchy and autocomplete, territories, rules in force on a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relais.reference.loaders import load_all, load_cpv, load_legal_rules
from relais.reference.models import Cpv
from relais.reference.queries import (
    cpv_by_code,
    cpv_lookup,
    cpv_under,
    departements_of_region,
    rule_on,
    rules_in_force,
    threshold_on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpv() -> None:
    load_cpv()


@pytest.fixture
def rules() -> None:
    load_legal_rules()


@pytest.mark.usefixtures("cpv")
def test_division_90_and_everything_under_it() -> None:
    codes = list(cpv_under("90000000-7").values_list("code8", flat=True))

    assert len(codes) == 197
    assert codes[0] == "90000000"
    assert all(code.startswith("90") for code in codes)
    assert set(codes) == set(Cpv.objects.filter(division="90").values_list("code8", flat=True))


@pytest.mark.usefixtures("cpv")
def test_a_code_and_everything_under_it_follows_the_parent_links() -> None:
    under = set(cpv_under("90900000").values_list("code", flat=True))

    descendants = {"90900000-6"}
    frontier = ["90900000-6"]
    while frontier:
        children = list(Cpv.objects.filter(parent__code__in=frontier).values_list("code", flat=True))
        descendants.update(children)
        frontier = children
    assert under == descendants
    assert len(under) == 24


@pytest.mark.usefixtures("cpv")
def test_lookup_by_code_puts_the_exact_code_first() -> None:
    assert [c.code for c in cpv_lookup("90911200-8")] == ["90911200-8"]
    assert [c.code for c in cpv_lookup("9091 1")][:2] == ["90911000-6", "90911100-7"]

    by_division = cpv_lookup("90", limit=5)
    assert by_division[0].code == "90000000-7"
    assert [c.level for c in by_division] == sorted(c.level for c in by_division)


@pytest.mark.usefixtures("cpv")
def test_lookup_by_french_words_ignores_accents_and_case() -> None:
    found = {c.code for c in cpv_lookup("batiments NETTOYAGE", limit=50)}

    assert "90911200-8" in found
    assert all(
        "batiment" in c.search_label and "nettoyage" in c.search_label for c in cpv_lookup("batiments nettoyage")
    )
    assert [c.code for c in cpv_lookup("cantine", limit=3)] == ["55500000-5", "55510000-8", "55511000-5"]


@pytest.mark.usefixtures("cpv")
def test_lookup_by_english_words_and_code_prefix() -> None:
    assert "90911200-8" in {c.code for c in cpv_lookup("building cleaning", limit=50)}
    assert {c.division for c in cpv_lookup("90 nettoyage", limit=100)} == {"90"}
    assert cpv_lookup("xyzzy") == []
    assert cpv_lookup("  ") == []


@pytest.mark.usefixtures("cpv")
def test_cpv_by_code_accepts_the_check_digit_or_not() -> None:
    cleaning = cpv_by_code("90911200-8")
    assert cleaning is not None
    assert cpv_by_code("90911200") == cleaning
    assert cpv_by_code("99999999") is None


def test_departements_and_regions() -> None:
    load_all()

    brittany = departements_of_region("53")
    assert list(brittany.values_list("code", flat=True)) == ["22", "29", "35", "56"]
    assert brittany.get(code="35").region.name == "Bretagne"  # type: ignore[union-attr]


@pytest.mark.usefixtures("rules")
def test_spaser_threshold_in_force_on_a_date() -> None:
    assert threshold_on("spaser_threshold", "annual_purchases", dt.date(2022, 6, 1)) == Decimal(100_000_000)
    assert threshold_on("spaser_threshold", "annual_purchases", dt.date(2022, 12, 31)) == Decimal(100_000_000)
    assert threshold_on("spaser_threshold", "annual_purchases", dt.date(2023, 1, 1)) == Decimal(50_000_000)
    assert threshold_on("spaser_threshold", "annual_purchases", dt.date(2024, 1, 1)) == Decimal(50_000_000)


@pytest.mark.usefixtures("rules")
def test_eu_threshold_in_force_on_a_date() -> None:
    assert threshold_on("eu_threshold", "supplies_services_local", dt.date(2025, 6, 1)) == Decimal(221_000)
    assert threshold_on("eu_threshold", "supplies_services_local", dt.date(2026, 6, 1)) == Decimal(216_000)
    assert threshold_on("eu_threshold", "works", dt.date(2026, 6, 1)) == Decimal(5_404_000)
    assert threshold_on("eu_threshold", "supplies_services_local", dt.date(2023, 6, 1)) == Decimal(215_000)
    assert threshold_on("eu_threshold", "supplies_services_local", dt.date(2021, 12, 31)) == Decimal(214_000)
    assert threshold_on("eu_threshold", "supplies_services_local", dt.date(2019, 6, 1)) is None


@pytest.mark.usefixtures("rules")
def test_no_advertising_threshold_changes_on_2026_04_01() -> None:
    assert threshold_on("no_advertising_threshold", "supplies_services", dt.date(2026, 3, 31)) == Decimal(40_000)
    assert threshold_on("no_advertising_threshold", "supplies_services", dt.date(2026, 4, 1)) == Decimal(60_000)


@pytest.mark.usefixtures("rules")
def test_rule_on_gives_the_legal_reference_and_dated_obligations() -> None:
    rule = rule_on("reserved_contract", "min_share_disadvantaged_workers", dt.date(2025, 1, 1))
    assert rule is not None
    assert (rule.value, rule.unit) == (Decimal(50), "%")
    assert "R2113-7" in rule.legal_reference

    art35 = ("climate_resilience", "environmental_condition_and_criterion")
    assert rule_on(*art35, dt.date(2026, 8, 20)) is None
    assert rule_on(*art35, dt.date(2026, 8, 21)) is not None
    assert rules_in_force(dt.date(2026, 6, 1), kind="eu_threshold").count() == 6
