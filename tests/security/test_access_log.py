"""Reads of personal data by animators and site admins leave a line on the "relais.access" logger."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from relais.networks.enums import ReferentKind
from relais.networks.models import Membership, Referent
from tests.conftest import Personas


def test_admin_view_of_referents_is_logged(
    client: Client, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    membership = Membership.objects.get(network=personas.network)
    Referent.objects.create(membership=membership, kind=ReferentKind.ELECTED, full_name="Élue Référente")
    client.force_login(personas.site_admin)
    with caplog.at_level(logging.INFO, logger="relais.access"):
        response = client.get(reverse("admin:networks_membership_change", args=[membership.pk]))
        assert response.status_code == 200
        assert "Élue Référente" in response.content.decode()
        assert client.get(reverse("admin:networks_referent_changelist")).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "relais.access"]
    assert any("referents_viewed" in line and f"membership={membership.pk}" in line for line in lines)
    assert any("referents_viewed" in line and "list" in line for line in lines)
    assert all(f"user={personas.site_admin.pk}" in line for line in lines)
