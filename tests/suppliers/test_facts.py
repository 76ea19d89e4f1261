"""Derived facts of a supplier: each reserved-contract basis and the insertion clause, at the boundary of validity
(valid until yesterday, today, tomorrow), with their reason and legal reference."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.suppliers.facts import (
    INSERTION_CLAUSE,
    LEGAL_REFERENCES,
    RESERVED_DISABILITY,
    RESERVED_ESUS,
    RESERVED_PRISON_WORK,
    RESERVED_SIAE,
    Fact,
    supplier_case_sheets,
    supplier_facts,
)

from ..factories import CaseSheetFactory, NetworkFactory, OrganisationFactory, OrganisationStructureFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def _supplier(*structures: tuple[str, dt.date | None]) -> Organisation:
    organisation = OrganisationFactory.create(supplier=True)
    for structure_type, valid_until in structures:
        OrganisationStructureFactory.create(
            organisation=organisation, structure_type=structure_type, valid_until=valid_until, evidence="Convention 42"
        )
    return organisation


def _fact(organisation: Organisation, code: str) -> Fact | None:
    return next((fact for fact in supplier_facts(organisation, on=TODAY) if fact.code == code), None)


BASES = [
    (StructureType.EA, RESERVED_DISABILITY, "L2113-12"),
    (StructureType.ESAT, RESERVED_DISABILITY, "L2113-12"),
    *[(siae, RESERVED_SIAE, "L2113-13") for siae in sorted(StructureType.siae())],
    (StructureType.PRISON_WORK, RESERVED_PRISON_WORK, "L2113-13-1"),
    (StructureType.ESUS, RESERVED_ESUS, "L2113-15"),
]


@pytest.mark.parametrize(("structure_type", "code", "article"), BASES)
@pytest.mark.parametrize(("valid_until", "holds"), [(YESTERDAY, False), (TODAY, True), (TOMORROW, True), (None, True)])
def test_reserved_basis_at_its_boundary(
    structure_type: str, code: str, article: str, valid_until: dt.date | None, holds: bool
) -> None:
    fact = _fact(_supplier((structure_type, valid_until)), code)
    assert fact is not None
    assert fact.holds is holds
    assert article in fact.label
    assert f"art. {article} " in fact.legal_reference or f"art. {article}," in fact.legal_reference
    assert fact.legal_reference == LEGAL_REFERENCES[code]
    if valid_until is None:
        assert "non renseignée, à vérifier" in fact.reason
    elif holds:
        assert f"valable jusqu'au {valid_until:%d/%m/%Y}" in fact.reason
        assert "Convention 42" in fact.reason
    else:
        assert f"expiré le {YESTERDAY:%d/%m/%Y} : non retenu" in fact.reason


def test_esus_fact_states_the_conditions_of_l2113_15() -> None:
    fact = _fact(_supplier((StructureType.ESUS, TOMORROW)), RESERVED_ESUS)
    assert fact is not None
    assert fact.holds
    assert "agrément ESUS" not in fact.label  # the label names the basis; the reason names the agreement
    assert f"ESUS) : agrément valable jusqu'au {TOMORROW:%d/%m/%Y}" in fact.reason
    assert "services sociaux et autres services spécifiques" in fact.reason
    assert "3 ans au plus" in fact.reason
    assert "deux fois en 3 ans" in fact.reason
    # An expired agreement does not repeat the conditions of a basis that does not hold.
    expired = _fact(_supplier((StructureType.ESUS, YESTERDAY)), RESERVED_ESUS)
    assert expired is not None
    assert not expired.holds
    assert "deux fois" not in expired.reason


def test_a_valid_structure_wins_over_an_expired_one_of_the_same_basis() -> None:
    fact = _fact(_supplier((StructureType.EA, YESTERDAY), (StructureType.ESAT, TODAY)), RESERVED_DISABILITY)
    assert fact is not None
    assert fact.holds
    assert fact.reason.index("ESAT") < fact.reason.index("(EA)")  # valid first
    assert "non retenu" in fact.reason


def test_no_fact_for_a_basis_without_a_structure_and_none_for_sse_forms_alone() -> None:
    organisation = _supplier((StructureType.SCOP, None), (StructureType.ASSOCIATION, None))
    assert supplier_facts(organisation, on=TODAY) == []


INSERTION = [
    (StructureType.ETTI, "intérim d'insertion (ETTI)"),
    (StructureType.AI, "mise à disposition de personnel (AI)"),
    (StructureType.GEIQ, "mise à disposition de personnel (GEIQ)"),
    (StructureType.EI, "sous-traitance ou cotraitance (EI)"),
    (StructureType.ACI, "sous-traitance ou cotraitance (ACI)"),
    (StructureType.EA, "sous-traitance ou cotraitance (EA)"),
    (StructureType.ESAT, "sous-traitance ou cotraitance (ESAT)"),
]


@pytest.mark.parametrize(("structure_type", "way"), INSERTION)
@pytest.mark.parametrize(("valid_until", "holds"), [(YESTERDAY, False), (TODAY, True), (TOMORROW, True)])
def test_insertion_clause_at_its_boundary(structure_type: str, way: str, valid_until: dt.date, holds: bool) -> None:
    fact = _fact(_supplier((structure_type, valid_until)), INSERTION_CLAUSE)
    assert fact is not None
    assert fact.holds is holds
    assert (way in fact.reason) is holds
    assert "L2112-2" in fact.legal_reference


def test_eiti_and_prison_work_do_not_carry_out_insertion_clauses() -> None:
    organisation = _supplier((StructureType.EITI, None), (StructureType.PRISON_WORK, None))
    assert _fact(organisation, INSERTION_CLAUSE) is None
    assert {fact.code for fact in supplier_facts(organisation, on=TODAY)} == {RESERVED_SIAE, RESERVED_PRISON_WORK}


def test_case_sheets_follow_the_sheets_visibility() -> None:
    from relais.casesheets.enums import StakeholderRole
    from relais.casesheets.models import Stakeholder

    network = NetworkFactory.create()
    supplier = _supplier((StructureType.EI, None))
    public = CaseSheetFactory.create(network=network, published=True, title="Fiche publique")
    members_only = CaseSheetFactory.create(network=network, published=True, members_only=True, title="Réservée")
    draft = CaseSheetFactory.create(network=network, title="Brouillon")
    for sheet in (public, members_only, draft):
        Stakeholder.objects.create(sheet=sheet, organisation=supplier, role=StakeholderRole.SUBCONTRACTOR)
    Stakeholder.objects.create(sheet=public, organisation=supplier, role=StakeholderRole.CO_CONTRACTOR)

    anonymous = supplier_case_sheets(supplier, member_network_ids=set())
    assert [item.sheet for item in anonymous] == [public]
    assert anonymous[0].roles == ["Cotraitant", "Sous-traitant"]
    members = supplier_case_sheets(supplier, member_network_ids={network.pk})
    assert {item.sheet.pk for item in members} == {public.pk, members_only.pk}
