"""A contract's page (every field, holders, modifications, considerations, defects, source) and a holder's track
record (the query and its page)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from relais.contracts.decp.records import Defect, Party
from relais.contracts.enums import QualityFlag, SourceFormat
from relais.contracts.loader import ReferenceData
from relais.contracts.models import Contract
from relais.contracts.queries import decp_identifier, holder_track_record, track_record_start
from relais.organisations.models import Organisation
from tests.conftest import Personas

from ..factories import OrganisationFactory
from .builders import BUYER_SIRET, HOLDER_SIRET, OTHER_HOLDER_SIRET, modification, record
from .loading import contract, load_contracts

pytestmark = pytest.mark.django_db


def detail_url(item: Contract) -> str:
    return reverse("web:contract_detail", kwargs={"public_id": item.public_id})


def holder_url(organisation: Organisation) -> str:
    return reverse("web:contract_holder", kwargs={"public_id": organisation.public_id})


@pytest.fixture
def amended(reference: ReferenceData) -> Contract:
    load_contracts(
        [
            record(
                identifier="2025-001",
                modifications=[modification(2, "300000", object="Avenant 2 : extension"), modification(1, "280000")],
                holders=[
                    Party(HOLDER_SIRET, "SIRET", "Cuisine solidaire"),
                    Party("FR12345678901", "TVA", "Traiteur européen"),
                ],
                defects=[Defect(QualityFlag.CPV_CHECK_DIGIT_WRONG, "55524000-1 corrigé en 55524000-9")],
                techniques=["Accord-cadre"],
            )
        ],
        reference,
        source="decp-2025-03.json",
    )
    return contract("2025-001")


def test_every_field_of_a_contract_is_shown(client: Client, amended: Contract) -> None:
    body = client.get(detail_url(amended)).content.decode()
    for text in (
        "Restauration scolaire des écoles",
        "Appel d&#x27;offres ouvert",
        "55524000-9",
        "Service traiteur pour écoles",
        "Services",
        "36 mois",
        "Ille-et-Vilaine (35)",
        "Bretagne",
        "Accord-cadre",
        "Clause sociale",
        "Critère environnemental",
        f"{BUYER_SIRET}2025-001",
        "decp-2025-03.json",
        "Chiffre de contrôle du code CPV erroné (corrigé)",
        "55524000-1 corrigé en 55524000-9",
    ):
        assert text in body, text
    # Modifications in their order, whatever the order of the file.
    assert body.index("280") < body.index("Avenant 2 : extension")


def test_holders_link_to_their_track_record_when_relais_knows_them(client: Client, amended: Contract) -> None:
    body = client.get(detail_url(amended)).content.decode()
    holder = Organisation.objects.get(siret=HOLDER_SIRET)
    assert holder_url(holder) in body
    # A foreign holder has no organisation: its identifier and name are shown, without a link.
    assert "FR12345678901" in body
    assert "Traiteur européen" in body
    assert body.count('href="/marches/titulaires/') == 1


def test_unknown_considerations_are_never_shown_as_none(client: Client, reference: ReferenceData) -> None:
    load_contracts([record(source_format=SourceFormat.DECP_2019_JSON, social=None, environmental=None)], reference)
    body = client.get(detail_url(Contract.objects.get())).content.decode()
    assert body.count("Non renseigné (format 2019)") == 2
    assert "Aucune considération" not in body


def test_the_import_report_is_linked_only_for_those_who_read_it(
    client: Client, amended: Contract, personas: Personas
) -> None:
    report = reverse("web:decp_import_detail", kwargs={"public_id": amended.first_run.public_id})
    assert report not in client.get(detail_url(amended)).content.decode()
    client.force_login(personas.animator)
    assert report in client.get(detail_url(amended)).content.decode()


def test_an_unknown_contract_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("web:contract_detail", kwargs={"public_id": uuid.uuid4()})).status_code == 404


def test_the_decp_identifier_is_empty_for_meaningless_identifiers(reference: ReferenceData) -> None:
    load_contracts([record(identifier="", defects=[Defect(QualityFlag.IDENTIFIER_EMPTY)])], reference)
    assert decp_identifier(Contract.objects.get()) == ""


# ── Track record ────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def won(reference: ReferenceData) -> Organisation:
    """Contracts of one holder over four years: two in 2025 (one with an absurd amount), one in 2024 won in a
    group, one in 2022 (out of the period), one without a date."""
    load_contracts(
        [
            record(0, identifier="a", amount=Decimal("250000"), notified_on=dt.date(2025, 3, 1)),
            record(1, identifier="b", amount=Decimal("1e17"), notified_on=dt.date(2025, 9, 1)),
            record(
                2,
                identifier="c",
                amount=Decimal("100000"),
                notified_on=dt.date(2024, 5, 1),
                holders=[Party(OTHER_HOLDER_SIRET, "SIRET", "Autre"), Party(HOLDER_SIRET, "SIRET", "Cuisine")],
            ),
            record(3, identifier="d", amount=Decimal("900000"), notified_on=dt.date(2022, 1, 1)),
            record(4, identifier="e", amount=Decimal("5000"), notified_on=None),
            record(5, identifier="f", holders=[Party(OTHER_HOLDER_SIRET, "SIRET", "Autre")]),
        ],
        reference,
    )
    return Organisation.objects.get(siret=HOLDER_SIRET)


def test_track_record_counts_won_contracts_of_the_period(won: Organisation) -> None:
    record_ = holder_track_record(won, since=dt.date(2023, 1, 1))
    assert record_.count == 3
    assert record_.amount == Decimal("350000")
    assert record_.unvalued == 1
    assert [(y.year, y.count, y.amount, y.unvalued) for y in record_.by_year] == [
        (2025, 2, Decimal("250000"), 1),
        (2024, 1, Decimal("100000"), 0),
    ]
    assert [c.identifier for c in record_.contracts] == ["b", "a", "c"]
    assert not record_.has_more


def test_track_record_starts_three_years_back() -> None:
    assert track_record_start(dt.date(2026, 11, 22)) == dt.date(2023, 11, 22)
    assert track_record_start(dt.date(2028, 2, 29)) == dt.date(2025, 2, 28)


def test_track_record_page(client: Client, won: Organisation) -> None:
    response = client.get(holder_url(won))
    body = response.content.decode()
    assert response.status_code == 200
    assert won.name in body
    assert "Marchés notifiés depuis le" in body
    assert "Restauration scolaire des écoles" in body


def test_organisations_that_hold_no_contract_have_no_public_page(client: Client, db: None) -> None:
    organisation = OrganisationFactory.create(name="Annuaire privé")
    assert client.get(holder_url(organisation)).status_code == 404
    assert client.get(reverse("web:contract_holder", kwargs={"public_id": uuid.uuid4()})).status_code == 404
