"""Matching a need to real suppliers of the directory (activities, coverage, structure types) and storing the
matches with their score; only suppliers with an account to notify are kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from relais.organisations.enums import StructureType
from relais.sourcing.batches import need_match
from relais.sourcing.models import NeedMatch, SourcingNeed

from ..conftest import Personas
from ..factories import CpvFactory, DepartementFactory, OrganisationStructureFactory, RegionFactory
from ..suppliers.factories import SupplierActivityFactory
from .conftest import reachable_supplier


def matched(need: SourcingNeed) -> dict[str, int]:
    return {match.supplier.name: match.score for match in need.matches.select_related("supplier")}


def test_suppliers_of_the_cpv_and_the_place_with_accounts_are_matched_best_first(
    personas: Personas, need: SourcingNeed
) -> None:
    network = personas.network
    national = reachable_supplier("National", network=network)
    local = reachable_supplier("Local", network=network).organisation
    SupplierActivityFactory.create(
        organisation=local, in_departements=True, departements=[need.place], cpvs=list(need.cpvs.all())
    )
    elsewhere = reachable_supplier("Ailleurs", network=network, with_account=True).organisation
    elsewhere.activities.all().delete()
    gironde = DepartementFactory.create(code="33", name="Gironde", region=RegionFactory.create(code="75"))
    SupplierActivityFactory.create(
        organisation=elsewhere, in_departements=True, departements=[gironde], cpvs=list(need.cpvs.all())
    )
    reachable_supplier("Sans compte", network=network, with_account=False)
    other_trade = reachable_supplier("Traiteur", network=network, cpv=CpvFactory.create()).organisation

    assert need_match(need=need) == 2
    scores = matched(need)
    assert set(scores) == {"National", "Local"}
    assert scores["Local"] > scores["National"] > 0
    assert not NeedMatch.objects.filter(supplier__in=[elsewhere, other_trade]).exists()
    assert national.organisation.pk in {match.supplier_id for match in need.matches.all()}


def test_structure_types_wanted_and_their_validity(personas: Personas, need: SourcingNeed) -> None:
    ei = reachable_supplier("Entreprise d'insertion", network=personas.network).organisation
    OrganisationStructureFactory.create(organisation=ei, structure_type=StructureType.EI)
    expired = reachable_supplier("Agrément expiré", network=personas.network).organisation
    OrganisationStructureFactory.create(
        organisation=expired, structure_type=StructureType.EI, valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    reachable_supplier("Association", network=personas.network)
    SourcingNeed.objects.filter(pk=need.pk).update(structure_types=[StructureType.EI, StructureType.ESAT])
    need.refresh_from_db()
    need_match(need=need)
    assert set(matched(need)) == {"Entreprise d'insertion"}


def test_matching_again_keeps_the_history_of_notified_matches(personas: Personas, need: SourcingNeed) -> None:
    first = reachable_supplier("Premier", network=personas.network).organisation
    need_match(need=need)
    now = timezone.now()
    NeedMatch.objects.filter(need=need, supplier=first).update(batch=1, notified_at=now, score=1)
    reachable_supplier("Nouveau venu", network=personas.network)
    assert need_match(need=need) == 2
    kept = NeedMatch.objects.get(need=need, supplier=first)
    assert (kept.batch, kept.notified_at, kept.score) == (1, now, 1)
    assert NeedMatch.objects.get(need=need, supplier__name="Nouveau venu").notified_at is None


@pytest.mark.parametrize("with_themes", [True, False])
def test_the_buyer_itself_is_never_matched(personas: Personas, need: SourcingNeed, with_themes: bool) -> None:
    buyer = need.buyer
    SupplierActivityFactory.create(organisation=buyer, cpvs=list(need.cpvs.all()))
    reachable_supplier("Vrai fournisseur", network=personas.network)
    need_match(need=need)
    assert buyer.pk not in {match.supplier_id for match in need.matches.all()}
