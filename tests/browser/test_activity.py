"""Members and activity in a real browser: the animator goes from "Mon espace" to the activity dashboard, changes
the period (a refused one first), then opens the members directory; a member reads the directory. axe-core reports
no violation on each page met on the way."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.activity.test_dashboard import build_activity
from tests.activity.test_members import ELECTED_NAME, build_directory
from tests.conftest import Personas

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_animator_reads_the_activity_dashboard(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, transactional_db: None
) -> None:
    build_activity(personas)
    build_directory(personas)
    login_as(context, live_server, personas.animator)

    page.goto(live_server.url + reverse("web:dashboard"))
    page.get_by_role("link", name=f"Activité de {personas.network}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activité du réseau")
    assert_no_axe_violations(page)

    page.locator("#period-du").fill("2025-06-01")
    page.locator("#period-au").fill("2025-01-01")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("alert")).to_contain_text("La date de début doit précéder la date de fin")
    assert_no_axe_violations(page)

    page.locator("#period-du").fill("2025-01-01")
    page.locator("#period-au").fill("2025-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("du 01/01/2025 au 31/12/2025")).to_be_visible()
    expect(page.get_by_role("img", name="Événements tenus.")).to_be_visible()
    expect(page.get_by_role("table", name="Données du graphique « Événements tenus »")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Annuaire des adhérents").click()
    expect(page.get_by_text(ELECTED_NAME)).to_be_visible()
    assert_no_axe_violations(page)


def test_member_reads_the_directory(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, transactional_db: None
) -> None:
    build_directory(personas)
    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:dashboard"))
    page.get_by_role("link", name=f"Adhérents du réseau {personas.network}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adhérents du réseau")
    assert_no_axe_violations(page)
    page.get_by_label("Département").select_option("44")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text(ELECTED_NAME)).to_be_visible()
    expect(page.get_by_text("Atelier Pangolin")).to_have_count(0)
    assert_no_axe_violations(page)
