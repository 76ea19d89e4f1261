"""Creating and editing a case sheet through the multi-section form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from relais.casesheets.enums import BuyerRole, SheetStatus
from relais.casesheets.models import (
    Attachment,
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    Link,
    SheetBuyer,
    Stakeholder,
)
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

from .conftest import PDF_BYTES, Reference, docx_bytes, management

pytestmark = pytest.mark.django_db

CREATE = reverse("web:sheet_create")
MODELS = (CaseSheet, SheetBuyer, AwardCriterion, Stakeholder, ImpactFigure, Link, Attachment)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def logged(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def post_invalid(client: Client, data: dict[str, Any]) -> Any:
    before = counts()
    response = client.post(CREATE, data)
    assert response.status_code == 422
    assert counts() == before, "nothing may be saved when any part of the form is invalid"
    return response


def test_member_creates_a_full_sheet_with_formsets(client: Client, personas: Personas, reference: Reference, payload):
    payload.update(management("attachments", 2))
    payload["attachments-0-title"] = "Cahier des clauses"
    payload["attachments-0-file"] = SimpleUploadedFile("ccap.pdf", PDF_BYTES, content_type="application/pdf")
    payload["attachments-1-title"] = "Bilan"
    payload["attachments-1-file"] = SimpleUploadedFile("bilan.docx", docx_bytes(), content_type="application/zip")

    response = logged(client, personas.member).post(CREATE, payload)

    sheet = CaseSheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sheet_edit", kwargs={"public_id": sheet.public_id})
    assert sheet.author == personas.member
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.network == personas.network
    assert sheet.amount_exact == Decimal("1200000.50")
    assert sheet.techniques == ["framework"]
    assert sheet.main_cpv == reference.cpv
    assert list(sheet.additional_cpvs.all()) == [reference.other_cpv]
    assert set(sheet.themes.all()) == {reference.theme, reference.other_theme}
    assert sheet.is_purchasing_group is True
    assert {(b.organisation, b.role) for b in sheet.buyers.all()} == {
        (reference.buyer, BuyerRole.COORDINATOR),
        (reference.second_buyer, BuyerRole.GROUP_MEMBER),
    }
    assert [(c.label, c.weight, c.position) for c in sheet.criteria.all()] == [
        ("Prix", 40, 0),
        ("Performance en matière d'insertion", 60, 1),
    ]
    assert [(s.organisation, s.role) for s in sheet.stakeholders.all()] == [(reference.supplier, "holder")]
    assert sheet.impacts.get().value == Decimal("12")
    assert sheet.links.get().url == "https://www.boamp.fr/avis/detail/24-12345"
    pdf, docx = sorted(sheet.attachments.all(), key=lambda a: a.original_name, reverse=True)
    assert (pdf.original_name, pdf.content_type, pdf.size) == ("ccap.pdf", "application/pdf", len(PDF_BYTES))
    assert docx.content_type.endswith("wordprocessingml.document")
    assert "ccap" not in str(pdf.file.name)  # the uploaded name never reaches the disk


def test_the_form_page_renders_every_section(client: Client, personas: Personas, reference: Reference):
    response = logged(client, personas.member).get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in ("identite", "marche", "acheteurs", "criteres", "social", "environnement", "pieces-jointes"):
        assert f'id="section-{anchor}"' in html
    assert 'data-autocomplete-url="/autocompletion/cpv/"' in html
    assert "buyers-TOTAL_FORMS" in html


def test_edit_keeps_formsets_and_replaces_rows(client: Client, personas: Personas, reference: Reference, payload):
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member)
    criteria = list(sheet.criteria.all())
    buyer = sheet.buyers.get()
    holder = sheet.stakeholders.get()
    payload.update(
        {
            **management("buyers", 1, initial=1),
            "buyers-0-id": str(buyer.pk),
            "buyers-0-organisation": "",
            "buyers-0-organisation_id": str(buyer.organisation.public_id),
            "buyers-0-role": "sole",
            **management("criteria", 2, initial=2),
            "criteria-0-id": str(criteria[0].pk),
            "criteria-0-kind": "price",
            "criteria-0-label": "Prix",
            "criteria-0-weight": "30",
            "criteria-1-id": str(criteria[1].pk),
            "criteria-1-kind": "social",
            "criteria-1-label": "Insertion",
            "criteria-1-weight": "70",
            **management("stakeholders", 1, initial=1),
            "stakeholders-0-id": str(holder.pk),
            "stakeholders-0-organisation": "",
            "stakeholders-0-organisation_id": str(holder.organisation.public_id),
            "stakeholders-0-role": "holder",
            "stakeholders-0-DELETE": "on",
        }
    )
    payload.pop("criteria-2-kind")
    response = logged(client, personas.member).post(
        reverse("web:sheet_edit", kwargs={"public_id": sheet.public_id}), payload
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.title == payload["title"]
    assert sheet.is_purchasing_group is False
    assert [c.weight for c in sheet.criteria.all()] == [30, 70]
    assert not sheet.stakeholders.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"main_cpv": "12345"}, "main_cpv", "Code CPV invalide"),
        ({"main_cpv": "99999999-9"}, "main_cpv", "n'existe pas dans la nomenclature CPV 2008"),
        ({"main_cpv": "55524000-1"}, "main_cpv", "La clé de contrôle ne correspond pas"),
        ({"additional_cpvs": "15000000, abc"}, "additional_cpvs", "Code CPV invalide"),
        ({"amount_exact": "-5"}, "amount_exact", "Le montant ne peut pas être négatif."),
        ({"amount_exact": "", "amount_min": "-1", "amount_max": "10"}, "amount_min", "ne peut pas être négatif"),
        (
            {"amount_exact": "", "amount_min": "500000", "amount_max": "100000"},
            "amount_max",
            "Le montant maximum doit être supérieur ou égal au montant minimum.",
        ),
        (
            {"amount_exact": "1000", "amount_min": "500", "amount_max": "2000"},
            "amount_exact",
            "soit un montant exact, soit une fourchette",
        ),
        ({"duration_months": "0"}, "duration_months", "La durée doit être d'au moins 1 mois."),
        ({"title": "<script>alert(1)</script>"}, "title", "ne peut pas contenir de balises HTML"),
        ({"summary": 'Voir <a href="x">ici</a>'}, "summary", "ne peut pas contenir de balises HTML"),
        ({"lessons": "<img src=x onerror=alert(1)>"}, "lessons", "ne peut pas contenir de balises HTML"),
        ({"labels_required": "javascript:alert(1)"}, "labels_required", "ne peut pas contenir de balises HTML"),
        ({"contract_type": "spaceship"}, "contract_type", "Sélectionnez un choix valide"),
        ({"techniques": ["framework", "bribery"]}, "techniques", "Sélectionnez un choix valide"),
        ({"themes": ["999999"]}, "themes", "Sélectionnez un choix valide"),
        ({"reserved_basis": "L9999"}, "reserved_basis", "Sélectionnez un choix valide"),
        ({"network": "OTHER"}, "network", "Vous ne pouvez pas rédiger de fiche pour ce réseau."),
        ({"themes": []}, "themes", "Choisissez au moins un thème."),
    ],
)
def test_bad_main_form_input_gives_a_french_message_on_its_field(
    client: Client, personas: Personas, reference: Reference, payload, changes, field, message
):
    if changes.get("network") == "OTHER":
        changes = {"network": str(personas.other_network.pk)}
    payload.update(changes)
    response = post_invalid(logged(client, personas.member), payload)
    form = response.context["editor"].form
    assert any(message in error for error in form.errors.get(field, [])), form.errors
    html = response.content.decode()
    assert f'id="{form[field].auto_id}-desc-error"' in html
    assert "aria-invalid" in html


@pytest.mark.parametrize(
    ("changes", "prefix", "message"),
    [
        ({"criteria-1-weight": "50"}, "criteria", "doit être égale à 100 % (elle est de 90 %)"),
        ({"buyers-1-role": "coordinator"}, "buyers", "exactement un coordonnateur"),
        ({"buyers-0-role": "group_member"}, "buyers", "exactement un coordonnateur"),
        (
            {
                "buyers-0-organisation_id": "",
                "buyers-0-role": "sole",
                "buyers-1-organisation": "",
                "buyers-1-role": "sole",
            },
            "buyers",
            "Indiquez l'acheteur du marché.",
        ),
    ],
)
def test_formset_rules_give_a_french_message(
    client: Client, personas: Personas, reference: Reference, payload, changes, prefix, message
):
    payload.update(changes)
    response = post_invalid(logged(client, personas.member), payload)
    formset = response.context["editor"].formsets[prefix]
    assert any(message in error for error in formset.non_form_errors()), formset.non_form_errors()
    assert message.replace("'", "&#x27;") in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "prefix", "field", "message"),
    [
        ({"criteria-0-label": "<b>Prix</b>"}, "criteria", "label", "ne peut pas contenir de balises HTML"),
        ({"criteria-0-kind": "bribe"}, "criteria", "kind", "Sélectionnez un choix valide"),
        ({"criteria-0-weight": "-10"}, "criteria", "weight", "La pondération ne peut pas être négative."),
        ({"buyers-0-organisation_id": "not-a-uuid"}, "buyers", "organisation", "Organisation introuvable"),
        (
            {"buyers-0-organisation_id": "", "buyers-0-organisation": "Atelier d'insertion"},
            "buyers",
            "organisation",
            "Choisissez un acheteur public.",
        ),
        ({"impacts-0-unit": "<script>"}, "impacts", "unit", "ne peut pas contenir de balises HTML"),
        ({"links-0-url": "javascript:alert(1)"}, "links", "url", "Saisissez une adresse web complète"),
    ],
)
def test_formset_fields_give_a_french_message(
    client: Client, personas: Personas, reference: Reference, payload, changes, prefix, field, message
):
    payload.update(changes)
    response = post_invalid(logged(client, personas.member), payload)
    form = response.context["editor"].formsets[prefix].forms[0]
    assert any(message in error for error in form.errors.get(field, [])), form.errors


def test_html_renamed_pdf_is_refused(client: Client, personas: Personas, reference: Reference, payload):
    payload.update(management("attachments", 1))
    payload["attachments-0-title"] = "Piège"
    payload["attachments-0-file"] = SimpleUploadedFile(
        "rapport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = post_invalid(logged(client, personas.member), payload)
    errors = response.context["editor"].formsets["attachments"].forms[0].errors["file"]
    assert "n'est pas un document PDF, ODT, DOCX ou XLSX valide" in errors[0]


def test_renamed_executable_and_bare_zip_are_refused(client: Client, personas: Personas, reference, payload):
    payload.update(management("attachments", 2))
    payload["attachments-0-title"] = "Exécutable"
    payload["attachments-0-file"] = SimpleUploadedFile("outil.docx", b"MZ\x90\x00" + b"\x00" * 200)
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script></script>")
    payload["attachments-1-title"] = "Archive"
    payload["attachments-1-file"] = SimpleUploadedFile("archive.xlsx", buffer.getvalue())
    response = post_invalid(logged(client, personas.member), payload)
    forms = response.context["editor"].formsets["attachments"].forms
    assert "n'est pas un document" in forms[0].errors["file"][0]
    assert "n'est pas un document" in forms[1].errors["file"][0]


def test_pdf_with_a_wrong_extension_is_refused(client: Client, personas: Personas, reference, payload):
    payload.update(management("attachments", 1))
    payload["attachments-0-title"] = "Mal nommé"
    payload["attachments-0-file"] = SimpleUploadedFile("note.docx", PDF_BYTES)
    response = post_invalid(logged(client, personas.member), payload)
    assert (
        "L'extension du fichier ne correspond pas"
        in (response.context["editor"].formsets["attachments"].forms[0].errors["file"][0])
    )


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_oversized_attachment_is_refused(client: Client, personas: Personas, reference: Reference, payload):
    payload.update(management("attachments", 1))
    payload["attachments-0-title"] = "Trop gros"
    payload["attachments-0-file"] = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * 200)
    response = post_invalid(logged(client, personas.member), payload)
    assert "la taille maximale est de" in response.context["editor"].formsets["attachments"].forms[0].errors["file"][0]


@pytest.mark.parametrize("persona", ["supplier", "other_animator"])
def test_people_who_cannot_author_get_403(client: Client, personas: Personas, reference, payload, persona):
    user = getattr(personas, persona)
    assert logged(client, user).get(CREATE).status_code == (403 if persona == "supplier" else 200)
    if persona == "other_animator":
        # An animator of another network may write for that network only: the tampered network is refused.
        response = post_invalid(client, payload)
        assert "Vous ne pouvez pas rédiger" in response.context["editor"].form.errors["network"][0]
    else:
        before = counts()
        assert client.post(CREATE, payload).status_code == 403
        assert counts() == before


def test_anonymous_is_sent_to_login(client: Client, personas: Personas, reference, payload):
    response = client.post(CREATE, payload)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert not CaseSheet.objects.exists()


def test_edit_permissions(client: Client, personas: Personas, reference: Reference):
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member)
    url = reverse("web:sheet_edit", kwargs={"public_id": sheet.public_id})
    assert logged(client, personas.member).get(url).status_code == 200
    assert logged(client, personas.animator).get(url).status_code == 200
    # The facilitator is a member of the network: may read published sheets but not this draft (404, not 403).
    assert logged(client, personas.facilitator).get(url).status_code == 404
    sheet.status = SheetStatus.PUBLISHED
    sheet.published_at = sheet.created_at
    sheet.save()
    # Published: the author may no longer edit it (403); the animator may.
    assert logged(client, personas.member).get(url).status_code == 403
    assert logged(client, personas.animator).get(url).status_code == 200
