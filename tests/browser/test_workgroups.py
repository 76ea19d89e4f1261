"""Working groups in a real browser: a member finds a group and joins it; the animator plans a meeting after a
refused submission. axe-core reports no violation on each page met on the way."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.workgroups.models import Meeting
from tests.conftest import Personas
from tests.workgroups.conftest import make_group
from tests.workgroups.factories import DeliverableFactory, MeetingFactory

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_member_finds_and_joins_a_group(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, reference_data: None
) -> None:
    group = make_group(personas, title="Vêtements de travail équitables")
    MeetingFactory.create(group=group, venue="Hôtel du Département, Rennes", minutes="Relevé de décisions")
    DeliverableFactory.create(group=make_group(personas, title="Groupe clos", closed=True), public=True)
    login_as(context, live_server, personas.member)

    page.goto(live_server.url + reverse("web:workgroup_list"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Vêtements de travail équitables").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vêtements de travail équitables")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Rejoindre ce groupe").click()
    expect(page.get_by_text("Vous participez maintenant à ce groupe de travail.")).to_be_visible()
    expect(page.get_by_role("button", name="Quitter ce groupe")).to_be_visible()
    assert group.participations.filter(user=personas.member).exists()

    page.goto(live_server.url + reverse("web:workgroup_deliverable_list"))
    assert_no_axe_violations(page)


def test_animator_plans_a_meeting(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, reference_data: None
) -> None:
    group = make_group(personas, title="Clauses sociales en propreté")
    login_as(context, live_server, personas.animator)
    page.goto(live_server.url + reverse("web:workgroup_detail", kwargs={"public_id": group.public_id}))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Planifier une réunion").click()
    assert_no_axe_violations(page)
    page.get_by_label("Date et heure").fill("2027-03-14T09:30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez le lien de la réunion en ligne ou son lieu").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Lieu").fill("Maison de l'emploi, Nantes")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La réunion est planifiée")).to_be_visible()
    assert Meeting.objects.get(group=group).venue == "Maison de l'emploi, Nantes"

    for name in ("web:workgroup_deliverable_create", "web:workgroup_edit", "web:workgroup_participant_add"):
        page.goto(live_server.url + reverse(name, kwargs={"public_id": group.public_id}))
        assert_no_axe_violations(page)
