"""Matching suppliers to a need: CPV hierarchy, themes, coverage of the place, kinds, structure types (ADR 0014)."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.organisations.enums import StructureType
from relais.suppliers.enums import Coverage, ServiceKind
from relais.suppliers.models import SupplierIndexEntry
from relais.suppliers.queries import TerritoryError, haversine_km, suppliers_matching, suppliers_reindex_all

from ..factories import (
    CpvFactory,
    DepartementFactory,
    OrganisationFactory,
    OrganisationStructureFactory,
    RegionFactory,
    ThemeFactory,
)
from .factories import SupplierActivityFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db

RENNES = (48.1113, -1.6800)
SAINT_MALO = (48.6493, -2.0257)  # about 65 km from Rennes
NANTES = (47.2184, -1.5536)  # about 100 km from Rennes


def cpv(code8: str, label: str = "Libellé") -> object:
    return CpvFactory(code=f"{code8}-0", label_fr=label, level=len(code8.rstrip("0")))


def supplier(name: str, **kwargs: object) -> object:
    return OrganisationFactory(name=name, supplier=True, **kwargs)


def ids(matches: list) -> list[int]:
    return [match.organisation_id for match in matches]


def test_cpv_hierarchy_finds_broader_narrower_and_exact_codes() -> None:
    broad = supplier("Large")
    SupplierActivityFactory(organisation=broad, title="Services agricoles", cpvs=[cpv("77300000")])
    exact = supplier("Exact")
    SupplierActivityFactory(organisation=exact, title="Espaces verts", cpvs=[cpv("77310000")])
    narrow = supplier("Étroit")
    SupplierActivityFactory(organisation=narrow, title="Tonte", cpvs=[cpv("77314000")])
    other = supplier("Autre")
    SupplierActivityFactory(organisation=other, title="Travaux", cpvs=[cpv("45000000"), cpv("77400000")])

    found = suppliers_matching(cpv_codes=["77310000-6"])
    assert ids(found) == [exact.pk, narrow.pk, broad.pk]
    assert found[0].reasons[0] == "CPV 77310000 — activité « Espaces verts »"
    assert found[0].score > found[1].score > found[2].score

    # A need for the whole division finds every activity under it, not the works.
    assert set(ids(suppliers_matching(cpv_codes=["77000000"]))) == {broad.pk, exact.pk, narrow.pk, other.pk}
    assert ids(suppliers_matching(cpv_codes=["45210000"])) == [other.pk]
    assert suppliers_matching(cpv_codes=["90000000"]) == []


def test_theme_matches_and_buyers_never_match() -> None:
    theme = ThemeFactory(slug="espaces-verts", label="Espaces verts")
    green = supplier("Vert")
    SupplierActivityFactory(organisation=green, title="Jardins", themes=[theme])
    buyer = OrganisationFactory(name="Ville")
    SupplierActivityFactory(organisation=buyer, title="Jardins", themes=[theme])
    found = suppliers_matching(theme_slugs=["espaces-verts"])
    assert ids(found) == [green.pk]
    assert found[0].reasons[0] == "Thème « Espaces verts » — activité « Jardins »"


def test_coverage_of_the_departement() -> None:
    bretagne = RegionFactory(code="53", name="Bretagne")
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine", region=bretagne)
    cotes = DepartementFactory(code="22", name="Côtes-d'Armor", region=bretagne)
    loire = DepartementFactory(code="44", name="Loire-Atlantique", region=RegionFactory(code="52", name="PdL"))
    code = cpv("90910000")
    national = supplier("National")
    SupplierActivityFactory(organisation=national, cpvs=[code])
    regional = supplier("Régional")
    SupplierActivityFactory(organisation=regional, cpvs=[code], in_regions=True, regions=[bretagne])
    local = supplier("Local")
    SupplierActivityFactory(organisation=local, cpvs=[code], in_departements=True, departements=[ille, loire])
    elsewhere = supplier("Ailleurs")
    SupplierActivityFactory(organisation=elsewhere, cpvs=[code], in_departements=True, departements=[cotes])
    nantes = supplier("Nantais", departement=loire)
    SupplierActivityFactory(organisation=nantes, cpvs=[code], in_regions=True, regions=[loire.region])

    found = suppliers_matching(cpv_codes=["90910000"], departement_code="35")
    assert ids(found) == [local.pk, regional.pk, national.pk]
    assert found[0].reasons[1] == "Couvre le département 35"
    assert found[1].reasons[1] == "Couvre la région Bretagne"
    assert found[2].reasons[1] == "Couvre toute la France"
    assert set(ids(suppliers_matching(cpv_codes=["90910000"], departement_code="22"))) == {
        national.pk,
        regional.pk,
        elsewhere.pk,
    }


def test_what_and_where_must_be_the_same_activity() -> None:
    ille = DepartementFactory(code="35")
    mixed = supplier("Mélange")
    SupplierActivityFactory(organisation=mixed, cpvs=[cpv("77310000")], in_departements=True, departements=[])
    SupplierActivityFactory(organisation=mixed, cpvs=[cpv("45000000")], in_departements=True, departements=[ille])
    assert suppliers_matching(cpv_codes=["77310000"], departement_code="35") == []
    assert ids(suppliers_matching(cpv_codes=["45000000"], departement_code="35")) == [mixed.pk]


def test_radius_uses_the_distance_to_the_point_or_else_the_departement() -> None:
    ille = DepartementFactory(code="35")
    cotes = DepartementFactory(code="22", name="Côtes-d'Armor", region=ille.region)
    near = supplier("Proche", departement=ille)
    SupplierProfileFactory(organisation=near, latitude=RENNES[0], longitude=RENNES[1])
    SupplierActivityFactory(organisation=near, radius=True, radius_km=80)
    short = supplier("Court", departement=ille)
    SupplierProfileFactory(organisation=short, latitude=RENNES[0], longitude=RENNES[1])
    SupplierActivityFactory(organisation=short, radius=True, radius_km=30)
    unplaced = supplier("Sans coordonnées", departement=ille)
    SupplierActivityFactory(organisation=unplaced, radius=True, radius_km=30)
    other = supplier("Autre département", departement=cotes)
    SupplierActivityFactory(organisation=other, radius=True, radius_km=30)

    assert 60 < haversine_km(RENNES, SAINT_MALO) < 70
    found = suppliers_matching(departement_code="35", point=SAINT_MALO)
    # Without coordinates, the supplier's own département stands for its radius.
    assert set(ids(found)) == {near.pk, unplaced.pk}
    reasons = {match.organisation_id: match.reasons for match in found}
    assert "rayon de 80 km" in reasons[near.pk][1]
    assert "lieu à 6" in reasons[near.pk][1]
    assert "comparé au département" in reasons[unplaced.pk][1]
    assert "département 35" in reasons[unplaced.pk][1]
    # Without a point, a radius counts in the supplier's own département.
    assert set(ids(suppliers_matching(departement_code="35"))) == {near.pk, short.pk, unplaced.pk}
    assert ids(suppliers_matching(departement_code="22")) == [other.pk]
    # A point alone: radius coverage only (and the whole country).
    assert set(ids(suppliers_matching(point=SAINT_MALO))) == {near.pk}
    assert suppliers_matching(point=NANTES) == []


def test_service_kinds_and_structure_types_with_validity() -> None:
    today = dt.date(2026, 6, 1)
    works = supplier("Travaux")
    SupplierActivityFactory(organisation=works, service_kind=ServiceKind.WORKS)
    OrganisationStructureFactory(organisation=works, structure_type=StructureType.ACI)
    esus_expired = supplier("ESUS expirée")
    SupplierActivityFactory(organisation=esus_expired, service_kind=ServiceKind.WORKS)
    OrganisationStructureFactory(
        organisation=esus_expired, structure_type=StructureType.ESUS, valid_until=dt.date(2026, 5, 31)
    )
    esus = supplier("ESUS valide")
    SupplierActivityFactory(organisation=esus, service_kind=ServiceKind.SUPPLY)
    OrganisationStructureFactory(organisation=esus, structure_type=StructureType.ESUS, valid_until=today)

    assert set(ids(suppliers_matching(service_kinds=[ServiceKind.WORKS]))) == {works.pk, esus_expired.pk}
    found = suppliers_matching(structure_types=[StructureType.ESUS], on=today)
    assert ids(found) == [esus.pk]
    assert "Structure : Entreprise solidaire d'utilité sociale (ESUS) (valable jusqu'au 01/06/2026)" in found[0].reasons
    assert ids(suppliers_matching(structure_types=[StructureType.ESUS], on=dt.date(2026, 6, 2))) == []
    assert ids(suppliers_matching(structure_types=list(StructureType.siae()), service_kinds=["works"])) == [works.pk]


def test_ties_sorted_by_name_and_limit() -> None:
    for name in ("Charlie", "alpha", "Bravo"):
        SupplierActivityFactory(organisation=supplier(name))
    found = suppliers_matching(limit=2)
    assert [match.score for match in found] == [0, 0]
    assert len(found) == 2
    names = ["alpha", "Bravo"]
    assert [OrganisationFactory._meta.model.objects.get(pk=m.organisation_id).name for m in found] == names


def test_bad_input_is_refused_with_a_french_message() -> None:
    with pytest.raises(TerritoryError, match="Code CPV invalide"):
        suppliers_matching(cpv_codes=["7731"])
    with pytest.raises(TerritoryError, match="Département inconnu"):
        suppliers_matching(departement_code="99")
    with pytest.raises(TerritoryError, match="Coordonnées invalides"):
        suppliers_matching(point=(95.0, 2.0))


def test_the_index_follows_reindexing() -> None:
    activity = SupplierActivityFactory(
        organisation=supplier("Indexée"), cpvs=[cpv("77310000")], coverage=Coverage.COUNTRY, reindex=False
    )
    assert suppliers_matching(cpv_codes=["77310000"]) == []
    assert suppliers_reindex_all() == SupplierIndexEntry.objects.count() > 0
    assert ids(suppliers_matching(cpv_codes=["77310000"])) == [activity.organisation_id]
    activity.delete()
    assert suppliers_matching(cpv_codes=["77310000"]) == []
