"""Browser journey of the helpdesk: a member asks a question, the network's animator answers it, the member agrees
to share it, the animator publishes it, anonymised, as a FAQ entry; a member of another organisation then finds it
on the FAQ page by a word typed without its accent. axe-core on every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.helpdesk.enums import FaqVisibility
from relais.helpdesk.models import FaqEntry, Question
from relais.networks.enums import Role
from tests.conftest import Personas
from tests.factories import NetworkRoleFactory, OrganisationFactory, UserFactory

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

QUESTION_TITLE = "Quel taux d'insertion pour l'entretien de la crèche municipale ?"
FAQ_TITLE = "Quel taux d'insertion pour l'entretien d'une crèche ?"


def test_question_answered_published_as_faq_and_found_by_another_member(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    browser = context.browser
    assert browser is not None

    # ── The member asks ───────────────────────────────────────────────────────────────────────────────────────────
    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:helpdesk_ask"))
    assert_no_axe_violations(page)
    page.get_by_label("Catégorie").select_option(label="Clauses sociales")
    page.get_by_label("Titre de votre question").fill(QUESTION_TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Votre question\s+Donnez")).fill(
        "La Ville de Rennes relance le marché d'entretien de sa crèche (120 k€ HT par an). "
        "Quel nombre d'heures d'insertion demander ?"
    )
    page.get_by_role("button", name="Envoyer ma question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION_TITLE)
    expect(page.get_by_text("Votre question est envoyée au guichet du réseau.")).to_be_visible()
    assert_no_axe_violations(page)
    question = Question.objects.get()
    assert question.asker_id == personas.member.pk
    question_url = page.url

    # ── The animator answers ──────────────────────────────────────────────────────────────────────────────────────
    animator_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    login_as(animator_context, live_server, personas.animator)
    animator = animator_context.new_page()
    animator.goto(live_server.url + reverse("web:helpdesk_inbox"))
    assert_no_axe_violations(animator)
    animator.get_by_role("link", name=QUESTION_TITLE).click()
    expect(animator.get_by_role("heading", name="Répondre")).to_be_visible()
    assert_no_axe_violations(animator)
    mail.outbox.clear()
    animator.get_by_label("Votre réponse").fill(
        "Comptez de 5 à 10 % des heures travaillées : pour un marché d'entretien, environ 600 heures par an."
    )
    animator.get_by_role("button", name="Envoyer la réponse").click()
    expect(animator.get_by_text("Votre réponse est envoyée")).to_be_visible()
    assert_no_axe_violations(animator)
    assert personas.member.email in [address for message in mail.outbox for address in message.to]
    # Without the asker's consent, there is nothing to publish yet.
    expect(animator.get_by_role("link", name="Publier en FAQ (anonymisée)")).to_have_count(0)

    # ── The member reads the answer and agrees to share it ────────────────────────────────────────────────────────
    page.goto(question_url)
    expect(page.get_by_text("environ 600 heures par an")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="J'accepte qu'elle soit publiée, anonymisée, dans la FAQ").click()
    expect(page.get_by_role("button", name="Retirer mon accord")).to_be_visible()
    assert_no_axe_violations(page)
    question.refresh_from_db()
    assert question.faq_consent

    # ── The animator publishes the anonymised entry ───────────────────────────────────────────────────────────────
    animator.reload()
    animator.get_by_role("link", name="Publier en FAQ (anonymisée)").click()
    expect(animator.get_by_role("heading", level=1)).to_have_text("Publier la question en FAQ")
    assert_no_axe_violations(animator)
    animator.get_by_label("Titre", exact=True).fill(FAQ_TITLE)
    animator.get_by_role("textbox", name=re.compile(r"^Question \(anonymisée\)")).fill(
        "Une commune relance le marché d'entretien de sa crèche (120 k€ HT par an). "
        "Quel nombre d'heures d'insertion demander ?"
    )
    animator.get_by_role("combobox", name=re.compile(r"^Visibilité")).select_option(FaqVisibility.MEMBERS)
    animator.get_by_role("button", name="Publier dans la FAQ").click()
    expect(animator.get_by_role("heading", level=1)).to_have_text(FAQ_TITLE)
    assert_no_axe_violations(animator)
    entry = FaqEntry.objects.get()
    assert (entry.source_question_id, entry.visibility) == (question.pk, FaqVisibility.MEMBERS)
    assert "Rennes" not in entry.question_text
    animator_context.close()

    # ── A member of another organisation finds it, without typing the accent ────────────────────────────────────
    colleague = UserFactory.create(email="acheteuse@vitre.exemple.fr", full_name="Acheteuse de Vitré")
    NetworkRoleFactory.create(
        user=colleague, network=personas.network, role=Role.MEMBER, organisation=OrganisationFactory.create()
    )
    reader_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    login_as(reader_context, live_server, colleague)
    reader = reader_context.new_page()
    reader.goto(live_server.url + reverse("web:faq_list"))
    assert_no_axe_violations(reader)
    search = reader.get_by_label("Rechercher dans la FAQ")
    search.fill("creche insertion")
    search.press("Enter")
    expect(reader.get_by_text("1 résultat pour « creche insertion »")).to_be_visible()
    assert_no_axe_violations(reader)
    reader.get_by_role("link", name=FAQ_TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(FAQ_TITLE)
    expect(reader.get_by_text("environ 600 heures par an")).to_be_visible()
    expect(reader.get_by_text("Rennes")).to_have_count(0)
    assert_no_axe_violations(reader)
    # The question itself stays private to the asker's organisation.
    response = reader.goto(question_url)
    assert response is not None
    assert response.status == 404
    reader_context.close()
