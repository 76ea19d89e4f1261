"""The search page /fiches/ and the home page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.casesheets.enums import ReservedBasis
from tests.conftest import Personas
from tests.factories import CaseSheetFactory, CpvFactory, ThemeFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_search_page_renders_results_facets_and_links(client: Client) -> None:
    CpvFactory(code="55000000-0", label_fr="Services d'hôtellerie, de restaurant et de commerce au détail", level=1)
    catering = ThemeFactory(slug="restauration-collective", label="Restauration collective")
    CaseSheetFactory.create(
        published=True, title="Cantine bio à Rennes", themes=[catering], has_environmental_clause=True
    )
    CaseSheetFactory.create(published=True, title="Nettoyage solidaire", summary="Entretien des locaux.", themes=[])

    response = client.get(reverse("web:sheet_search"), {"q": "cantine", "theme": "restauration-collective"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cantine bio à Rennes" in html
    assert "Nettoyage solidaire" not in html
    assert "1 fiche trouvée" in html
    # Facets with French labels and counts, as DSFR checkboxes.
    assert 'class="fr-checkbox-group' in html
    assert 'name="theme" value="restauration-collective" id="facet-theme-restauration-collective" checked' in html
    assert "Restauration collective" in html
    assert "55 — Services d&#x27;hôtellerie" in html
    assert "Clause environnementale" in html
    # Active filters are removable links keeping the rest of the search.
    assert 'href="?q=cantine"' in html
    assert "Retirer le filtre Thème : Restauration collective" in html
    # Exports and feed carry the same query.
    assert "/fiches/export.csv?q=cantine&amp;theme=restauration-collective" in html
    assert "/fiches/export.xlsx?q=cantine&amp;theme=restauration-collective" in html
    assert "/fiches/flux.atom?q=cantine&amp;theme=restauration-collective" in html


def test_empty_result_message(client: Client) -> None:
    CaseSheetFactory.create(published=True)
    response = client.get(reverse("web:sheet_search"), {"q": "introuvable"})
    assert response.status_code == 200
    assert "Aucune fiche ne correspond à votre recherche" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=999999999999999999999",
        "page=%C2%B2",
        "order=;drop",
        "cpv=abc",
        "year=20245",
        "theme=%00",
        "q=" + "x" * 5000,
    ],
)
def test_garbage_parameters_never_fail(client: Client, query: str) -> None:
    CaseSheetFactory.create(published=True)
    assert client.get(f"{reverse('web:sheet_search')}?{query}").status_code == 200


def test_pagination(client: Client) -> None:
    for index in range(25):
        CaseSheetFactory.create(published=True, title=f"Fiche numéro {index}")
    html = client.get(reverse("web:sheet_search"), {"page": "2"}).content.decode()
    assert 'class="fr-pagination' in html
    assert 'aria-current="page"' in html
    assert "(de 21 à 25)" in html
    assert html.count('class="fr-card ') == 5


def test_members_only_sheet_not_listed_nor_counted_for_anonymous(personas: Personas) -> None:
    CaseSheetFactory.create(published=True, network=personas.network, title="Cantine publique")
    CaseSheetFactory.create(
        published=True,
        members_only=True,
        network=personas.network,
        title="Cantine interne",
        reserved_basis=ReservedBasis.L2113_12,
    )
    anonymous = client_for(None).get(reverse("web:sheet_search")).content.decode()
    assert "Cantine interne" not in anonymous
    assert "1 fiche trouvée" in anonymous
    assert 'value="reserved"' not in anonymous
    member = client_for(personas.member).get(reverse("web:sheet_search")).content.decode()
    assert "Cantine interne" in member
    assert "2 fiches trouvées" in member
    assert 'value="reserved"' in member


def test_home_page_shows_latest_public_sheets_and_counts(personas: Personas) -> None:
    CaseSheetFactory.create(published=True, network=personas.network, title="Cantine publique")
    CaseSheetFactory.create(published=True, members_only=True, network=personas.network, title="Cantine interne")
    CaseSheetFactory.create(network=personas.network, title="Brouillon")
    html = client_for(personas.member).get(reverse("web:home")).content.decode()
    assert "Cantine publique" in html
    assert "Cantine interne" not in html
    assert "Brouillon" not in html
    assert 'action="/fiches/"' in html
    assert "fiche publique" in html
