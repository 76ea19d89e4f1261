"""From one of its organisation's contracts, a member gets a draft case sheet prefilled from the DECP data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from relais.casesheets.enums import BuyerRole, Procedure, SheetStatus, StakeholderRole, Technique
from relais.casesheets.models import CaseSheet
from relais.contracts.decp.records import Party
from relais.contracts.enums import ContractKind, EnvironmentalConsideration, Nature, SocialConsideration, SourceFormat
from relais.contracts.enums import Procedure as ContractProcedure
from relais.contracts.loader import ReferenceData
from relais.contracts.models import Contract
from relais.networks.enums import Role
from relais.organisations.models import Organisation
from tests.conftest import Personas

from ..factories import NetworkFactory, NetworkRoleFactory
from .builders import HOLDER_SIRET, record
from .loading import contract, load_contracts

pytestmark = pytest.mark.django_db


def to_sheet(item: Contract) -> str:
    return reverse("web:contract_to_sheet", kwargs={"public_id": item.public_id})


def rennes(personas: Personas) -> Organisation:
    return Organisation.objects.get(name="Ville de Rennes")  # the member's organisation


@pytest.fixture
def own(personas: Personas, reference: ReferenceData) -> Contract:
    """A contract whose buyer is the member's organisation (matched by SIRET at import)."""
    siret = rennes(personas).siret
    assert siret
    load_contracts(
        [
            record(
                identifier="2025-REN-07",
                buyer=Party(siret, "SIRET", ""),
                nature=Nature.FRAMEWORK,
                techniques=["Accord-cadre", "Enchère électronique"],
                social=frozenset({SocialConsideration.CLAUSE, SocialConsideration.RESERVED}),
                environmental=frozenset({EnvironmentalConsideration.CRITERION}),
                innovative=True,
                holders=[Party(HOLDER_SIRET, "SIRET", "Cuisine solidaire"), Party("BE0123456789", "TVA", "Belge")],
            )
        ],
        reference,
    )
    return contract("2025-REN-07")


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_member_gets_a_prefilled_draft_and_goes_to_the_editor(
    client: Client, personas: Personas, own: Contract
) -> None:
    client.force_login(personas.member)
    response = client.post(to_sheet(own))
    sheet = CaseSheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sheet_edit", kwargs={"public_id": sheet.public_id})
    assert (sheet.status, sheet.author, sheet.network) == (SheetStatus.DRAFT, personas.member, personas.network)
    assert sheet.title == "Restauration scolaire des écoles"
    assert sheet.procedure == Procedure.OPEN_TENDER
    assert sheet.contract_type == "services"
    assert sheet.main_cpv.code == "55524000-9"
    assert sheet.duration_months == 36
    assert sheet.amount_exact == Decimal("250000")
    assert sheet.notification_date == dt.date(2025, 3, 1)
    assert sheet.departement is not None
    assert sheet.departement.code == "35"
    assert sheet.decp_id == f"{rennes(personas).siret}2025-REN-07"
    assert sorted(sheet.techniques) == [Technique.AUCTION, Technique.FRAMEWORK]
    assert sheet.has_insertion_clause
    assert not sheet.has_social_criterion
    assert sheet.reserved_basis == ""  # the data does not say on which legal basis: the author chooses
    assert sheet.has_environmental_criterion
    assert not sheet.has_environmental_clause
    assert sheet.is_innovative
    assert [(b.organisation, b.role) for b in sheet.buyers.all()] == [(rennes(personas), BuyerRole.SOLE)]
    assert [(s.organisation.siret, s.role) for s in sheet.stakeholders.all()] == [
        (HOLDER_SIRET, StakeholderRole.HOLDER)
    ]
    notes = _messages(response)
    assert any("clause d'insertion" in note for note in notes)
    assert any("fondement" in note for note in notes)
    assert any("« Belge »" in note for note in notes)
    assert client.get(response["Location"]).status_code == 200


def test_the_buyer_is_also_matched_by_siret(client: Client, personas: Personas, own: Contract) -> None:
    Contract.objects.filter(pk=own.pk).update(buyer=None)
    client.force_login(personas.member)
    assert client.post(to_sheet(own)).status_code == 302
    assert CaseSheet.objects.count() == 1


@pytest.mark.parametrize("who", ["supplier", "facilitator", "animator", "other_animator", "site_admin"])
def test_people_who_do_not_act_for_the_buyer_are_refused(
    client: Client, personas: Personas, own: Contract, who: str
) -> None:
    client.force_login(personas.all()[who])  # type: ignore[arg-type]
    assert client.post(to_sheet(own)).status_code == 403
    assert not CaseSheet.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page_and_get_is_refused(
    client: Client, personas: Personas, own: Contract
) -> None:
    response = client.post(to_sheet(own))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    client.force_login(personas.member)
    assert client.get(to_sheet(own)).status_code == 405
    assert not CaseSheet.objects.exists()


def test_a_member_cannot_use_another_buyers_contract(
    client: Client, personas: Personas, reference: ReferenceData
) -> None:
    load_contracts([record(identifier="autre")], reference)  # bought by another commune
    client.force_login(personas.member)
    assert client.post(to_sheet(contract("autre"))).status_code == 403


def test_the_button_is_shown_to_the_buyers_members_only(client: Client, personas: Personas, own: Contract) -> None:
    url = reverse("web:contract_detail", kwargs={"public_id": own.public_id})
    assert to_sheet(own) not in client.get(url).content.decode()
    client.force_login(personas.animator)
    assert to_sheet(own) not in client.get(url).content.decode()
    client.force_login(personas.member)
    assert to_sheet(own) in client.get(url).content.decode()


def test_the_member_chooses_among_its_networks(client: Client, personas: Personas, own: Contract) -> None:
    other = NetworkFactory.create(name="Réseau régional", slug="reseau-regional")
    NetworkRoleFactory.create(user=personas.member, network=other, role=Role.MEMBER, organisation=rennes(personas))
    client.force_login(personas.member)
    assert client.post(to_sheet(own), {"network": "reseau-regional"}).status_code == 302
    assert CaseSheet.objects.get().network == other
    # A network where the member does not act for the buyer is refused, and nothing is created.
    response = client.post(to_sheet(own), {"network": personas.other_network.slug})
    assert response["Location"] == reverse("web:contract_detail", kwargs={"public_id": own.public_id})
    assert CaseSheet.objects.count() == 1


def test_what_the_data_does_not_say_is_left_to_the_author(
    client: Client, personas: Personas, reference: ReferenceData
) -> None:
    siret = rennes(personas).siret
    assert siret
    load_contracts(
        [
            record(
                identifier="DSP-2019",
                kind=ContractKind.CONCESSION,
                source_format=SourceFormat.DECP_2019_JSON,
                buyer=Party(siret, "SIRET", ""),
                procedure=ContractProcedure.CONCESSION_OPEN,
                amount=Decimal("1e17"),
                social=None,
                environmental=None,
            )
        ],
        reference,
    )
    client.force_login(personas.member)
    response = client.post(to_sheet(contract("DSP-2019")))
    sheet = CaseSheet.objects.get()
    assert (sheet.procedure, sheet.amount_exact) == ("", None)
    assert not (sheet.has_insertion_clause)
    assert not (sheet.has_social_criterion)
    assert not sheet.has_environmental_clause
    notes = _messages(response)
    assert any(note.startswith("Indiquez la procédure") for note in notes)
    assert any(note.startswith("Indiquez le montant") for note in notes)
    assert sum("non renseignées" in note for note in notes) == 2


def test_a_contract_without_cpv_code_gives_a_message_and_no_sheet(
    client: Client, personas: Personas, own: Contract
) -> None:
    Contract.objects.filter(pk=own.pk).update(cpv="", cpv_division="")
    client.force_login(personas.member)
    response = client.post(to_sheet(own))
    assert response["Location"] == reverse("web:contract_detail", kwargs={"public_id": own.public_id})
    assert any("code CPV" in message for message in _messages(response))
    assert not CaseSheet.objects.exists()
