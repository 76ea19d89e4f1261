"""A supplier claims its organisation by SIRET, the network's animator verifies the claim (the claimant gets the
e-mail), and the supplier edits its profile by adding an activity; an animator imports a supplier list. axe-core
reports no violation on these pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.organisations.models import Organisation
from relais.reference.models import Departement, Region
from relais.suppliers.enums import ClaimStatus
from relais.suppliers.models import SupplierActivity, SupplierClaim
from tests.conftest import Personas
from tests.factories import CpvFactory, ThemeFactory, UserFactory, valid_siret

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "suppliers" / "siae-bretagne.csv"


def test_supplier_claims_animator_verifies_supplier_adds_an_activity(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    CpvFactory(code="77310000-6", label_fr="Réalisation et entretien d'espaces verts")
    ThemeFactory(slug="espaces-verts", label="Espaces verts")
    claimant = UserFactory(email="direction@jardins-ille.example", full_name="Anne Le Goff")
    siret = valid_siret()

    # ── The supplier claims its structure ─────────────────────────────────────────────────────────────────────────
    login_as(context, live_server, claimant)
    page.goto(live_server.url + reverse("web:supplier_claim"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Revendiquer ma structure")
    assert_no_axe_violations(page)
    page.get_by_label("SIRET de la structure").fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    page.get_by_label("Raison sociale").fill("Jardins de l'Ille")
    page.get_by_label("Réseau qui vérifie votre demande").select_option(value=str(personas.network.pk))
    page.get_by_label("Message à l'animateur").fill("Directrice de la structure depuis 2019.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")
    expect(page.get_by_role("table")).to_contain_text("En attente de vérification")
    assert_no_axe_violations(page)

    # ── The animator verifies it ──────────────────────────────────────────────────────────────────────────────────
    browser = context.browser
    assert browser is not None
    animator_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    login_as(animator_context, live_server, personas.animator)
    animator = animator_context.new_page()
    animator.goto(live_server.url + reverse("web:supplier_claim_queue"))
    assert_no_axe_violations(animator)
    animator.get_by_role("link", name="Examiner la demande pour Jardins de l'Ille").click()
    expect(animator.get_by_role("heading", level=1)).to_contain_text("Jardins de l'Ille")
    assert_no_axe_violations(animator)
    animator.get_by_role("link", name="Vérifier la demande").click()
    assert_no_axe_violations(animator)
    animator.get_by_role("button", name="Confirmer la vérification").click()
    expect(animator.get_by_text("La revendication de « Jardins de l'Ille » est vérifiée.")).to_be_visible()
    animator_context.close()
    assert SupplierClaim.objects.get().status == ClaimStatus.VERIFIED
    assert any(message.to == [claimant.email] for message in mail.outbox)

    # ── The supplier completes its profile ────────────────────────────────────────────────────────────────────────
    page.reload()
    page.get_by_role("link", name="Modifier la fiche de Jardins de l'Ille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche de Jardins de l'Ille")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Activités").click()
    assert_no_axe_violations(page)
    page.get_by_label("Intitulé de l'activité").fill("Entretien d'espaces verts")
    page.get_by_label("Type de prestation").select_option(label="Prestation de services")
    page.get_by_label("Codes CPV").fill("77310000")
    page.get_by_label("Espaces verts").focus()
    page.keyboard.press("Space")  # DSFR draws the box over the input: tick it as a keyboard user does
    expect(page.get_by_label("Espaces verts")).to_be_checked()
    page.get_by_label("Zone d'intervention").select_option(label="Toute la France")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("list").filter(has_text="Entretien d'espaces verts").first).to_contain_text("77310000-6")
    assert_no_axe_violations(page)
    activity = SupplierActivity.objects.get()
    assert activity.organisation.siret == siret


def test_animator_imports_a_supplier_list(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    """Upload → columns (guessed) → preview with the rejected lines → apply → report; axe-clean at each step."""
    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.create(code="53", name="Bretagne")
    for code, name in (("22", "Côtes-d'Armor"), ("29", "Finistère"), ("35", "Ille-et-Vilaine"), ("56", "Morbihan")):
        Departement.objects.create(code=code, name=name, region=region)
    login_as(context, live_server, personas.animator)
    page.goto(live_server.url + reverse("web:supplier_imports"))
    assert_no_axe_violations(page)
    page.get_by_label("Liste de structures (CSV ou XLSX)").set_input_files(SAMPLE)
    page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colonnes de « siae-bretagne.csv »")
    expect(page.get_by_label("SIRET (obligatoire)")).to_have_value("0")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("table", name="Aperçu : ce que l'import ferait")).to_contain_text("7")
    expect(page.get_by_role("table", name="Lignes rejetées et motif")).to_contain_text("Département inconnu « 99 »")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Appliquer l'import").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Appliquer l'import").click()
    expect(page.get_by_role("table", name="Bilan de l'import")).to_contain_text("Structures créées")
    assert_no_axe_violations(page)
    assert Organisation.objects.filter(kind="supplier").count() == 8  # the personas' one and the 7 imported
