"""Who gets what on every `web:members_*` and `web:activity_*` URL, for each persona of the fixed cast (see
tests/test_permissions.py, which delegates these names to the activity area).

Columns of `row(...)`: anonymous · member · supplier · facilitator · animator · other_animator · site_admin.
The directory is for the members of the network (member, facilitator, animator roles; site admins); its exports and
the activity dashboard for the network's animators and site admins. Anonymous visitors are sent to the login page,
everyone else refused gets a 403. Referents' names and e-mails never reach anonymous visitors, suppliers or another
network's animator, whatever the answer.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User

from ..conftest import Personas
from ..test_permissions import LOGIN, PERSONAS, Outcome, row, site_urls
from .test_members import ELECTED_NAME, TECHNICIAN_EMAIL, TECHNICIAN_NAME, build_directory

OUTSIDERS = frozenset({"anonymous", "supplier", "other_animator"})
SECRETS = (ELECTED_NAME, TECHNICIAN_NAME, TECHNICIAN_EMAIL)

NETWORK_MEMBERS = row(LOGIN, 200, 403, 200, 200, 403, 200)
ANIMATORS = row(LOGIN, 403, 403, 403, 200, 403, 200)
POST_REFUSED = row(LOGIN, 405, 405, 405, 405, 405, 405)


@dataclass(frozen=True)
class UrlSpec:
    expected: dict[str, Outcome]
    # Whether the answer, when allowed, lists the referents (so that the check of outsiders is not vacuous).
    shows_referents: bool = False
    query: str = ""


EXPECTED: dict[str, UrlSpec] = {
    "web:members_directory": UrlSpec(NETWORK_MEMBERS, shows_referents=True),
    "web:members_export_csv": UrlSpec(ANIMATORS, shows_referents=True),
    "web:members_export_xlsx": UrlSpec(ANIMATORS, shows_referents=True),
    "web:activity_dashboard": UrlSpec(ANIMATORS, query="?du=2025-01-01&au=2025-12-31"),
    "web:activity_export_csv": UrlSpec(ANIMATORS),
    "web:activity_export_xlsx": UrlSpec(ANIMATORS),
}
PREFIXES = ("web:members_", "web:activity_")


def test_every_members_and_activity_url_has_an_entry() -> None:
    names, _ = site_urls()
    names = {name for name in names if name.startswith(PREFIXES)}
    assert names, "aucune URL web:members_* ou web:activity_* trouvée"
    assert not sorted(names - EXPECTED.keys()), f"Permissions non déclarées : {sorted(names - EXPECTED.keys())}"
    assert not sorted(EXPECTED.keys() - names), f"Entrées sans URL : {sorted(EXPECTED.keys() - names)}"


def test_matrix_rows_are_complete() -> None:
    for name, spec in EXPECTED.items():
        assert set(spec.expected) == set(PERSONAS), name


def _body(response: object) -> str:
    raw: bytes = response.content  # type: ignore[attr-defined]
    if raw.startswith(b"PK"):  # XLSX: the text of every part of the workbook
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            raw = b"".join(workbook.read(name) for name in workbook.namelist() if name.endswith(".xml"))
    return html.unescape(raw.decode("utf-8-sig", "replace"))


def _matches(response: object, expected: Outcome) -> bool:
    status: int = response.status_code  # type: ignore[attr-defined]
    if expected == LOGIN:
        return status == 302 and response["Location"].startswith(reverse("web:login"))  # type: ignore[index]
    return status == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    build_directory(personas)
    spec = EXPECTED[name]
    problems: list[str] = []
    for method, expectations in (("GET", spec.expected), ("POST", POST_REFUSED)):
        for persona in PERSONAS:
            client = Client()
            user = personas.all()[persona]
            if isinstance(user, User):
                client.force_login(user)
            url = reverse(name, kwargs={"slug": personas.network.slug}) + spec.query
            response = client.generic(method, url)
            where = f"{method} {url} {persona}"
            expected = expectations[persona]
            if not _matches(response, expected):
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
                continue
            body = _body(response)
            if persona in OUTSIDERS:
                problems += [f"{where}: montre « {secret} »" for secret in SECRETS if secret in body]
            elif response.status_code == 200 and spec.shows_referents and ELECTED_NAME not in body:
                problems.append(f"{where}: ne montre pas les référents")
    assert not problems, f"{name} :\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unknown_network_is_a_404(name: str, personas: Personas) -> None:
    client = Client()
    client.force_login(personas.site_admin)
    assert client.get(reverse(name, kwargs={"slug": "reseau-inconnu"})).status_code == 404
