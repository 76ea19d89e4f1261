from __future__ import annotations

from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from relais.helpdesk.models import Question
from relais.networks.models import NetworkRole

from ..conftest import Personas
from .factories import QuestionFactory


def member_organisation(personas: Personas) -> object:
    return NetworkRole.objects.get(user=personas.member, network=personas.network).organisation


@pytest.fixture
def question(personas: Personas) -> Question:
    """A new question of the member's organisation (Ville de Rennes) in the personas' network."""
    return QuestionFactory.create(
        network=personas.network,
        organisation=member_organisation(personas),
        asker=personas.member,
        title="Clause d'insertion pour le marché de nettoyage Xylophone",
    )


def close_download(response: Any) -> None:
    """Close a file download (its file handle) without firing request_finished's close_old_connections, which
    would close the test's database connection (as Django's test client itself avoids)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
