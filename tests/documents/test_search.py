"""Library search: French matching over metadata and extracted text, filters, access applied to results and
totals, relevance by weight tiers — every case on the SQL path and on the bitmap snapshot (ADR 0008)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from relais.core.bitmaps import ids_of
from relais.documents import access, queries, snapshot
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.models import Document
from relais.documents.perms import access_filter
from relais.documents.queries import DocumentPage, DocumentSearch, search_documents
from relais.documents.search import reindex_document

from ..conftest import Personas
from ..factories import OrganisationFactory, ThemeFactory, UserFactory
from .conftest import FakeDirectory
from .factories import DocumentFactory


@pytest.fixture(autouse=True, params=["sql", "snapshot", "snapshot-words-in-memory"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs three times: on the SQL path; on the snapshot built afresh before each search (as the task
    queue does after each reindex), words read from the index table; and on the snapshot holding every word in
    memory (as it does for the frequent ones). All must agree."""
    if request.param == "sql":
        monkeypatch.setattr(queries, "current_snapshot", lambda: None)
    else:
        monkeypatch.setattr(queries, "current_snapshot", snapshot.refresh_snapshot)
    if request.param == "snapshot-words-in-memory":
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_DOCUMENTS", 1)
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_SHARE", 0.0)
    return str(request.param)


def search(query: dict[str, str], user: object) -> DocumentPage:
    return search_documents(DocumentSearch.from_querydict(query), user)


def found(query: dict[str, str], user: object) -> list[str]:
    return [d.title for d in search(query, user).documents]


@pytest.fixture
def library(personas: Personas) -> dict[str, object]:
    theme = ThemeFactory.create()
    specification = DocumentFactory.create(
        network=personas.network,
        title="CCTP entretien des espaces verts",
        kind=DocumentKind.SPECIFICATIONS,
        with_file="Le titulaire exécute une clause d'insertion de 800 heures sur la durée du marché.",
    )
    specification.themes.add(theme)
    reindex_document(specification)
    secret = DocumentFactory.create(
        network=personas.network,
        title="Grille interne des adhérents",
        kind=DocumentKind.AWARD_GRID,
        members_only=True,
        with_file="Pondération confidentielle : clause d'insertion 15 %.",
        author_organisation=OrganisationFactory.create(name="Ville de Quimper"),
    )
    other = DocumentFactory.create(
        network=personas.other_network, title="Guide du réseau national", with_file="Achats de papier recyclé."
    )
    return {"theme": theme, "specification": specification, "secret": secret, "other": other}


def test_phrase_inside_the_file_finds_the_document(personas: Personas, library: dict[str, object]) -> None:
    assert found({"q": "clause d'insertion"}, AnonymousUser()) == ["CCTP entretien des espaces verts"]


def test_french_matching_ignores_accents_case_and_plurals(personas: Personas, library: dict[str, object]) -> None:
    assert found({"q": "CLAUSES D’INSERTIONS"}, AnonymousUser()) == ["CCTP entretien des espaces verts"]
    assert found({"q": "executer duree"}, AnonymousUser()) == ["CCTP entretien des espaces verts"]
    assert found({"q": "clause déneigement"}, AnonymousUser()) == []  # every word must match
    assert found({"q": "recycle"}, AnonymousUser()) == ["Guide du réseau national"]


def test_members_only_document_never_reaches_outsiders(personas: Personas, library: dict[str, object]) -> None:
    for outsider in (AnonymousUser(), personas.supplier, personas.other_animator):
        result = search_documents(DocumentSearch.from_querydict({"q": "clause d'insertion"}), outsider)
        assert result.total == 1
        assert [d.title for d in result.documents] == ["CCTP entretien des espaces verts"]
        assert search_documents(DocumentSearch.from_querydict({"q": "confidentielle"}), outsider).total == 0
        assert search_documents(DocumentSearch.from_querydict({"q": "Quimper"}), outsider).total == 0
    for insider in (personas.member, personas.facilitator, personas.animator, personas.site_admin):
        result = search_documents(DocumentSearch.from_querydict({"q": "clause d'insertion"}), insider)
        assert result.total == 2


def test_title_ranks_above_body(personas: Personas, library: dict[str, object]) -> None:
    DocumentFactory.create(network=personas.network, title="Clause d'insertion : modèle", with_file="Modèle type.")
    assert found({"q": "clause insertion"}, AnonymousUser())[0] == "Clause d'insertion : modèle"


def test_filters_by_type_theme_and_network(personas: Personas, library: dict[str, object]) -> None:
    theme = library["theme"]
    member = personas.member
    assert found({"kind": DocumentKind.AWARD_GRID}, member) == ["Grille interne des adhérents"]
    assert found({"theme": theme.slug}, member) == ["CCTP entretien des espaces verts"]  # type: ignore[attr-defined]
    assert found({"network": personas.other_network.slug}, member) == ["Guide du réseau national"]
    assert found({"network": personas.other_network.slug, "q": "insertion"}, member) == []
    # Unknown or malformed values are dropped, never an error.
    assert len(found({"kind": "inconnu", "theme": "<script>", "page": "abc"}, member)) == 3


def shared(title: str, *, days_ago: int, **fields: Any) -> Document:
    """A document shared `days_ago` days ago (ties are ranked newest shared first)."""
    document = DocumentFactory.create(title=title, **fields)
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return document


def test_relevance_is_the_sum_of_weight_tiers_then_newest_first(personas: Personas) -> None:
    network = personas.network
    shared("Compostage en cantine", days_ago=9, network=network, with_file="Texte.")
    shared("Guide A", days_ago=8, network=network, description="Le compostage des biodéchets.", with_file="Texte.")
    shared("Guide B", days_ago=7, network=network, with_file="Un mot sur le compostage.")
    shared("Guide C", days_ago=1, network=network, with_file="Encore le compostage.")
    shared("Sans rapport", days_ago=0, network=network, with_file="Rien.")
    # Title (3) > description (2) > text only (1); the two text-only ones newest first.
    assert found({"q": "compostage"}, AnonymousUser()) == ["Compostage en cantine", "Guide A", "Guide C", "Guide B"]


def test_tiers_not_raw_weights_decide_and_ties_go_to_the_newest(personas: Personas) -> None:
    network = personas.network
    # Title word (8 → tier 3) + text word (1 → tier 1) = 4; two description words (4 + 4 → 2 + 2) = 4 as well:
    # a tie, so the newest first, although the raw weights (9 against 8) would rank the older one first.
    shared("Vélos de service", days_ago=5, network=network, with_file="Atelier de réparation.")
    shared("Guide D", days_ago=2, network=network, description="Vélos et atelier.", with_file="Texte.")
    shared("Atelier vélos", days_ago=9, network=network, with_file="Texte.")
    assert found({"q": "vélos atelier"}, AnonymousUser()) == ["Atelier vélos", "Guide D", "Vélos de service"]


def test_pages_follow_the_same_order(personas: Personas) -> None:
    for day in range(25):
        shared(f"Broyage n° {day}", days_ago=day, network=personas.network, with_file="Texte.")
    first, second = search({"q": "broyage"}, AnonymousUser()), search({"q": "broyage", "page": "2"}, AnonymousUser())
    assert (first.total, first.num_pages, second.page) == (25, 2, 2)
    titles = [d.title for d in first.documents + second.documents]
    assert titles == [f"Broyage n° {day}" for day in range(25)]
    assert search({"q": "broyage", "page": "9"}, AnonymousUser()).page == 2  # brought within the pages
    newest = [d.title for d in search({}, AnonymousUser()).documents]
    assert newest == [f"Broyage n° {day}" for day in range(20)]


def test_a_common_word_is_read_only_for_the_few_remaining_candidates(personas: Personas) -> None:
    """A filter leaves one document and the word is held by many: it is looked up for that one only (the seek
    branch), with the same answer."""
    for _ in range(8):
        DocumentFactory.create(network=personas.network, title="Cantine bio", with_file="Texte.")
    grid = DocumentFactory.create(
        network=personas.network, title="Grille cantine", kind=DocumentKind.AWARD_GRID, with_file="Texte."
    )
    result = search({"q": "cantines", "kind": DocumentKind.AWARD_GRID}, AnonymousUser())
    assert (result.total, [d.pk for d in result.documents]) == (1, [grid.pk])


@pytest.fixture
def restricted(personas: Personas) -> dict[str, Any]:
    """Public, members-only and working-group documents of both networks, all holding the word "Ornithorynque";
    a participant of group 4242 of `personas.network` registered through the working-groups directory."""
    participant = UserFactory.create(email="participant@exemple.fr")
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, participant))
    text = "Le mot Ornithorynque."
    documents = {
        "public": DocumentFactory.create(network=personas.network, title="Public", with_file=text),
        "members": DocumentFactory.create(
            network=personas.network, title="Adhérents", members_only=True, with_file=text
        ),
        "group": DocumentFactory.create(network=personas.network, title="Groupe", workgroup=True, with_file=text),
        "other_members": DocumentFactory.create(
            network=personas.other_network, title="Adhérents RN", members_only=True, with_file=text
        ),
        "other_group": DocumentFactory.create(
            network=personas.other_network,
            title="Groupe RN",
            access_level=AccessLevel.WORKGROUP,
            workgroup_id=77,
            with_file=text,
        ),
    }
    return {"participant": participant, "documents": documents}


EXPECTED_TITLES = {
    "anonymous": {"Public"},
    "supplier": {"Public"},
    "member": {"Public", "Adhérents"},
    "facilitator": {"Public", "Adhérents"},
    "animator": {"Public", "Adhérents", "Groupe"},
    "other_animator": {"Public", "Adhérents RN", "Groupe RN"},
    "participant": {"Public", "Groupe"},
    "site_admin": {"Public", "Adhérents", "Groupe", "Adhérents RN", "Groupe RN"},
}


@pytest.mark.parametrize("persona", list(EXPECTED_TITLES))
def test_restricted_documents_are_found_and_counted_only_by_their_readers(
    personas: Personas, restricted: dict[str, Any], persona: str
) -> None:
    user = restricted["participant"] if persona == "participant" else personas.all()[persona]
    result = search({"q": "ornithorynques"}, user)
    assert {d.title for d in result.documents} == EXPECTED_TITLES[persona]
    assert result.total == len(EXPECTED_TITLES[persona])
    unfiltered = search({}, user)
    assert {d.title for d in unfiltered.documents} == EXPECTED_TITLES[persona]
    assert unfiltered.total == len(EXPECTED_TITLES[persona])


def test_snapshot_visibility_is_exactly_access_filter(personas: Personas, restricted: dict[str, Any]) -> None:
    built = snapshot.refresh_snapshot()
    for user in [*personas.all().values(), restricted["participant"]]:
        expected = set(Document.objects.filter(access_filter(user)).values_list("pk", flat=True))
        reader = snapshot.library_reader(user)
        assert set(ids_of(built.visible(reader))) == expected, user
        # The same rule applied to the documents of a page once read.
        assert {document.pk for document in Document.objects.all() if reader.may_read(document)} == expected, user


def test_changing_who_may_read_reindexes_and_leaves_the_old_snapshot(
    personas: Personas, search_path: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory.create(network=personas.network, title="Tarification sociale", with_file="Texte.")
    built = snapshot.current_snapshot()
    assert built is not None  # the rebuild task ran once the upload was committed
    assert search({"q": "tarification"}, AnonymousUser()).total == 1

    document.access_level = AccessLevel.MEMBERS
    document.save()
    with django_capture_on_commit_callbacks() as callbacks:
        reindex_document(document)
    assert snapshot.current_snapshot() is None  # a new version: searches take the SQL path until it is rebuilt
    assert search({"q": "tarification"}, AnonymousUser()).total == 0
    for callback in callbacks:
        callback()
    rebuilt = snapshot.current_snapshot()
    assert rebuilt is not None
    assert rebuilt.version != built.version
    assert not rebuilt.public >> document.pk & 1
    assert rebuilt.members_only[personas.network.pk] >> document.pk & 1


def test_a_deleted_document_leaves_the_snapshot(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    document = DocumentFactory.create(network=personas.network, title="Réemploi du mobilier", with_file="Texte.")
    pk = document.pk
    snapshot.refresh_snapshot()
    document.delete()
    with django_capture_on_commit_callbacks(execute=True):
        reindex_document(document)
    rebuilt = snapshot.current_snapshot()
    assert rebuilt is not None
    assert not rebuilt.everything >> pk & 1
    assert search({"q": "réemploi"}, personas.site_admin).total == 0
