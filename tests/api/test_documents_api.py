"""API v1 documents: public documents only for every persona, the library's search and filters, versions with
their checked download address, 404s, schema."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.documents.enums import DocumentKind, ExtractionStatus
from relais.documents.models import Document, DocumentVersion
from relais.documents.search import reindex_document
from tests.conftest import Personas
from tests.documents.conftest import drain
from tests.documents.factories import DocumentFactory
from tests.factories import ThemeFactory

LIST = reverse("api:document_list")
PERSONAS = ["anonymous", "member", "supplier", "facilitator", "animator", "other_animator", "site_admin"]


def detail_url(document: Document) -> str:
    return reverse("api:document_detail", kwargs={"public_id": document.public_id})


def _as(client: Client, personas: Personas, who: str) -> Client:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    return client


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200
    return {item["title"] for item in response.json()["results"]}


@pytest.fixture
def documents(personas: Personas) -> dict[str, Document]:
    public = DocumentFactory.create(
        network=personas.network,
        title="Guide public Héron",
        kind=DocumentKind.SPECIFICATIONS,
        with_file="Article 12 : le titulaire exécute une clause d'insertion de 600 heures.",
    )
    public.themes.add(ThemeFactory.create())
    return {
        "public": public,
        "members": DocumentFactory.create(
            network=personas.network,
            members_only=True,
            title="Modèle réservé Marmotte",
            with_file="Une clause d'insertion réservée aux adhérents.",
        ),
        "workgroup": DocumentFactory.create(network=personas.network, workgroup=True, title="Synthèse Belette"),
        "other": DocumentFactory.create(
            network=personas.other_network, kind=DocumentKind.CLAUSE_MODEL, title="Modèle de clause Chamois"
        ),
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_only_public_documents_whoever_asks(
    client: Client, personas: Personas, documents: dict[str, Document], who: str
) -> None:
    _as(client, personas, who)
    response = client.get(LIST)
    assert _titles(response) == {"Guide public Héron", "Modèle de clause Chamois"}
    assert response.json()["count"] == 2
    body = client.get(LIST, {"q": "clause insertion"}).content.decode()
    assert "Marmotte" not in body
    assert "Belette" not in body
    assert client.get(detail_url(documents["members"])).status_code == 404
    assert client.get(detail_url(documents["workgroup"])).status_code == 404
    assert client.get(detail_url(documents["public"])).status_code == 200


def test_unknown_document_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("api:document_detail", kwargs={"public_id": uuid.uuid4()})).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "clauses d'insertion"}, {"Guide public Héron"}),  # a phrase found only inside the file
        ({"q": "HERON"}, {"Guide public Héron"}),
        ({"q": "introuvable"}, set()),
        ({"type": "specifications"}, {"Guide public Héron"}),
        ({"type": "clause_model"}, {"Modèle de clause Chamois"}),
        ({"type": "pas-un-type"}, {"Guide public Héron", "Modèle de clause Chamois"}),
        ({"theme": "restauration-collective"}, {"Guide public Héron"}),
        ({"network": "reseau-national"}, {"Modèle de clause Chamois"}),
        ({"network": "inconnu"}, set()),
    ],
)
def test_search_and_filters_are_the_library_s(
    client: Client, documents: dict[str, Document], params: dict[str, str], expected: set[str]
) -> None:
    assert _titles(client.get(LIST, params)) == expected


def test_detail_has_metadata_and_every_version_with_its_download(
    client: Client, personas: Personas, documents: dict[str, Document]
) -> None:
    document = documents["public"]
    second = DocumentVersion.objects.create(
        document=document,
        number=2,
        file=ContentFile(b"%PDF-1.4 version 2", name="v2.pdf"),
        original_name="cctp-v2.pdf",
        content_type="application/pdf",
        size=18,
        comment="Mise à jour des seuils",
        uploaded_by=document.created_by,
        extraction_status=ExtractionStatus.DONE,
        extracted_text="Version 2.",
    )
    reindex_document(document)
    data = client.get(detail_url(document)).json()
    assert data["id"] == str(document.public_id)
    assert data["web_url"] == f"http://testserver/documents/{document.public_id}/"
    assert (data["kind"], data["kind_label"]) == ("specifications", "Cahier des charges (CCTP)")
    assert data["themes"][0]["slug"] == "restauration-collective"
    assert data["licence"] == "etalab-2.0"
    assert [v["number"] for v in data["versions"]] == [2, 1]
    assert data["current_version"]["id"] == str(second.public_id)
    assert data["versions"][0]["comment"] == "Mise à jour des seuils"
    assert data["versions"][0]["download_url"] == (
        f"http://testserver/documents/{document.public_id}/versions/{second.public_id}/telecharger/"
    )
    assert "extracted_text" not in data["versions"][0]
    assert "uploaded_by" not in data["versions"][0]
    assert "created_by" not in data
    download = client.get(data["versions"][0]["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert drain(download) == b"%PDF-1.4 version 2"


def test_list_shows_the_current_version(client: Client, documents: dict[str, Document]) -> None:
    item = next(r for r in client.get(LIST).json()["results"] if r["title"] == "Guide public Héron")
    version = documents["public"].versions.get()
    assert item["current_version"]["number"] == 1
    assert item["current_version"]["download_url"].endswith(f"/versions/{version.public_id}/telecharger/")
    assert item["url"] == f"http://testserver{detail_url(documents['public'])}"
    assert item["network"]["slug"] == "reseau-grand-ouest"


def test_pagination_keeps_the_filters(client: Client, personas: Personas) -> None:
    for _ in range(21):
        DocumentFactory.create(network=personas.network)
    first = client.get(LIST, {"network": "reseau-grand-ouest"}).json()
    assert (first["count"], first["num_pages"], len(first["results"]), first["previous"]) == (21, 2, 20, None)
    assert "page=2" in first["next"]
    assert "network=reseau-grand-ouest" in first["next"]
    second = client.get(first["next"]).json()
    assert (second["page"], len(second["results"]), second["next"]) == (2, 1, None)


def test_schema_documents_the_endpoints(client: Client, db: None) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert {"/api/v1/documents/", "/api/v1/documents/{public_id}/"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/v1/documents/"]["get"]["parameters"]}
    assert names >= {"q", "type", "theme", "network", "page"}
    assert "DocumentVersion" in schema["components"]["schemas"]


def test_docs_page_documents_the_documents_endpoints_and_every_type(client: Client, db: None) -> None:
    html = client.get(reverse("web:api_docs")).content.decode()
    assert "/api/v1/documents/" in html
    assert "download_url" in html
    for kind in DocumentKind.values:
        assert f"<code>{kind}</code>" in html, kind
