"""The legal-lever advisor in a real browser: a visitor describes a painting job in Ille-et-Vilaine, reads the
procedure, the reserved contracts with the directory's counts and the insertion hours; axe-core reports no violation
on the empty form, on the advice, and on the form with its error messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("reference_data")
def test_a_visitor_gets_the_levers_of_a_painting_job(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("web:advisor"))
    assert_no_axe_violations(page)
    page.get_by_label("Codes CPV").fill("45442100")
    page.get_by_label("Département d'exécution").select_option("35")
    page.get_by_label("Montant estimé (€ HT)").fill("1000000")
    page.get_by_label("Date de lancement de la consultation").fill("2026-09-01")
    page.get_by_role("button", name="Analyser").click()
    expect(page.locator("#levier-procedure")).to_contain_text("procédure adaptée")
    expect(page.locator("#levier-insertion_clause")).to_contain_text("Environ 1167 heures")
    expect(page.locator("#levier-reserved_l2113_13")).to_contain_text("0 SIAE de l'annuaire")
    expect(page.locator("#levier-climate_environmental")).to_contain_text("Obligatoire")
    assert_no_axe_violations(page)

    page.get_by_label("Montant estimé (€ HT)").fill("beaucoup")
    page.get_by_role("button", name="Analyser").click()
    expect(page.get_by_text("Saisissez un montant en euros HT")).to_be_visible()
    assert_no_axe_violations(page)
