"""The reference rows the advisor reads: the shipped legal rules and labels, a few real CPV codes, two départements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.loaders import load_labels, load_legal_rules
from relais.reference.models import Cpv, Departement
from relais.suppliers.enums import Coverage, ServiceKind

from ..factories import CpvFactory, DepartementFactory, OrganisationFactory, RegionFactory
from ..suppliers.factories import SupplierActivityFactory, SupplierProfileFactory

CPVS = {
    "45442100-8": "Travaux de peinture",
    "45262500-6": "Travaux de maçonnerie et de briquetage",
    "45000000-7": "Travaux de construction",
    "90910000-9": "Services de nettoyage",
    "77310000-6": "Services de plantation et d'entretien d'espaces verts",
    "85311000-2": "Services d'action sociale avec logement",
    "92500000-6": "Services de bibliothèques, archives, musées et autres services culturels",
    "55524000-9": "Services de traiteur pour écoles",
    "30197630-1": "Papier d'impression",
    "15861000-1": "Café",
}


@pytest.fixture
def reference(db: None) -> dict[str, Cpv]:
    """Legal rules and labels as shipped (labels first: their CPV prefixes are checked only against a full list)."""
    load_legal_rules()
    load_labels()
    codes = {
        code[:8]: CpvFactory.create(code=code, label_fr=label, level=len(Cpv.prefix_of(code[:8])) - 1)
        for code, label in CPVS.items()
    }
    brittany = RegionFactory.create(code="53", name="Bretagne")
    DepartementFactory.create(code="35", name="Ille-et-Vilaine", region=brittany)
    DepartementFactory.create(code="29", name="Finistère", region=brittany)
    return codes


def supplier(
    name: str,
    *,
    structure: str,
    cpv: Cpv,
    departement: str = "35",
    band: str = "",
    kind: str = ServiceKind.WORKS,
    public: bool = False,
) -> Organisation:
    """A supplier of one structure type working in one département on one CPV code."""
    organisation = OrganisationFactory.create(name=name, supplier=True)
    OrganisationStructure.objects.create(organisation=organisation, structure_type=structure)
    SupplierProfileFactory.create(organisation=organisation, turnover_band=band, public_listing=public)
    SupplierActivityFactory.create(
        organisation=organisation,
        service_kind=kind,
        coverage=Coverage.DEPARTEMENTS,
        cpvs=[cpv],
        departements=[Departement.objects.get(code=departement)],
    )
    return organisation


MILLION = Decimal(1_000_000)
