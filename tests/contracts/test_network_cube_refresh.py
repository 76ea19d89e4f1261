"""A change of a network's members in the back office (a membership added, ended, moved, removed, or edited among
the network's own memberships) refreshes its indicator cube in the background once committed, so that its pages
read the cube rather than summing the members' rows live."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.contracts.cubes import indicators_refresh
from relais.contracts.indicators import NetworkScope, cube_rows, indicators_for
from relais.contracts.models import NetworkCube
from relais.networks.enums import MembershipStatus
from relais.networks.models import Membership, Network
from relais.organisations.models import Organisation

from ..factories import NetworkFactory, OrganisationFactory, UserFactory
from .cube_data import BREST, RENNES, RENNES_SIREN, contract, load_territories_and_rules

pytestmark = pytest.mark.django_db(transaction=True)

NO_REFERENTS = {
    "referents-TOTAL_FORMS": "0",
    "referents-INITIAL_FORMS": "0",
    "referents-MIN_NUM_FORMS": "0",
    "referents-MAX_NUM_FORMS": "2",
}


def _membership_form(network: Network, organisation: Organisation, status: str) -> dict[str, object]:
    return {"network": network.pk, "organisation": organisation.pk, "status": status, "start_date": "2025-01-01"}


def _total(network: Network) -> int:
    """The network's number of contracts, asserting it was read from its cube (made for its current members)."""
    scope = NetworkScope(network)
    assert cube_rows(scope).model is NetworkCube
    return indicators_for(scope).overall.number.total


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(UserFactory(site_admin=True))
    return client


def test_the_cube_follows_the_members_written_in_the_back_office(admin: Client) -> None:
    load_territories_and_rules()
    for _ in range(3):
        contract(RENNES)
    contract(BREST, departement="29")
    indicators_refresh()
    network, other = NetworkFactory(), NetworkFactory()
    rennes = OrganisationFactory(siret=None, siren=RENNES_SIREN)
    brest = OrganisationFactory(siret=BREST)

    add = reverse("admin:networks_membership_add")
    response = admin.post(add, _membership_form(network, rennes, MembershipStatus.ACTIVE) | NO_REFERENTS)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _total(network) == 3
    admin.post(add, _membership_form(network, brest, MembershipStatus.ACTIVE) | NO_REFERENTS)
    assert _total(network) == 4

    membership = Membership.objects.get(organisation=brest)
    change = reverse("admin:networks_membership_change", args=[membership.pk])
    admin.post(change, _membership_form(network, brest, MembershipStatus.ENDED) | NO_REFERENTS)
    assert _total(network) == 3
    # Moved to another network, active again: both networks' cubes follow.
    admin.post(change, _membership_form(other, brest, MembershipStatus.ACTIVE) | NO_REFERENTS)
    assert (_total(network), _total(other)) == (3, 1)

    delete = reverse("admin:networks_membership_delete", args=[membership.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert _total(other) == 0

    # Among the network's own memberships (the inline of its page): Brest joins it again.
    form = {
        "name": network.name,
        "slug": network.slug,
        "acronym": "",
        "scope": network.scope,
        "description": "",
        "website": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": Membership.objects.get(organisation=rennes).pk,
        "memberships-0-network": network.pk,
        "memberships-0-organisation": rennes.pk,
        "memberships-0-status": MembershipStatus.ACTIVE,
        "memberships-0-start_date": "2025-01-01",
        "memberships-1-network": network.pk,
        "memberships-1-organisation": brest.pk,
        "memberships-1-status": MembershipStatus.ACTIVE,
        "memberships-1-start_date": "2025-01-01",
    }
    response = admin.post(reverse("admin:networks_network_change", args=[network.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _total(network) == 4
