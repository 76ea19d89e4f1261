"""Who gets what on the directory search, its map and its exports, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:directory…` names to this module (except `web:directory_supplier…`,
the supplier's page). The search and the map are open to everyone; exports are for the networks' members. A
supplier who did not agree to a public page never reaches anonymous visitors or suppliers, on any of these URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User

from ..conftest import Personas
from ..factories import OrganisationFactory
from ..test_permissions import EVERYONE, LOGIN, PERSONAS, Outcome, area_of, row, site_urls
from .factories import SupplierActivityFactory, SupplierProfileFactory

AREA = "web:directory"
MEMBERS = row(LOGIN, 200, 403, 200, 200, 200, 200)
# Who finds the supplier without a public page.
SEES_UNLISTED = {"member", "facilitator", "animator", "other_animator", "site_admin"}
LISTED_NAME = "Recyclerie publique"
UNLISTED_NAME = "Blanchisserie discrète"


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    data: dict[str, Any] = field(default_factory=dict)


EXPECTED: dict[str, tuple[Case, ...]] = {
    "web:directory_search": (Case(EVERYONE), Case(EVERYONE, {"q": "tri", "kind": ["service", "nope"]})),
    "web:directory_map": (Case(EVERYONE),),
    "web:directory_export_csv": (Case(MEMBERS),),
    "web:directory_export_xlsx": (Case(MEMBERS),),
}


def ours(name: str) -> bool:
    return area_of(name) == AREA


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    found = {name for name in names if ours(name)}
    assert found
    assert found == EXPECTED.keys()


def test_matrix_rows_are_complete() -> None:
    for cases in EXPECTED.values():
        for case in cases:
            assert set(case.expected) == set(PERSONAS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    for organisation_name, public in ((LISTED_NAME, True), (UNLISTED_NAME, False)):
        organisation = OrganisationFactory(name=organisation_name, supplier=True)
        SupplierProfileFactory(organisation=organisation, public_listing=public, latitude=48.1, longitude=-1.7)
        SupplierActivityFactory(organisation=organisation, title="Collecte et tri")
    url = reverse(name)
    problems = []
    for case in EXPECTED[name]:
        for persona, user in personas.all().items():
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            response = client.get(url, case.data)
            expected = case.expected[persona]
            ok = (
                response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
                if expected == LOGIN
                else response.status_code == expected
            )
            if not ok:
                problems.append(f"GET {url} {persona}: attendu {expected}, obtenu {response.status_code}")
            if response.status_code != 200:
                continue
            body = _text(response)
            if LISTED_NAME not in body:
                problems.append(f"GET {url} {persona}: la structure publique manque")
            if (UNLISTED_NAME in body) != (persona in SEES_UNLISTED):
                problems.append(f"GET {url} {persona}: visibilité de la structure non publique incorrecte")
    assert not problems, "\n".join(problems)


def _text(response: Any) -> str:
    """The text of a page, a CSV or the cells of a workbook."""
    content = response.content
    if content[:2] == b"PK":
        import io

        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(cell) for sheet in workbook for r in sheet.iter_rows(values_only=True) for cell in r)
    return content.decode("utf-8-sig")
