"""API v1 FAQ: the FAQ page's visibility per persona, accent-less search, filters, related sheets, 404s, schema."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.helpdesk.enums import QuestionCategory
from relais.helpdesk.models import FaqEntry
from tests.conftest import Personas
from tests.factories import CaseSheetFactory
from tests.helpdesk.factories import FaqEntryFactory, QuestionFactory

LIST = reverse("api:faq_list")


def detail_url(entry: FaqEntry) -> str:
    return reverse("api:faq_detail", kwargs={"public_id": entry.public_id})


def _as(client: Client, personas: Personas, who: str) -> Client:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    return client


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200
    return {item["title"] for item in response.json()["results"]}


@pytest.fixture
def entries(personas: Personas) -> dict[str, FaqEntry]:
    return {
        "public": FaqEntryFactory.create(
            network=personas.network,
            title="Clause d'insertion dans une crèche publique Wombat",
            source_question=QuestionFactory.create(network=personas.network, title="Question privée Capybara"),
        ),
        "members": FaqEntryFactory.create(
            network=personas.network,
            members_only=True,
            title="Insertion réservée Axolotl",
            answer_text="Réponse réservée aux adhérents : pondération Quokka.",
        ),
        "other": FaqEntryFactory.create(
            network=personas.other_network,
            category=QuestionCategory.LEGAL,
            title="Marché réservé aux ESAT Pangolin",
            question_text="Peut-on réserver un lot ?",
            answer_text="Oui, au titre de l'article L2113-12.",
        ),
    }


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_animator"])
def test_members_only_entry_is_never_shown_to_outsiders(
    client: Client, personas: Personas, entries: dict[str, FaqEntry], who: str
) -> None:
    _as(client, personas, who)
    response = client.get(LIST)
    assert _titles(response) == {
        "Clause d'insertion dans une crèche publique Wombat",
        "Marché réservé aux ESAT Pangolin",
    }
    assert response.json()["count"] == 2
    # Not even through a word only it holds.
    only_it = client.get(LIST, {"q": "quokka"}).json()
    assert (only_it["count"], only_it["results"]) == (0, [])
    assert "Axolotl" not in client.get(LIST, {"q": "insertion"}).content.decode()
    assert client.get(detail_url(entries["members"])).status_code == 404


@pytest.mark.parametrize("who", ["member", "facilitator", "animator", "site_admin"])
def test_members_only_entry_is_shown_to_members(
    client: Client, personas: Personas, entries: dict[str, FaqEntry], who: str
) -> None:
    _as(client, personas, who)
    assert "Insertion réservée Axolotl" in _titles(client.get(LIST))
    assert _titles(client.get(LIST, {"q": "quokka"})) == {"Insertion réservée Axolotl"}
    detail = client.get(detail_url(entries["members"]))
    assert detail.status_code == 200
    assert (detail.json()["visibility"], detail.json()["network"]["slug"]) == ("members", "reseau-grand-ouest")


def test_unknown_entry_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("api:faq_detail", kwargs={"public_id": uuid.uuid4()})).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "creche"}, {"Clause d'insertion dans une crèche publique Wombat"}),  # accents ignored
        ({"q": "CLAUSES INSERTION"}, {"Clause d'insertion dans une crèche publique Wombat"}),
        ({"q": "esat lot"}, {"Marché réservé aux ESAT Pangolin"}),
        ({"q": "creche esat"}, set()),  # every word must be there
        ({"q": "le la"}, set()),  # stop words only: nothing
        ({"network": "reseau-national"}, {"Marché réservé aux ESAT Pangolin"}),
        ({"network": "inconnu"}, set()),
        ({"category": "legal"}, {"Marché réservé aux ESAT Pangolin"}),
        (
            {"category": "pas-une-categorie"},
            {"Clause d'insertion dans une crèche publique Wombat", "Marché réservé aux ESAT Pangolin"},
        ),
        ({"q": "insertion", "network": "reseau-national"}, set()),
    ],
)
def test_search_and_filters(
    client: Client, entries: dict[str, FaqEntry], params: dict[str, str], expected: set[str]
) -> None:
    assert _titles(client.get(LIST, params)) == expected


def test_detail_never_shows_the_private_question_and_filters_related_sheets(
    client: Client, personas: Personas, entries: dict[str, FaqEntry]
) -> None:
    entry = entries["public"]
    public_sheet = CaseSheetFactory.create(network=personas.network, published=True, title="Fiche publique crèche")
    members_sheet = CaseSheetFactory.create(
        network=personas.network, published=True, members_only=True, title="Fiche réservée crèche"
    )
    entry.related_sheets.add(public_sheet, members_sheet)

    response = client.get(detail_url(entry))
    assert response.status_code == 200
    data = response.json()
    assert "Capybara" not in response.content.decode()
    assert "source_question" not in data
    assert data["answer_text"].startswith("Entre 5 et 10 %")
    assert data["web_url"] == f"http://testserver/faq/{entry.public_id}/"
    assert data["related_sheets"] == [
        {
            "id": str(public_sheet.public_id),
            "title": "Fiche publique crèche",
            "url": f"http://testserver/api/v1/sheets/{public_sheet.public_id}/",
            "web_url": f"http://testserver/fiches/{public_sheet.public_id}/",
        }
    ]
    client.force_login(personas.member)
    titles = [sheet["title"] for sheet in client.get(detail_url(entry)).json()["related_sheets"]]
    assert titles == ["Fiche publique crèche", "Fiche réservée crèche"]


def test_pagination_and_order(client: Client, personas: Personas) -> None:
    for _ in range(21):
        FaqEntryFactory.create(network=personas.network)
    first = client.get(LIST, {"q": "insertion"}).json()
    assert (first["count"], first["num_pages"], len(first["results"]), first["previous"]) == (21, 2, 20, None)
    assert "page=2" in first["next"]
    assert "q=insertion" in first["next"]
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert client.get(LIST, {"page": "999"}).json()["page"] == 2  # too far: the last page


def test_schema_documents_the_endpoints(client: Client, db: None) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    schema = response.json()
    assert {"/api/v1/faq/", "/api/v1/faq/{public_id}/"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/v1/faq/"]["get"]["parameters"]}
    assert names >= {"q", "network", "category", "page"}
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)


def test_docs_page_documents_the_faq_endpoints_and_every_category(client: Client, db: None) -> None:
    html = client.get(reverse("web:api_docs")).content.decode()
    assert "/api/v1/faq/" in html
    for category in QuestionCategory.values:
        assert f"<code>{category}</code>" in html, category
