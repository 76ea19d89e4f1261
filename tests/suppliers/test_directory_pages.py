"""The directory pages: search form and results, facets, map, exports (ADR 0014)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from relais.organisations.enums import StructureType

from ..conftest import Personas
from ..factories import CpvFactory, DepartementFactory, OrganisationFactory, OrganisationStructureFactory
from .factories import SupplierActivityFactory, SupplierContactFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db


def supplier(name: str, *, public: bool = True, latitude: float | None = 48.11, **activity: object) -> object:
    organisation = OrganisationFactory(name=name, supplier=True)
    SupplierProfileFactory(
        organisation=organisation,
        public_listing=public,
        latitude=latitude,
        longitude=-1.68 if latitude is not None else None,
    )
    SupplierActivityFactory(organisation=organisation, **activity)
    return organisation


def member_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.member)
    return client


def test_search_page_lists_results_with_structure_tags_and_facets(personas: Personas) -> None:
    ille = DepartementFactory(code="35")
    jardins = supplier(
        "Jardins de Cocagne", title="Maraîchage bio", cpvs=[CpvFactory(code="03221000-6")], in_departements=True,
        departements=[ille],
    )  # fmt: skip
    OrganisationStructureFactory(organisation=jardins, structure_type=StructureType.ACI)
    supplier("Imprimerie adaptée", title="Impression")
    response = member_client(personas).get(reverse("web:directory_search"), {"departement": "35", "cpv": "03"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 structure trouvée" in body
    assert "Jardins de Cocagne" in body
    assert "Imprimerie adaptée" not in body
    assert "SIAE — Atelier et chantier d&#x27;insertion (ACI) (1)" in body  # facet with its count
    assert "Retirer le filtre Département d&#x27;intervention : Ille-et-Vilaine (35)" in body
    assert reverse("web:directory_export_csv") + "?cpv=03000000&amp;departement=35" in body


def test_bad_filters_are_explained_and_ignored(personas: Personas) -> None:
    supplier("Recyclerie")
    response = Client().get(reverse("web:directory_search"), {"departement": "ZZ", "cpv": "abc"})
    body = response.content.decode()
    assert "Certains filtres ne sont pas valides" in body
    assert "Code CPV invalide : « abc »" in body  # what was typed, not the padded code
    assert "Recyclerie" in body


def test_pagination(personas: Personas) -> None:
    for number in range(25):
        supplier(f"Atelier {number:02d}", title="Menuiserie")
    body = Client().get(reverse("web:directory_search"), {"q": "menuiserie", "page": "2"}).content.decode()
    assert "Atelier 24" in body
    assert "Atelier 00" not in body
    assert 'aria-current="page"' in body


def test_map_draws_points_and_lists_the_same_suppliers(personas: Personas) -> None:
    supplier("Placée")
    supplier("Sans adresse", latitude=None)
    supplier("Discrète", public=False)
    body = Client().get(reverse("web:directory_map")).content.decode()
    assert body.count("<circle") == 1
    assert "<title>Placée</title>" in body
    assert "1 structure sans coordonnées ou hors métropole n'est pas placée" in body
    assert "Sans adresse" in body
    assert "Discrète" not in body
    assert "https://" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]  # no tiles, no third party


def test_csv_export_has_no_contacts_and_neutralises_formulas(personas: Personas) -> None:
    organisation = supplier('=HYPERLINK("x")', title="Nettoyage")
    OrganisationStructureFactory(organisation=organisation, structure_type=StructureType.EA)
    SupplierContactFactory(organisation=organisation, full_name="Camille Contact", email="camille@exemple.fr")
    response = member_client(personas).get(reverse("web:directory_export_csv"), {"structure": "ea"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Structure;SIRET;Types de structure")
    assert len(lines) == 2
    assert lines[1].startswith("\"'=HYPERLINK")
    assert "Entreprise adaptée (EA)" in lines[1]
    assert "camille" not in text.lower()


def test_xlsx_export_follows_the_filters(personas: Personas) -> None:
    supplier("Blanchisserie", title="Blanchisserie")
    supplier("Traiteur", title="Restauration")
    response = member_client(personas).get(reverse("web:directory_export_xlsx"), {"q": "blanchisserie"})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["Fournisseurs"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Blanchisserie"]
    notes = " ".join(str(r[0]) for r in workbook["À lire"].iter_rows(values_only=True))
    assert "1 structure(s) exportée(s) sur 1" in notes
