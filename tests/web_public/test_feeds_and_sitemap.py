"""Atom feeds and the sitemap list public published sheets only, whoever asks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.casesheets.models import CaseSheet
from tests.conftest import Personas
from tests.factories import CaseSheetFactory, ThemeFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheets(personas: Personas) -> dict[str, CaseSheet]:
    theme = ThemeFactory(slug="restauration-collective", label="Restauration collective")
    return {
        "public": CaseSheetFactory.create(
            published=True, network=personas.network, title="Fiche publique", themes=[theme]
        ),
        "members": CaseSheetFactory.create(
            published=True, members_only=True, network=personas.network, title="Fiche interne", themes=[theme]
        ),
        "draft": CaseSheetFactory.create(network=personas.network, title="Fiche brouillon", themes=[theme]),
        "elsewhere": CaseSheetFactory.create(published=True, network=personas.other_network, title="Fiche ailleurs"),
    }


@pytest.mark.parametrize(
    "path",
    [
        "/fiches/flux.atom",
        "/fiches/flux.atom?theme=restauration-collective",
        "/fiches/theme/restauration-collective/flux.atom",
        "/reseaux/reseau-grand-ouest/fiches/flux.atom",
    ],
)
@pytest.mark.parametrize("persona", ["anonymous", "member", "animator"])
def test_feeds_hold_public_sheets_only(
    personas: Personas, sheets: dict[str, CaseSheet], path: str, persona: str
) -> None:
    user = None if persona == "anonymous" else personas.all()[persona]
    response = client_for(user).get(path)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Fiche publique" in body
    assert str(sheets["public"].public_id) in body
    assert "Fiche interne" not in body
    assert str(sheets["members"].public_id) not in body
    assert "Fiche brouillon" not in body


def test_feed_of_the_search_follows_its_filters(sheets: dict[str, CaseSheet]) -> None:
    client = client_for(None)
    assert "Fiche ailleurs" in client.get(reverse("web:sheet_feed")).content.decode()
    narrowed = client.get(reverse("web:sheet_feed") + "?network=reseau-grand-ouest").content.decode()
    assert "Fiche ailleurs" not in narrowed
    assert "Fiche publique" in narrowed
    assert client.get("/fiches/theme/inconnu/flux.atom").status_code == 404


def test_sitemap_lists_public_pages_only(personas: Personas, sheets: dict[str, CaseSheet]) -> None:
    response = client_for(personas.animator).get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>http://testserver/</loc>" in body
    assert "<loc>http://testserver/fiches/</loc>" in body
    assert str(sheets["public"].public_id) in body
    assert str(sheets["elsewhere"].public_id) in body
    assert str(sheets["members"].public_id) not in body
    assert str(sheets["draft"].public_id) not in body
