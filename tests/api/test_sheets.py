from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from relais.casesheets.enums import ContractType, SheetStatus
from relais.casesheets.models import Attachment, CaseSheet, ImpactFigure, Link
from relais.casesheets.search import reindex_sheet
from tests.conftest import Personas
from tests.factories import CaseSheetFactory, CpvFactory, ThemeFactory

LIST = reverse("api:sheet_list")


def detail_url(sheet: CaseSheet) -> str:
    return reverse("api:sheet_detail", kwargs={"public_id": sheet.public_id})


def _as(client: Client, personas: Personas, who: str) -> Client:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    return client


def _ids(response: Any) -> set[str]:
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def sheets(personas: Personas) -> dict[str, CaseSheet]:
    return {
        "public": CaseSheetFactory.create(network=personas.network, published=True, title="Cantines bio et équitables"),
        "members": CaseSheetFactory.create(
            network=personas.network, published=True, members_only=True, title="Leçons internes du nettoyage"
        ),
        "draft": CaseSheetFactory.create(network=personas.network, title="Brouillon confidentiel"),
        "other_public": CaseSheetFactory.create(
            network=personas.other_network,
            published=True,
            title="Travaux de voirie avec clause",
            contract_type=ContractType.WORKS,
            main_cpv=CpvFactory.create(code="45233140-2", level=5, label_fr="Travaux routiers", label_en="Roadworks"),
            notification_date=dt.date(2022, 3, 1),
        ),
    }


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_animator"])
def test_members_only_sheet_is_never_shown_to_outsiders(
    client: Client, personas: Personas, sheets: dict[str, CaseSheet], who: str
) -> None:
    _as(client, personas, who)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert str(sheets["members"].public_id) not in _ids(response)
    assert body["count"] == 2  # the two public sheets only
    assert all(c["count"] <= 2 for counts in body["facets"].values() for c in counts)
    assert client.get(detail_url(sheets["members"])).status_code == 404
    # Not even through a filter that only it matches.
    assert client.get(LIST, {"q": "nettoyage"}).json()["count"] == 0


@pytest.mark.parametrize("who", ["member", "facilitator", "animator", "site_admin"])
def test_members_only_sheet_is_shown_to_members(
    client: Client, personas: Personas, sheets: dict[str, CaseSheet], who: str
) -> None:
    _as(client, personas, who)
    response = client.get(LIST)
    assert str(sheets["members"].public_id) in _ids(response)
    assert response.json()["count"] == 3
    detail = client.get(detail_url(sheets["members"]))
    assert detail.status_code == 200
    assert detail.json()["visibility"] == "members"


@pytest.mark.parametrize("status", [SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.ARCHIVED])
def test_unpublished_sheet_is_404_even_for_its_animator(client: Client, personas: Personas, status: str) -> None:
    sheet = CaseSheetFactory.create(network=personas.network, status=status)
    client.force_login(personas.animator)
    assert client.get(detail_url(sheet)).status_code == 404
    assert str(sheet.public_id) not in _ids(client.get(LIST))


def test_list_uses_public_uuids_and_links(client: Client, sheets: dict[str, CaseSheet]) -> None:
    item = next(i for i in client.get(LIST).json()["results"] if i["id"] == str(sheets["public"].public_id))
    assert item["url"].endswith(detail_url(sheets["public"]))
    assert item["web_url"].endswith(f"/fiches/{sheets['public'].public_id}/")
    assert item["network"] == {"slug": "reseau-grand-ouest", "name": "Réseau Grand Ouest", "acronym": "RGO"}
    assert item["main_cpv"]["code"] == "55524000-9"
    assert "pk" not in item
    assert str(sheets["public"].pk) not in {str(v) for v in item.values() if isinstance(v, int)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "voirie"}, {"other_public"}),
        ({"q": "cantine"}, {"public"}),
        ({"type": "works"}, {"other_public"}),
        ({"type": "services"}, {"public"}),
        ({"cpv": "45"}, {"other_public"}),
        ({"cpv": "55524000-9"}, {"public"}),
        ({"year": "2022"}, {"other_public"}),
        ({"network": "reseau-national"}, {"other_public"}),
        ({"theme": "restauration-collective"}, {"public", "other_public"}),
        ({"social": "insertion_clause"}, {"public", "other_public"}),
        ({"environmental": "env_clause"}, set()),
        ({"departement": "35"}, {"public", "other_public"}),
        ({"region": "53"}, {"public", "other_public"}),
        ({"type": "not-a-type"}, {"public", "other_public"}),  # unknown values are ignored, as on the site
    ],
)
def test_filters_are_the_search_page_filters(
    client: Client, sheets: dict[str, CaseSheet], params: dict[str, str], expected: set[str]
) -> None:
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert _ids(response) == {str(sheets[name].public_id) for name in expected}


def test_order_and_pagination(client: Client, personas: Personas) -> None:
    for _ in range(21):
        CaseSheetFactory.create(network=personas.network, published=True)
    first = client.get(LIST, {"order": "-date"}).json()
    assert first["count"] == 21
    assert len(first["results"]) == 20
    assert first["num_pages"] == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    dates = [r["published_at"] for r in first["results"]]
    assert dates == sorted(dates, reverse=True)


def test_facet_counts_are_returned(client: Client, sheets: dict[str, CaseSheet]) -> None:
    facets = client.get(LIST).json()["facets"]
    types = {c["value"]: c["count"] for c in facets["type"]}
    assert types == {"services": 1, "works": 1}


def test_detail_has_every_structured_part(client: Client, personas: Personas) -> None:
    sheet = CaseSheetFactory.create(network=personas.network, published=True, themes=[ThemeFactory.create()])
    sheet.additional_cpvs.add(CpvFactory.create(code="15000000-8", level=1, label_fr="Produits alimentaires"))
    ImpactFigure.objects.create(sheet=sheet, label="personnes en insertion", value=913, unit="personnes")
    Link.objects.create(sheet=sheet, title="Délibération", url="https://exemple.fr/deliberation")
    Attachment.objects.create(
        sheet=sheet,
        title="Règlement de consultation",
        file=ContentFile(b"%PDF-1.4", name="rc.pdf"),
        original_name="rc.pdf",
        content_type="application/pdf",
        size=8,
    )
    reindex_sheet(sheet)
    data = client.get(detail_url(sheet)).json()
    assert data["id"] == str(sheet.public_id)
    assert [(c["kind"], c["weight"]) for c in data["criteria"]] == [("price", 40), ("social", 60)]
    assert data["criteria"][1]["kind_label"] == "Social"
    assert data["buyers"][0]["organisation"]["name"].startswith("Commune de l'exemple")
    assert data["buyers"][0]["organisation"]["id"]  # public UUID
    assert data["stakeholders"][0]["role"] == "holder"
    assert data["stakeholders"][0]["organisation"]["structure_types"] == ["ei"]
    assert data["impacts"] == [{"label": "personnes en insertion", "value": "913.00", "unit": "personnes"}]
    assert data["main_cpv"] == {
        "code": "55524000-9",
        "label": "Services de traiteur pour écoles",
        "label_en": "School catering services",
        "division": "55",
        "level": 5,
    }
    assert data["additional_cpvs"][0]["label"] == "Produits alimentaires"
    attachment = sheet.attachments.get()
    assert data["attachments"][0]["url"] == (
        f"http://testserver/fiches/{sheet.public_id}/pieces-jointes/{attachment.public_id}/"
    )
    download = client.get(data["attachments"][0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"  # type: ignore[attr-defined]
    download.close()
    assert data["links"] == [{"title": "Délibération", "url": "https://exemple.fr/deliberation"}]
    assert data["themes"][0]["slug"] == "restauration-collective"
    assert data["amount_exact"] == "1200000.00"
    assert data["licence"] == "etalab-2.0"
    assert data["departement"] == {"code": "35", "name": "Ille-et-Vilaine"}


def test_api_is_read_only(client: Client, personas: Personas, sheets: dict[str, CaseSheet]) -> None:
    client.force_login(personas.animator)
    assert client.post(LIST, {}).status_code in {403, 405}
    assert client.delete(detail_url(sheets["public"])).status_code in {403, 405}
    assert CaseSheet.objects.filter(pk=sheets["public"].pk).exists()


def test_throttle_answers_429(client: Client, sheets: dict[str, CaseSheet], settings: Any) -> None:
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "5/minute"}}
    ):
        assert client.get(LIST).status_code == 200
        assert client.get(LIST).status_code == 200
        response = client.get(LIST)
        assert response.status_code == 429
        assert "Retry-After" in response


def test_schema_is_valid_openapi(client: Client, db: None) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/sheets/", "/api/v1/sheets/{public_id}/", "/api/v1/cpv/", "/api/v1/cpv/{code}/"} <= set(
        schema["paths"]
    )
    names = {p["name"] for p in schema["paths"]["/api/v1/sheets/"]["get"]["parameters"]}
    assert {"q", "theme", "cpv", "type", "procedure", "social", "environmental", "reserved", "structure"} <= names
    assert {"region", "departement", "year", "network", "order", "page"} <= names
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)
