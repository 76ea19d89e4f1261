"""The self-service and import pages as a person uses them: forms, error summaries, redirects, downloads."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relais.organisations.models import Organisation
from relais.reference.models import Departement, Region
from relais.suppliers.enums import ClaimStatus, ImportStatus
from relais.suppliers.models import SupplierActivity, SupplierClaim, SupplierImport

from ..conftest import Personas
from ..factories import CpvFactory, valid_siret
from .factories import SupplierContactFactory
from .test_profile_services import PNG

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "suppliers"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _supplier_org() -> Organisation:
    return Organisation.objects.get(name="Atelier d'insertion")


def test_claim_verify_then_edit(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    claimant = _client(personas.member)
    siret = valid_siret()
    with django_capture_on_commit_callbacks(execute=True):
        response = claimant.post(
            reverse("web:supplier_claim"),
            {"siret": siret, "name": "Recyclerie du Pays", "network": personas.network.pk, "message": "Gérante"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:supplier_claims_mine")
    assert "Recyclerie du Pays" in claimant.get(reverse("web:supplier_claims_mine")).content.decode()
    claim = SupplierClaim.objects.get()
    assert mail.outbox[0].to == [personas.animator.email]

    animator = _client(personas.animator)
    queue = animator.get(reverse("web:supplier_claim_queue")).content.decode()
    assert reverse("web:supplier_claim_review", kwargs={"public_id": claim.public_id}) in queue
    confirm = animator.get(reverse("web:supplier_claim_verify", kwargs={"public_id": claim.public_id}))
    assert "Recyclerie du Pays" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = animator.post(reverse("web:supplier_claim_verify", kwargs={"public_id": claim.public_id}))
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    edit_url = reverse("web:supplier_profile_edit", kwargs={"public_id": claim.organisation.public_id})
    assert edit_url in claimant.get(reverse("web:supplier_claims_mine")).content.decode()
    assert claimant.get(edit_url).status_code == 200


def test_my_structures_lists_those_of_the_supplier_role(personas: Personas) -> None:
    organisation = _supplier_org()
    body = _client(personas.supplier).get(reverse("web:supplier_claims_mine")).content.decode()
    assert reverse("web:supplier_profile_edit", kwargs={"public_id": organisation.public_id}) in body


def test_claim_errors_are_summarised(personas: Personas) -> None:
    response = _client(personas.supplier).post(
        reverse("web:supplier_claim"), {"siret": "123 456 789 00000", "network": personas.network.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in body
    assert "clé de contrôle" in body
    assert not SupplierClaim.objects.exists()


def test_rejecting_needs_a_reason(personas: Personas) -> None:
    claim = SupplierClaim.objects.create(user=personas.member, organisation=_supplier_org(), network=personas.network)
    url = reverse("web:supplier_claim_reject", kwargs={"public_id": claim.public_id})
    body = _client(personas.animator).post(url, {"reason": ""}).content.decode()
    assert "Indiquez le motif du refus." in body
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_profile_form_saves_and_shows_coordinate_errors(personas: Personas) -> None:
    organisation = _supplier_org()
    url = reverse("web:supplier_profile_edit", kwargs={"public_id": organisation.public_id})
    client = _client(personas.supplier)
    bad = client.post(url, {"name": "Atelier d'insertion", "latitude": "-1.68", "longitude": "48.11"})
    assert "pas en France" in bad.content.decode()
    ok = client.post(
        url,
        {"name": "Atelier d'insertion", "latitude": "48.11", "longitude": "-1.68", "public_listing": "on"},
    )
    assert ok.status_code == 302
    organisation.refresh_from_db()
    assert organisation.supplier_profile.public_listing


def test_activity_added_and_bad_cpv_shown_next_to_its_field(personas: Personas) -> None:
    organisation = _supplier_org()
    CpvFactory(code="77310000-6", label_fr="Espaces verts")
    url = reverse("web:supplier_activities", kwargs={"public_id": organisation.public_id})
    client = _client(personas.supplier)
    data = {"title": "Espaces verts", "service_kind": "service", "coverage": "country", "cpvs": "77310000-1"}
    body = client.post(url, data).content.decode()
    assert "le code complet est 77310000-6" in body
    assert client.post(url, {**data, "cpvs": "77310000"}).status_code == 302
    activity = SupplierActivity.objects.get(organisation=organisation)
    assert [c.code for c in activity.cpvs.all()] == ["77310000-6"]
    assert "77310000-6" in client.get(url).content.decode()


def test_contacts_page_logs_the_display(personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    organisation = _supplier_org()
    SupplierContactFactory(organisation=organisation, email="directrice@atelier.example")
    with caplog.at_level(logging.INFO, logger="relais.access"):
        body = _client(personas.supplier).get(
            reverse("web:supplier_contacts", kwargs={"public_id": organisation.public_id})
        )
    assert "directrice@atelier.example" in body.content.decode()
    assert any("contacts" in record.message for record in caplog.records if record.name == "relais.access")


def test_photo_upload_and_serving(personas: Personas) -> None:
    organisation = _supplier_org()
    client = _client(personas.supplier)
    url = reverse("web:supplier_photos", kwargs={"public_id": organisation.public_id})
    refused = client.post(url, {"image": SimpleUploadedFile("x.png", b"<html><script></script>"), "caption": ""})
    assert "pas une image" in refused.content.decode()
    assert (
        client.post(url, {"image": SimpleUploadedFile("atelier.png", PNG), "caption": "L'atelier"}).status_code == 302
    )
    photo = organisation.photos.get()
    image_url = reverse(
        "web:directory_supplier_media", kwargs={"public_id": organisation.public_id, "media_id": photo.public_id}
    )
    assert image_url in client.get(url).content.decode()
    served = client.get(image_url)
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PNG
    assert Client().get(image_url).status_code in {403, 404}  # no public page agreed


@pytest.fixture
def territory() -> None:
    region = Region.objects.create(code="53", name="Bretagne")
    for code, name in {"22": "Côtes-d'Armor", "29": "Finistère", "35": "Ille-et-Vilaine", "56": "Morbihan"}.items():
        Departement.objects.create(code=code, name=name, region=region)


def _upload(client: Client, personas: Personas, name: str = "siae-bretagne.csv") -> Any:
    with (DATA / name).open("rb") as handle:
        return client.post(reverse("web:supplier_imports"), {"network": personas.network.pk, "upload": handle})


def test_import_upload_mapping_preview_apply_and_rejects_csv(personas: Personas, territory: None) -> None:
    client = _client(personas.animator)
    response = _upload(client, personas)
    supplier_import = SupplierImport.objects.get()
    mapping_url = reverse("web:supplier_import_mapping", kwargs={"public_id": supplier_import.public_id})
    assert response["Location"] == mapping_url
    page = client.get(mapping_url).content.decode()
    assert '<option value="0" selected>SIRET</option>' in page
    mapping = {"siret": "0", "name": "1", "structure_types": "2", "departement": "3", "city": "4", "postcode": "5"}
    assert client.post(mapping_url, mapping).status_code == 302
    detail_url = reverse("web:supplier_import_detail", kwargs={"public_id": supplier_import.public_id})
    detail = client.get(detail_url).content.decode()
    assert "Structures à créer" in detail
    assert "SIRET en double dans le fichier (déjà ligne 2)." in detail
    apply_url = reverse("web:supplier_import_apply", kwargs={"public_id": supplier_import.public_id})
    assert "7 structure(s) seront créées." in client.get(apply_url).content.decode()
    assert client.post(apply_url).status_code == 302
    supplier_import.refresh_from_db()
    assert supplier_import.status == ImportStatus.APPLIED
    assert "Structures créées" in client.get(detail_url).content.decode()
    csv_response = client.get(
        reverse("web:supplier_import_rejects_csv", kwargs={"public_id": supplier_import.public_id})
    )
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffligne;motif;SIRET;Raison sociale")
    assert len(text.strip().splitlines()) == 5  # header + 4 rejected lines
    assert "Type de structure inconnu" in text


def test_import_page_refuses_an_unreadable_file(personas: Personas) -> None:
    body = _upload(_client(personas.animator), personas, "siae-bretagne-utf16.csv").content.decode()
    assert "UTF-16" in body
    assert not SupplierImport.objects.exists()


def test_a_large_list_goes_through_the_task_queue(
    personas: Personas, territory: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SUPPLIER_IMPORT_SYNC_MAX_BYTES = 10
    client = _client(personas.animator)
    _upload(client, personas)
    supplier_import = SupplierImport.objects.get()
    mapping_url = reverse("web:supplier_import_mapping", kwargs={"public_id": supplier_import.public_id})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(mapping_url, {"siret": "0", "name": "1"})
    supplier_import.refresh_from_db()
    assert supplier_import.counts["phase"] == "previewing"
    detail_url = reverse("web:supplier_import_detail", kwargs={"public_id": supplier_import.public_id})
    assert "<progress" in client.get(detail_url).content.decode()
    for callback in callbacks:
        callback()  # the test settings run tasks at once: this is the worker
    supplier_import.refresh_from_db()
    assert supplier_import.counts["phase"] == "previewed"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:supplier_import_apply", kwargs={"public_id": supplier_import.public_id}))
    supplier_import.refresh_from_db()
    assert supplier_import.status == ImportStatus.APPLIED
    assert supplier_import.counts["applied"]["create"] == 9  # no type/département columns: only bad SIRETs rejected
