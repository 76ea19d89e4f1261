"""Editing the metadata of a shared document: who may, validation like the upload form, one transaction, the
search index rebuilt, and who may read it changing at once on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.documents import access, perms, services
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.models import Document
from relais.documents.queries import DocumentSearch, search_documents
from relais.networks.enums import Role
from relais.web.forms.documents import DocumentEditForm, DocumentForm, DocumentMetadataForm

from ..conftest import Personas
from ..factories import CpvFactory, MembershipFactory, NetworkRoleFactory, OrganisationFactory, ThemeFactory
from .conftest import FakeDirectory, logged
from .factories import DocumentFactory

LIST = reverse("web:document_list")


def edit_url(document: Document) -> str:
    return reverse("web:document_edit", kwargs={"public_id": document.public_id})


def detail_url(document: Document) -> str:
    return reverse("web:document_detail", kwargs={"public_id": document.public_id})


def metadata(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Cahier des charges du nettoyage écologique",
        "kind": DocumentKind.SPECIFICATIONS,
        "description": "Exigences sur les produits écolabellisés.",
        "licence": "etalab-2.0",
        "access_level": AccessLevel.MEMBERS,
    }
    data.update(changes)
    return data


def as_user(user: User | AnonymousUser) -> Client:
    client = Client()
    if isinstance(user, User):
        client.force_login(user)
    return client


def total(user: User | AnonymousUser, query: str) -> int:
    """How many documents the library page finds for this reader."""
    response = as_user(user).get(LIST, {"q": query})
    assert response.status_code == 200
    return int(response.context["result"].total)


def save(user: User, document: Document, capture: Any, **changes: Any) -> Any:
    with capture(execute=True):
        return as_user(user).post(edit_url(document), metadata(**changes))


@pytest.fixture
def document(personas: Personas) -> Document:
    return DocumentFactory.create(
        network=personas.network,
        created_by=personas.member,
        title="Brouillon de CCTP ménage",
        members_only=True,
        with_file="Article 3 : dosage des produits d'entretien.",
    )


# ── What is saved ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_uploader_corrects_every_field_and_search_follows(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    theme = ThemeFactory.create(slug="proprete", label="Propreté des locaux")
    cpv = CpvFactory.create(code="90910000-9", label_fr="Services de nettoyage")
    author = OrganisationFactory.create(name="Ville de Saint-Brieuc")
    MembershipFactory.create(network=personas.network, organisation=author)
    version = document.versions.get()

    response = save(
        personas.member,
        document,
        django_capture_on_commit_callbacks,
        themes=[theme.pk],
        cpvs="90910000-9",
        author_organisation=author.pk,
        document_date="15/03/2025",
        licence="cc-by-4.0",
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(document)
    document.refresh_from_db()
    assert document.title == "Cahier des charges du nettoyage écologique"
    assert document.kind == DocumentKind.SPECIFICATIONS
    assert document.description == "Exigences sur les produits écolabellisés."
    assert list(document.themes.all()) == [theme]
    assert list(document.cpvs.all()) == [cpv]
    assert document.author_organisation == author
    assert document.document_date == dt.date(2025, 3, 15)
    assert document.licence == "cc-by-4.0"
    # The files are untouched: same single version, same text.
    assert list(document.versions.all()) == [version]
    # The index follows the new metadata (and still the file's text); the old title is no longer found.
    reader = personas.facilitator
    assert total(reader, "écologique") == 1
    assert total(reader, "Saint-Brieuc") == 1
    assert total(reader, "propreté locaux") == 1
    assert total(reader, "dosage") == 1
    assert total(reader, "brouillon") == 0
    page = as_user(reader).get(detail_url(document)).content.decode()
    assert "Ville de Saint-Brieuc" in page
    assert "CC BY 4.0" in page


def test_the_form_starts_from_the_current_metadata(personas: Personas, document: Document) -> None:
    theme = ThemeFactory.create()
    document.themes.add(theme)
    page = logged(Client(), personas.member).get(edit_url(document))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == "Brouillon de CCTP ménage"
    assert form["access_level"].value() == AccessLevel.MEMBERS
    assert [str(pk) for pk in form["themes"].value()] == [str(theme.pk)]
    body = page.content.decode()
    assert 'value="Brouillon de CCTP ménage"' in body
    assert 'enctype="multipart/form-data"' not in body  # no file here: versions have their own page
    assert "Enregistrer les informations" in body


def test_the_edit_form_reuses_the_upload_forms_metadata_fields() -> None:
    metadata_fields = set(DocumentMetadataForm.base_fields)
    assert set(DocumentEditForm.base_fields) == metadata_fields
    assert set(DocumentForm.base_fields) == metadata_fields | {"network", "file", "comment"}
    assert DocumentForm.base_fields["title"] is DocumentEditForm.base_fields["title"]


# ── Refused input ─────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Donnez un titre au document."),
        ({"title": "x" * 201}, "title", "Le titre ne peut pas dépasser 200 caractères."),
        ({"kind": "inconnu"}, "kind", "Type de document inconnu."),
        ({"description": "<script>alert(1)</script>"}, "description", "balises HTML"),
        ({"cpvs": "12345678"}, "cpvs", "n'existe pas"),
        ({"document_date": "31/02/2025"}, "document_date", "Saisissez une date valide"),
        ({"licence": "wtfpl"}, "licence", "Licence inconnue."),
        ({"access_level": "tout-le-monde"}, "access_level", "Accès inconnu."),
        ({"themes": ["999999"]}, "themes", "Thème inconnu."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_changes(
    personas: Personas,
    document: Document,
    django_capture_on_commit_callbacks: Any,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = (document.title, document.kind, document.description, document.updated_at)
    response = save(personas.member, document, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    # The field is marked invalid for assistive technologies (a group of checkboxes: its fieldset).
    marker = "fr-fieldset--error" if field == "themes" else 'aria-invalid="true"'
    assert marker in response.content.decode()
    document.refresh_from_db()
    assert (document.title, document.kind, document.description, document.updated_at) == before
    assert total(personas.member, "brouillon") == 1


def test_author_organisation_must_belong_to_the_documents_network(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = OrganisationFactory.create(name="Département du Nord")
    MembershipFactory.create(network=personas.other_network, organisation=elsewhere)
    response = save(personas.member, document, django_capture_on_commit_callbacks, author_organisation=elsewhere.pk)
    assert response.status_code == 422
    assert response.context["form"].errors["author_organisation"] == [
        "Choisissez une organisation adhérente de vos réseaux."
    ]
    document.refresh_from_db()
    assert document.author_organisation is None


def test_workgroup_access_needs_a_group_of_the_network(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    response = save(personas.member, document, django_capture_on_commit_callbacks, access_level=AccessLevel.WORKGROUP)
    assert response.status_code == 422
    assert "Choisissez le groupe de travail" in response.context["form"].errors["workgroup"][0]
    response = save(
        personas.member,
        document,
        django_capture_on_commit_callbacks,
        access_level=AccessLevel.WORKGROUP,
        workgroup="777",
    )
    assert response.status_code == 422
    assert response.context["form"].errors["workgroup"] == ["Choisissez un groupe de travail du réseau."]
    document.refresh_from_db()
    assert (document.access_level, document.workgroup_id) == (AccessLevel.MEMBERS, None)


def test_a_failure_while_saving_leaves_the_document_as_it_was(
    personas: Personas, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = ThemeFactory.create()

    def broken_index(document: Document) -> None:
        raise RuntimeError("index indisponible")

    monkeypatch.setattr(services, "reindex_document", broken_index)
    with pytest.raises(RuntimeError):
        services.document_update(
            document=document,
            title="Titre jamais enregistré",
            kind=DocumentKind.GUIDE,
            description="",
            themes=[theme],
            cpvs=[],
            author_organisation=None,
            document_date=None,
            licence="etalab-2.0",
            access_level=AccessLevel.PUBLIC,
        )
    document.refresh_from_db()
    assert document.title == "Brouillon de CCTP ménage"
    assert document.access_level == AccessLevel.MEMBERS
    assert not document.themes.exists()


def test_the_service_refuses_workgroup_access_without_a_group(personas: Personas, document: Document) -> None:
    with pytest.raises(services.DocumentError, match="Choisissez le groupe de travail"):
        services.document_update(
            document=document,
            title=document.title,
            kind=document.kind,
            description="",
            themes=[],
            cpvs=[],
            author_organisation=None,
            document_date=None,
            licence="etalab-2.0",
            access_level=AccessLevel.WORKGROUP,
        )
    document.refresh_from_db()
    assert document.access_level == AccessLevel.MEMBERS


# ── Who may edit ──────────────────────────────────────────────────────────────────────────────────────────────────


def test_who_may_edit_is_who_may_add_a_version(personas: Personas, document: Document) -> None:
    for persona, user in personas.all().items():
        assert perms.can_edit(user, document) is perms.can_add_version(user, document), persona
    assert perms.can_edit(personas.member, document)  # who shared it
    assert perms.can_edit(personas.animator, document)
    assert perms.can_edit(personas.site_admin, document)
    assert not perms.can_edit(personas.facilitator, document)  # another member of the network
    assert not perms.can_edit(personas.other_animator, document)


def test_the_uploader_loses_the_right_with_their_membership(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    personas.member.network_roles.update(role=Role.SUPPLIER)
    former = User.objects.get(pk=personas.member.pk)  # roles are cached on the user object
    assert not perms.can_edit(former, document)
    assert as_user(former).post(edit_url(document), metadata()).status_code == 404  # no longer reads it
    document.refresh_from_db()
    assert document.title == "Brouillon de CCTP ménage"


def test_another_member_is_refused_and_does_not_see_the_edit_link(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    assert save(personas.facilitator, document, django_capture_on_commit_callbacks).status_code == 403
    document.refresh_from_db()
    assert document.title == "Brouillon de CCTP ménage"
    assert edit_url(document) not in as_user(personas.facilitator).get(detail_url(document)).content.decode()
    assert edit_url(document) in as_user(personas.member).get(detail_url(document)).content.decode()


def test_an_animator_edits_a_members_document(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = NetworkRoleFactory.create(network=personas.network, role=Role.ANIMATOR, organisation=None).user
    response = save(colleague, document, django_capture_on_commit_callbacks, title="Relu par l'animation")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Relu par l'animation"
    assert document.created_by == personas.member  # who shared it does not change


# ── Who reads it, at once ──────────────────────────────────────────────────────────────────────────────────────────


def test_members_only_to_public_reaches_anonymous_visitors_at_once(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    anonymous = AnonymousUser()
    assert total(anonymous, "dosage") == 0
    assert as_user(anonymous).get(detail_url(document)).status_code == 404
    assert total(personas.member, "dosage") == 1

    response = save(personas.member, document, django_capture_on_commit_callbacks, access_level=AccessLevel.PUBLIC)

    assert response.status_code == 302
    assert total(anonymous, "dosage") == 1
    assert total(anonymous, "") == 1
    assert as_user(anonymous).get(detail_url(document)).status_code == 200
    assert total(personas.supplier, "dosage") == 1
    assert total(personas.member, "dosage") == 1
    assert [d.pk for d in search_documents(DocumentSearch.from_querydict({"q": "nettoyage"}), anonymous).documents] == [
        document.pk
    ]


def test_public_to_workgroup_hides_it_from_everyone_outside_the_group_at_once(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    document = DocumentFactory.create(
        network=personas.network,
        created_by=personas.animator,
        title="Synthèse ouverte du groupe textile",
        with_file="Recommandations sur le coton biologique.",
    )
    anonymous = AnonymousUser()
    for reader in (anonymous, personas.member, personas.facilitator, personas.supplier):
        assert total(reader, "coton") == 1

    response = save(
        personas.animator,
        document,
        django_capture_on_commit_callbacks,
        title="Synthèse ouverte du groupe textile",
        access_level=AccessLevel.WORKGROUP,
        workgroup="4242",
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.access_level, document.workgroup_id) == (AccessLevel.WORKGROUP, 4242)
    for outsider in (anonymous, personas.member, personas.supplier, personas.other_animator):
        assert total(outsider, "coton") == 0
        assert total(outsider, "") == 0
        assert as_user(outsider).get(detail_url(document)).status_code == 404
    for reader in (personas.facilitator, personas.animator, personas.site_admin):  # participant, animators
        assert total(reader, "coton") == 1
        assert as_user(reader).get(detail_url(document)).status_code == 200


def test_an_editor_who_restricts_it_away_from_themselves_is_sent_to_the_library(
    personas: Personas, document: Document, django_capture_on_commit_callbacks: Any
) -> None:
    # The fake directory offers its group to anyone in the network, though only the facilitator takes part.
    access.register_workgroup_directory(FakeDirectory(personas.network.pk, personas.facilitator))
    response = save(
        personas.member,
        document,
        django_capture_on_commit_callbacks,
        access_level=AccessLevel.WORKGROUP,
        workgroup="4242",
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert total(personas.member, "dosage") == 0
    assert total(personas.facilitator, "dosage") == 1
