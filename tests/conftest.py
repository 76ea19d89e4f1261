"""Fixtures shared by every test: the fixed cast of personas used by permission tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from relais.accounts.models import User
from relais.networks.enums import Role
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind, SupportCategory

from .factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, OrganisationFactory, UserFactory


@dataclass
class Personas:
    network: Network
    other_network: Network
    member: User
    supplier: User
    facilitator: User
    animator: User
    other_animator: User
    site_admin: User
    anonymous: AnonymousUser

    def all(self) -> dict[str, User | AnonymousUser]:
        return {
            "anonymous": self.anonymous,
            "member": self.member,
            "supplier": self.supplier,
            "facilitator": self.facilitator,
            "animator": self.animator,
            "other_animator": self.other_animator,
            "site_admin": self.site_admin,
        }


@pytest.fixture
def personas(db: None) -> Personas:
    network = NetworkFactory(name="Réseau Grand Ouest", slug="reseau-grand-ouest", acronym="RGO")
    other_network = NetworkFactory(name="Réseau national", slug="reseau-national", acronym="RN")
    buyer = OrganisationFactory(name="Ville de Rennes")
    MembershipFactory(network=network, organisation=buyer)
    supplier_org = OrganisationFactory(name="Atelier d'insertion", supplier=True)
    facilitator_org = OrganisationFactory(
        name="Maison de l'emploi",
        kind=OrganisationKind.SUPPORT,
        buyer_category="",
        support_category=SupportCategory.FACILITATOR,
    )

    def person(email: str, role: str, net: Network, org: object = None) -> User:
        user = UserFactory(email=email, full_name=email.split("@")[0].title())
        NetworkRoleFactory(user=user, network=net, role=role, organisation=org)
        return user

    return Personas(
        network=network,
        other_network=other_network,
        member=person("adherent@exemple.fr", Role.MEMBER, network, buyer),
        supplier=person("fournisseur@exemple.fr", Role.SUPPLIER, network, supplier_org),
        facilitator=person("facilitateur@exemple.fr", Role.FACILITATOR, network, facilitator_org),
        animator=person("animateur@exemple.fr", Role.ANIMATOR, network),
        other_animator=person("animateur.autre@exemple.fr", Role.ANIMATOR, other_network),
        site_admin=UserFactory(email="admin@exemple.fr", site_admin=True),
        anonymous=AnonymousUser(),
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The index version, cached search figures and the search snapshot live in the cache: tests roll the database
    back, so each test starts with an empty cache and no snapshot kept by the process."""
    from django.core.cache import cache

    from relais.casesheets import snapshot
    from relais.core import bitmaps

    cache.clear()
    snapshot._local.clear()
    bitmaps.forget_local_copies()  # the documents' and FAQ's snapshots too
