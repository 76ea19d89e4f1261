"""The journey of a case sheet, as the people involved live it, in a real browser.

A member writes a sheet (finding its CPV code by typing words and choosing with the keyboard), saves and submits
it; the network's animator publishes it from "Mon espace"; an anonymous visitor finds it by searching a word typed
without accents, narrows the results with two facets, opens it, and finds it in the Atom feed.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import CaseSheet
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

from .conftest import assert_no_axe_violations, login_with_form

pytestmark = pytest.mark.browser

TITLE = "Café équitable et torréfié localement pour les distributeurs des collèges"
SUMMARY = (
    "Le département achète un café issu du commerce équitable, torréfié par une entreprise d'insertion, "
    "pour les distributeurs automatiques de ses collèges."
)
ATOM = "{http://www.w3.org/2005/Atom}"
OTHER_TITLE = "Nettoyage des locaux avec une clause d'insertion"


def tick(page: Page, input_id: str) -> None:
    """Tick a DSFR checkbox as a person does: by clicking its label (the input itself is drawn by CSS)."""
    page.locator(f"label[for='{input_id}']").click()
    expect(page.locator(f"#{input_id}")).to_be_checked()


def choose_with_keyboard(page: Page, combobox: Locator, words: str, option_text: str) -> None:
    """Type words in an autocomplete, then go down the suggestions with the arrow key and choose one with Enter."""
    combobox.click()
    combobox.press_sequentially(words, delay=30)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option").first).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    for _ in range(listbox.get_by_role("option").count()):
        combobox.press("ArrowDown")
        active = page.locator(f"#{combobox.get_attribute('aria-activedescendant')}")
        if option_text in (active.text_content() or ""):
            break
    else:
        options = listbox.get_by_role("option").all_text_contents()
        pytest.fail(f"« {option_text} » n'est pas proposé pour « {words} » : {options}")
    combobox.press("Enter")
    expect(combobox).to_have_attribute("aria-expanded", "false")


def write_sheet(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("web:sheet_create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche retour d'expérience")
    assert_no_axe_violations(page)

    # Identity
    page.get_by_label("Titre de la fiche").fill(TITLE)
    page.get_by_label("Résumé", exact=False).first.fill(SUMMARY)
    page.locator("#id_themes").get_by_text("Commerce équitable", exact=True).click()
    page.locator("#id_themes").get_by_text("Restauration collective", exact=True).click()

    # The contract: the CPV code is found by typing words without accents and chosen with the keyboard.
    page.get_by_label("Type de marché").select_option(label="Fournitures")
    page.get_by_label("Procédure").select_option(label="Procédure adaptée")
    cpv = page.get_by_label("Code CPV principal")
    choose_with_keyboard(page, cpv, "cafe torrefie", "Café torréfié")
    expect(cpv).to_have_value("15861100-2")
    page.get_by_label("Durée du marché (mois)").fill("36")
    page.get_by_label("Montant HT (€)", exact=True).fill("85000")
    page.get_by_label("Département").select_option(label="Ille-et-Vilaine (35)")

    # The buyer, found in the directory by its name, also with the keyboard.
    buyer = page.locator("#id_buyers-0-organisation")
    choose_with_keyboard(page, buyer, "Ville de Ren", "Ville de Rennes")
    expect(page.locator("#id_buyers-0-organisation_id")).not_to_have_value("")

    # Award criteria summing to 100 %.
    page.locator("#id_criteria-0-kind").select_option(label="Prix")
    page.locator("#id_criteria-0-label").fill("Prix")
    page.locator("#id_criteria-0-weight").fill("60")
    page.locator("#id_criteria-1-kind").select_option(label="Environnemental")
    page.locator("#id_criteria-1-label").fill("Part de café issu du commerce équitable")
    page.locator("#id_criteria-1-weight").fill("40")

    # Responsible-purchasing considerations.
    tick(page, "id_has_environmental_criterion")
    tick(page, "id_is_fair_trade")
    page.get_by_label("Ce qui a été fait").fill("Un lot unique, un critère environnemental pondéré à 40 %.")

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("brouillon")
    assert_no_axe_violations(page)  # the saved sheet's edit page


def test_member_writes_animator_publishes_visitor_finds(
    page: Page, live_server: Any, personas: Personas, reference_data: None
) -> None:
    CaseSheetFactory.create(
        network=personas.network,
        author=personas.member,
        published=True,
        title=OTHER_TITLE,
        summary="Nettoyage des bâtiments communaux confié à une entreprise d'insertion.",
    )

    # ── A member writes the sheet and submits it ─────────────────────────────────────────────────────────────────
    login_with_form(page, live_server, personas.member.email)
    write_sheet(page, live_server)
    sheet = CaseSheet.objects.get(title=TITLE)
    assert sheet.author == personas.member
    assert sheet.main_cpv.code == "15861100-2"
    assert sorted(c.weight for c in sheet.criteria.all()) == [40, 60]
    assert sheet.is_fair_trade
    assert sheet.has_environmental_criterion

    page.get_by_role("button", name="Soumettre à publication").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("soumise")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    page.get_by_role("button", name="Se déconnecter").click()

    # ── The network's animator publishes it from "Mon espace" ────────────────────────────────────────────────────
    login_with_form(page, live_server, personas.animator.email)
    page.goto(live_server.url + reverse("web:dashboard"))
    card = page.locator(".fr-card").filter(has_text=TITLE)
    assert_no_axe_violations(page)
    card.get_by_role("button", name="Publier").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("publiée")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED
    page.get_by_role("button", name="Se déconnecter").click()

    # ── An anonymous visitor searches without accents, applies two facets, opens the sheet ────────────────────────
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("web:sheet_search"))
    search = page.locator("main").get_by_label("Rechercher dans les fiches")
    search.fill("equitable")
    search.press("Enter")
    page.wait_for_load_state()
    assert "q=equitable" in page.url
    results = page.locator("main")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=OTHER_TITLE)).to_have_count(0)  # no "équitable" in it
    assert_no_axe_violations(page)

    apply_facet(page, "Type de marché", "Fournitures")
    apply_facet(page, "Département", "Ille-et-Vilaine")
    assert "q=equitable" in page.url
    assert "type=supplies" in page.url
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)

    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("15861100-2")
    assert_no_axe_violations(page)

    # ── …and in the Atom feed ────────────────────────────────────────────────────────────────────────────────────
    feed = page.request.get(live_server.url + "/fiches/flux.atom")
    assert feed.ok, feed.status
    assert "atom" in feed.headers["content-type"]
    feed_root = ElementTree.fromstring(feed.body())  # noqa: S314 (the feed of our own test server)
    entries = feed_root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert TITLE in titles
    entry = entries[titles.index(TITLE)]
    links = [link.get("href", "") for link in entry.findall(f"{ATOM}link")]
    assert any(str(sheet.public_id) in href for href in links), links


def apply_facet(page: Page, group: str, option: str) -> None:
    """Tick one facet value in the filter sidebar (opening its accordion if folded) and apply the filters."""
    section = page.locator("section.fr-accordion").filter(has=page.get_by_role("button", name=group, exact=True))
    toggle = section.get_by_role("button", name=group, exact=True)
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    checkbox = section.get_by_role("checkbox", name=re.compile(f"^{re.escape(option)}"))
    section.locator(f"label[for='{checkbox.get_attribute('id')}']").click()
    expect(checkbox).to_be_checked()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name=re.compile(f"Retirer le filtre {re.escape(group)}"))).to_be_visible()
