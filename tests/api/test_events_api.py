"""API v1 events: the agenda's visibility per persona, filters, the online link rule, materials, 404s, schema."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.events.enums import EventKind
from relais.events.models import Event, Material
from relais.events.services import event_register
from tests.conftest import Personas
from tests.documents.conftest import drain
from tests.events.factories import EventFactory

LIST = reverse("api:event_list")


def detail_url(event: Event) -> str:
    return reverse("api:event_detail", kwargs={"public_id": event.public_id})


def _as(client: Client, personas: Personas, who: str) -> Client:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    return client


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200
    return {item["title"] for item in response.json()["results"]}


@pytest.fixture
def events(personas: Personas) -> dict[str, Event]:
    return {
        "public": EventFactory.create(network=personas.network, title="Webmatinale publique Ibis"),
        "members": EventFactory.create(network=personas.network, members_only=True, title="Formation réservée Okapi"),
        "market": EventFactory.create(
            network=personas.network, members_only=True, market=True, title="Rencontre fournisseurs Tapir"
        ),
        "draft": EventFactory.create(network=personas.network, draft=True, title="Brouillon Narval"),
        "past": EventFactory.create(network=personas.other_network, past=True, title="Journée passée Lynx"),
        "cancelled": EventFactory.create(
            network=personas.other_network, cancelled=True, kind=EventKind.TRAINING, title="Formation annulée Gecko"
        ),
    }


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_animator"])
def test_members_only_event_is_never_shown_to_outsiders(
    client: Client, personas: Personas, events: dict[str, Event], who: str
) -> None:
    _as(client, personas, who)
    titles = _titles(client.get(LIST))
    assert "Formation réservée Okapi" not in titles
    assert "Webmatinale publique Ibis" in titles
    assert client.get(detail_url(events["members"])).status_code == 404
    assert "Okapi" not in client.get(LIST, {"kind": "webinar"}).content.decode()
    # Suppliers of the network are invited to its market-engagement meetings, and only to those.
    market_visible = who == "supplier"
    assert ("Rencontre fournisseurs Tapir" in titles) is market_visible
    assert client.get(detail_url(events["market"])).status_code == (200 if market_visible else 404)


@pytest.mark.parametrize("who", ["member", "facilitator", "animator", "site_admin"])
def test_members_only_event_is_shown_to_members(
    client: Client, personas: Personas, events: dict[str, Event], who: str
) -> None:
    _as(client, personas, who)
    titles = _titles(client.get(LIST))
    assert {"Formation réservée Okapi", "Rencontre fournisseurs Tapir", "Webmatinale publique Ibis"} <= titles
    detail = client.get(detail_url(events["members"]))
    assert detail.status_code == 200
    assert detail.json()["audience"] == "members"


@pytest.mark.parametrize("who", ["anonymous", "member", "animator", "site_admin"])
def test_draft_is_never_served(client: Client, personas: Personas, events: dict[str, Event], who: str) -> None:
    _as(client, personas, who)
    assert "Brouillon Narval" not in _titles(client.get(LIST))
    assert client.get(detail_url(events["draft"])).status_code == 404


def test_unknown_event_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("api:event_detail", kwargs={"public_id": uuid.uuid4()})).status_code == 404


def test_upcoming_by_default_past_on_request(client: Client, events: dict[str, Event]) -> None:
    upcoming = client.get(LIST).json()
    assert {"Webmatinale publique Ibis", "Formation annulée Gecko"} == {r["title"] for r in upcoming["results"]}
    cancelled = next(r for r in upcoming["results"] if r["title"] == "Formation annulée Gecko")
    assert (cancelled["status"], cancelled["status_label"]) == ("cancelled", "Annulé")
    assert _titles(client.get(LIST, {"periode": "passes"})) == {"Journée passée Lynx"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"network": "reseau-national"}, {"Formation annulée Gecko"}),
        ({"network": "reseau-grand-ouest"}, {"Webmatinale publique Ibis"}),
        ({"network": "inconnu"}, set()),
        ({"network": "<script>"}, set()),
        ({"kind": "training"}, {"Formation annulée Gecko"}),
        ({"kind": "webinar"}, {"Webmatinale publique Ibis"}),
        ({"kind": "not-a-kind"}, {"Webmatinale publique Ibis", "Formation annulée Gecko"}),
        ({"periode": "passes", "network": "reseau-grand-ouest"}, set()),
    ],
)
def test_filters(client: Client, events: dict[str, Event], params: dict[str, str], expected: set[str]) -> None:
    assert _titles(client.get(LIST, params)) == expected


def test_list_item_shape(client: Client, events: dict[str, Event]) -> None:
    item = next(r for r in client.get(LIST).json()["results"] if r["title"] == "Webmatinale publique Ibis")
    event = events["public"]
    assert item["id"] == str(event.public_id)
    assert item["url"] == f"http://testserver{detail_url(event)}"
    assert item["web_url"] == f"http://testserver/evenements/{event.public_id}/"
    assert item["ical_url"].endswith(f"/evenements/{event.public_id}/evenement.ics")
    assert item["network"]["slug"] == "reseau-grand-ouest"
    assert (item["kind"], item["audience"], item["online"], item["places_left"]) == ("webinar", "public", True, 20)
    assert "online_url" not in item  # the link is never in lists
    assert "https://visio" not in client.get(LIST).content.decode()


def test_online_link_only_for_confirmed_participants_and_animators(client: Client, personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, capacity=1, title="Webmatinale à une place")
    url = detail_url(event)
    anonymous = client.get(url).json()
    assert (anonymous["online"], anonymous["online_url"], anonymous["registration"]) == (True, None, None)

    event_register(event=event, user=personas.member)
    client.force_login(personas.member)
    data = client.get(url).json()
    assert (data["online_url"], data["registration"]) == ("https://visio.exemple.fr/webmatinale", "confirmed")
    assert data["places_left"] == 0

    event_register(event=event, user=personas.facilitator)
    client.force_login(personas.facilitator)
    waiting = client.get(url).json()
    assert (waiting["online_url"], waiting["registration"]) == (None, "waiting")

    client.force_login(personas.animator)
    assert client.get(url).json()["online_url"] == "https://visio.exemple.fr/webmatinale"
    client.force_login(personas.other_animator)
    assert client.get(url).json()["online_url"] is None


def test_materials_link_to_the_checked_download(client: Client, personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, members_only=True, title="Formation avec supports")
    material = Material.objects.create(
        event=event,
        title="Diaporama",
        file=ContentFile(b"%PDF-1.4 supports", name="supports.pdf"),
        original_name="supports.pdf",
        content_type="application/pdf",
        size=17,
        uploaded_by=personas.animator,
    )
    client.force_login(personas.member)
    data = client.get(detail_url(event)).json()
    assert data["materials"] == [
        {
            "id": str(material.public_id),
            "title": "Diaporama",
            "url": f"http://testserver/evenements/{event.public_id}/supports/{material.public_id}/",
            "original_name": "supports.pdf",
            "content_type": "application/pdf",
            "size": 17,
        }
    ]
    download = client.get(data["materials"][0]["url"])
    assert download.status_code == 200
    assert drain(download) == b"%PDF-1.4 supports"
    client.logout()
    assert client.get(data["materials"][0]["url"]).status_code == 404


def test_pagination(client: Client, personas: Personas) -> None:
    for _ in range(21):
        EventFactory.create(network=personas.network)
    first = client.get(LIST, {"network": "reseau-grand-ouest"}).json()
    assert (first["count"], first["num_pages"], len(first["results"]), first["previous"]) == (21, 2, 20, None)
    assert "page=2" in first["next"]
    assert "network=reseau-grand-ouest" in first["next"]
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] == "http://testserver/api/v1/events/?network=reseau-grand-ouest"
    starts = [r["starts_at"] for r in first["results"]]
    assert starts == sorted(starts)


def test_api_is_read_only(client: Client, personas: Personas, events: dict[str, Event]) -> None:
    client.force_login(personas.animator)
    assert client.post(LIST, {}).status_code in {403, 405}
    assert client.delete(detail_url(events["public"])).status_code in {403, 405}
    assert Event.objects.filter(pk=events["public"].pk).exists()


def test_schema_documents_the_endpoints(client: Client, db: None) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert {"/api/v1/events/", "/api/v1/events/{public_id}/"} <= set(schema["paths"])
    operation = schema["paths"]["/api/v1/events/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"periode", "network", "kind", "page"}
    assert operation["summary"] == "Lister les événements des réseaux"
    detail = schema["components"]["schemas"]["EventDetail"]["properties"]
    assert "null" in detail["online_url"]["description"]


def test_docs_page_documents_the_events_endpoints_and_every_kind(client: Client, db: None) -> None:
    html = client.get(reverse("web:api_docs")).content.decode()
    assert "/api/v1/events/" in html
    assert "periode=passes" in html
    for kind in EventKind.values:
        assert f"<code>{kind}</code>" in html, kind
