"""Who gets what on every `web:workgroup_*` URL, for each persona of the fixed cast (see tests/test_permissions.py,
which delegates these names here).

Columns of `row(...)`: anonymous · member · supplier · facilitator · animator · other_animator · site_admin.
Groups are members-only: outsiders (anonymous visitors, suppliers, another network's animator) get a 404 and never
read an open group's title nor a members-only deliverable's, on any page. A person who sees a group without the
right to act on it gets a 403; an allowed action is sent back to the group (302). A refused POST changes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.workgroups.enums import Publication, WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, REFUSED, Outcome, row, site_urls
from .conftest import make_group
from .factories import DeliverableFactory, MeetingFactory, ParticipantFactory

OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})

EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200)
NETWORK_MEMBERS = row(404, 200, 404, 200, 200, 404, 200)
MANAGE = row(LOGIN, 403, 404, 403, 200, 404, 200)  # animators' forms
# Removing the member from a group: the network's (and group's) animator, or the member leaving; others 403.
REMOVE = row(LOGIN, 200, 404, 403, 200, 404, 200)
REMOVE_POST = row(LOGIN, 302, 404, 403, 302, 404, 302)
LEAVE = row(LOGIN, 200, 404, 403, 403, 404, 403)  # the confirmation page, for participants only
# Correcting a deliverable: hidden (404) to those who cannot read it, 403 to readers who do not run the group.
EDIT_MEMBERS_DELIVERABLE = row(LOGIN, 403, 404, 403, 200, 404, 200)
EDIT_PUBLIC_DELIVERABLE = row(LOGIN, 403, 403, 403, 200, 403, 200)
MANAGE_POST = row(LOGIN, 403, 404, 403, 302, 404, 302)
PARTICIPATE_POST = row(LOGIN, 302, 404, 302, 403, 404, 403)  # join / leave: members and facilitators
CREATE = row(LOGIN, 403, 403, 403, 200, 403, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)

OPEN_TITLE = "Groupe réservé sur les textiles Hippocampe"
CLOSED_TITLE = "Groupe clos sur la restauration Salamandre"
MEMBERS_DELIVERABLE = "Guide réservé aux adhérents Tamarin"
PUBLIC_DELIVERABLE = "Guide public des achats équitables Pangolin"


@dataclass
class World:
    personas: Personas
    groups: dict[str, WorkGroup]
    deliverables: dict[str, WorkGroupDeliverable]
    meeting: Meeting

    def fresh_group(self, kind: str) -> WorkGroup:
        """A new group for requests that change it, so that personas do not see each other's effects."""
        status = WorkGroupStatus.RUNNING if kind == "running" else WorkGroupStatus.OPEN
        group = make_group(
            self.personas, title=f"Groupe {kind} modifié par une requête {timezone.now()}", status=status
        )
        if kind == "joined":
            for person in (self.personas.member, self.personas.facilitator):
                ParticipantFactory.create(group=group, user=person)
        return group

    def fresh_deliverable(self) -> WorkGroupDeliverable:
        """A new members-only deliverable, for requests that correct it."""
        return DeliverableFactory.create(group=self.groups["closed"], title=f"Livrable à corriger {timezone.now()}")


@pytest.fixture
def world(personas: Personas) -> World:
    open_group = make_group(personas, title=OPEN_TITLE)
    closed_group = make_group(personas, title=CLOSED_TITLE, closed=True)
    ParticipantFactory.create(group=open_group, user=personas.member)
    deliverables = {
        "members": DeliverableFactory.create(group=closed_group, title=MEMBERS_DELIVERABLE),
        "public": DeliverableFactory.create(group=closed_group, title=PUBLIC_DELIVERABLE, public=True),
    }
    meeting = MeetingFactory.create(group=open_group)
    return World(personas, {"open": open_group, "closed": closed_group}, deliverables, meeting)


@dataclass(frozen=True)
class Case:
    target: str | None
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


def by_group(target: Any, world: World) -> dict[str, Any]:
    return {"public_id": target.public_id}


def by_network(target: Any, world: World) -> dict[str, Any]:
    return {"slug": world.personas.network.slug}


def by_meeting(target: Any, world: World) -> dict[str, Any]:
    return {"public_id": world.groups["open"].public_id, "meeting_id": world.meeting.public_id}


def by_participation(target: Any, world: World) -> dict[str, Any]:
    """The member's participation in the group of the case."""
    participation = target.participations.get(user=world.personas.member)
    return {"public_id": target.public_id, "participant_id": participation.public_id}


def by_deliverable(target: Any, world: World) -> dict[str, Any]:
    return {"public_id": target.public_id}


def no_kwargs(target: Any, world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    kwargs: Callable[[Any, World], dict[str, Any]] = no_kwargs
    # Listing pages: network members must find the open group / members-only deliverable there.
    lists: str = ""


EXPECTED: dict[str, UrlSpec] = {
    "web:workgroup_list": UrlSpec(cases=(Case(None, SIGNED_IN),), lists=OPEN_TITLE),
    "web:workgroup_deliverable_list": UrlSpec(cases=(Case(None, EVERYONE),), lists=MEMBERS_DELIVERABLE),
    "web:workgroup_deliverable_detail": UrlSpec(
        kwargs=by_deliverable,
        cases=(Case("public_deliverable", EVERYONE), Case("members_deliverable", NETWORK_MEMBERS)),
    ),
    "web:workgroup_create": UrlSpec(kwargs=by_network, cases=(Case(None, CREATE),)),
    "web:workgroup_detail": UrlSpec(
        kwargs=by_group, cases=(Case("open", NETWORK_MEMBERS), Case("closed", NETWORK_MEMBERS))
    ),
    "web:workgroup_edit": UrlSpec(kwargs=by_group, cases=(Case("open", MANAGE),)),
    "web:workgroup_status": UrlSpec(
        kwargs=by_group,
        cases=(Case("open", POST_ONLY), Case("fresh_open", MANAGE_POST, "POST", {"to": WorkGroupStatus.RUNNING})),
    ),
    "web:workgroup_join": UrlSpec(
        kwargs=by_group, cases=(Case("open", POST_ONLY), Case("fresh_open", PARTICIPATE_POST, "POST"))
    ),
    # Leaving asks for a confirmation (GET) before the POST.
    "web:workgroup_leave": UrlSpec(
        kwargs=by_group, cases=(Case("open", LEAVE), Case("fresh_joined", PARTICIPATE_POST, "POST"))
    ),
    "web:workgroup_participant_remove": UrlSpec(
        kwargs=by_participation, cases=(Case("open", REMOVE), Case("fresh_joined", REMOVE_POST, "POST"))
    ),
    "web:workgroup_participant_add": UrlSpec(kwargs=by_group, cases=(Case("open", MANAGE),)),
    "web:workgroup_meeting_create": UrlSpec(kwargs=by_group, cases=(Case("open", MANAGE),)),
    "web:workgroup_meeting_minutes": UrlSpec(kwargs=by_meeting, cases=(Case("open", MANAGE),)),
    "web:workgroup_deliverable_create": UrlSpec(kwargs=by_group, cases=(Case("open", MANAGE),)),
    "web:workgroup_deliverable_edit": UrlSpec(
        kwargs=by_deliverable,
        cases=(
            Case("members_deliverable", EDIT_MEMBERS_DELIVERABLE),
            Case("public_deliverable", EDIT_PUBLIC_DELIVERABLE),
            Case(
                "fresh_deliverable",
                row(LOGIN, 403, 404, 403, 302, 404, 302),
                "POST",
                {
                    "kind": "synthesis_guide",
                    "title": "Guide corrigé par une requête",
                    "summary": "Résumé corrigé.",
                    "recommendations": "",
                    "publication": Publication.PUBLIC,
                    "published_on": "2027-06-30",
                },
            ),
        ),
    ),
}


def test_every_workgroup_url_has_an_entry() -> None:
    names, _ = site_urls()
    names = {name for name in names if name.startswith("web:workgroup")}
    assert names, "aucune URL web:workgroup_* trouvée"
    assert not sorted(names - EXPECTED.keys()), f"Permissions non déclarées : {sorted(names - EXPECTED.keys())}"
    assert not sorted(EXPECTED.keys() - names), f"Entrées sans URL : {sorted(EXPECTED.keys() - names)}"


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name


def _target(world: World, target: str | None) -> Any:
    if target is None:
        return None
    if target == "fresh_deliverable":
        return world.fresh_deliverable()
    if target.startswith("fresh_"):
        return world.fresh_group(target.removeprefix("fresh_"))
    if target.endswith("_deliverable"):
        return world.deliverables[target.removesuffix("_deliverable")]
    return world.groups[target]


def _state(target: Any) -> tuple[Any, ...]:
    if isinstance(target, WorkGroupDeliverable):
        target.refresh_from_db()
        return (target.title, target.summary, target.publication, target.updated_at)
    if not isinstance(target, WorkGroup):
        return ()
    target.refresh_from_db()
    return (target.status, target.updated_at, sorted(target.participations.values_list("user_id", flat=True)))


def _outcome_matches(response: Any, expected: Outcome) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    return bool(response.status_code == expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, world: World) -> None:
    spec = EXPECTED[name]
    problems: list[str] = []
    for case in spec.cases:
        for persona in PERSONAS:
            target = _target(world, case.target)
            url = reverse(name, kwargs=spec.kwargs(target, world))
            client = Client()
            user = world.personas.all()[persona]
            if isinstance(user, User):
                client.force_login(user)
            before = _state(target)
            response = client.generic(
                case.method, url, data=urlencode(case.data), content_type="application/x-www-form-urlencoded"
            )
            where = f"{case.method} {url} [{case.target or '-'}] {persona}"
            expected = case.expected[persona]
            if case.method != "GET" and expected in REFUSED and _state(target) != before:
                problems.append(f"{where}: requête refusée mais le groupe ou le livrable a changé")
            if not _outcome_matches(response, expected):
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
                continue
            if case.method != "GET" or response.status_code != 200:
                continue
            body = html.unescape(response.content.decode())
            if persona in OUTSIDERS:
                for secret in (OPEN_TITLE, MEMBERS_DELIVERABLE):
                    if secret in body:
                        problems.append(f"{where}: montre « {secret} »")
            elif spec.lists and spec.lists not in body:
                problems.append(f"{where}: la liste ne montre pas « {spec.lists} »")
            if name == "web:workgroup_deliverable_list" and PUBLIC_DELIVERABLE not in body:
                problems.append(f"{where}: la liste ne montre pas le livrable public")
    assert not problems, f"{name} :\n" + "\n".join(problems)
