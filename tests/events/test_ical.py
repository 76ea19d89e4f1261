"""iCalendar output: RFC 5545 line endings, folding, escaping, UTC times; the network feed is public only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from relais.events import services
from relais.events.ical import calendar, escape_text, fold

from ..conftest import Personas
from .factories import EventFactory

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_and_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100 + "x" * 50
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    for part in parts:
        part.encode("utf-8").decode("utf-8")  # each physical line is valid UTF-8 on its own


def test_event_ics(personas: Personas) -> None:
    start = dt.datetime(2030, 3, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    event = EventFactory.create(
        network=personas.network,
        title="Clauses sociales, achats responsables; et le reste",
        description="Ligne 1\nLigne 2 avec une barre \\ oblique, " + "très longue " * 10,
        venue="Hôtel de Région, salle 3",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    response = Client().get(reverse("web:event_ics", kwargs={"public_id": event.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode("utf-8")
    assert raw.endswith("\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # no bare LF
    assert all(len(line.encode("utf-8")) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "END:VCALENDAR" in lines
    assert "VERSION:2.0" in lines
    assert f"UID:{event.public_id}@relais.events" in lines
    assert "DTSTART:20300312T083000Z" in lines
    assert "DTEND:20300312T103000Z" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert "SUMMARY:Clauses sociales\\, achats responsables\\; et le reste" in lines
    assert "LOCATION:Hôtel de Région\\, salle 3\\, En ligne" in lines
    assert "visio.exemple.fr" not in raw  # the connection link is for registered people only
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Ligne 1\\nLigne 2 avec une barre \\\\ oblique\\, très longue")

    services.event_register(event=event, user=personas.member)
    client = Client()
    client.force_login(personas.member)
    registered = unfold(client.get(reverse("web:event_ics", kwargs={"public_id": event.public_id})).content.decode())
    assert "LOCATION:Hôtel de Région\\, salle 3\\, https://visio.exemple.fr/webmatinale" in registered


def test_network_feed_lists_public_events_only_even_to_members(personas: Personas) -> None:
    public = EventFactory.create(network=personas.network, title="Journée publique Albatros")
    members_only = EventFactory.create(network=personas.network, members_only=True, title="Atelier adhérents Zéphyrin")
    draft = EventFactory.create(network=personas.network, draft=True, title="Brouillon Quetzalcoatl")
    elsewhere = EventFactory.create(network=personas.other_network, title="Autre réseau Ornithorynque")
    client = Client()
    client.force_login(personas.member)
    url = reverse("web:network_calendar", kwargs={"slug": personas.network.slug})
    text = "\n".join(unfold(client.get(url).content.decode()))
    assert f"UID:{public.public_id}@" in text
    for hidden in (members_only, draft, elsewhere):
        assert hidden.title not in text
        assert str(hidden.public_id) not in text


def test_calendar_of_cancelled_event_is_marked_cancelled(personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, cancelled=True)
    assert "STATUS:CANCELLED" in unfold(calendar([(event, "https://exemple.fr/e")], name="Agenda"))
