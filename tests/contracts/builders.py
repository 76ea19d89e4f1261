"""Small ContractRecords for loader tests: a valid contract by default, changed by keyword."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from relais.contracts.decp.records import ContractRecord, ModificationRecord, Party
from relais.contracts.enums import (
    ContractKind,
    EnvironmentalConsideration,
    Procedure,
    SocialConsideration,
    SourceFormat,
)

# Real SIRETs with a valid key: a commune's and two companies'.
BUYER_SIRET = "21350238800019"
HOLDER_SIRET = "55204599900869"
OTHER_HOLDER_SIRET = "44306184100047"


def record(position: int = 0, **changes: Any) -> ContractRecord:
    values: dict[str, Any] = {
        "source_format": SourceFormat.DECP_2022_JSON,
        "kind": ContractKind.CONTRACT,
        "position": position,
        "identifier": "2025-001",
        "buyer": Party(BUYER_SIRET, "SIRET", ""),
        "object": "Restauration scolaire des écoles",
        "procedure": Procedure.OPEN,
        "cpv": "55524000-9",
        "amount": Decimal("250000"),
        "duration_months": 36,
        "notified_on": dt.date(2025, 3, 1),
        "published_on": dt.date(2025, 3, 10),
        "place_code": "35000",
        "place_type": "Code postal",
        "social": frozenset({SocialConsideration.CLAUSE}),
        "environmental": frozenset({EnvironmentalConsideration.CRITERION}),
        "holders": [Party(HOLDER_SIRET, "SIRET", "Cuisine solidaire")],
    }
    values.update(changes)
    return ContractRecord(**values)


def modification(number: int, amount: str | None = None, **changes: Any) -> ModificationRecord:
    values: dict[str, Any] = {
        "number": number,
        "notified_on": dt.date(2025, 6, number),
        "published_on": dt.date(2025, 6, number + 1),
        "amount": Decimal(amount) if amount else None,
    }
    values.update(changes)
    return ModificationRecord(**values)
