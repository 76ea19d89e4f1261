"""Permission matrix of every `web:helpdesk_*` and `web:faq_*` URL, for the fixed cast of personas.

Delegated by tests/test_permissions.py (AREA_MATRICES), with the same rules. Columns of `row(...)`:

    anonymous · member · supplier · facilitator · animator · other_animator · site_admin

The question belongs to the member's organisation; the facilitator is in the same network for ANOTHER
organisation, so the question is as foreign to them as to the supplier. Every page answered is also searched for
what the persona must not read: the question's title (outside its organisation and the network's animators), its
internal note (everyone but the helpdesk team) and the members-only FAQ entry (outsiders).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.helpdesk.models import FaqEntry, InternalNote, Question, QuestionAttachment

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, REFUSED, Outcome, row, site_urls
from .conftest import close_download, member_organisation
from .factories import FaqEntryFactory, QuestionFactory

QUESTION_TITLE = "Question privée Capybara"
NOTE = "Note interne Quokka"
MEMBERS_FAQ = "FAQ réservée Axolotl"
PUBLIC_FAQ = "FAQ publique Wombat"

QUESTION_READERS = frozenset({"member", "animator", "site_admin"})
TEAM = frozenset({"animator", "site_admin"})
OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})

SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200)
QUESTION_PAGE = row(LOGIN, 200, 404, 404, 200, 404, 200)
HANDLE = row(LOGIN, 403, 404, 404, 302, 404, 302)  # answer, note, assign, close: the network's helpdesk team
ASKER = row(LOGIN, 302, 404, 404, 403, 404, 403)  # reply, reopen, consent: the asker's organisation
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)


@dataclass(frozen=True)
class Case:
    target: str  # which object fills the URL: "question", "closed", "consented", "public_faq", "members_faq", "-"
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    kwargs: Callable[[Any, World], dict[str, Any]] = lambda obj, world: {}


def by_public_id(obj: Any, world: World) -> dict[str, Any]:
    return {"public_id": obj.public_id}


def by_attachment(obj: Any, world: World) -> dict[str, Any]:
    return {"public_id": obj.public_id, "attachment_id": obj.attachments.get().public_id}


def by_network(obj: Any, world: World) -> dict[str, Any]:
    return {"slug": world.personas.network.slug}


EXPECTED: dict[str, UrlSpec] = {
    "web:helpdesk_my_questions": UrlSpec(cases=(Case("-", SIGNED_IN),)),
    # Members and facilitators ask for their organisation; suppliers, animators and site admins do not.
    "web:helpdesk_ask": UrlSpec(cases=(Case("-", row(LOGIN, 200, 403, 200, 403, 403, 403)),)),
    "web:helpdesk_inbox": UrlSpec(cases=(Case("-", row(LOGIN, 403, 403, 403, 200, 200, 200)),)),
    "web:helpdesk_settings": UrlSpec(kwargs=by_network, cases=(Case("-", row(LOGIN, 403, 403, 403, 200, 403, 200)),)),
    "web:helpdesk_question": UrlSpec(kwargs=by_public_id, cases=(Case("question", QUESTION_PAGE),)),
    "web:helpdesk_attachment": UrlSpec(kwargs=by_attachment, cases=(Case("question", QUESTION_PAGE),)),
    "web:helpdesk_answer": UrlSpec(
        kwargs=by_public_id,
        cases=(Case("question", POST_ONLY), Case("question", HANDLE, "POST", {"answer-body": "Réponse."})),
    ),
    "web:helpdesk_note": UrlSpec(
        kwargs=by_public_id, cases=(Case("question", POST_ONLY), Case("question", HANDLE, "POST", {"note": "Note."}))
    ),
    "web:helpdesk_assign": UrlSpec(
        kwargs=by_public_id,
        cases=(Case("question", POST_ONLY), Case("question", HANDLE, "POST", {"assignee": "{animator}"})),
    ),
    "web:helpdesk_close": UrlSpec(
        kwargs=by_public_id, cases=(Case("question", POST_ONLY), Case("question", HANDLE, "POST"))
    ),
    "web:helpdesk_reply": UrlSpec(
        kwargs=by_public_id,
        cases=(Case("question", POST_ONLY), Case("question", ASKER, "POST", {"reply-body": "Précision."})),
    ),
    "web:helpdesk_reopen": UrlSpec(
        kwargs=by_public_id, cases=(Case("closed", POST_ONLY), Case("closed", ASKER, "POST"))
    ),
    "web:helpdesk_consent": UrlSpec(
        kwargs=by_public_id, cases=(Case("question", POST_ONLY), Case("question", ASKER, "POST", {"consent": "yes"}))
    ),
    # Only the network's animators publish, and only with the asker's consent on an answered question.
    "web:faq_create": UrlSpec(
        kwargs=by_public_id,
        cases=(
            Case("consented", row(LOGIN, 403, 404, 404, 200, 404, 200)),
            Case("question", row(LOGIN, 403, 404, 404, 403, 404, 403)),  # no consent, no answer
        ),
    ),
    "web:faq_list": UrlSpec(cases=(Case("-", row(200, 200, 200, 200, 200, 200, 200)),)),
    "web:faq_detail": UrlSpec(
        kwargs=by_public_id,
        cases=(
            Case("public_faq", row(200, 200, 200, 200, 200, 200, 200)),
            Case("members_faq", row(404, 200, 404, 200, 200, 404, 200)),
        ),
    ),
    "web:faq_edit": UrlSpec(
        kwargs=by_public_id,
        cases=(
            Case("public_faq", row(LOGIN, 403, 403, 403, 200, 403, 200)),
            Case("members_faq", row(LOGIN, 403, 404, 403, 200, 404, 200)),
        ),
    ),
}


@dataclass
class World:
    personas: Personas
    objects: dict[str, Any]

    def make(self, target: str, title: str = QUESTION_TITLE) -> Any:
        personas = self.personas
        if target == "-":
            return None
        if target in {"public_faq", "members_faq"}:
            return self.objects[target]
        traits = {"question": {}, "closed": {"closed": True}, "consented": {"answered": True, "consented": True}}
        question = QuestionFactory.create(
            network=personas.network,
            organisation=member_organisation(personas),
            asker=personas.member,
            title=title,
            **traits[target],
        )
        InternalNote.objects.create(question=question, author=personas.animator, body=NOTE)
        QuestionAttachment.objects.create(
            question=question,
            uploaded_by=personas.member,
            file=ContentFile(b"%PDF-1.4 test", name="dce.pdf"),
            original_name="dce.pdf",
            content_type="application/pdf",
            size=13,
        )
        return question


@pytest.fixture
def world(personas: Personas) -> World:
    objects = {
        "public_faq": FaqEntryFactory.create(network=personas.network, title=PUBLIC_FAQ),
        "members_faq": FaqEntryFactory.create(network=personas.network, members_only=True, title=MEMBERS_FAQ),
    }
    result = World(personas=personas, objects=objects)
    for target in ("question", "closed", "consented"):
        objects[target] = result.make(target)
    return result


def _client(world: World, persona: str) -> Client:
    client = Client()
    user = world.personas.all()[persona]
    if isinstance(user, User):
        client.force_login(user)
    return client


def _matches(response: Any, expected: Outcome) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    return response.status_code == expected


def _state(obj: Any) -> tuple[Any, ...]:
    obj.refresh_from_db()
    if isinstance(obj, Question):
        return (obj.status, obj.assignee_id, obj.faq_consent, obj.messages.count(), obj.internal_notes.count())
    assert isinstance(obj, FaqEntry)
    return (obj.title, obj.visibility)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, world: World) -> None:
    spec = EXPECTED[name]
    problems: list[str] = []
    for case in spec.cases:
        for persona in PERSONAS:
            # A request that may change its object acts on a fresh one, so personas do not see each other's effects.
            obj = world.objects.get(case.target) if case.method == "GET" else world.make(case.target)
            url = reverse(name, kwargs=spec.kwargs(obj, world))
            data = {
                key: str(world.personas.animator.public_id) if value == "{animator}" else value
                for key, value in case.data.items()
            }
            before = _state(obj) if obj is not None and case.method != "GET" else None
            response = _client(world, persona).generic(
                case.method, url, data=urlencode(data), content_type="application/x-www-form-urlencoded"
            )
            if response.streaming:
                close_download(response)  # its content is checked in test_workflow
            where = f"{case.method} {url} [{case.target}] {persona}"
            expected = case.expected[persona]
            if before is not None and expected in REFUSED and _state(obj) != before:
                problems.append(f"{where}: requête refusée mais l'objet a changé")
            if not _matches(response, expected):
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
                continue
            if case.method != "GET" or response.status_code != 200 or response.streaming:
                continue
            body = html.unescape(response.content.decode())
            if persona not in QUESTION_READERS and QUESTION_TITLE in body:
                problems.append(f"{where}: montre le titre de la question privée")
            if persona not in TEAM and NOTE in body:
                problems.append(f"{where}: montre la note interne")
            if persona in OUTSIDERS and MEMBERS_FAQ in body:
                problems.append(f"{where}: montre l'entrée de FAQ réservée aux adhérents")
            if name == "web:faq_list":
                if PUBLIC_FAQ not in body:
                    problems.append(f"{where}: la FAQ ne montre pas l'entrée publique")
                if persona not in OUTSIDERS and MEMBERS_FAQ not in body:
                    problems.append(f"{where}: la FAQ ne montre pas l'entrée réservée à un membre du réseau")
            listed_for = {"web:helpdesk_my_questions": {"member"}, "web:helpdesk_inbox": TEAM}.get(name, set())
            if persona in listed_for and QUESTION_TITLE not in body:
                problems.append(f"{where}: la liste ne montre pas la question")
    assert not problems, f"{name} :\n" + "\n".join(problems)


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name


def test_every_helpdesk_url_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(("web:helpdesk", "web:faq"))}
    missing = sorted(ours - EXPECTED.keys())
    assert not missing, f"Permissions non déclarées dans {__name__} pour : {missing}"
    stale = sorted(EXPECTED.keys() - ours)
    assert not stale, f"Entrées sans URL correspondante : {stale}"
