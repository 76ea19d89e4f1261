"""A working group of `personas.network`, co-piloted by the member's organisation and animated by the animator."""

from __future__ import annotations

import pytest

from relais.organisations.models import Organisation
from relais.workgroups.models import WorkGroup

from ..conftest import Personas
from .factories import WorkGroupFactory


def member_organisation(personas: Personas) -> Organisation:
    role = personas.member.network_roles.get(network=personas.network)
    assert role.organisation is not None
    return role.organisation


def make_group(personas: Personas, **kwargs: object) -> WorkGroup:
    return WorkGroupFactory.create(
        network=personas.network, co_pilot=member_organisation(personas), animator=personas.animator, **kwargs
    )


@pytest.fixture
def group(personas: Personas) -> WorkGroup:
    return make_group(personas, title="Vêtements de travail équitables Hippocampe")
