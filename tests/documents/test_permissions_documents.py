"""Who gets what on every page of the document library, for each persona of the fixed cast.

Same rule as tests/test_permissions.py (which delegates the `web:document` names here): one entry per URL name,
an outcome per persona (anonymous · member · supplier · facilitator · animator · other_animator · site_admin), and
every page answered is searched for the titles of the documents that persona must not read.

The world: three documents of `personas.network` shared by `personas.member` — public, members-only, and restricted
to working group 4242, in which (through a registered directory, as relais.workgroups does) the facilitator takes
part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.documents import access
from relais.documents.models import Document

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, Outcome, row, site_urls
from .conftest import FakeDirectory, drain
from .factories import DocumentFactory
from .files import pdf_bytes

PREFIX = "web:document"
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
NETWORK_MEMBERS = row(404, 200, 404, 200, 200, 404, 200)
WORKGROUP_READERS = row(404, 404, 404, 200, 200, 404, 200)  # participant (facilitator), animators, site admins

# Who may read each document (the others must never see its title).
READERS = {
    "public": set(PERSONAS),
    "members_only": {"member", "facilitator", "animator", "site_admin"},
    "workgroup": {"facilitator", "animator", "site_admin"},
}
TITLES = {
    "public": "Guide public de la restauration durable Albatros",
    "members_only": "CCTP réservé aux adhérents Zéphyrin",
    "workgroup": "Synthèse du groupe de travail Quetzalcoatl",
}


@dataclass(frozen=True)
class Case:
    document: str | None
    expected: dict[str, Outcome]
    method: str = "GET"
    data: Callable[[], dict[str, Any]] = field(default=lambda: {})


@dataclass(frozen=True)
class UrlSpec:
    cases: tuple[Case, ...]
    kwargs: Callable[[Document | None], dict[str, Any]] = lambda document: {}
    lists_documents: bool = False


def by_document(document: Document | None) -> dict[str, Any]:
    assert document is not None
    return {"public_id": document.public_id}


def by_version(document: Document | None) -> dict[str, Any]:
    assert document is not None
    return {"public_id": document.public_id, "version_id": document.versions.get().public_id}


def corrected_metadata() -> dict[str, Any]:
    """The members-only document's metadata with a corrected description (same title and access)."""
    return {
        "title": TITLES["members_only"],
        "kind": "guide",
        "description": "Description corrigée.",
        "licence": "etalab-2.0",
        "access_level": "members",
    }


def new_version() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("v2.pdf", pdf_bytes("Nouvelle version")), "comment": "v2"}


EXPECTED: dict[str, UrlSpec] = {
    "web:document_list": UrlSpec(cases=(Case(None, EVERYONE),), lists_documents=True),
    "web:document_detail": UrlSpec(
        kwargs=by_document,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            Case("workgroup", WORKGROUP_READERS),
        ),
    ),
    "web:document_download": UrlSpec(
        kwargs=by_version,
        cases=(
            Case("public", EVERYONE),
            Case("members_only", NETWORK_MEMBERS),
            Case("workgroup", WORKGROUP_READERS),
        ),
    ),
    # Members, facilitators and animators share documents in their networks; suppliers do not. An empty POST is
    # refused with the form's messages (422), after the permission check.
    "web:document_create": UrlSpec(
        cases=(
            Case(None, row(LOGIN, 200, 403, 200, 200, 200, 200)),
            Case(None, row(LOGIN, 422, 403, 422, 422, 422, 422), "POST"),
        )
    ),
    # A new version: the person who shared the document, or the network's animators. Those who cannot see the
    # document get 404 (its existence is not revealed), the others 403.
    "web:document_version_create": UrlSpec(
        kwargs=by_document,
        cases=(
            Case("public", row(LOGIN, 200, 403, 403, 200, 403, 200)),
            Case("members_only", row(LOGIN, 200, 404, 403, 200, 404, 200)),
            Case("workgroup", row(LOGIN, 404, 404, 403, 200, 404, 200)),
            Case("members_only", row(LOGIN, 302, 404, 403, 302, 404, 302), "POST", new_version),
        ),
    ),
    # Editing the metadata: whoever may add a version. An empty POST is refused with the form's messages (422).
    "web:document_edit": UrlSpec(
        kwargs=by_document,
        cases=(
            Case("public", row(LOGIN, 200, 403, 403, 200, 403, 200)),
            Case("members_only", row(LOGIN, 200, 404, 403, 200, 404, 200)),
            Case("workgroup", row(LOGIN, 404, 404, 403, 200, 404, 200)),
            Case("members_only", row(LOGIN, 422, 404, 403, 422, 404, 422), "POST"),
            Case("members_only", row(LOGIN, 302, 404, 403, 302, 404, 302), "POST", corrected_metadata),
        ),
    ),
}


@pytest.fixture
def world(personas: Personas) -> dict[str, Document]:
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    traits: dict[str, dict[str, Any]] = {
        "public": {},
        "members_only": {"members_only": True},
        "workgroup": {"workgroup": True},
    }
    return {
        kind: DocumentFactory.create(
            network=personas.network,
            created_by=personas.member,
            title=TITLES[kind],
            with_file=TITLES[kind],
            **traits[kind],
        )
        for kind in TITLES
    }


def test_every_document_url_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIX)}
    assert ours, "aucune URL de la bibliothèque"
    assert not sorted(ours - EXPECTED.keys()), f"Permissions non déclarées : {sorted(ours - EXPECTED.keys())}"
    assert not sorted(EXPECTED.keys() - ours), f"Entrées sans URL : {sorted(EXPECTED.keys() - ours)}"


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        for case in spec.cases:
            assert set(case.expected) == set(PERSONAS), name


def _metadata(document: Document | None) -> tuple[Any, ...]:
    if document is None:
        return ()
    document.refresh_from_db()
    return (document.title, document.description, document.access_level, document.updated_at)


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return drain(response).decode("latin-1")
    return response.content.decode()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas, world: dict[str, Document]) -> None:
    spec = EXPECTED[name]
    users = personas.all()
    problems: list[str] = []
    for case in spec.cases:
        for persona in PERSONAS:
            document = world[case.document] if case.document else None
            url = reverse(name, kwargs=spec.kwargs(document))
            client = Client()
            user = users[persona]
            if isinstance(user, User):
                client.force_login(user)
            versions_before = document.versions.count() if document else 0
            metadata_before = _metadata(document)
            response = client.get(url) if case.method == "GET" else client.post(url, case.data())
            where = f"{case.method} {url} [{case.document or '-'}] {persona}"
            expected = case.expected[persona]
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
            if document is not None and case.method == "POST":
                added = document.versions.count() - versions_before
                if added and expected != 302:
                    problems.append(f"{where}: requête refusée mais une version a été ajoutée")
                if expected == 302:
                    document.versions.filter(number__gt=1).delete()
                elif _metadata(document) != metadata_before:
                    problems.append(f"{where}: requête refusée mais les informations du document ont changé")
            body = _body(response)
            if response.status_code != 200:
                continue
            for kind, title in TITLES.items():
                if persona not in READERS[kind] and (title in body or str(world[kind].public_id) in body):
                    problems.append(f"{where}: montre le document « {kind} »")
            if spec.lists_documents:
                for kind, title in TITLES.items():
                    if persona in READERS[kind] and title not in body:
                        problems.append(f"{where}: la liste ne montre pas le document « {kind} »")
    assert not problems, f"{name} :\n" + "\n".join(problems)
