"""API v1 of the supplier directory: visibility (listed for everyone, all for members, own record for a supplier),
contacts never to anonymous callers, the directory's filters, bad filters as 400, and the detail's facts, track
record and case sheets."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.casesheets.enums import StakeholderRole
from relais.casesheets.models import Stakeholder
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.suppliers.enums import Coverage, ServiceKind
from relais.suppliers.models import SupplierProfile
from relais.suppliers.queries import supplier_reindex

from ..conftest import Personas
from ..factories import (
    CaseSheetFactory,
    CpvFactory,
    DepartementFactory,
    OrganisationFactory,
    OrganisationStructureFactory,
    RegionFactory,
)
from .factories import SupplierActivityFactory, SupplierContactFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:directory_list")


def _supplier(
    name: str,
    *,
    public: bool,
    structure: str = StructureType.EI,
    valid_until: dt.date | None = None,
    cpv: str = "77310000-6",
    coverage: str = Coverage.COUNTRY,
    departements: list[Any] | None = None,
    service_kind: str = ServiceKind.SERVICE,
) -> Organisation:
    organisation = OrganisationFactory.create(supplier=True, name=name)
    SupplierProfileFactory.create(organisation=organisation, public_listing=public)
    OrganisationStructureFactory.create(organisation=organisation, structure_type=structure, valid_until=valid_until)
    SupplierActivityFactory.create(
        organisation=organisation,
        title=f"Activité de {name}",
        service_kind=service_kind,
        coverage=coverage,
        cpvs=[CpvFactory.create(code=cpv, label_fr=f"Code {cpv}")],
        departements=departements or [],
    )
    SupplierContactFactory.create(organisation=organisation, full_name=f"Contact {name}", email="x@y.example")
    supplier_reindex(organisation.pk)
    return organisation


def _get(url: str, user: User | None = None, **params: Any) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def _detail(organisation: Organisation) -> str:
    return reverse("api:directory_detail", kwargs={"public_id": organisation.public_id})


def test_the_list_shows_listed_suppliers_to_everyone_and_all_to_members(personas: Personas) -> None:
    _supplier("Publique", public=True)
    _supplier("Discrète", public=False)
    OrganisationFactory.create(name="Une commune")  # not a supplier
    assert _names(_get(LIST)) == ["Publique"]
    assert _names(_get(LIST, personas.supplier)) == ["Publique"]
    everyone = ["Atelier d'insertion", "Discrète", "Publique"]  # the personas' supplier has no public page either
    assert _names(_get(LIST, personas.member)) == everyone
    assert _names(_get(LIST, personas.other_animator)) == everyone
    body = _get(LIST, personas.member).content.decode()
    assert "Contact Discrète" not in body
    assert "contacts" not in body


def test_filters_cpv_hierarchy_departement_structure_type_and_kind(personas: Personas) -> None:
    ille = DepartementFactory.create()
    finistere = DepartementFactory.create(code="29", name="Finistère", region=RegionFactory.create())
    _supplier("Espaces verts 35", public=True, coverage=Coverage.DEPARTEMENTS, departements=[ille])
    _supplier("Espaces verts 29", public=True, coverage=Coverage.DEPARTEMENTS, departements=[finistere])
    _supplier("Traiteur national", public=True, structure=StructureType.ESAT, cpv="55524000-9")
    _supplier(
        "ESAT expiré",
        public=True,
        structure=StructureType.ESAT,
        cpv="55524000-9",
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    _supplier("Intérim", public=True, structure=StructureType.ETTI, service_kind=ServiceKind.STAFF_PROVISION)

    assert set(_names(_get(LIST, cpv="77000000"))) == {"Espaces verts 35", "Espaces verts 29", "Intérim"}
    response = _get(LIST, cpv="77000000", departement="35")
    assert set(_names(response)) == {"Espaces verts 35", "Intérim"}
    structures = {facet["value"]: facet["count"] for facet in response.json()["facets"]["structure"]}
    assert structures == {"ei": 1, "etti": 1}
    assert _names(_get(LIST, structure="esat")) == ["Traiteur national"]
    assert _names(_get(LIST, basis="L2113-12")) == ["Traiteur national"]
    assert _names(_get(LIST, kind="staff_provision")) == ["Intérim"]
    assert _names(_get(LIST, q="verts 29")) == ["Espaces verts 29"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cpv": "77a"}, "cpv"),
        ({"departement": "999"}, "departement"),
        ({"structure": "plombier"}, "structure"),
        ({"kind": "magie"}, "kind"),
    ],
)
def test_bad_filters_are_refused_with_a_message(personas: Personas, params: dict[str, str], field: str) -> None:
    response = _get(LIST, **params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_filters_never_reveal_unlisted_suppliers_to_the_public(personas: Personas) -> None:
    _supplier("Discrète", public=False)
    assert _names(_get(LIST, cpv="77310000")) == []
    assert _names(_get(LIST, personas.member, cpv="77310000")) == ["Discrète"]


def test_detail_visibility_and_contacts(personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    listed = _supplier("Publique", public=True, structure=StructureType.ESUS)
    unlisted = _supplier("Discrète", public=False)
    anonymous = _get(_detail(listed))
    assert anonymous.status_code == 200
    data = anonymous.json()
    assert data["contacts"] is None
    assert "Contact Publique" not in anonymous.content.decode()
    assert _get(_detail(unlisted)).status_code == 404
    assert _get(_detail(unlisted), personas.supplier).status_code == 404
    assert _get(_detail(listed), personas.supplier).json()["contacts"] is None
    with caplog.at_level(logging.INFO, logger="relais.access"):
        member = _get(_detail(unlisted), personas.member)
    assert member.status_code == 200
    assert member.json()["contacts"] == [
        {"full_name": "Contact Discrète", "position": "", "email": "x@y.example", "phone": ""}
    ]
    assert member["Cache-Control"] == "private, no-store"
    assert [r.getMessage() for r in caplog.records if r.name == "relais.access"] == [
        f"supplier_contacts_viewed_api user={personas.member.public_id} supplier={unlisted.public_id} count=1"
    ]


def test_a_supplier_reads_its_own_unlisted_record_with_its_contacts(personas: Personas) -> None:
    own = Organisation.objects.get(name="Atelier d'insertion")
    SupplierProfile.objects.create(organisation=own)
    SupplierContactFactory.create(organisation=own, full_name="Dominique Petit")
    response = _get(_detail(own), personas.supplier)
    assert response.status_code == 200
    assert [c["full_name"] for c in response.json()["contacts"]] == ["Dominique Petit"]


def test_detail_carries_facts_track_record_and_visible_case_sheets(personas: Personas) -> None:
    listed = _supplier("Publique", public=True, structure=StructureType.ESUS)
    public = CaseSheetFactory.create(network=personas.network, published=True, title="Fiche publique Albatros")
    members_only = CaseSheetFactory.create(
        network=personas.network, published=True, members_only=True, title="Fiche réservée Zéphyrin"
    )
    for sheet in (public, members_only):
        Stakeholder.objects.create(sheet=sheet, organisation=listed, role=StakeholderRole.HOLDER)
    data = _get(_detail(listed)).json()
    facts = {fact["code"]: fact for fact in data["facts"]}
    assert facts["reserved_l2113_15"]["holds"] is True
    assert "L2113-15" in facts["reserved_l2113_15"]["legal_reference"]
    assert data["track_record"]["count"] == 0
    assert [sheet["title"] for sheet in data["case_sheets"]] == ["Fiche publique Albatros"]
    assert "Zéphyrin" not in _get(_detail(listed)).content.decode()
    member = _get(_detail(listed), personas.member).json()
    assert {sheet["title"] for sheet in member["case_sheets"]} == {"Fiche publique Albatros", "Fiche réservée Zéphyrin"}


def test_the_schema_documents_the_directory(personas: Personas) -> None:
    schema = _get(reverse("api:schema")).content.decode()
    assert "/api/v1/suppliers/" in schema
    assert "suppliers_retrieve" in schema
