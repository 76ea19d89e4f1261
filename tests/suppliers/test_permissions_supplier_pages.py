"""Who gets what on a supplier's page, its logo and photos, and the directory's API, for each persona of the fixed
cast.

tests/test_permissions.py delegates the `web:directory_supplier…` and `api:directory…` names to this module.
Public pages exist only for suppliers who agreed (`public_listing`): anonymous visitors and suppliers get a 404 for
any other supplier, and never see it in the API's list; the networks' members (another network's animator too) see
every supplier; a supplier sees its own page. Contacts are personal data: the networks' members and the supplier
itself read them, nobody else — every 200 answer is searched for the contact's name and e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.suppliers.models import SupplierProfile

from ..conftest import Personas
from ..factories import OrganisationFactory, OrganisationStructureFactory
from ..test_permissions import EVERYONE, LOGIN, PERSONAS, Outcome, row, site_urls
from .factories import SupplierContactFactory, SupplierProfileFactory
from .test_supplier_page import PNG, drain

PREFIXES = ("web:directory_supplier", "api:directory")
NOT_ALLOWED = row(405, 405, 405, 405, 405, 405, 405)
# An unlisted supplier: members of any network (another network's animator included) and site admins.
MEMBERS = row(404, 200, 404, 200, 200, 200, 200)
# The personas' own supplier organisation, unlisted: the members, and the supplier account acting for it.
OWN = row(404, 200, 200, 200, 200, 200, 200)
CONTACT_READERS = frozenset({"member", "facilitator", "animator", "other_animator", "site_admin"})
UNLISTED_NAME = "Régie discrète Ornithorynque"
LISTED_NAME = "Jardin public Albatros"


@dataclass(frozen=True)
class Case:
    supplier: str  # "listed", "unlisted" or "own"
    expected: dict[str, Outcome]
    method: str = "GET"
    # Personas who read the supplier's contacts in a 200 answer; everyone else must not.
    contacts: frozenset[str] = frozenset()
    query: dict[str, Any] = field(default_factory=dict)


EXPECTED: dict[str, tuple[Case, ...]] = {
    "web:directory_supplier": (
        Case("listed", EVERYONE, contacts=CONTACT_READERS),
        Case("unlisted", MEMBERS, contacts=CONTACT_READERS),
        Case("own", OWN, contacts=CONTACT_READERS | {"supplier"}),
        Case("listed", NOT_ALLOWED, "POST"),
    ),
    "web:directory_supplier_media": (
        Case("listed", EVERYONE),
        Case("unlisted", MEMBERS),
        Case("own", OWN),
        Case("listed", NOT_ALLOWED, "POST"),
    ),
    # The list never carries contacts; an unlisted supplier appears only to members (checked below).
    "api:directory_list": (
        Case("listed", EVERYONE),
        Case("listed", EVERYONE, query={"structure": "ei"}),
        Case("listed", NOT_ALLOWED, "POST"),
    ),
    "api:directory_detail": (
        Case("listed", EVERYONE, contacts=CONTACT_READERS),
        Case("unlisted", MEMBERS, contacts=CONTACT_READERS),
        Case("own", OWN, contacts=CONTACT_READERS | {"supplier"}),
        Case("listed", NOT_ALLOWED, "POST"),
    ),
}


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIXES)}
    assert ours
    assert ours == EXPECTED.keys()


def test_matrix_rows_are_complete() -> None:
    for cases in EXPECTED.values():
        for case in cases:
            assert set(case.expected) == set(PERSONAS)


def _supplier(personas: Personas, kind: str) -> Organisation:
    if kind == "own":
        organisation = Organisation.objects.get(name="Atelier d'insertion")
        SupplierProfile.objects.create(organisation=organisation, public_listing=False)
    else:
        name = LISTED_NAME if kind == "listed" else UNLISTED_NAME
        organisation = OrganisationFactory.create(supplier=True, name=name)
        SupplierProfileFactory.create(organisation=organisation, public_listing=kind == "listed")
    OrganisationStructureFactory.create(organisation=organisation, structure_type=StructureType.EI)
    SupplierContactFactory.create(
        organisation=organisation, full_name=f"Personne {kind}", email=f"personne.{kind}@structure.example"
    )
    profile = organisation.supplier_profile
    profile.logo.save("logo.png", ContentFile(PNG), save=True)
    return organisation


def _kwargs(name: str, organisation: Organisation) -> dict[str, Any]:
    if name == "api:directory_list":
        return {}
    kwargs: dict[str, Any] = {"public_id": organisation.public_id}
    if name == "web:directory_supplier_media":
        kwargs["media_id"] = organisation.supplier_profile.public_id
    return kwargs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    suppliers = {kind: _supplier(personas, kind) for kind in ("listed", "unlisted", "own")}
    problems = []
    for case in EXPECTED[name]:
        organisation = suppliers[case.supplier]
        url = reverse(name, kwargs=_kwargs(name, organisation))
        for persona, user in personas.all().items():
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            response = client.get(url, case.query) if case.method == "GET" else client.post(url, case.query)
            expected = case.expected[persona]
            body = drain(response).decode("utf-8", "replace")
            where = f"{case.method} {url} [{case.supplier}] {persona}"
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
                continue
            for kind in suppliers:
                contact = f"personne.{kind}@structure.example"
                shows = contact in body or f"Personne {kind}" in body
                if shows and not (kind == case.supplier and persona in case.contacts):
                    problems.append(f"{where}: montre le contact de « {kind} »")
                if kind == case.supplier and persona in case.contacts and response.status_code == 200 and not shows:
                    problems.append(f"{where}: ne montre pas le contact")
            if response.status_code != 200:
                if UNLISTED_NAME in body:
                    problems.append(f"{where}: une réponse refusée nomme le fournisseur non publié")
                continue
            if name == "api:directory_list":
                if LISTED_NAME not in body:
                    problems.append(f"{where}: la liste ne montre pas le fournisseur publié")
                if (UNLISTED_NAME in body) != (persona in CONTACT_READERS):
                    problems.append(f"{where}: le fournisseur non publié est mal montré ou mal caché")
    assert not problems, "\n".join(problems)
