"""A supplier's page in the directory: who sees it, what it shows (facts, track record, case sheets, labels,
activities), contacts for members only with an access log, logo and photos through the checked view, and the link
from a holder's track record."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.casesheets.enums import StakeholderRole
from relais.casesheets.models import Stakeholder
from relais.contracts.models import Contract, ContractHolder, ImportRun
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.suppliers.enums import Coverage, TurnoverBand
from relais.suppliers.models import SupplierPhoto, SupplierProfile

from ..conftest import Personas
from ..factories import (
    CaseSheetFactory,
    CpvFactory,
    DepartementFactory,
    OrganisationFactory,
    OrganisationStructureFactory,
)
from .factories import (
    LabelFactory,
    SupplierActivityFactory,
    SupplierContactFactory,
    SupplierLabelFactory,
    SupplierProfileFactory,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _supplier(*, public: bool, name: str = "Les Jardins de Cocagne") -> Organisation:
    organisation = OrganisationFactory.create(supplier=True, name=name, description="Maraîchage biologique.")
    SupplierProfileFactory.create(
        organisation=organisation,
        public_listing=public,
        staff_insertion=24,
        staff_permanent=6,
        turnover_band=TurnoverBand.FROM_500K,
    )
    OrganisationStructureFactory.create(
        organisation=organisation,
        structure_type=StructureType.ACI,
        evidence="Conventionnement DREETS 2026-17",
        valid_until=timezone.localdate() + dt.timedelta(days=90),
    )
    OrganisationStructureFactory.create(
        organisation=organisation,
        structure_type=StructureType.ESUS,
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    SupplierActivityFactory.create(
        organisation=organisation,
        title="Paniers de légumes",
        coverage=Coverage.DEPARTEMENTS,
        cpvs=[CpvFactory.create(code="03221000-6", label_fr="Légumes")],
        departements=[DepartementFactory.create()],
    )
    SupplierLabelFactory.create(organisation=organisation, label=LabelFactory.create(slug="ab", name="Agriculture bio"))
    SupplierContactFactory.create(
        organisation=organisation, full_name="Camille Martin", email="camille@jardins.example"
    )
    return organisation


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(organisation: Organisation) -> str:
    return reverse("web:directory_supplier", kwargs={"public_id": organisation.public_id})


@pytest.mark.django_db
def test_a_listed_supplier_has_a_public_page_without_contacts(personas: Personas) -> None:
    supplier = _supplier(public=True)
    response = _client().get(_url(supplier))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Les Jardins de Cocagne",
        "Maraîchage biologique.",
        "Conventionnement DREETS 2026-17",
        "Paniers de légumes",
        "03221000-6",
        "Ille-et-Vilaine (35)",
        "Agriculture bio",
        "équivalent accepté",
        "Marché réservé aux SIAE (L2113-13)",
        "art. L2113-13 et R2113-7",
        "Expiré",
        "500 k€ à 2 M€",
        "24",
    ):
        assert text in body, text
    assert "non retenu" in body  # the expired ESUS agreement
    assert "Camille Martin" not in body
    assert "camille@jardins.example" not in body
    assert "Connectez-vous" in body
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "supplier"])
def test_an_unlisted_supplier_is_hidden_from_the_public_and_other_suppliers(personas: Personas, persona: str) -> None:
    supplier = _supplier(public=False)
    user = personas.all()[persona]
    response = _client(user if isinstance(user, User) else None).get(_url(supplier))
    assert response.status_code == 404
    assert "Cocagne" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["member", "facilitator", "animator", "other_animator", "site_admin"])
def test_members_read_every_supplier_with_its_contacts_logged(
    personas: Personas, persona: str, caplog: pytest.LogCaptureFixture
) -> None:
    supplier = _supplier(public=False)
    user = personas.all()[persona]
    assert isinstance(user, User)
    with caplog.at_level(logging.INFO, logger="relais.access"):
        response = _client(user).get(_url(supplier))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Camille Martin" in body
    assert "camille@jardins.example" in body
    assert "réservée aux adhérents" in body
    assert response["Cache-Control"] == "private, no-store"
    logs = [record.getMessage() for record in caplog.records if record.name == "relais.access"]
    assert logs == [f"supplier_contacts_viewed user={user.public_id} supplier={supplier.public_id} count=1"]


@pytest.mark.django_db
def test_a_supplier_reads_its_own_unlisted_page_and_contacts(personas: Personas) -> None:
    own = Organisation.objects.get(name="Atelier d'insertion")
    SupplierProfile.objects.create(organisation=own, public_listing=False)
    SupplierContactFactory.create(organisation=own, full_name="Dominique Petit")
    response = _client(personas.supplier).get(_url(own))
    assert response.status_code == 200
    assert "Dominique Petit" in response.content.decode()
    try:
        edit_url = reverse("web:supplier_profile_edit", args=[own.public_id])
    except NoReverseMatch:
        edit_url = ""
    if edit_url:
        assert edit_url in response.content.decode()
    # Another persona who cannot manage it never gets the link.
    member_body = _client(personas.member).get(_url(own)).content.decode()
    assert "Modifier</a>" not in member_body


@pytest.mark.django_db
def test_a_supplier_without_a_profile_is_for_members_and_other_kinds_are_not_suppliers(personas: Personas) -> None:
    bare = OrganisationFactory.create(supplier=True, name="Sans profil")
    assert _client().get(_url(bare)).status_code == 404
    assert _client(personas.member).get(_url(bare)).status_code == 200
    buyer = Organisation.objects.get(name="Ville de Rennes")
    assert _client(personas.member).get(_url(buyer)).status_code == 404


@pytest.mark.django_db
def test_case_sheets_shown_follow_the_readers_visibility(personas: Personas) -> None:
    supplier = _supplier(public=True)
    public = CaseSheetFactory.create(network=personas.network, published=True, title="Cantine bio Albatros")
    members_only = CaseSheetFactory.create(
        network=personas.network, published=True, members_only=True, title="Nettoyage réservé Zéphyrin"
    )
    for sheet in (public, members_only):
        Stakeholder.objects.create(sheet=sheet, organisation=supplier, role=StakeholderRole.HOLDER)
    anonymous = _client().get(_url(supplier)).content.decode()
    assert "Cantine bio Albatros" in anonymous
    assert "Zéphyrin" not in anonymous
    outsider = _client(personas.supplier).get(_url(supplier)).content.decode()
    assert "Zéphyrin" not in outsider
    member = _client(personas.member).get(_url(supplier)).content.decode()
    assert "Cantine bio Albatros" in member
    assert "Zéphyrin" in member


def _contract_won_by(organisation: Organisation, *, notified_on: dt.date, title: str) -> Contract:
    run = ImportRun.objects.first() or ImportRun.objects.create(
        source_name="decp.json", source_signature="s", status="done"
    )
    contract = Contract.objects.create(
        uid=title,
        kind="contract",
        buyer_identifier="21350238800019",
        buyer_name="Ville de Rennes",
        identifier=title,
        object=title,
        cpv="03221000-6",
        cpv_division="03",
        contract_type="supplies",
        source_format="2022-json",
        content_hash=title,
        first_run=run,
        last_run=run,
        notified_on=notified_on,
        notified_year=notified_on.year,
        amount=Decimal("85000"),
    )
    ContractHolder.objects.create(
        contract=contract,
        rank=0,
        identifier=organisation.siret or "",
        name=organisation.name,
        organisation=organisation,
    )
    return contract


@pytest.mark.django_db
def test_track_record_lists_the_last_three_years_and_links_to_the_holder_page(personas: Personas) -> None:
    supplier = _supplier(public=True)
    today = timezone.localdate()
    _contract_won_by(supplier, notified_on=today - dt.timedelta(days=30), title="Paniers bio des crèches")
    _contract_won_by(supplier, notified_on=today.replace(year=today.year - 4), title="Ancien marché de légumes")
    body = _client().get(_url(supplier)).content.decode()
    assert "Paniers bio des crèches" in body
    assert "Ancien marché de légumes" not in body
    assert "1 marché remporté" in body
    assert reverse("web:contract_holder", kwargs={"public_id": supplier.public_id}) in body


@pytest.mark.django_db
def test_holder_page_shows_the_facts_and_the_directory_link_to_who_may_see_the_supplier(personas: Personas) -> None:
    listed = _supplier(public=True, name="Cocagne publique")
    unlisted = _supplier(public=False, name="Cocagne discrète")
    for organisation in (listed, unlisted):
        _contract_won_by(organisation, notified_on=timezone.localdate(), title=f"Marché de {organisation.name}")
    holder = "web:contract_holder"
    body = _client().get(reverse(holder, kwargs={"public_id": listed.public_id})).content.decode()
    assert _url(listed) in body
    assert "Marché réservé aux SIAE (L2113-13)" in body
    body = _client().get(reverse(holder, kwargs={"public_id": unlisted.public_id})).content.decode()
    assert _url(unlisted) not in body
    assert "L2113-13" not in body
    body = _client(personas.member).get(reverse(holder, kwargs={"public_id": unlisted.public_id})).content.decode()
    assert _url(unlisted) in body
    assert "Marché réservé aux SIAE (L2113-13)" in body


def drain(response: Any) -> bytes:
    """The body of a streamed file, its file closed without `response.close()` (which would close the test's
    database connection on PostgreSQL: see tests/documents/conftest.py)."""
    if not getattr(response, "streaming", False):
        return bytes(response.content)
    content = b"".join(response.streaming_content)
    for closer in response._resource_closers:
        closer()
    response._resource_closers.clear()
    return content


def _media_url(organisation: Organisation, media_id: object) -> str:
    return reverse("web:directory_supplier_media", kwargs={"public_id": organisation.public_id, "media_id": media_id})


@pytest.mark.django_db
def test_logo_and_photos_go_through_the_checked_view(personas: Personas) -> None:
    listed = _supplier(public=True)
    profile = listed.supplier_profile
    profile.logo.save("logo.png", ContentFile(PNG), save=True)
    photo = SupplierPhoto.objects.create(organisation=listed, caption="Serre", image=ContentFile(SVG, name="x.svg"))

    page = _client().get(_url(listed)).content.decode()
    assert _media_url(listed, profile.public_id) in page
    assert _media_url(listed, photo.public_id) in page
    logo = _client().get(_media_url(listed, profile.public_id))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert "attachment" not in logo.get("Content-Disposition", "")
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert drain(logo) == PNG
    # Whatever its name says, content that is not a known image is never shown inline.
    svg = _client().get(_media_url(listed, photo.public_id))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "application/octet-stream"
    assert svg["Content-Disposition"].startswith("attachment")
    assert "sandbox" in svg["Content-Security-Policy"]
    assert drain(svg) == SVG

    unlisted = _supplier(public=False, name="Discrète")
    hidden = unlisted.supplier_profile
    hidden.logo.save("logo.png", ContentFile(PNG), save=True)
    assert _client().get(_media_url(unlisted, hidden.public_id)).status_code == 404
    assert _client(personas.supplier).get(_media_url(unlisted, hidden.public_id)).status_code == 404
    members = _client(personas.member).get(_media_url(unlisted, hidden.public_id))
    assert members.status_code == 200
    assert members["Cache-Control"] == "private, no-store"
    assert drain(members) == PNG
    # A photo of one supplier is not reachable through another supplier's address.
    assert _client(personas.member).get(_media_url(unlisted, photo.public_id)).status_code == 404
