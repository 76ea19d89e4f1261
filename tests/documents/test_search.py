"""Library search: French matching over metadata and extracted text, filters, and access applied in the query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from relais.documents.enums import DocumentKind
from relais.documents.queries import DocumentSearch, search_documents
from relais.documents.search import reindex_document

from ..conftest import Personas
from ..factories import OrganisationFactory, ThemeFactory
from .factories import DocumentFactory


def found(query: dict[str, str], user: object) -> list[str]:
    return [d.title for d in search_documents(DocumentSearch.from_querydict(query), user).documents]


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
