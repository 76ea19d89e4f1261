"""Browser journey of events: a member registers to a full event, waits, and is promoted when another person
cancels (and gets the e-mail); the animator creates an event with the keyboard-usable form. axe on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.events.models import Event, Registration
from relais.events.services import event_register
from relais.networks.enums import Role
from tests.conftest import Personas
from tests.events.factories import EventFactory, in_days
from tests.factories import NetworkRoleFactory, UserFactory

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_member_waits_then_is_promoted(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    event = EventFactory.create(network=personas.network, capacity=1, members_only=True, title="Webmatinale complète")
    other = UserFactory.create(email="autre.adherent@exemple.fr")
    NetworkRoleFactory.create(user=other, network=personas.network, role=Role.MEMBER)
    event_register(event=event, user=other)

    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:event_list"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Webmatinale complète").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(page.get_by_text("Liste d'attente : position 1")).to_be_visible()
    assert_no_axe_violations(page)

    mail.outbox.clear()
    other_page = context.browser.new_context(base_url=live_server.url).new_page()  # type: ignore[union-attr]
    login_as(other_page.context, live_server, other)
    other_page.goto(live_server.url + reverse("web:event_detail", kwargs={"public_id": event.public_id}))
    other_page.get_by_role("button", name="Annuler mon inscription").click()
    expect(other_page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    other_page.context.close()

    page.reload()
    expect(page.get_by_text("Inscription confirmée")).to_be_visible()
    assert Registration.objects.get(event=event, user=personas.member).status == "confirmed"
    assert [m.to for m in mail.outbox] == [[personas.member.email]]
    assert "Une place s'est libérée" in mail.outbox[0].body


def test_animator_creates_an_event_and_marks_attendance(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    login_as(context, live_server, personas.animator)
    page.goto(live_server.url + reverse("web:event_create", kwargs={"slug": personas.network.slug}))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Enregistrer").click()  # empty form: errors, nothing saved
    expect(page.locator("#form-errors")).to_be_visible()
    assert_no_axe_violations(page)
    assert not Event.objects.exists()

    page.get_by_label("Type d'événement").select_option(label="Formation")
    page.get_by_label("Titre").fill("Formation aux achats circulaires")
    page.get_by_label("Description").fill("Deux jours de pratique.")
    page.get_by_label("Début").fill("2031-03-12T09:30")
    page.get_by_label("Fin", exact=False).first.fill("2031-03-13T17:00")
    page.get_by_label("Lieu").fill("Nantes")
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_label("Statut").select_option(label="Publié")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formation aux achats circulaires")
    assert_no_axe_violations(page)

    past = EventFactory.create(network=personas.network, title="Journée passée", starts_at=in_days(-2))
    Registration.objects.create(event=past, user=personas.member, status="confirmed")
    Event.objects.filter(pk=past.pk).update(confirmed_count=1, ends_at=in_days(-2) + dt.timedelta(hours=3))
    page.goto(live_server.url + reverse("web:event_attendance", kwargs={"public_id": past.public_id}))
    assert_no_axe_violations(page)
    page.locator("label[for^='present-']").first.click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("1 participant(s) présent(s)")).to_be_visible()
    assert Registration.objects.get(event=past).attended
