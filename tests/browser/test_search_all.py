"""Browser journey of the unified search and the digest pages: a member types one word in the search box and gets
sheets, documents, FAQ entries and events grouped by kind, follows a group's "voir tous les résultats" link to that
kind's own page; chooses a weekly digest and unsubscribes from the e-mail's link. axe on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.activity.digest import unsubscribe_token
from relais.activity.models import DigestSubscription
from tests.activity.test_search_all import WORD, make_world
from tests.conftest import Personas

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_member_searches_everything_at_once(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    world = make_world(personas)
    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:search_all"))
    assert_no_axe_violations(page)
    search_box = page.locator("main").get_by_role("searchbox", name="Rechercher")
    search_box.fill(WORD.lower())
    search_box.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("8 résultats")
    for label in ("Fiches d'expérience", "Documents", "Questions fréquentes", "Événements"):
        expect(page.get_by_role("heading", name=label, level=2)).to_be_visible()
    for title in [*world.titles("public").values(), *world.titles("members_only").values()]:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#resultats-documents").get_by_role("link", name="Voir tous les résultats").click()
    expect(page).to_have_url(live_server.url + reverse("web:document_list") + f"?q={WORD.lower()}")
    expect(page.get_by_text("2 documents trouvés")).to_be_visible()


def test_anonymous_visitor_gets_public_results_only(page: Page, live_server: Any, personas: Personas) -> None:
    world = make_world(personas)
    page.goto(live_server.url + reverse("web:search_all") + f"?q={WORD}")
    expect(page.get_by_role("status")).to_contain_text("4 résultats")
    for title in world.titles("members_only").values():
        expect(page.get_by_text(title)).to_have_count(0)


def test_member_chooses_the_digest_then_unsubscribes_from_the_link(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:digest_preferences"))
    assert_no_axe_violations(page)
    checkbox = page.get_by_role("checkbox", name="Réseau Grand Ouest")
    expect(checkbox).not_to_be_checked()
    checkbox.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix de lettre hebdomadaire sont enregistrés.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Réseau Grand Ouest")).to_be_checked()
    subscription = DigestSubscription.objects.get(user=personas.member)
    assert subscription.opted_in

    other = context.browser.new_context(base_url=live_server.url)  # type: ignore[union-attr]
    visitor = other.new_page()  # the e-mail's link, opened without any session
    visitor.goto(live_server.url + reverse("web:digest_unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))
    assert_no_axe_violations(visitor)
    visitor.get_by_role("button", name="Me désinscrire").click()
    expect(visitor.get_by_role("heading", name="Vous êtes désinscrit")).to_be_visible()
    assert_no_axe_violations(visitor)
    other.close()
    subscription.refresh_from_db()
    assert not subscription.opted_in


@pytest.mark.browser
def test_the_header_search_box_leads_to_the_unified_search(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.locator("#header-search-input").fill("cantine")
    page.locator("#header-search-input").press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=cantine"))
    expect(page.locator("h1")).to_be_visible()
