"""The directory search: filters, facet counts, pages and who sees unlisted suppliers (ADR 0014)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from relais.organisations.enums import StructureType
from relais.suppliers.enums import ServiceKind
from relais.suppliers.models import SupplierProfile
from relais.suppliers.search import PAGE_SIZE, DirectorySearch, directory_ids, directory_search, parse_directory_search
from relais.suppliers.snapshot import current_snapshot, refresh_snapshot

from ..conftest import Personas
from ..factories import (
    CpvFactory,
    DepartementFactory,
    OrganisationFactory,
    OrganisationStructureFactory,
    RegionFactory,
    ThemeFactory,
)
from .factories import LabelFactory, SupplierActivityFactory, SupplierLabelFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db


def listed_supplier(name: str, *, public: bool = True, **activity: object) -> object:
    organisation = OrganisationFactory(name=name, supplier=True, description="Structure de l'ESS bretonne")
    SupplierProfileFactory(organisation=organisation, public_listing=public)
    SupplierActivityFactory(organisation=organisation, **activity)
    return organisation


def names(page: object) -> list[str]:
    from relais.organisations.models import Organisation

    by_id = dict(Organisation.objects.filter(id__in=page.organisation_ids).values_list("id", "name"))
    return [by_id[pk] for pk in page.organisation_ids]


def test_three_filters_and_facets(personas: Personas) -> None:
    ille = DepartementFactory(code="35")
    code = CpvFactory(code="77310000-6", label_fr="Espaces verts")
    jardins = listed_supplier(
        "Jardins solidaires", title="Entretien des jardins", cpvs=[code], in_departements=True, departements=[ille]
    )
    OrganisationStructureFactory(organisation=jardins, structure_type=StructureType.ACI)
    esat = listed_supplier("ESAT du Parc", title="Tonte et élagage", cpvs=[code], service_kind=ServiceKind.SERVICE)
    OrganisationStructureFactory(organisation=esat, structure_type=StructureType.ESAT)
    expired = listed_supplier("Ancienne ESUS", title="Espaces verts", cpvs=[code])
    OrganisationStructureFactory(
        organisation=expired, structure_type=StructureType.ESUS, valid_until=dt.date.today() - dt.timedelta(days=1)
    )
    listed_supplier("Bâtiment", title="Maçonnerie", cpvs=[CpvFactory(code="45000000-7")], service_kind="works")

    params = DirectorySearch(cpv="77000000", departement="35", basis=("L2113-12", "L2113-13"))
    page = directory_search(params, personas.member)
    assert names(page) == ["ESAT du Parc", "Jardins solidaires"]
    assert page.total == 2
    facets = {name: {f.value: f.count for f in values} for name, values in page.facets.items()}
    assert facets["structure"] == {"aci": 1, "esat": 1}
    assert facets["basis"] == {"L2113-12": 1, "L2113-13": 1}
    assert facets["kind"] == {"service": 2}

    # The expired agreement does not count; words are matched on names, descriptions and activity titles.
    assert directory_search(DirectorySearch(basis=("L2113-15",)), personas.member).total == 0
    assert names(directory_search(DirectorySearch(q="élagages"), personas.member)) == ["ESAT du Parc"]
    assert directory_search(DirectorySearch(q="bretonne"), personas.member).total == 4
    assert names(directory_search(DirectorySearch(kind=("works",)), personas.member)) == ["Bâtiment"]


def test_region_and_labels() -> None:
    bretagne = RegionFactory(code="53", name="Bretagne")
    cotes = DepartementFactory(code="22", name="Côtes-d'Armor", region=bretagne)
    loire = DepartementFactory(code="44", name="Loire-Atlantique", region=RegionFactory(code="52", name="PdL"))
    breton = listed_supplier("Breton", in_departements=True, departements=[cotes])
    listed_supplier("Nantais", in_departements=True, departements=[loire])
    ecolabel = LabelFactory()
    SupplierLabelFactory(organisation=breton, label=ecolabel)
    fairtrade = LabelFactory(slug="fairtrade", name="Fairtrade")
    SupplierLabelFactory(organisation=breton, label=fairtrade, valid_until=dt.date(2020, 1, 1))
    viewer = _site_admin()
    assert names(directory_search(DirectorySearch(region="53"), viewer)) == ["Breton"]
    assert names(directory_search(DirectorySearch(label=("ecolabel-ue",)), viewer)) == ["Breton"]
    assert directory_search(DirectorySearch(label=("fairtrade",)), viewer).total == 0
    page = directory_search(DirectorySearch(), viewer)
    assert {f.value: f.count for f in page.facets["label"]} == {"ecolabel-ue": 1}


def _site_admin() -> object:
    from ..factories import UserFactory

    return UserFactory(site_admin=True)


def test_unlisted_suppliers_only_for_members(personas: Personas) -> None:
    listed_supplier("Publique")
    listed_supplier("Discrète", public=False)
    for viewer in (AnonymousUser(), personas.supplier):
        assert names(directory_search(DirectorySearch(), viewer)) == ["Publique"]
        assert directory_ids(DirectorySearch(), viewer, limit=10) == (
            1,
            directory_search(DirectorySearch(), viewer).organisation_ids,
        )
    for viewer in (personas.member, personas.animator, personas.site_admin):
        # The personas' supplier has no profile yet: members find it too.
        assert names(directory_search(DirectorySearch(), viewer)) == ["Atelier d'insertion", "Discrète", "Publique"]


def test_pages(personas: Personas) -> None:
    for number in range(PAGE_SIZE + 3):
        listed_supplier(f"Structure {number:02d}")
    page = directory_search(DirectorySearch(q="structure", page=2), personas.member)
    assert page.total == PAGE_SIZE + 3
    assert page.num_pages == 2
    assert names(page) == ["Structure 20", "Structure 21", "Structure 22"]
    assert page.start_index == PAGE_SIZE + 1
    assert directory_search(DirectorySearch(q="structure", page=99), personas.member).page == 2


def test_parsing_keeps_valid_filters_and_explains_the_others() -> None:
    DepartementFactory(code="35")
    ThemeFactory(slug="espaces-verts")
    data = QueryDict(
        "q=jardin&cpv=7731&departement=99&theme=espaces-verts&structure=ei&structure=nope&basis=L2113-13&page=x"
    )
    params, problems = parse_directory_search(data)
    assert params == DirectorySearch(
        q="jardin", cpv="77310000", theme="espaces-verts", structure=("ei",), basis=("L2113-13",)
    )
    assert set(problems) == {"departement", "structure"}
    assert params.without("structure", "ei") == "q=jardin&cpv=77310000&theme=espaces-verts&basis=L2113-13"
    assert "Département inconnu" in problems["departement"]


def test_snapshot_path_gives_the_sql_path_results(personas: Personas) -> None:
    bretagne = RegionFactory(code="53", name="Bretagne")
    ille = DepartementFactory(code="35", region=bretagne)
    code = CpvFactory(code="77310000-6", label_fr="Espaces verts")
    theme = ThemeFactory(slug="espaces-verts")
    for number in range(12):
        organisation = listed_supplier(
            f"Structure {number:02d}",
            public=number % 3 != 0,
            title="Entretien des jardins" if number % 2 else "Nettoyage",
            cpvs=[code] if number % 2 else [],
            themes=[theme] if number % 4 == 1 else [],
            service_kind=ServiceKind.WORKS if number % 5 == 0 else ServiceKind.SERVICE,
            in_departements=number % 3 == 1,
            departements=[ille] if number % 3 == 1 else [],
        )
        if number % 2:
            OrganisationStructureFactory(organisation=organisation, structure_type=StructureType.ACI)
        if number % 4 == 0:
            SupplierLabelFactory(organisation=organisation, label=LabelFactory())
    searches = [
        DirectorySearch(),
        DirectorySearch(cpv="77000000", departement="35", basis=("L2113-13",)),
        DirectorySearch(theme="espaces-verts", region="53", structure=("aci", "ei")),
        DirectorySearch(q="jardins", departement="35", kind=("service",)),
        DirectorySearch(departement="35"),
        DirectorySearch(kind=("works",), label=("ecolabel-ue",)),
    ]
    viewers = (personas.member, AnonymousUser())
    by_sql = [directory_search(params, viewer) for params in searches for viewer in viewers]
    assert current_snapshot() is None
    refresh_snapshot()
    assert current_snapshot() is not None
    by_snapshot = [directory_search(params, viewer) for params in searches for viewer in viewers]
    assert [(p.total, p.organisation_ids, p.facets) for p in by_snapshot] == [
        (p.total, p.organisation_ids, p.facets) for p in by_sql
    ]
    assert any(p.total > 1 for p in by_sql[1:])
    # A supplier who withdraws its public page without a reindex is never shown from an older snapshot.
    withdrawn = directory_search(DirectorySearch(), AnonymousUser()).organisation_ids[0]
    SupplierProfile.objects.filter(organisation_id=withdrawn).update(public_listing=False)
    assert current_snapshot() is not None
    assert withdrawn not in directory_search(DirectorySearch(), AnonymousUser()).organisation_ids
    # A reindex announces the change: searches leave the old snapshot at once.
    SupplierActivityFactory(organisation=OrganisationFactory(name="Nouvelle", supplier=True))
    assert current_snapshot() is None
