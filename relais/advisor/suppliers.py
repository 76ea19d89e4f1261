"""How many suppliers of the directory could answer a reserved contract or carry out an insertion clause, and
whether they are big enough for the amount.

Counts come from the directory's matching (`relais.suppliers.queries.suppliers_matching`: CPV with hierarchy,
kind of service, coverage of the département, structure types valid on the date). A supplier is "small for this
amount" when the upper bound of its turnover band is below the amount times the share of the dated default
`advisor_default/supplier_size_min_turnover_share` (100 %: a supplier whose whole band lies below the amount);
unknown turnover is counted apart, never as small nor as compatible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from relais.organisations.models import Organisation
from relais.suppliers.enums import TurnoverBand
from relais.suppliers.models import SupplierProfile
from relais.suppliers.queries import suppliers_matching

# Enough to say "at least 500": beyond that the count changes no verdict.
MATCH_LIMIT = 500
# Names shown under a count (the page links to the directory for the rest).
SHOWN_NAMES = 5


@dataclass(frozen=True)
class SupplierRef:
    """A supplier named under a count. Unlisted suppliers are named only to the networks' members."""

    public_id: UUID
    name: str
    public_listing: bool
    turnover_band: str
    small: bool | None  # None: turnover unknown (or no amount to compare with)


@dataclass(frozen=True)
class SupplierCount:
    """Suppliers of some structure types covering the place for the CPV codes, and how many fit the amount."""

    structure_types: tuple[str, ...]
    eligible: int
    compatible: int
    small: int
    unknown_size: int
    capped: bool
    shown: tuple[SupplierRef, ...]

    @property
    def eligible_text(self) -> str:
        return f"au moins {self.eligible}" if self.capped else str(self.eligible)

    def as_dict(self) -> dict[str, Any]:
        return {
            "structure_types": list(self.structure_types),
            "eligible": self.eligible,
            "eligible_capped": self.capped,
            "compatible_size": self.compatible,
            "small_for_amount": self.small,
            "unknown_size": self.unknown_size,
        }


def is_small(band: str, amount: Decimal | None, share: Decimal) -> bool | None:
    """Whether a turnover band lies wholly below the amount × share (None: unknown band or amount)."""
    if amount is None or not band:
        return None
    upper = TurnoverBand.upper_bound(band)
    if upper is None:  # the open-ended top band is never small
        return False
    return Decimal(upper) < amount * share / 100


def count_suppliers(
    *,
    structure_types: Sequence[str],
    cpv_codes: Sequence[str],
    departement_code: str,
    service_kinds: Sequence[str],
    on: dt.date,
    amount: Decimal | None,
    size_share: Decimal,
    show_unlisted: bool,
) -> SupplierCount:
    """Count the directory's suppliers of these structure types covering the département for these CPV codes."""
    matches = suppliers_matching(
        cpv_codes=list(cpv_codes),
        theme_slugs=[],
        departement_code=departement_code,
        point=None,
        service_kinds=list(service_kinds),
        structure_types=list(structure_types),
        on=on,
        limit=MATCH_LIMIT,
    )
    ids = [match.organisation_id for match in matches]
    bands = dict(
        SupplierProfile.objects.filter(organisation_id__in=ids).values_list("organisation_id", "turnover_band")
    )
    listed = set(
        SupplierProfile.objects.filter(organisation_id__in=ids, public_listing=True).values_list(
            "organisation_id", flat=True
        )
    )
    sizes = {organisation_id: is_small(bands.get(organisation_id, ""), amount, size_share) for organisation_id in ids}
    small = sum(1 for value in sizes.values() if value is True)
    unknown = sum(1 for value in sizes.values() if value is None)
    # Best matches first (the matching's order), compatible ones before small ones; unlisted ones for members only.
    visible = [organisation_id for organisation_id in ids if show_unlisted or organisation_id in listed]
    visible.sort(key=lambda organisation_id: sizes[organisation_id] is True)
    names = {
        row["pk"]: row
        for row in Organisation.objects.filter(pk__in=visible[:SHOWN_NAMES]).values("pk", "public_id", "name")
    }
    shown = tuple(
        SupplierRef(
            names[organisation_id]["public_id"],
            names[organisation_id]["name"],
            organisation_id in listed,
            bands.get(organisation_id, ""),
            sizes[organisation_id],
        )
        for organisation_id in visible[:SHOWN_NAMES]
        if organisation_id in names
    )
    return SupplierCount(
        structure_types=tuple(structure_types),
        eligible=len(ids),
        compatible=len(ids) - small - unknown,
        small=small,
        unknown_size=unknown,
        capped=len(ids) >= MATCH_LIMIT,
        shown=shown,
    )
