from __future__ import annotations

from collections.abc import Callable

import pytest

from relais.accounts.models import User
from relais.networks.enums import Role

from ..conftest import Personas
from ..factories import NetworkRoleFactory, UserFactory


@pytest.fixture
def make_member(personas: Personas) -> Callable[[], User]:
    """New members of `personas.network`, one per call."""
    counter = iter(range(1000))

    def make() -> User:
        user = UserFactory.create(email=f"membre{next(counter)}@exemple.fr")
        NetworkRoleFactory.create(user=user, network=personas.network, role=Role.MEMBER)
        return user

    return make
