"""Accessibility in a real browser: axe-core reports no violation on the pages people use, and the keyboard works.

axe runs its default rule set (WCAG 2.x A/AA and best practices) on the page as rendered by Chromium, with the
DSFR styles applied, so colour contrast and landmarks are checked as a person would meet them.
Set SCREENSHOT_DIR to keep full-page screenshots of the search and sheet pages for a visual check.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from relais.casesheets.models import CaseSheet, ImpactFigure, Link
from relais.casesheets.search import reindex_sheet
from relais.reference.models import Theme
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

PUBLIC_TITLE = "Café équitable pour les distributeurs des collèges"


def screenshot(page: Page, name: str) -> None:
    directory = os.environ.get("SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"relais-{name}.png"), full_page=True)


@pytest.fixture
def sheets(personas: Personas, reference_data: None) -> list[CaseSheet]:
    """Published sheets with every part filled, so that the pages show all their blocks."""
    fair_trade = Theme.objects.get(slug="commerce-equitable")
    catering = Theme.objects.get(slug="restauration-collective")
    first = CaseSheetFactory.create(
        network=personas.network,
        author=personas.member,
        published=True,
        title=PUBLIC_TITLE,
        summary="Un café issu du commerce équitable, torréfié par une entreprise d'insertion.",
        themes=[fair_trade, catering],
        is_fair_trade=True,
        has_environmental_criterion=True,
        labels_required="Fairtrade / Max Havelaar ou équivalent",
        context="Le département voulait un café plus juste pour ses 58 collèges.",
        actions="Un lot unique, un critère environnemental pondéré à 40 %.",
        lessons="Prévoir une phase de sourçage auprès des torréfacteurs locaux.",
    )
    ImpactFigure.objects.create(sheet=first, label="tonnes de café équitable par an", value=12, unit="t")
    Link.objects.create(sheet=first, title="Délibération du conseil départemental", url="https://example.org/delib")
    reindex_sheet(first)
    others = [
        CaseSheetFactory.create(network=personas.network, author=personas.member, published=True, themes=[catering])
        for _ in range(3)
    ]
    return [first, *others]


@pytest.mark.parametrize(
    "url_name", ["web:home", "web:login", "web:sheet_search", "web:api_docs", "web:password_reset"]
)
def test_public_pages_have_no_axe_violation(
    page: Page, live_server: Any, transactional_db: None, url_name: str
) -> None:
    page.goto(live_server.url + reverse(url_name))
    assert_no_axe_violations(page)


def test_search_with_results_and_facets(page: Page, live_server: Any, sheets: list[CaseSheet]) -> None:
    page.goto(live_server.url + reverse("web:sheet_search") + "?q=cafe&type=services&theme=commerce-equitable")
    expect(page.locator("main").get_by_role("link", name=PUBLIC_TITLE)).to_be_visible()
    screenshot(page, "search")
    assert_no_axe_violations(page)


def test_search_without_query_lists_everything(page: Page, live_server: Any, sheets: list[CaseSheet]) -> None:
    page.goto(live_server.url + reverse("web:sheet_search"))
    expect(page.locator("main").get_by_role("link", name=PUBLIC_TITLE)).to_be_visible()
    assert_no_axe_violations(page)


def test_sheet_detail(page: Page, live_server: Any, sheets: list[CaseSheet]) -> None:
    page.goto(live_server.url + reverse("web:sheet_detail", kwargs={"public_id": sheets[0].public_id}))
    expect(page.get_by_role("heading", level=1)).to_have_text(PUBLIC_TITLE)
    screenshot(page, "sheet")
    assert_no_axe_violations(page)


def test_sheet_form(page: Page, live_server: Any, personas: Personas, reference_data: None) -> None:
    login_as(page.context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:sheet_create"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    # The autocomplete open, with an option highlighted, is checked too (ARIA combobox and listbox).
    cpv = page.get_by_label("Code CPV principal")
    cpv.click()
    cpv.press_sequentially("cafe", delay=30)
    expect(page.locator(f"#{cpv.get_attribute('aria-controls')} [role=option]").first).to_be_visible()
    cpv.press("ArrowDown")
    assert_no_axe_violations(page)


def test_sheet_form_with_errors(page: Page, live_server: Any, personas: Personas, reference_data: None) -> None:
    """A refused submission: the error summary takes the focus and each error is tied to its field."""
    login_as(page.context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:sheet_create"))
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    title = page.get_by_label("Titre de la fiche")
    expect(title).to_have_attribute("aria-invalid", "true")
    described_by = title.get_attribute("aria-describedby") or ""
    assert described_by, "le champ en erreur n'est relié à aucun message"
    for message_id in described_by.split():
        expect(page.locator(f"[id='{message_id}']")).to_be_attached()
    assert_no_axe_violations(page)


def test_dashboard_of_an_animator(page: Page, live_server: Any, personas: Personas, sheets: list[CaseSheet]) -> None:
    CaseSheetFactory.create(network=personas.network, author=personas.member, submitted=True, title="Fiche à relire")
    login_as(page.context, live_server, personas.animator)
    page.goto(live_server.url + reverse("web:dashboard"))
    expect(page.locator("main")).to_contain_text("Fiche à relire")
    assert_no_axe_violations(page)


def test_skip_link_reaches_the_content(page: Page, live_server: Any, sheets: list[CaseSheet]) -> None:
    """The first Tab lands on the skip link "Contenu"; following it, the next Tab is inside the main content."""
    page.goto(live_server.url + reverse("web:sheet_detail", kwargs={"public_id": sheets[0].public_id}))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Contenu")
    expect(skip).to_be_visible()  # DSFR shows the skip links when they have the focus
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => Boolean(document.activeElement && document.activeElement.closest('main'))")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    assert inside_main, f"Après le lien d'évitement, Tab mène hors du contenu principal : {focused}"
