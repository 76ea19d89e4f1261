"""The supplier directory in a real browser: a visitor filters the list by département and kind, opens the map;
axe-core finds no violation on the list, with its filters open, and on the map."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from relais.organisations.enums import StructureType
from tests.factories import DepartementFactory, OrganisationFactory, OrganisationStructureFactory
from tests.suppliers.factories import SupplierActivityFactory, SupplierProfileFactory

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_directory_list_filters_and_map(page: Page, live_server: Any, transactional_db: None) -> None:
    ille = DepartementFactory.create(code="35", name="Ille-et-Vilaine")
    for name, kind, covered in (("Jardins solidaires", "service", True), ("Bâtisseurs", "works", False)):
        organisation = OrganisationFactory.create(name=name, supplier=True)
        SupplierProfileFactory.create(organisation=organisation, public_listing=True, latitude=48.1, longitude=-1.7)
        OrganisationStructureFactory.create(organisation=organisation, structure_type=StructureType.ACI)
        SupplierActivityFactory.create(
            organisation=organisation,
            title="Entretien",
            service_kind=kind,
            in_departements=True,
            departements=[ille] if covered else [],
        )

    page.goto(live_server.url + reverse("web:directory_search"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des fournisseurs de l'ESS")
    page.get_by_role("button", name="Filtres").click()
    page.get_by_label("Département d'intervention").select_option("35")
    page.locator("label[for=id_kind_1]").click()  # DSFR draws the box on the label
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.get_by_role("status")).to_contain_text("1 structure trouvée")
    expect(page.get_by_role("cell", name="Jardins solidaires")).to_be_visible()
    expect(page.get_by_text("Bâtisseurs")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Voir sur une carte").click()
    expect(page.locator("svg circle")).to_have_count(1)
    assert_no_axe_violations(page)
