"""Contracts written straight with the ORM for the indicator, compliance and SPASER tests: every field the cubes
read is set by the test, so that the expected figures can be computed by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from relais.contracts.enums import ConsiderationStatus, ContractKind, ContractType, Nature, Procedure, SourceFormat
from relais.contracts.models import (
    BuyerBreakdownCube,
    BuyerCube,
    BuyerYearCube,
    Contract,
    ImportRun,
    NetworkCube,
    TerritoryCube,
)
from relais.reference.loaders import load_departements, load_legal_rules, load_regions

# Buyers: two establishments of the city of Rennes (one SIREN), Brest, a State body (SIREN starting with 1), and a
# public body of Loire-Atlantique.
RENNES = "21350238800019"
RENNES_CCAS = "21350238800035"  # same SIREN, another establishment
RENNES_SIREN = "213502388"
BREST = "21290019700010"
STATE = "11000201100044"
NANTES_BODY = "26440012300018"

_DIVISION_TYPE = {"45": ContractType.WORKS, "30": ContractType.SUPPLIES, "33": ContractType.SUPPLIES}
_numbers = itertools.count(1)


def load_territories_and_rules() -> None:
    """The real régions, départements and dated legal rules shipped with the code."""
    load_regions()
    load_departements()
    load_legal_rules()


def _run() -> ImportRun:
    run = ImportRun.objects.order_by("pk").first()
    return run or ImportRun.objects.create(source_name="test.json", source_signature="cubes")


def contract(
    buyer: str = RENNES,
    *,
    on: dt.date | None = dt.date(2025, 3, 1),
    amount: str | None = "100000",
    departement: str | None = "35",
    division: str = "90",
    procedure: str = Procedure.OPEN,
    kind: str = ContractKind.CONTRACT,
    nature: str = Nature.CONTRACT,
    social: str | Collection[str] = "none",
    environmental: str | Collection[str] = "none",
    innovative: bool | None = None,
    name: str = "",
) -> Contract:
    """A contract. `social`/`environmental`: "unknown", "none", or the kinds present ({"clause", "criterion",
    "reserved"}); the contract type follows the CPV division (45 works; 30 and 33 supplies; others services), a
    concession has neither."""
    number = next(_numbers)
    run = _run()
    social_kinds = set() if isinstance(social, str) else set(social)
    environmental_kinds = set() if isinstance(environmental, str) else set(environmental)
    concession = kind == ContractKind.CONCESSION
    return Contract.objects.create(
        uid=f"test-{number}",
        kind=kind,
        buyer_identifier=buyer,
        buyer_name=name or f"Acheteur {buyer}",
        identifier=f"2025-{number:03d}",
        object=f"Marché n° {number}",
        nature=nature,
        procedure=procedure,
        cpv_division="" if concession else division,
        contract_type="" if concession else _DIVISION_TYPE.get(division, ContractType.SERVICES),
        amount=Decimal(amount) if amount is not None else None,
        notified_on=on,
        notified_year=on.year if on else None,
        departement_id=departement,
        innovative=innovative,
        social_status=social if isinstance(social, str) else ConsiderationStatus.SOME,
        social_clause="clause" in social_kinds,
        social_criterion="criterion" in social_kinds,
        reserved="reserved" in social_kinds,
        environmental_status=environmental if isinstance(environmental, str) else ConsiderationStatus.SOME,
        environmental_clause="clause" in environmental_kinds,
        environmental_criterion="criterion" in environmental_kinds,
        source_format=SourceFormat.DECP_2022_JSON,
        content_hash=f"{number:040d}",
        first_run=run,
        last_run=run,
    )


def cube_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every cube, ids aside, in a stable order: to compare two ways of computing them."""
    found = {}
    for model in (BuyerCube, BuyerYearCube, BuyerBreakdownCube, TerritoryCube, NetworkCube):
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        found[model.__name__] = sorted(model._default_manager.values_list(*names), key=repr)
    return found
