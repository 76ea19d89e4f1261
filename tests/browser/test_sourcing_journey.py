"""Browser journey of a sourcing need: a buyer (member) posts a need, the network's animator validates it, the
matching supplier receives the e-mail (captured by the locmem backend the live server shares with the test), opens
the link and answers "interested", and the buyer sees it with the supplier's contact. axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.sourcing.enums import NeedStatus
from relais.sourcing.models import NeedMatch, SourcingNeed
from tests.conftest import Personas
from tests.factories import DepartementFactory
from tests.sourcing.conftest import GREEN_SPACES, green_cpv, reachable_supplier

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

TITLE = "Entretien des espaces verts des écoles de Rennes"
SUPPLIER_EMAIL = "jardins.cocagne@structure.example"


def test_buyer_posts_animator_validates_supplier_answers_buyer_sees_it(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    browser = context.browser
    assert browser is not None
    green_cpv()
    place = DepartementFactory.create()
    supplier = reachable_supplier("Jardins de Cocagne", network=personas.network, email=SUPPLIER_EMAIL)
    contact = supplier.organisation.contacts.get()

    # ── The buyer posts the need ──────────────────────────────────────────────────────────────────────────────────
    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:need_create"))
    assert_no_axe_violations(page)
    page.get_by_label("Nature du besoin").select_option(label="Consultation à venir")
    page.get_by_label("Titre", exact=True).fill(TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Description")).fill(
        "Tonte, taille et désherbage sans pesticides sur 14 écoles, marché de 3 ans."
    )
    cpv = page.get_by_role("combobox", name=re.compile(r"^Codes CPV")).or_(
        page.get_by_role("textbox", name=re.compile(r"^Codes CPV"))
    )
    cpv.fill(GREEN_SPACES)
    cpv.press("Escape")
    page.get_by_label("Département d'exécution").select_option(str(place.pk))
    deadline = timezone.localdate() + dt.timedelta(days=21)
    page.get_by_label("Réponses attendues avant le").fill(deadline.isoformat())
    page.get_by_role("button", name="Envoyer le besoin à la validation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("l'animation du réseau va le valider")).to_be_visible()
    assert_no_axe_violations(page)
    need = SourcingNeed.objects.get()
    need_url = page.url

    # ── The animator validates it ─────────────────────────────────────────────────────────────────────────────────
    animator_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    login_as(animator_context, live_server, personas.animator)
    animator = animator_context.new_page()
    animator.goto(live_server.url + reverse("web:need_list"))
    assert_no_axe_violations(animator)
    animator.get_by_role("link", name=TITLE).first.click()
    assert_no_axe_violations(animator)
    animator.get_by_role("link", name="Valider le besoin").click()
    assert_no_axe_violations(animator)
    mail.outbox.clear()
    animator.get_by_role("button", name="Confirmer la validation").click()
    expect(animator.get_by_text("Le besoin est validé")).to_be_visible()
    expect(animator.get_by_role("heading", name=re.compile("Suivi des sollicitations"))).to_be_visible()
    assert_no_axe_violations(animator)
    animator_context.close()
    need.refresh_from_db()
    assert need.status == NeedStatus.VALIDATED

    # ── The supplier gets the e-mail and answers from its link ────────────────────────────────────────────────────
    to_supplier = [message for message in mail.outbox if message.to == [SUPPLIER_EMAIL]]
    assert len(to_supplier) == 1
    link = re.search(r"https?://\S+/besoins/[0-9a-f-]+/", to_supplier[0].body)
    assert link is not None
    supplier_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    login_as(supplier_context, live_server, supplier.account)
    answering = supplier_context.new_page()
    # The same request is in its inbox and its list of requests.
    answering.goto(live_server.url + reverse("web:notification_list"))
    expect(answering.get_by_text("1 notification non lue")).to_be_visible()
    assert_no_axe_violations(answering)
    answering.goto(live_server.url + reverse("web:need_my_requests"))
    expect(answering.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(answering)
    # The e-mail's link starts with SITE_URL; the test server listens elsewhere: follow its path there.
    answering.goto(live_server.url + urlsplit(link.group()).path)
    expect(answering.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_no_axe_violations(answering)
    # DSFR draws the radio button on its label: a person clicks the label.
    answering.locator("label", has_text=re.compile(r"^\s*Intéressé\s*$")).click()
    expect(answering.get_by_label("Intéressé", exact=True)).to_be_checked()
    answering.get_by_role("button", name="Envoyer ma réponse").click()
    expect(answering.get_by_text("Votre réponse est enregistrée")).to_be_visible()
    assert_no_axe_violations(answering)
    supplier_context.close()
    assert NeedMatch.objects.get(need=need).answer == "interested"
    assert personas.member.email in [address for message in mail.outbox for address in message.to]

    # ── The buyer sees who is interested, with the contact ────────────────────────────────────────────────────────
    page.goto(need_url)
    interested = page.get_by_role("table", name=re.compile("Fournisseurs ayant répondu positivement"))
    expect(interested.get_by_role("link", name="Jardins de Cocagne")).to_be_visible()
    expect(interested.get_by_role("link", name=contact.email)).to_be_visible()
    assert_no_axe_violations(page)
