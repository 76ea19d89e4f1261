"""The contract indicators in a real browser: contracts loaded the way an import loads them (`loader.load_batch`)
and the cubes refreshed; a visitor opens the observatory from the navigation, chooses a département, goes to a
buyer's dashboard, reads a chart and its data table, downloads the CSV of the figures, then opens the checks per
buyer and the SPASER list. axe-core reports no violation on each page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from relais.contracts.cubes import indicators_refresh
from relais.contracts.decp.records import Party
from relais.contracts.enums import EnvironmentalConsideration, SocialConsideration
from relais.contracts.loader import ReferenceData
from tests.contracts.builders import BUYER_SIRET, record
from tests.contracts.loading import load_contracts

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

STATE_SIRET = "11000201100044"
SOCIAL_CHART = "Part des marchés avec au moins une considération sociale, par année"


def _load_demo_like_contracts() -> None:
    """A city of Ille-et-Vilaine over three years (one contract without any consideration after the art. 35 date)
    and a State body whose 2025 amounts pass the SPASER threshold."""
    records = [
        record(0, identifier="2024-001", notified_on=dt.date(2024, 4, 2)),
        record(1, identifier="2025-001"),
        record(
            2,
            identifier="2025-002",
            object="Nettoyage des bâtiments communaux",
            cpv="90911200-8",
            social=frozenset({SocialConsideration.NONE}),
            environmental=frozenset({EnvironmentalConsideration.CLAUSE}),
        ),
        record(
            3,
            identifier="2026-001",
            object="Entretien des espaces verts",
            cpv="77310000-6",
            notified_on=dt.date(2026, 9, 15),
            published_on=dt.date(2026, 9, 20),
            social=frozenset({SocialConsideration.NONE}),
            environmental=frozenset({EnvironmentalConsideration.NONE}),
        ),
        record(
            4,
            identifier="2025-100",
            buyer=Party(STATE_SIRET, "SIRET", "Ministère de l'Intérieur"),
            object="Fourniture de véhicules",
            cpv="34110000-1",
            amount=Decimal("60000000"),
            place_code="75007",
        ),
    ]
    load_contracts(records, ReferenceData.load())
    indicators_refresh()


def test_visitor_reads_a_buyer_dashboard_and_its_lists(
    page: Page, live_server: Any, reference_data: None, tmp_path: Path
) -> None:
    _load_demo_like_contracts()

    page.goto(live_server.url + reverse("web:home"))
    navigation = page.get_by_role("navigation", name="Menu principal")
    navigation.get_by_role("button", name="Marchés publics").click()
    navigation.get_by_role("link", name="Observatoire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Observatoire de l'achat public responsable")
    assert_no_axe_violations(page)

    page.get_by_label("Périmètre").select_option("departement-35")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=2, name="Ille-et-Vilaine (35) (département)")).to_be_visible()
    expect(page.get_by_role("img", name=SOCIAL_CHART)).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server.url + reverse("web:indicator_buyer", kwargs={"identifier": BUYER_SIRET}))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord de l'acheteur")
    chart = page.get_by_role("img", name=SOCIAL_CHART)
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name=f"Données du graphique « {SOCIAL_CHART} »")
    expect(table).to_be_visible()
    # 2025: two contracts, one with a social clause, the other "Pas de considération sociale".
    expect(table.get_by_role("row", name="2025")).to_contain_text("50,0\u00a0%")
    expect(page.get_by_text("objectif national non contraignant").first).to_be_visible()
    expect(page.get_by_text("la date de notification en tient lieu").first).to_be_visible()
    # In both lists: no environmental consideration, and above the EU threshold without a social one.
    non_compliant = page.get_by_role("link", name="Entretien des espaces verts")
    expect(non_compliant).to_have_count(2)
    expect(non_compliant.first).to_have_attribute("href", re.compile(r"^/marches/[0-9a-f-]{36}/$"))
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les chiffres en CSV").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Périmètre", "Nature du périmètre", "Année"]
    social = "Part avec au moins une considération sociale (par nombre)"
    shares = [row[6] for row in rows if row[2] == "2025" and row[3] == "" and row[5] == social]
    assert shares[0] == "50,0"  # the buyer's row comes first, before its département's and the country's

    page.goto(live_server.url + reverse("web:indicator_compliance") + "?annee=tout")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrôles légaux par acheteur")
    expect(page.get_by_role("row").filter(has_text=BUYER_SIRET).first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server.url + reverse("web:indicator_spaser") + "?annee=2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(estimation)")
    expect(page.get_by_role("row").filter(has_text=STATE_SIRET[:9])).to_be_visible()
    assert_no_axe_violations(page)
