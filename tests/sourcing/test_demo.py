"""The demo sourcing needs: posted, validated, matched to the demo suppliers with accounts and answered through the
real services; a second load creates nothing."""

from __future__ import annotations

import pytest

from relais.demo.data import needs as demo
from relais.demo.data.accounts import ANIMATOR_EMAIL, MEMBER_EMAIL
from relais.demo.data.directory import RGO
from relais.demo.specs import demo_siret
from relais.networks.enums import Role
from relais.sourcing.enums import Answer, NeedStatus
from relais.sourcing.models import NeedMatch, SourcingNeed

from ..factories import (
    CpvFactory,
    DepartementFactory,
    NetworkFactory,
    NetworkRoleFactory,
    OrganisationFactory,
    OrganisationStructureFactory,
    UserFactory,
)
from ..suppliers.factories import SupplierActivityFactory


@pytest.mark.django_db
def test_demo_needs_are_loaded_once_through_the_workflow() -> None:
    network = NetworkFactory.create(slug=RGO)
    buyer = OrganisationFactory.create(name="Département d'Ille-et-Vilaine")
    member = UserFactory.create(email=MEMBER_EMAIL)
    NetworkRoleFactory.create(user=member, network=network, role=Role.MEMBER, organisation=buyer)
    animator = UserFactory.create(email=ANIMATOR_EMAIL)
    NetworkRoleFactory.create(user=animator, network=network, role=Role.ANIMATOR, organisation=None)
    DepartementFactory.create(code="35")
    green = CpvFactory.create(code="77310000-6", label_fr="Entretien des espaces verts")
    CpvFactory.create(code="55520000-1", label_fr="Services de traiteur")
    for key, structure in (("jardins-cocagne-rennes", "aci"), ("esat-broceliande", "esat")):
        supplier = OrganisationFactory.create(name=key, supplier=True, siret=demo_siret(f"fournisseur-{key}"))
        OrganisationStructureFactory.create(organisation=supplier, structure_type=structure)
        SupplierActivityFactory.create(organisation=supplier, cpvs=[green])
    args = {
        "networks": {RGO: network},
        "users": {MEMBER_EMAIL: member, ANIMATOR_EMAIL: animator},
        "organisations": {"cd35": buyer},
    }
    assert demo.load(**args) == 9  # 2 accounts, 2 roles, 3 needs, 2 answers
    assert demo.load(**args) == 0
    statuses = dict(SourcingNeed.objects.values_list("kind", "status"))
    assert statuses == {
        "upcoming_tender": NeedStatus.VALIDATED,
        "market_meeting": NeedStatus.VALIDATED,
        "quote_request": NeedStatus.SUBMITTED,
    }
    answers = set(NeedMatch.objects.exclude(answer="").values_list("answer", flat=True))
    assert answers == {Answer.INTERESTED, Answer.INTERESTED_GROUP}
