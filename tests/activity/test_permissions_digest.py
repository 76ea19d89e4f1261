"""Who gets what on the digest pages and the unified search, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:digest…` and `web:search_all` names to the activity area; this module
holds their matrix (one entry per URL name, an outcome per persona: anonymous · member · supplier · facilitator ·
animator · other_animator · site_admin) and checks that every such URL has an entry. Every page answered is searched
for the titles of the members-only items of `personas.network`, which outsiders must never read.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.activity.digest import unsubscribe_token
from relais.activity.models import DigestSubscription

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, Outcome, row, site_urls
from .test_search_all import WORD, World, make_world

PREFIXES = ("web:digest", "web:search_all")
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200)
OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    method: str = "GET"
    query: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    token: str = "valid"  # for the unsubscribe link: "valid" or "tampered"


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    kwargs: Callable[[Case, DigestSubscription], dict[str, Any]] = lambda case, subscription: {}
    lists_public_items: bool = False


def by_token(case: Case, subscription: DigestSubscription) -> dict[str, Any]:
    token = unsubscribe_token(subscription)
    return {"token": token if case.token == "valid" else token[:-3] + "xyz"}


EXPECTED: dict[str, UrlSpec] = {
    # Everyone searches; each kind of result is filtered for the reader (checked on the body below).
    "web:search_all": UrlSpec(
        cases=(Case(EVERYONE, query={"q": WORD}), Case(EVERYONE, query={"q": WORD, "type": "evenements"})),
        lists_public_items=True,
    ),
    # One's own digests: signed in. Unticked boxes opt out; the page is sent back after saving.
    "web:digest_preferences": UrlSpec(
        cases=(
            Case(SIGNED_IN),
            Case(row(LOGIN, 302, 302, 302, 302, 302, 302), "POST", data={"networks": ["reseau-grand-ouest"]}),
        )
    ),
    # The link of the e-mail works without signing in (the signed token is the proof); a tampered token gets 400.
    "web:digest_unsubscribe": UrlSpec(
        kwargs=by_token,
        cases=(
            Case(EVERYONE),
            Case(row(400, 400, 400, 400, 400, 400, 400), token="tampered"),
            Case(row(400, 400, 400, 400, 400, 400, 400), "POST", token="tampered"),
            Case(EVERYONE, "POST"),
        ),
    ),
}


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIXES)}
    assert ours, "aucune URL de la lettre ni de la recherche"
    assert not sorted(ours - EXPECTED.keys()), f"Permissions non déclarées : {sorted(ours - EXPECTED.keys())}"
    assert not sorted(EXPECTED.keys() - ours), f"Entrées sans URL : {sorted(EXPECTED.keys() - ours)}"


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas, world: World) -> None:
    spec = EXPECTED[name]
    users = personas.all()
    hidden = [*world.titles("members_only").values(), *world.public_ids("members_only")]
    public = list(world.titles("public").values())
    problems: list[str] = []
    for case in spec.cases:
        for persona in PERSONAS:
            subscription, _ = DigestSubscription.objects.update_or_create(
                user=personas.member, network=personas.network, defaults={"opted_in": True}
            )
            url = reverse(name, kwargs=spec.kwargs(case, subscription))
            client = Client()
            user = users[persona]
            if isinstance(user, User):
                client.force_login(user)
            response = client.get(url, case.query) if case.method == "GET" else client.post(url, case.data)
            where = f"{case.method} {url} {persona}"
            expected = case.expected[persona]
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
            subscription.refresh_from_db()
            if name == "web:digest_unsubscribe" and subscription.opted_in != (case.method == "GET" or expected != 200):
                problems.append(f"{where}: l'abonnement est {'actif' if subscription.opted_in else 'arrêté'}")
            if response.status_code != 200:
                continue
            body = html.unescape(response.content.decode())
            if persona in OUTSIDERS:
                problems.extend(f"{where}: montre « {text} »" for text in hidden if text in body)
            if spec.lists_public_items:
                shown = public if case.query.get("type") != "evenements" else [world.titles("public")["events"]]
                problems.extend(f"{where}: ne montre pas « {text} »" for text in shown if text not in body)
    assert not problems, f"{name} :\n" + "\n".join(problems)
