"""A small world for sourcing tests: the personas' network, a need of the member's organisation (Ville de Rennes)
for green-space maintenance in Ille-et-Vilaine, and suppliers of the directory with accounts to notify."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from relais.accounts.models import User
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.models import Organisation
from relais.reference.models import Cpv
from relais.sourcing.models import SourcingNeed

from ..conftest import Personas
from ..factories import CpvFactory, DepartementFactory, NetworkRoleFactory, OrganisationFactory, UserFactory
from ..suppliers.factories import SourcingNeedFactory, SupplierActivityFactory, SupplierContactFactory

GREEN_SPACES = "77310000-6"


@dataclass
class Reachable:
    organisation: Organisation
    account: User


def green_cpv() -> Cpv:
    return CpvFactory.create(code=GREEN_SPACES, label_fr="Services de plantation et d'entretien des espaces verts")


def buyer_of(personas: Personas) -> Organisation:
    role = NetworkRole.objects.get(user=personas.member, network=personas.network)
    assert role.organisation is not None
    return role.organisation


def reachable_supplier(
    name: str, *, network: Network, cpv: Cpv | None = None, email: str = "", with_account: bool = True
) -> Reachable:
    """A supplier organisation with an activity on the CPV code over the whole country, a contact, and (unless
    told otherwise) an account with the SUPPLIER role in `network`."""
    organisation = OrganisationFactory.create(name=name, supplier=True)
    SupplierActivityFactory.create(organisation=organisation, title=f"Activité de {name}", cpvs=[cpv or green_cpv()])
    SupplierContactFactory.create(organisation=organisation, full_name=f"Contact {name}")
    account = UserFactory.create(email=email or f"compte.{organisation.pk}@structure.example")
    if with_account:
        NetworkRoleFactory.create(user=account, network=network, role=Role.SUPPLIER, organisation=organisation)
    return Reachable(organisation, account)


@pytest.fixture
def need(personas: Personas) -> SourcingNeed:
    """A submitted need of the member's organisation, on the green-spaces CPV code, in Ille-et-Vilaine."""
    return SourcingNeedFactory.create(
        network=personas.network,
        buyer=buyer_of(personas),
        author=personas.member,
        title="Entretien des espaces verts du parc des Gayeulles",
        place=DepartementFactory.create(),
        cpvs=[green_cpv()],
    )
