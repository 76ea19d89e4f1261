from __future__ import annotations

import pytest

from relais.organisations.enums import BuyerCategory, OrganisationKind, StructureType
from relais.organisations.services import OrganisationError, organisation_register
from tests.factories import valid_siret


def test_register_normalises_siret_derives_siren_and_records_structures(db: None) -> None:
    siret = valid_siret()
    pasted = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    organisation = organisation_register(
        name=" Atelier du Bocage ",
        kind=OrganisationKind.SUPPLIER,
        siret=pasted,
        structure_types=[StructureType.ACI, StructureType.ESUS, StructureType.ACI],
    )
    assert organisation.siret == siret
    assert organisation.siren == siret[:9]
    assert organisation.name == "Atelier du Bocage"
    assert sorted(organisation.structure_type_codes) == ["aci", "esus"]


def test_register_refuses_duplicates_bad_siret_and_structures_for_buyers(db: None) -> None:
    siret = valid_siret()
    organisation_register(name="Ville", kind=OrganisationKind.BUYER, siret=siret, buyer_category=BuyerCategory.COMMUNE)
    with pytest.raises(OrganisationError, match="déjà"):
        organisation_register(name="Ville bis", kind=OrganisationKind.BUYER, siret=siret)
    with pytest.raises(OrganisationError, match="SIRET"):
        organisation_register(name="Faux", kind=OrganisationKind.BUYER, siret="12345678901234")
    with pytest.raises(OrganisationError, match="ESS"):
        organisation_register(name="Ville", kind=OrganisationKind.BUYER, structure_types=[StructureType.EI])
