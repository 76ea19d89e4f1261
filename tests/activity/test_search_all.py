"""Unified search: one query over case sheets, documents (extracted text included), FAQ entries and events,
grouped by kind, each group filtered by its app's visibility rules and counted only over what the reader may see."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.activity.search_all import KINDS, search_all
from relais.casesheets.models import CaseSheet
from relais.documents.models import Document
from relais.events.models import Event
from relais.helpdesk.models import FaqEntry
from relais.networks.enums import Role

from ..conftest import Personas
from ..documents.factories import DocumentFactory
from ..events.factories import EventFactory, in_days
from ..factories import CaseSheetFactory, NetworkRoleFactory, UserFactory
from ..helpdesk.factories import FaqEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["sql", "snapshots"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on the SQL paths of sheets, documents and FAQ, and on their bitmap snapshots built afresh
    before each search (ADR 0007, ADR 0008): the results must be the same."""
    from relais.casesheets import queries as sheet_queries
    from relais.casesheets import snapshot as sheet_snapshot
    from relais.documents import queries as document_queries
    from relais.documents import snapshot as document_snapshot
    from relais.helpdesk import queries as faq_queries
    from relais.helpdesk import snapshot as faq_snapshot

    for queries, snapshot in (
        (sheet_queries, sheet_snapshot),
        (document_queries, document_snapshot),
        (faq_queries, faq_snapshot),
    ):
        monkeypatch.setattr(
            queries, "current_snapshot", snapshot.refresh_snapshot if request.param == "snapshots" else lambda: None
        )
    return str(request.param)


WORD = "Zorglub"
# Readers outside `personas.network`: they never see nor count its members-only content.
OUTSIDERS = ("anonymous", "supplier", "other_animator")
INSIDERS = ("member", "facilitator", "animator", "site_admin")


@dataclass
class World:
    """One public and one members-only item of each kind in `personas.network`, each holding WORD somewhere."""

    sheets: dict[str, CaseSheet]
    documents: dict[str, Document]
    faq: dict[str, FaqEntry]
    events: dict[str, Event]

    def titles(self, visibility: str) -> dict[str, str]:
        return {
            "sheets": self.sheets[visibility].title,
            "documents": self.documents[visibility].title,
            "faq": self.faq[visibility].title,
            "events": self.events[visibility].title,
        }

    def public_ids(self, visibility: str) -> list[str]:
        items: list[Any] = [self.sheets, self.documents, self.faq, self.events]
        return [str(group[visibility].public_id) for group in items]


def make_world(personas: Personas) -> World:
    network = personas.network
    return World(
        sheets={
            "public": CaseSheetFactory.create(
                network=network, published=True, title=f"Fiche publique {WORD} de Brest", author=personas.member
            ),
            "members_only": CaseSheetFactory.create(
                network=network,
                published=True,
                members_only=True,
                title="Fiche interne Chantepleure",
                summary=f"Les leçons internes du marché {WORD}.",
                author=personas.member,
            ),
        },
        documents={
            # The word is only inside the file: found through the extracted text.
            "public": DocumentFactory.create(
                network=network,
                created_by=personas.member,
                title="Cahier des charges Albatros",
                with_file=f"Article 4 : clause d'insertion {WORD} de 5 % des heures.",
            ),
            "members_only": DocumentFactory.create(
                network=network,
                created_by=personas.member,
                members_only=True,
                title="CCTP réservé Zéphyrin",
                with_file=f"Le titulaire {WORD} rend compte chaque mois.",
            ),
        },
        faq={
            "public": FaqEntryFactory.create(
                network=network,
                title="Quel taux d'insertion Pangolin ?",
                answer_text=f"Voir le guide {WORD}.",
                published_by=personas.animator,
            ),
            "members_only": FaqEntryFactory.create(
                network=network,
                members_only=True,
                title="Réponse interne Ornithorynque",
                question_text=f"Comment calibrer {WORD} ?",
                published_by=personas.animator,
            ),
        },
        events={
            "public": EventFactory.create(
                network=network,
                title="Webmatinale Capybara",
                description=f"Présentation du dispositif {WORD}.",
                created_by=personas.animator,
            ),
            "members_only": EventFactory.create(
                network=network,
                members_only=True,
                title="Atelier interne Okapi",
                description=f"Retour d'expérience {WORD} entre adhérents.",
                created_by=personas.animator,
            ),
        },
    )


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def _client(personas: Personas, persona: str) -> Client:
    client = Client()
    user = personas.all()[persona]
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def test_one_word_finds_each_kind_grouped(personas: Personas, world: World) -> None:
    result = search_all(WORD.lower(), personas.anonymous)
    assert [group.kind for group in result.groups] == list(KINDS)
    public = world.titles("public")
    for group in result.groups:
        assert group.total == 1, group.kind
        assert [hit.title for hit in group.hits] == [public[group.kind]]
    assert result.total == 4


def test_french_matching_ignores_case_accents_and_plural(personas: Personas, world: World) -> None:
    result = search_all("ZORGLUBS", personas.anonymous)
    assert {group.kind: group.total for group in result.groups} == dict.fromkeys(KINDS, 1)
    events = search_all("webmatinales capybara", personas.anonymous)
    assert [hit.title for hit in events.groups[KINDS.index("events")].hits] == ["Webmatinale Capybara"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_members_only_items_are_hidden_and_not_counted_for_outsiders(
    persona: str, personas: Personas, world: World
) -> None:
    user = personas.all()[persona]
    result = search_all(WORD, user)
    assert {group.kind: group.total for group in result.groups} == dict.fromkeys(KINDS, 1)
    response = _client(personas, persona).get(reverse("web:search_all"), {"q": WORD})
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    for kind, title in world.titles("members_only").items():
        assert title not in body, (persona, kind)
    for public_id in world.public_ids("members_only"):
        assert public_id not in body
    for title in world.titles("public").values():
        assert title in body


@pytest.mark.parametrize("persona", INSIDERS)
def test_members_find_members_only_items(persona: str, personas: Personas, world: World) -> None:
    result = search_all(WORD, personas.all()[persona])
    assert {group.kind: group.total for group in result.groups} == dict.fromkeys(KINDS, 2)
    body = html.unescape(_client(personas, persona).get(reverse("web:search_all"), {"q": WORD}).content.decode())
    for title in [*world.titles("public").values(), *world.titles("members_only").values()]:
        assert title in body


def test_supplier_invited_to_market_engagement_meeting_finds_it(personas: Personas, world: World) -> None:
    meeting = EventFactory.create(
        network=personas.network, members_only=True, market=True, title=f"Rencontre fournisseurs {WORD} Lamantin"
    )
    found = search_all(WORD, personas.supplier).groups[KINDS.index("events")]
    assert meeting.title in [hit.title for hit in found.hits]
    assert found.total == 2


def test_each_group_shows_five_results_its_count_and_a_link_to_its_own_search(personas: Personas) -> None:
    for number in range(7):
        CaseSheetFactory.create(network=personas.network, published=True, title=f"Fiche Mirabelle n°{number}")
        FaqEntryFactory.create(network=personas.network, title=f"Question Mirabelle n°{number}")
        DocumentFactory.create(network=personas.network, title=f"Guide Mirabelle n°{number}")
        EventFactory.create(network=personas.network, title=f"Webmatinale Mirabelle n°{number}")
    result = search_all("mirabelle", personas.anonymous)
    for group in result.groups:
        assert (group.total, len(group.hits), group.has_more) == (7, 5, True), group.kind
    # Newest first among equals, as each kind's own search orders them.
    newest = {"sheets": "Fiche", "documents": "Guide", "faq": "Question"}
    for group in result.groups:
        if group.kind in newest:
            expected = [f"{newest[group.kind]} Mirabelle n°{number}" for number in (6, 5, 4, 3, 2)]
            assert [hit.title for hit in group.hits] == expected, group.kind
    links = {group.kind: group.more_url for group in result.groups}
    assert links["sheets"] == reverse("web:sheet_search") + "?q=mirabelle"
    assert links["documents"] == reverse("web:document_list") + "?q=mirabelle"
    assert links["faq"] == reverse("web:faq_list") + "?q=mirabelle"
    assert links["events"] == reverse("web:search_all") + "?q=mirabelle&type=evenements"
    body = html.unescape(Client().get(reverse("web:search_all"), {"q": "mirabelle"}).content.decode())
    assert body.count("Voir tous les résultats") == 4
    # The linked pages find the same results.
    assert "Fiche Mirabelle n°6" in html.unescape(Client().get(links["sheets"]).content.decode())
    assert "Guide Mirabelle n°6" in html.unescape(Client().get(links["documents"]).content.decode())
    assert "Question Mirabelle n°6" in html.unescape(Client().get(links["faq"]).content.decode())
    events_page = html.unescape(Client().get(links["events"]).content.decode())
    assert all(f"Webmatinale Mirabelle n°{n}" in events_page for n in range(7))
    assert "Fiche Mirabelle" not in events_page
    assert "Voir tous les résultats" not in events_page  # this page already lists every matching event


def test_upcoming_events_come_first_then_past_ones(personas: Personas) -> None:
    EventFactory.create(network=personas.network, title="Passée Gnou", past=True)
    EventFactory.create(
        network=personas.network,
        title="Lointaine Gnou",
        starts_at=in_days(40),
        ends_at=in_days(40) + dt.timedelta(hours=2),
    )
    EventFactory.create(network=personas.network, title="Prochaine Gnou", starts_at=in_days(2))
    hits = search_all("gnou", personas.anonymous).groups[KINDS.index("events")].hits
    assert [hit.title for hit in hits] == ["Prochaine Gnou", "Lointaine Gnou", "Passée Gnou"]


def test_drafts_never_appear(personas: Personas) -> None:
    EventFactory.create(network=personas.network, title="Brouillon Tatou", draft=True)
    CaseSheetFactory.create(network=personas.network, title="Fiche brouillon Tatou")
    result = search_all("tatou", personas.animator)
    assert result.total == 0


def test_every_word_is_required(personas: Personas, world: World) -> None:
    result = search_all(f"{WORD} Capybara", personas.anonymous)
    assert {group.kind: group.total for group in result.groups} == {"sheets": 0, "documents": 0, "faq": 0, "events": 1}


@pytest.mark.parametrize("query", ["", "   ", "de la pour"])
def test_a_query_without_significant_words_searches_nothing(query: str, personas: Personas, world: World) -> None:
    result = search_all(query, personas.site_admin)
    assert result.groups == []
    assert result.total == 0
    response = Client().get(reverse("web:search_all"), {"q": query})
    assert response.status_code == 200
    assert world.titles("public")["sheets"] not in html.unescape(response.content.decode())


def test_page_is_private_for_signed_in_readers(personas: Personas, world: World) -> None:
    response = _client(personas, "member").get(reverse("web:search_all"), {"q": WORD})
    assert "no-store" in response["Cache-Control"]


def test_another_networks_member_does_not_see_members_only(personas: Personas, world: World) -> None:
    outsider = UserFactory.create(email="adherent.autre@exemple.fr")
    NetworkRoleFactory.create(user=outsider, network=personas.other_network, role=Role.MEMBER)
    result = search_all(WORD, outsider)
    assert result.total == 4


def test_groups_rank_by_weight_tiers_like_their_own_searches(personas: Personas) -> None:
    """A title word outranks a word of the text, whatever the order of sharing."""
    in_title = DocumentFactory.create(network=personas.network, title="Guide Tamanoir", with_file="Texte.")
    DocumentFactory.create(network=personas.network, title="Guide Z", with_file="Le tamanoir.")
    FaqEntryFactory.create(network=personas.network, title="Question Tamanoir")
    FaqEntryFactory.create(network=personas.network, title="Question Z", answer_text="Le tamanoir.")
    Document.objects.filter(pk=in_title.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    FaqEntry.objects.filter(title="Question Tamanoir").update(published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    groups = {group.kind: group for group in search_all("tamanoir", personas.anonymous).groups}
    assert [hit.title for hit in groups["documents"].hits] == ["Guide Tamanoir", "Guide Z"]
    assert [hit.title for hit in groups["faq"].hits] == ["Question Tamanoir", "Question Z"]


def test_a_page_restricted_to_sheets_lists_up_to_its_limit(personas: Personas) -> None:
    for number in range(23):
        CaseSheetFactory.create(network=personas.network, published=True, title=f"Fiche Quokka n°{number}")
    (group,) = search_all("quokka", personas.anonymous, only="sheets").groups
    assert group.total == 23
    assert [hit.title for hit in group.hits] == [f"Fiche Quokka n°{number}" for number in range(22, -1, -1)]
