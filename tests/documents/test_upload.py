"""Sharing documents and versions through the pages: content checks, extraction on commit, versions kept."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from relais.documents import access
from relais.documents.enums import AccessLevel, DocumentKind, ExtractionStatus
from relais.documents.formats import ALLOWED_TYPES, DEFAULT_MAX_BYTES
from relais.documents.models import Document, DocumentVersion
from relais.web.forms.uploads import check_attachment

from ..conftest import Personas
from ..factories import ThemeFactory
from .conftest import FakeDirectory, drain, logged
from .files import csv_bytes, docx_bytes, ods_bytes, odt_bytes, pdf_bytes, xlsx_bytes

CREATE = reverse("web:document_create")


def payload(personas: Personas, upload: SimpleUploadedFile, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "network": personas.network.pk,
        "title": "CCTP nettoyage des locaux",
        "kind": DocumentKind.SPECIFICATIONS,
        "description": "Cahier des clauses techniques du marché de nettoyage.",
        "licence": "etalab-2.0",
        "access_level": AccessLevel.MEMBERS,
        "file": upload,
    }
    data.update(changes)
    return data


def share(client: Client, personas: Personas, upload: SimpleUploadedFile, capture: Any, **changes: Any) -> Any:
    with capture(execute=True):
        return logged(client, personas.member).post(CREATE, payload(personas, upload, **changes))


@pytest.mark.parametrize(
    ("name", "data", "phrase"),
    [
        ("cctp.pdf", pdf_bytes("Article 7 : clause d'insertion par l'activité économique."), "clause d'insertion"),
        ("cctp.docx", docx_bytes("Le titulaire met en œuvre la clause d'insertion."), "clause d'insertion"),
        ("cctp.odt", odt_bytes("Exigence : papier recyclé à 100 %."), "papier recyclé"),
        ("grille.xlsx", xlsx_bytes("Performance environnementale des véhicules"), "performance environnementale"),
        ("grille.ods", ods_bytes("Qualité des denrées biologiques"), "denrées biologiques"),
        ("grille.csv", csv_bytes("Heures d'insertion réalisées"), "heures d'insertion"),
    ],
)
def test_shared_file_is_extracted_and_found_by_a_phrase_inside(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any, name: str, data: bytes, phrase: str
) -> None:
    response = share(client, personas, SimpleUploadedFile(name, data), django_capture_on_commit_callbacks)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    document = Document.objects.get()
    version = document.versions.get()
    assert version.extraction_status == ExtractionStatus.DONE, version.extraction_error
    assert version.number == 1
    assert version.size == len(data)
    assert version.uploaded_by == personas.member
    assert name.split(".")[0] not in version.file.name  # the uploaded name never reaches the disk
    # Another member of the network finds it by a phrase that is only inside the file.
    found = logged(Client(), personas.facilitator).get(reverse("web:document_list"), {"q": phrase})
    assert document.title in found.content.decode()
    assert found.context["result"].total == 1
    missing = logged(Client(), personas.facilitator).get(reverse("web:document_list"), {"q": "déneigement"})
    assert missing.context["result"].total == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rapport.pdf", b"<html><script>alert(1)</script></html>"),
        ("table.csv", b"<html><body><script>alert(1)</script></body></html>"),
        ("image.csv", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("outil.docx", b"MZ\x90\x00" + b"\x00" * 200),
        ("outil.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200),
        ("note.docx", pdf_bytes("Un PDF mal nommé")),
    ],
)
def test_renamed_html_svg_and_executables_are_refused(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any, name: str, data: bytes
) -> None:
    response = share(client, personas, SimpleUploadedFile(name, data), django_capture_on_commit_callbacks)
    assert response.status_code == 422
    errors = response.context["form"].errors["file"]
    assert "n'est pas un document" in errors[0] or "L'extension du fichier ne correspond pas" in errors[0]
    assert 'aria-describedby="id_file-desc-error' in response.content.decode()
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_bare_zip_is_refused(client: Client, personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script></script>")
    response = share(
        client, personas, SimpleUploadedFile("archive.xlsx", buffer.getvalue()), django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert not Document.objects.exists()


def test_limit_is_20_megabytes() -> None:
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    too_big = SimpleUploadedFile("gros.pdf", pdf_bytes("x") + b"0" * DEFAULT_MAX_BYTES)
    with pytest.raises(Exception, match="la taille maximale est de 20,0"):
        check_attachment(too_big, allowed=ALLOWED_TYPES, max_bytes=DEFAULT_MAX_BYTES)
    just_right = SimpleUploadedFile("juste.pdf", pdf_bytes("x") + b"0" * (DEFAULT_MAX_BYTES - 1000))
    assert check_attachment(just_right, allowed=ALLOWED_TYPES, max_bytes=DEFAULT_MAX_BYTES).size < DEFAULT_MAX_BYTES


@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_oversized_file_is_refused_by_the_form(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("gros.pdf", pdf_bytes("x") + b"0" * 2000)
    response = share(client, personas, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "la taille maximale est de" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


def test_case_sheets_still_refuse_csv_and_ods() -> None:
    for name, data in (("t.csv", csv_bytes("a")), ("t.ods", ods_bytes("a"))):
        with pytest.raises(Exception, match="PDF, ODT, DOCX ou XLSX"):
            check_attachment(SimpleUploadedFile(name, data))


def test_bad_metadata_saves_nothing(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("cctp.pdf", pdf_bytes("Texte"))
    response = share(
        client,
        personas,
        upload,
        django_capture_on_commit_callbacks,
        title="",
        kind="inconnu",
        description="<script>alert(1)</script>",
        network=personas.other_network.pk,
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["title"] == ["Donnez un titre au document."]
    assert errors["kind"] == ["Type de document inconnu."]
    assert "balises HTML" in errors["description"][0]
    assert errors["network"] == ["Vous ne pouvez pas partager de document dans ce réseau."]
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_metadata_are_saved(client: Client, personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    theme = ThemeFactory.create()
    upload = SimpleUploadedFile("guide.odt", odt_bytes("Guide"))
    response = share(
        client,
        personas,
        upload,
        django_capture_on_commit_callbacks,
        themes=[theme.pk],
        document_date="2025-03-15",
        kind=DocumentKind.GUIDE,
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert list(document.themes.all()) == [theme]
    assert str(document.document_date) == "2025-03-15"
    assert document.network == personas.network
    assert document.created_by == personas.member
    # The theme's label is searchable, and the theme filter finds the document.
    found = logged(Client(), personas.member).get(reverse("web:document_list"), {"theme": theme.slug})
    assert found.context["result"].total == 1


def test_new_version_keeps_the_old_ones(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    # Built once: a zip entry carries the time it was written, so two builds may differ by a second.
    first_file = docx_bytes("Ancienne exigence de lessivage.")
    share(client, personas, SimpleUploadedFile("cctp.docx", first_file), django_capture_on_commit_callbacks)
    document = Document.objects.get()
    url = reverse("web:document_version_create", kwargs={"public_id": document.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "file": SimpleUploadedFile("cctp-v2.pdf", pdf_bytes("Nouvelle clause de réemploi.")),
                "comment": "Mise à jour 2026",
            },
        )
    assert response.status_code == 302
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.original_name) for v in versions] == [(1, "cctp.docx"), (2, "cctp-v2.pdf")]
    assert all(v.extraction_status == ExtractionStatus.DONE for v in versions)
    page = client.get(reverse("web:document_detail", kwargs={"public_id": document.public_id})).content.decode()
    for version in versions:
        assert (
            reverse("web:document_download", kwargs={"public_id": document.public_id, "version_id": version.public_id})
            in page
        )
    assert "Mise à jour 2026" in page
    # The old version stays downloadable, with its own content.
    old = client.get(
        reverse("web:document_download", kwargs={"public_id": document.public_id, "version_id": versions[0].public_id})
    )
    assert drain(old) == first_file
    # Search follows the current version's text.
    search = reverse("web:document_list")
    assert client.get(search, {"q": "réemploi"}).context["result"].total == 1
    assert client.get(search, {"q": "lessivage"}).context["result"].total == 0


def test_broken_file_is_recorded_as_failed(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    # A genuine-looking PDF header with garbage after it passes the content check but cannot be read.
    upload = SimpleUploadedFile("casse.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 100)
    response = share(client, personas, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.extraction_status in {ExtractionStatus.FAILED, ExtractionStatus.DONE}
    if version.extraction_status == ExtractionStatus.FAILED:
        assert version.extraction_error
    page = client.get(reverse("web:document_detail", kwargs={"public_id": version.document.public_id}))
    assert page.status_code == 200
    # Still found by its metadata.
    assert client.get(reverse("web:document_list"), {"q": "nettoyage"}).context["result"].total == 1


def test_download_is_never_inline(client: Client, personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    share(client, personas, SimpleUploadedFile("table.csv", csv_bytes("Ligne")), django_capture_on_commit_callbacks)
    document = Document.objects.get()
    version = document.versions.get()
    response = client.get(
        reverse("web:document_download", kwargs={"public_id": document.public_id, "version_id": version.public_id})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    drain(response)


def test_workgroup_access_uses_the_registered_directory(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    upload = SimpleUploadedFile("synthese.pdf", pdf_bytes("Synthèse du groupe textile."))
    response = share(
        client, personas, upload, django_capture_on_commit_callbacks, access_level=AccessLevel.WORKGROUP, workgroup=4242
    )
    assert response.status_code == 302, response.context["form"].errors
    document = Document.objects.get()
    assert (document.access_level, document.workgroup_id) == (AccessLevel.WORKGROUP, 4242)
    detail = reverse("web:document_detail", kwargs={"public_id": document.public_id})
    assert logged(Client(), personas.facilitator).get(detail).status_code == 200  # participant
    assert logged(Client(), personas.animator).get(detail).status_code == 200  # the network's animator
    assert logged(Client(), personas.member).get(detail).status_code == 404  # uploader, but not a participant
    assert (
        logged(Client(), personas.facilitator)
        .get(reverse("web:document_list"), {"q": "textile"})
        .context["result"]
        .total
        == 1
    )
    assert (
        logged(Client(), personas.member).get(reverse("web:document_list"), {"q": "textile"}).context["result"].total
        == 0
    )


def test_workgroup_access_requires_a_group_of_the_network(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    upload = SimpleUploadedFile("synthese.pdf", pdf_bytes("Synthèse."))
    response = share(client, personas, upload, django_capture_on_commit_callbacks, access_level=AccessLevel.WORKGROUP)
    assert response.status_code == 422
    assert "Choisissez le groupe de travail" in response.context["form"].errors["workgroup"][0]
    assert not Document.objects.exists()


def test_without_directory_workgroup_access_is_not_offered(client: Client, personas: Personas) -> None:
    form = logged(client, personas.member).get(CREATE).context["form"]
    assert "workgroup" not in form.fields
    assert AccessLevel.WORKGROUP not in dict(form.fields["access_level"].choices)
