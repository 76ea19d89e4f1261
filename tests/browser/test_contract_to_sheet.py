"""From a public contract to a draft case sheet, in a real browser: a member finds one of its organisation's
contracts in the contract search, opens it, asks for a draft and lands in the sheet editor with the contract's
data filled in. axe-core reports no violation on the search, the contract and the editor."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import CaseSheet
from relais.contracts.decp.records import Party
from relais.contracts.loader import ReferenceData
from relais.organisations.models import Organisation
from tests.conftest import Personas
from tests.contracts.builders import record
from tests.contracts.loading import load_contracts

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

OBJECT = "Restauration scolaire des écoles de la ville"


def test_member_turns_its_contract_into_a_prefilled_draft(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, reference_data: None
) -> None:
    siret = Organisation.objects.get(name="Ville de Rennes").siret  # the member's organisation
    assert siret
    load_contracts(
        [record(identifier="2025-REN-12", buyer=Party(siret, "SIRET", "Ville de Rennes"), object=OBJECT)],
        ReferenceData.load(),
    )
    login_as(context, live_server, personas.member)

    page.goto(live_server.url + reverse("web:contract_search") + "?q=restauration+scolaire")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=OBJECT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(OBJECT)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Créer une fiche à partir de ce marché").click()
    expect(page).to_have_url(f"{live_server.url}/fiches/{CaseSheet.objects.get().public_id}/modifier/")
    sheet = CaseSheet.objects.get()
    assert (sheet.status, sheet.author, sheet.decp_id) == (SheetStatus.DRAFT, personas.member, f"{siret}2025-REN-12")
    expect(page.get_by_label("Titre", exact=False).first).to_have_value(OBJECT)
    assert_no_axe_violations(page)
