"""A change of a network's members (added, ended, removed: in the back office or anywhere) refreshes its indicator
cube in the background once committed, so that its pages read the cube rather than summing members' rows live."""

from __future__ import annotations

import pytest

from relais.contracts.cubes import indicators_refresh
from relais.contracts.indicators import NetworkScope, cube_rows, indicators_for
from relais.contracts.models import NetworkCube, NetworkCubeState
from relais.networks.enums import MembershipStatus

from ..factories import MembershipFactory, NetworkFactory, OrganisationFactory
from .cube_data import BREST, RENNES, RENNES_SIREN, contract, load_territories_and_rules

pytestmark = pytest.mark.django_db(transaction=True)


def _total(scope: NetworkScope) -> int:
    return indicators_for(scope).overall.number.total


def test_the_cube_follows_the_members() -> None:
    load_territories_and_rules()
    for _ in range(3):
        contract(RENNES)
    contract(BREST, departement="29")
    indicators_refresh()
    network = NetworkFactory()
    scope = NetworkScope(network)

    MembershipFactory(network=network, organisation=OrganisationFactory(siret=None, siren=RENNES_SIREN))
    assert cube_rows(scope).model is NetworkCube
    assert _total(scope) == 3

    brest = MembershipFactory(network=network, organisation=OrganisationFactory(siret=BREST))
    assert cube_rows(scope).model is NetworkCube
    assert _total(scope) == 4

    brest.status = MembershipStatus.ENDED
    brest.save()
    assert cube_rows(scope).model is NetworkCube
    assert _total(scope) == 3

    refreshed = NetworkCubeState.objects.get(network=network).refreshed_at
    brest.delete()  # an ended membership: the members are the same, the cube is kept as it is
    assert NetworkCubeState.objects.get(network=network).refreshed_at == refreshed
    assert cube_rows(scope).model is NetworkCube
