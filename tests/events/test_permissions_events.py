"""Who gets what, for every URL of the events area (`web:event_*`, `web:network_calendar`), for each persona.

Same rules as tests/test_permissions.py (which delegates these URL names here): one entry per URL name, checked
against Django's resolver; outcomes per persona in the column order of `row(...)`:

    anonymous · member · supplier · facilitator · animator · other_animator · site_admin

The events all belong to `personas.network`. Besides statuses, every page answered is searched for titles the
persona must not read: the members-only event's title never reaches anonymous visitors, suppliers or another
network's animator; the draft's title reaches only the network's animators and site admins. A refused POST must
leave the registrations unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.events.enums import RegistrationStatus
from relais.events.models import Event, Material, Registration

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, REFUSED, Outcome, row, site_urls
from .factories import EventFactory, in_days
from .helpers import close_response

EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
# A members-only event: hidden (404) from people outside the network; suppliers see market-engagement meetings.
MEMBERS = row(404, 200, 404, 200, 200, 404, 200)
MARKET = row(404, 200, 200, 200, 200, 404, 200)
DRAFT = row(404, 404, 404, 404, 200, 404, 200)
OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})
DRAFT_READERS = frozenset({"animator", "site_admin"})
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)
# Pages of the network's animators: others who see the event get 403, those who do not see it 404.
MANAGE_PUBLIC = row(LOGIN, 403, 403, 403, 200, 403, 200)
MANAGE_MEMBERS = row(LOGIN, 403, 404, 403, 200, 404, 200)
MANAGE_DRAFT = row(LOGIN, 404, 404, 404, 200, 404, 200)

TITLES = {
    "public": "Webmatinale publique Albatros",
    "members_only": "Formation réservée aux adhérents Zéphyrin",
    "market": "Rencontre fournisseurs Héliotrope",
    "draft": "Brouillon d'assemblée Quetzalcoatl",
    "past": "Journée passée réservée Ornithorynque",
}

VALID_EVENT = {
    "kind": "webinar",
    "title": "Nouvelle webmatinale",
    "description": "Programme de la matinée.",
    "starts_at": "2031-03-12T09:30",
    "ends_at": "2031-03-12T11:00",
    "venue": "",
    "online_url": "https://visio.exemple.fr/salle",
    "capacity": "30",
    "audience": "public",
    "status": "published",
}


@dataclass(frozen=True)
class Case:
    event: str | None
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    kwargs: Callable[[Event | None, World], dict[str, Any]] = lambda event, world: {}
    lists_events: bool = False
    public_only: bool = False


def by_event(event: Event | None, world: World) -> dict[str, Any]:
    assert event is not None
    return {"public_id": event.public_id}


def by_network(event: Event | None, world: World) -> dict[str, Any]:
    return {"slug": world.personas.network.slug}


def by_material(event: Event | None, world: World) -> dict[str, Any]:
    assert event is not None
    return {"public_id": event.public_id, "material_id": event.materials.get().public_id}


EXPECTED: dict[str, UrlSpec] = {
    "web:event_list": UrlSpec(cases=(Case(None, EVERYONE),), lists_events=True),
    "web:event_detail": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", MEMBERS),
            Case("market", MARKET),
            Case("draft", DRAFT),
        ),
    ),
    "web:event_ics": UrlSpec(
        kwargs=by_event,
        cases=(Case("public", EVERYONE), Case("members_only", MEMBERS), Case("draft", DRAFT)),
    ),
    # The network's agenda is for calendar clients and shared caches: public events only, whoever asks.
    "web:network_calendar": UrlSpec(
        kwargs=by_network, cases=(Case(None, EVERYONE),), lists_events=True, public_only=True
    ),
    "web:event_create": UrlSpec(
        kwargs=by_network,
        cases=(
            Case(None, row(LOGIN, 403, 403, 403, 200, 403, 200)),
            Case(None, row(LOGIN, 403, 403, 403, 302, 403, 302), "POST", VALID_EVENT),
        ),
    ),
    "web:event_edit": UrlSpec(
        kwargs=by_event,
        cases=(Case("public", MANAGE_PUBLIC), Case("members_only", MANAGE_MEMBERS), Case("draft", MANAGE_DRAFT)),
    ),
    # Members (and facilitators) register; suppliers only to market-engagement meetings; animators run events.
    "web:event_register": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("public", POST_ONLY),
            Case("public", row(LOGIN, 302, 403, 302, 403, 403, 403), "POST"),
            Case("members_only", row(LOGIN, 302, 404, 302, 403, 404, 403), "POST"),
            Case("market", row(LOGIN, 302, 302, 302, 403, 404, 403), "POST"),
            Case("draft", row(LOGIN, 404, 404, 404, 403, 404, 403), "POST"),
        ),
    ),
    # Unregistering someone not registered is answered with a message (302), never an error page.
    "web:event_unregister": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("public", POST_ONLY),
            Case("members_only", row(LOGIN, 302, 404, 302, 302, 404, 302), "POST"),
        ),
    ),
    "web:event_attendance": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("public", MANAGE_PUBLIC),
            Case("members_only", MANAGE_MEMBERS),
            Case("past", row(LOGIN, 403, 404, 403, 302, 404, 302), "POST", {"present": []}),
        ),
    ),
    "web:event_material_add": UrlSpec(
        kwargs=by_event, cases=(Case("public", MANAGE_PUBLIC), Case("members_only", MANAGE_MEMBERS))
    ),
    "web:event_material": UrlSpec(
        kwargs=by_material,
        cases=(Case("public", EVERYONE), Case("members_only", MEMBERS), Case("draft", DRAFT)),
    ),
    # Only a participant marked present answers, once the event is over (the member came to the past event).
    "web:event_feedback": UrlSpec(
        kwargs=by_event,
        cases=(
            Case("past", row(LOGIN, 200, 404, 403, 403, 404, 403)),
            Case("public", row(LOGIN, 403, 403, 403, 403, 403, 403)),
        ),
    ),
}

AREA_PREFIXES = ("web:event", "web:network_calendar")


@dataclass
class World:
    personas: Personas
    events: dict[str, Event]

    def user(self, persona: str) -> User | AnonymousUser:
        return self.personas.all()[persona]


@pytest.fixture
def world(personas: Personas) -> World:
    network, animator = personas.network, personas.animator
    events = {
        "public": EventFactory.create(network=network, created_by=animator, title=TITLES["public"]),
        "members_only": EventFactory.create(
            network=network, created_by=animator, members_only=True, title=TITLES["members_only"]
        ),
        "market": EventFactory.create(
            network=network, created_by=animator, members_only=True, market=True, title=TITLES["market"]
        ),
        "draft": EventFactory.create(network=network, created_by=animator, draft=True, title=TITLES["draft"]),
        "past": EventFactory.create(
            network=network, created_by=animator, members_only=True, title=TITLES["past"], starts_at=in_days(-5)
        ),
    }
    Registration.objects.create(
        event=events["past"], user=personas.member, status=RegistrationStatus.CONFIRMED, attended=True
    )
    Event.objects.filter(pk=events["past"].pk).update(confirmed_count=1)
    for kind, event in events.items():
        Material.objects.create(
            event=event,
            title=f"Support {kind}",
            file=ContentFile(b"%PDF-1.4 test", name="support.pdf"),
            original_name="support.pdf",
            content_type="application/pdf",
            size=13,
            uploaded_by=animator,
        )
    return World(personas=personas, events=events)


def _area_names() -> set[str]:
    names, _ = site_urls()
    return {name for name in names if name.startswith(AREA_PREFIXES)}


def test_every_event_url_has_an_entry() -> None:
    names = _area_names()
    missing = sorted(names - EXPECTED.keys())
    assert not missing, f"Permissions non déclarées dans {__name__} pour : {missing}"
    stale = sorted(EXPECTED.keys() - names)
    assert not stale, f"Entrées sans URL correspondante : {stale}"


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    # iCalendar folds long lines: unfold before searching titles.
    return html.unescape(raw.decode("utf-8", "replace").replace("\r\n ", ""))


def _registrations(event: Event) -> list[tuple[int, str]]:
    return sorted(Registration.objects.filter(event=event).values_list("user_id", "status"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, world: World) -> None:
    spec = EXPECTED[name]
    problems: list[str] = []
    for case in spec.cases:
        for persona in PERSONAS:
            event = world.events[case.event] if case.event else None
            url = reverse(name, kwargs=spec.kwargs(event, world))
            client = Client()
            user = world.user(persona)
            if isinstance(user, User):
                client.force_login(user)
            before = _registrations(event) if event is not None else []
            response = client.generic(
                case.method,
                url,
                data=urlencode(case.data, doseq=True),
                content_type="application/x-www-form-urlencoded",
            )
            body = _body(response)
            close_response(response)
            where = f"{case.method} {url} [{case.event or '-'}] {persona}"
            expected = case.expected[persona]
            if expected == LOGIN:
                ok = response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
            else:
                ok = response.status_code == expected
            if not ok:
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
                continue
            refused_post = case.method != "GET" and expected in REFUSED
            if refused_post and event is not None and _registrations(event) != before:
                problems.append(f"{where}: requête refusée mais les inscriptions ont changé")
            if case.method != "GET" or response.status_code != 200:
                continue
            if persona in OUTSIDERS and TITLES["members_only"] in body:
                problems.append(f"{where}: montre l'événement réservé aux adhérents")
            if persona not in DRAFT_READERS and TITLES["draft"] in body:
                problems.append(f"{where}: montre le brouillon")
            if spec.lists_events:
                if TITLES["public"] not in body:
                    problems.append(f"{where}: la liste ne montre pas l'événement public")
                if spec.public_only and (TITLES["members_only"] in body or TITLES["market"] in body):
                    problems.append(f"{where}: le flux public montre un événement réservé")
                if not spec.public_only and persona not in OUTSIDERS and TITLES["members_only"] not in body:
                    problems.append(f"{where}: la liste ne montre pas l'événement réservé à un membre du réseau")
    assert not problems, f"{name} :\n" + "\n".join(problems)
