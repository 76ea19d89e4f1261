"""The members-only directory: active members only, their referents, filters, the access log, animators' exports."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from relais.activity.members import MemberFilters, member_directory
from relais.networks.enums import MembershipStatus, ReferentKind
from relais.networks.models import Membership, Referent
from relais.organisations.enums import BuyerCategory, OrganisationKind

from ..conftest import Personas
from ..factories import DepartementFactory, MembershipFactory, OrganisationFactory, RegionFactory

ELECTED_NAME = "Clémence Ortolan"
TECHNICIAN_NAME = "Baptiste Quercy"
TECHNICIAN_EMAIL = "b.quercy@nantes-metropole.fr"
ENDED_NAME = "Ancien adhérent Vervelle"
OTHER_NETWORK_ORG = "Commune d'un autre réseau Grivelle"


@dataclass
class Directory:
    personas: Personas
    epci: Membership
    supplier: Membership


def build_directory(personas: Personas) -> Directory:
    """The personas' network with: Ville de Rennes (active, from the personas), Nantes Métropole (EPCI, 44, both
    referents, one of them with a formula-looking position), an inclusive supplier (35), an ended and a pending
    membership, and an organisation of the other network."""
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire = DepartementFactory(code="44", name="Loire-Atlantique", region=region)
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine")
    epci = MembershipFactory(
        network=personas.network,
        organisation=OrganisationFactory(
            name="Nantes Métropole", buyer_category=BuyerCategory.EPCI, departement=loire, city="Nantes"
        ),
    )
    Referent.objects.create(
        membership=epci, kind=ReferentKind.ELECTED, full_name=ELECTED_NAME, position="=Vice-présidente achats"
    )
    Referent.objects.create(
        membership=epci,
        kind=ReferentKind.TECHNICIAN,
        full_name=TECHNICIAN_NAME,
        position="Responsable de la commande publique",
        email=TECHNICIAN_EMAIL,
        phone="02 40 00 00 00",
    )
    supplier = MembershipFactory(
        network=personas.network,
        organisation=OrganisationFactory(name="Atelier Pangolin", supplier=True, departement=ille),
    )
    ended = MembershipFactory(
        network=personas.network, organisation=OrganisationFactory(name=ENDED_NAME), status=MembershipStatus.ENDED
    )
    Referent.objects.create(membership=ended, kind=ReferentKind.ELECTED, full_name="Élu d'un ancien adhérent")
    MembershipFactory(
        network=personas.network,
        organisation=OrganisationFactory(name="Adhésion en attente Ficelle"),
        status=MembershipStatus.PENDING,
    )
    MembershipFactory(network=personas.other_network, organisation=OrganisationFactory(name=OTHER_NETWORK_ORG))
    return Directory(personas, epci, supplier)


@pytest.fixture
def directory(personas: Personas) -> Directory:
    return build_directory(personas)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _names(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.organisation.name for row in rows]


def test_directory_lists_active_members_with_referents(directory: Directory) -> None:
    rows = member_directory(directory.personas.network)
    assert _names(rows) == ["Atelier Pangolin", "Nantes Métropole", "Ville de Rennes"]
    nantes = rows[1]
    assert nantes.elected is not None
    assert nantes.elected.full_name == ELECTED_NAME
    assert nantes.technician is not None
    assert nantes.technician.email == TECHNICIAN_EMAIL
    assert nantes.category == "EPCI (intercommunalité)"
    assert rows[0].elected is None
    assert rows[0].technician is None


def test_directory_filters_by_kind_and_departement(directory: Directory) -> None:
    network = directory.personas.network
    assert _names(member_directory(network, MemberFilters(kind=OrganisationKind.SUPPLIER))) == ["Atelier Pangolin"]
    assert _names(member_directory(network, MemberFilters(departement="44"))) == ["Nantes Métropole"]
    assert _names(member_directory(network, MemberFilters(kind=OrganisationKind.BUYER, departement="35"))) == []
    # Unknown kinds are ignored, not an error.
    assert MemberFilters.from_querydict({"nature": "<script>", "departement": "44"}) == MemberFilters("", "44")


def test_directory_costs_two_queries_whatever_the_size(directory: Directory, django_assert_num_queries: object) -> None:
    for number in range(5):
        membership = MembershipFactory(network=directory.personas.network)
        Referent.objects.create(membership=membership, kind=ReferentKind.ELECTED, full_name=f"Élu {number}")
    with django_assert_num_queries(2):  # type: ignore[operator]
        rows = member_directory(directory.personas.network)
        assert all(row.elected is None or row.elected.full_name for row in rows)


def test_member_reads_the_page_and_the_reading_is_logged(
    directory: Directory, caplog: pytest.LogCaptureFixture
) -> None:
    personas = directory.personas
    url = reverse("web:members_directory", kwargs={"slug": personas.network.slug})
    with caplog.at_level(logging.INFO, logger="relais.access"):
        response = _client(personas.member).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for text in (ELECTED_NAME, TECHNICIAN_NAME, TECHNICIAN_EMAIL, "Nantes Métropole", "44 — Loire-Atlantique"):
        assert text in body
    for text in (ENDED_NAME, "Adhésion en attente Ficelle", OTHER_NETWORK_ORG):
        assert text not in body
    # A member does not get the export buttons.
    assert reverse("web:members_export_csv", kwargs={"slug": personas.network.slug}) not in body
    assert "no-store" in response["Cache-Control"]
    records = [record for record in caplog.records if record.name == "relais.access"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "members_directory_viewed" in message
    assert str(personas.member.public_id) in message
    assert f"network={personas.network.slug}" in message
    assert "count=3" in message


def test_page_filters_from_the_query_string(directory: Directory) -> None:
    url = reverse("web:members_directory", kwargs={"slug": directory.personas.network.slug})
    body = _client(directory.personas.facilitator).get(url, {"nature": "supplier"}).content.decode()
    assert "Atelier Pangolin" in body
    assert "Nantes Métropole" not in body
    assert ELECTED_NAME not in body


def test_animator_exports_csv_with_formula_guard(directory: Directory, caplog: pytest.LogCaptureFixture) -> None:
    personas = directory.personas
    url = reverse("web:members_export_csv", kwargs={"slug": personas.network.slug})
    with caplog.at_level(logging.INFO, logger="relais.access"):
        response = _client(personas.animator).get(url, {"departement": "44"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[0] == "Organisation"
    assert "Technicien référent" in header
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=True))
    assert record["Organisation"] == "Nantes Métropole"
    assert record["Élu référent"] == ELECTED_NAME
    assert record["Fonction de l'élu"] == "'=Vice-présidente achats"  # never evaluated by a spreadsheet
    assert record["E-mail du technicien"] == TECHNICIAN_EMAIL
    assert record["Département"] == "44 — Loire-Atlantique"
    assert record["Statut de l'adhésion"] == "Adhérent"
    messages = [r.getMessage() for r in caplog.records if r.name == "relais.access"]
    assert any("members_directory_exported" in m and "format=csv" in m and "count=1" in m for m in messages)


def test_animator_exports_xlsx(directory: Directory) -> None:
    personas = directory.personas
    url = reverse("web:members_export_xlsx", kwargs={"slug": personas.network.slug})
    response = _client(personas.site_admin).get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Adhérents", "À lire"]
    values = list(workbook["Adhérents"].iter_rows(values_only=True))
    assert values[0][0] == "Organisation"
    assert [row[0] for row in values[1:]] == ["Atelier Pangolin", "Nantes Métropole", "Ville de Rennes"]
    nantes = values[2]
    assert ELECTED_NAME in nantes
    assert TECHNICIAN_EMAIL in nantes
    assert "'=Vice-présidente achats" in nantes


@pytest.mark.parametrize("persona", ["member", "facilitator", "supplier", "other_animator"])
def test_only_animators_export(directory: Directory, persona: str) -> None:
    personas = directory.personas
    for name in ("web:members_export_csv", "web:members_export_xlsx"):
        response = _client(getattr(personas, persona)).get(reverse(name, kwargs={"slug": personas.network.slug}))
        assert response.status_code == 403
        assert ELECTED_NAME not in response.content.decode("utf-8", "replace")


def test_dashboard_links_to_the_directory(directory: Directory) -> None:
    personas = directory.personas
    url = reverse("web:members_directory", kwargs={"slug": personas.network.slug})
    assert url in _client(personas.member).get(reverse("web:dashboard")).content.decode()
    assert url in _client(personas.animator).get(reverse("web:dashboard")).content.decode()
    assert url not in _client(personas.supplier).get(reverse("web:dashboard")).content.decode()
    assert url not in _client(personas.other_animator).get(reverse("web:dashboard")).content.decode()
