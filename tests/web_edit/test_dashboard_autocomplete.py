"""The "Mon espace" dashboard and the two autocompletes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.casesheets.enums import SheetStatus
from tests.conftest import Personas
from tests.factories import CaseSheetFactory, OrganisationFactory

from .conftest import Reference, make_cpv

pytestmark = pytest.mark.django_db


def test_dashboard_lists_my_sheets_by_status_with_actions(client: Client, personas: Personas):
    draft = CaseSheetFactory.create(network=personas.network, author=personas.member, title="Brouillon de cantine")
    published = CaseSheetFactory.create(
        network=personas.network, author=personas.member, published=True, title="Publiée"
    )
    CaseSheetFactory.create(network=personas.network, author=personas.facilitator, title="Pas à moi")
    client.force_login(personas.member)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Brouillon de cantine" in html
    assert "Publiée" in html
    assert "Pas à moi" not in html
    assert reverse("web:sheet_submit", kwargs={"public_id": draft.public_id}) in html
    assert reverse("web:sheet_edit", kwargs={"public_id": draft.public_id}) in html
    assert reverse("web:sheet_edit", kwargs={"public_id": published.public_id}) not in html
    assert reverse("web:sheet_create") in html
    assert "À relire" not in html


def test_animator_sees_submitted_sheets_of_their_network(client: Client, personas: Personas):
    mine = CaseSheetFactory.create(
        network=personas.network, author=personas.member, submitted=True, title="À relire ici"
    )
    CaseSheetFactory.create(
        network=personas.other_network, author=personas.other_animator, submitted=True, title="Ailleurs"
    )
    client.force_login(personas.animator)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "À relire ici" in html
    assert "Ailleurs" not in html
    assert reverse("web:sheet_publish", kwargs={"public_id": mine.public_id}) in html
    assert reverse("web:sheet_return", kwargs={"public_id": mine.public_id}) in html
    assert 'name="comment"' in html


def test_supplier_has_no_new_sheet_button(client: Client, personas: Personas):
    client.force_login(personas.supplier)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("web:sheet_create") not in html


def test_dashboard_requires_login(client: Client, personas: Personas):
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_cpv_autocomplete_by_code_prefix_and_by_word_without_accents(client: Client, reference: Reference):
    make_cpv("55520000-1", "Services de traiteur")
    make_cpv("90911200-8", "Services de nettoyage de bâtiments")
    endpoint = reverse("web:cpv_autocomplete")

    by_code = client.get(endpoint, {"q": "5552"}).json()["results"]
    assert {item["code"] for item in by_code} == {"55524000-9", "55520000-1"}

    by_word = client.get(endpoint, {"q": "batiments"}).json()["results"]
    assert by_word == [{"code": "90911200-8", "label": "Services de nettoyage de bâtiments"}]

    by_words = client.get(endpoint, {"q": "traiteur ECOLES"}).json()["results"]
    assert [item["code"] for item in by_words] == ["55524000-9"]

    assert client.get(endpoint, {"q": "x"}).json()["results"] == []


def test_cpv_autocomplete_returns_at_most_twenty(client: Client, personas: Personas):
    for index in range(25):
        make_cpv(f"3019{index:02d}00-{index % 10}", f"Fournitures de bureau {index}")
    assert len(client.get(reverse("web:cpv_autocomplete"), {"q": "3019"}).json()["results"]) == 20


def test_organisation_autocomplete(client: Client, personas: Personas, reference: Reference):
    endpoint = reverse("web:organisation_autocomplete")
    assert client.get(endpoint, {"q": "Rennes"}).status_code == 302  # login required
    client.force_login(personas.member)
    by_name = client.get(endpoint, {"q": "rennes"}).json()["results"]
    assert [(item["name"], item["kind"]) for item in by_name] == [("Ville de Rennes", "buyer")]
    assert by_name[0]["public_id"] == str(reference.buyer.public_id)
    by_siret = client.get(endpoint, {"q": (reference.second_buyer.siret or "")[:10]}).json()["results"]
    assert [item["name"] for item in by_siret] == ["Département d'Ille-et-Vilaine"]
    only_buyers = client.get(endpoint, {"q": "insertion", "kind": "buyer"}).json()["results"]
    assert only_buyers == []
    OrganisationFactory.create(name="Régie de quartier")
    assert len(client.get(endpoint, {"q": "org"}).json()["results"]) <= 20


def test_sheet_status_labels_on_dashboard(client: Client, personas: Personas):
    CaseSheetFactory.create(
        network=personas.network,
        author=personas.member,
        status=SheetStatus.RETURNED,
        return_comment="Ajoutez le montant.",
    )
    client.force_login(personas.member)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Renvoyée à l&#x27;auteur" in html or "Renvoyée à l'auteur" in html
    assert "Ajoutez le montant." in html
