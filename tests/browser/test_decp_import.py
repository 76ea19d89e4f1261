"""A DECP file imported from the import page in a real browser: an animator uploads a real published file, the
import runs through the task queue, the report shows what was read and the defects found; the contracts are then
searchable and the holder's track record is public. axe-core reports no violation on these pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.contracts.models import Contract, ContractHolder, ImportRun
from tests.conftest import Personas

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "decp" / "real" / "decp-processing_test_2022.json"


def test_animator_imports_a_file_and_reads_the_report(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    personas: Personas,
    reference_data: None,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.DECP_IMPORT_DIR = tmp_path
    login_as(context, live_server, personas.animator)
    page.goto(live_server.url + reverse("web:dashboard"))
    page.get_by_role("link", name="Importer des données essentielles (DECP)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports de données essentielles (DECP)")
    assert_no_axe_violations(page)

    page.get_by_label("Fichier à envoyer").set_input_files(SAMPLE)
    page.get_by_role("button", name="Lancer l'import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import de « ")
    run = ImportRun.objects.get()
    assert (run.status, run.read, run.quarantined) == ("done", 5, 0)
    report = page.get_by_role("table", name="Bilan de l'import")
    expect(report.get_by_role("row", name="Enregistrements lus")).to_contain_text("5")
    expect(page.get_by_role("table", name="Enregistrements par nature de défaut", exact=False)).to_contain_text(
        "Montant invraisemblable"
    )
    assert_no_axe_violations(page)

    holder = ContractHolder.objects.filter(organisation__isnull=False).select_related("organisation").first()
    assert holder is not None
    assert holder.organisation is not None
    page.goto(live_server.url + reverse("web:contract_holder", kwargs={"public_id": holder.organisation.public_id}))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert Contract.objects.count() == 5
