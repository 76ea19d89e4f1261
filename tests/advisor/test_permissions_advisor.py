"""Who gets the legal-lever advisor, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:advisor…` and `api:advisor…` names to this module. The advisor is
public (the rules are public law, supplier figures are counts); names of suppliers without a public page are shown
to the networks' members only (tests/advisor/test_pages.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User

from ..conftest import Personas
from ..test_permissions import EVERYONE, PERSONAS, Outcome, row, site_urls

PREFIXES = ("web:advisor", "api:advisor")
QUERY = {"cpv": "45262500", "departement": "35", "montant": "250000", "date": "2026-09-01"}
BAD_REQUEST = row(400, 400, 400, 400, 400, 400, 400)


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    data: dict[str, Any] = field(default_factory=dict)
    method: str = "GET"


EXPECTED: dict[str, tuple[Case, ...]] = {
    "web:advisor": (Case(EVERYONE), Case(EVERYONE, QUERY), Case(row(405, 405, 405, 405, 405, 405, 405), QUERY, "POST")),
    "api:advisor": (Case(EVERYONE, QUERY), Case(BAD_REQUEST)),
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


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    url = reverse(name)
    problems = []
    for case in EXPECTED[name]:
        for persona, user in personas.all().items():
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            response = client.get(url, case.data) if case.method == "GET" else client.post(url, case.data)
            if response.status_code != case.expected[persona]:
                problems.append(
                    f"{case.method} {url} {persona}: attendu {case.expected[persona]}, obtenu {response.status_code}"
                )
    assert not problems, "\n".join(problems)
