"""Back-office edits of a supplier's activities reach the directory index like the app's own writes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.suppliers.queries import suppliers_matching

from ..factories import CpvFactory, DepartementFactory, OrganisationFactory, UserFactory
from .factories import SupplierActivityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_narrowing_an_activity_in_the_admin_takes_the_supplier_out_of_other_departements() -> None:
    ille_et_vilaine = DepartementFactory(code="35")
    DepartementFactory(code="44", name="Loire-Atlantique")
    green_spaces = CpvFactory(code="77310000-6", label_fr="Services de plantation et d'entretien", level=5)
    supplier = OrganisationFactory(name="Jardins solidaires", supplier=True)
    activity = SupplierActivityFactory(organisation=supplier, cpvs=[green_spaces])
    assert [m.organisation_id for m in suppliers_matching(cpv_codes=["77310000"], departement_code="44")] == [
        supplier.pk
    ]

    admin = Client()
    admin.force_login(UserFactory(site_admin=True))
    url = reverse("admin:suppliers_supplieractivity_change", args=[activity.pk])
    form = {
        "organisation": supplier.pk,
        "title": activity.title,
        "description": "",
        "service_kind": activity.service_kind,
        "cpvs": [green_spaces.pk],
        "coverage": "departements",
        "departements": [ille_et_vilaine.pk],
        "radius_km": "",
    }
    response = admin.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert suppliers_matching(cpv_codes=["77310000"], departement_code="44") == []
    assert [m.organisation_id for m in suppliers_matching(cpv_codes=["77310000"], departement_code="35")] == [
        supplier.pk
    ]
