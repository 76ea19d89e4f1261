"""The public page of a sheet and the download of its attachments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.casesheets.enums import ReservedBasis
from relais.casesheets.models import Attachment, CaseSheet, ImpactFigure, Link
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def url(sheet: CaseSheet) -> str:
    return reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})


def add_attachment(
    sheet: CaseSheet, name: str = "cahier.html", content: bytes = b"<script>alert(1)</script>"
) -> Attachment:
    item = Attachment(sheet=sheet, title="Cahier des charges", original_name=name, content_type="text/html", size=26)
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def test_public_sheet_shows_its_structured_fields(client: Client) -> None:
    sheet = CaseSheetFactory.create(
        published=True,
        title="Cantine bio",
        reserved_basis=ReservedBasis.L2113_13,
        labels_required="Ecolabel européen",
        decp_id="21350001900018_2024_001",
        context="Un contexte précis.",
    )
    ImpactFigure.objects.create(sheet=sheet, label="personnes en insertion", value=Decimal("913"), unit="")
    Link.objects.create(sheet=sheet, title="Délibération", url="https://exemple.fr/deliberation")
    html = client.get(url(sheet)).content.decode()
    for expected in (
        "Cantine bio",
        "55524000-9",
        "Services de traiteur pour écoles",
        "Appel d&#x27;offres ouvert",
        "48 mois",
        "1\xa0200\xa0000&nbsp;€",
        "Performance en matière d&#x27;insertion",
        "60 %",
        "L2113-13 — structures d&#x27;insertion",
        "Ecolabel européen",
        "913",
        "personnes en insertion",
        "21350001900018_2024_001",
        "Titulaire",
        "Licence Ouverte 2.0",
        "https://exemple.fr/deliberation",
        "Un contexte précis.",
        'class="fr-table',
    ):
        assert expected in html, expected
    assert "Fiche non publiée" not in html


@pytest.mark.parametrize("persona", ["anonymous", "supplier", "other_animator"])
def test_members_only_sheet_is_a_404_outside_the_network(personas: Personas, persona: str) -> None:
    sheet = CaseSheetFactory.create(published=True, members_only=True, network=personas.network)
    user = personas.all()[persona]
    response = client_for(None if persona == "anonymous" else user).get(url(sheet))  # type: ignore[arg-type]
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["member", "facilitator", "animator"])
def test_members_only_sheet_is_shown_to_the_network(personas: Personas, persona: str) -> None:
    sheet = CaseSheetFactory.create(published=True, members_only=True, network=personas.network, title="Interne")
    response = client_for(personas.all()[persona]).get(url(sheet))  # type: ignore[arg-type]
    assert response.status_code == 200
    assert "réservée aux adhérents" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_unpublished_sheet_is_shown_to_author_and_animators_with_a_banner(personas: Personas) -> None:
    sheet = CaseSheetFactory.create(submitted=True, network=personas.network, author=personas.member)
    for user in (personas.member, personas.animator):
        response = client_for(user).get(url(sheet))
        assert response.status_code == 200
        assert "Fiche non publiée" in response.content.decode()
    assert "Publier la fiche" in client_for(personas.animator).get(url(sheet)).content.decode()
    for other in (None, personas.facilitator, personas.other_animator):
        assert client_for(other).get(url(sheet)).status_code == 404


def test_unknown_sheet_is_a_404(client: Client) -> None:
    assert client.get("/fiches/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_attachment_is_always_a_download(client: Client) -> None:
    sheet = CaseSheetFactory.create(published=True)
    item = add_attachment(sheet)
    assert (
        reverse("web:sheet_attachment", args=[sheet.public_id, item.public_id])
        in client.get(url(sheet)).content.decode()
    )
    response = client.get(reverse("web:sheet_attachment", args=[sheet.public_id, item.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="cahier.html"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"  # type: ignore[attr-defined]
    response.close()


def test_attachment_of_a_members_only_sheet_is_a_404_outside(personas: Personas) -> None:
    sheet = CaseSheetFactory.create(published=True, members_only=True, network=personas.network)
    item = add_attachment(sheet, "note.pdf", b"%PDF-1.4")
    target = reverse("web:sheet_attachment", args=[sheet.public_id, item.public_id])
    assert client_for(None).get(target).status_code == 404
    assert client_for(personas.supplier).get(target).status_code == 404
    response = client_for(personas.member).get(target)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    response.close()


def test_attachment_of_another_sheet_is_a_404(client: Client) -> None:
    sheet, other = CaseSheetFactory.create(published=True), CaseSheetFactory.create(published=True)
    item = add_attachment(other)
    assert client.get(reverse("web:sheet_attachment", args=[sheet.public_id, item.public_id])).status_code == 404
