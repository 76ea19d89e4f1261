"""A supplier's page in a real browser: a member reads the facts, the track record and the contacts; axe-core finds
no violation on the page as a member and as an anonymous visitor of a listed supplier."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.organisations.enums import StructureType
from tests.conftest import Personas
from tests.factories import CpvFactory, OrganisationFactory, OrganisationStructureFactory
from tests.suppliers.factories import (
    LabelFactory,
    SupplierActivityFactory,
    SupplierContactFactory,
    SupplierLabelFactory,
    SupplierProfileFactory,
)

from .conftest import assert_no_axe_violations, login_as

pytestmark = pytest.mark.browser


def test_supplier_page_for_a_member_and_the_public(
    page: Page, context: BrowserContext, live_server: Any, personas: Personas
) -> None:
    supplier = OrganisationFactory.create(supplier=True, name="Les Jardins de Cocagne", description="Maraîchage.")
    SupplierProfileFactory.create(organisation=supplier, public_listing=True, staff_insertion=24)
    OrganisationStructureFactory.create(
        organisation=supplier,
        structure_type=StructureType.ACI,
        evidence="Conventionnement DREETS",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    OrganisationStructureFactory.create(
        organisation=supplier, structure_type=StructureType.ESUS, valid_until=timezone.localdate() - dt.timedelta(1)
    )
    SupplierActivityFactory.create(organisation=supplier, title="Paniers de légumes", cpvs=[CpvFactory.create()])
    SupplierLabelFactory.create(organisation=supplier, label=LabelFactory.create())
    SupplierContactFactory.create(organisation=supplier, full_name="Camille Martin")
    url = live_server.url + reverse("web:directory_supplier", kwargs={"public_id": supplier.public_id})

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins de Cocagne")
    expect(page.get_by_text("Camille Martin")).to_have_count(0)
    assert_no_axe_violations(page)

    login_as(context, live_server, personas.member)
    page.goto(url)
    expect(page.get_by_text("Marché réservé aux SIAE (L2113-13)")).to_be_visible()
    expect(page.get_by_text("Camille Martin")).to_be_visible()
    assert_no_axe_violations(page)
