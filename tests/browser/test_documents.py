"""Browser journey of the library: a member shares a specification (PDF) with the keyboard-usable form; another
member finds it by a phrase that is only inside the file, opens it and sees its versions. axe on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.documents.enums import ExtractionStatus
from relais.documents.models import DocumentVersion
from tests.conftest import Personas
from tests.documents.files import pdf_bytes

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_member_shares_a_specification_another_finds_it_by_its_text(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    specification = tmp_path / "cctp-nettoyage.pdf"
    specification.write_bytes(pdf_bytes("Article 12 : le titulaire exécute une clause d'insertion de 600 heures."))

    login_as(context, live_server, personas.member)
    page.goto(live_server.url + reverse("web:document_list"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Partager un document").click()
    assert_no_axe_violations(page)
    # Submitting empty: every error is announced next to its field.
    page.get_by_role("button", name="Partager le document").click()
    expect(page.get_by_text("Donnez un titre au document.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Titre", exact=True).fill("CCTP nettoyage des bâtiments communaux")
    page.get_by_label("Type de document").select_option("specifications")
    page.get_by_label("Description").fill("Cahier des clauses techniques du marché de propreté 2026.")
    page.get_by_label("Fichier").set_input_files(str(specification))
    page.get_by_role("button", name="Partager le document").click()
    expect(page.get_by_role("heading", name="CCTP nettoyage des bâtiments communaux")).to_be_visible()
    assert_no_axe_violations(page)
    assert DocumentVersion.objects.get().extraction_status == ExtractionStatus.DONE

    other = context.browser.new_context(base_url=live_server.url)  # type: ignore[union-attr]
    login_as(other, live_server, personas.facilitator)
    reader = other.new_page()
    reader.goto(live_server.url + reverse("web:document_list"))
    reader.get_by_label("Rechercher dans les documents").fill("clauses d'insertion")
    reader.get_by_label("Rechercher dans les documents").press("Enter")
    expect(reader.get_by_text("1 document trouvé")).to_be_visible()
    reader.get_by_role("link", name="CCTP nettoyage des bâtiments communaux").click()
    expect(reader.get_by_role("table")).to_contain_text("Texte extrait")
    assert_no_axe_violations(reader)
    other.close()
