"""Estimate of the SPASER obligation from the DECP contracts (issue 4).

Buyers whose total annual purchases exceed a threshold must adopt a "schéma de promotion des achats publics
socialement et écologiquement responsables" (CCP art. L2111-3 and D2111-3): 100 M€ excl. VAT until 2022, 50 M€ from
2023 (décret no. 2022-767), read from the dated rule `spaser_threshold/annual_purchases` in force on 31 December of
each calendar year. The law says "supérieur à": a buyer is obliged above the threshold, not at it.

This is an ESTIMATE of the legal basis (the amount of purchases), made from the amounts NOTIFIED in the year — the
initial amounts of the contracts, plausible ones only —, not from the sums actually spent: a multi-year framework
agreement counts in full in the year of its notification, purchases outside DECP (below the publication threshold,
in-house, grants) are missing, and the current year is incomplete. It points at buyers likely to be obliged; it
proves nothing. Until 2023-10-25 the obligation concerned local authorities and buyers with a legislative status
only (`spaser_scope` rule); DECP cannot tell them apart, so every buyer is estimated.

A buyer is a legal person, identified by its SIREN: the amounts of all its establishments (SIRETs) are added up.
Identifiers that are not SIRETs stand for themselves; contracts without a buyer identifier are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from relais.reference.queries import threshold_on

from .indicators import Buyer, Country, Scope, buyer_year_rows
from .models import BuyerYearCube

SPASER_RULE = ("spaser_threshold", "annual_purchases")
ESTIMATE_LABEL = (
    "Estimation de l'assiette légale (montant annuel des achats) à partir des montants notifiés dans l'année, "
    "et non des sommes réellement dépensées"
)
_CENT = Decimal("0.01")


def spaser_threshold(year: int) -> Decimal | None:
    """The SPASER threshold of a calendar year: the rule in force on its 31 December (None before any rule)."""
    return threshold_on(*SPASER_RULE, dt.date(year, 12, 31))


@dataclass(frozen=True)
class SpaserEstimate:
    """One buyer (SIREN) and calendar year: the plausible amounts notified (`amount`, € excl. VAT), how many contracts
    (`contracts`, of which `valued` with a plausible amount), the threshold of the year, and whether the year is
    still running (`partial`)."""

    siren: str
    name: str
    year: int
    amount: Decimal
    contracts: int
    valued: int
    threshold: Decimal | None
    partial: bool

    @property
    def likely_obliged(self) -> bool:
        """The amount notified is above ("supérieur à", art. L2111-3) the threshold of the year."""
        return self.threshold is not None and self.amount > self.threshold

    @property
    def share_of_threshold(self) -> float | None:
        """The amount as a share of the threshold (1.0 = at the threshold)."""
        return float(self.amount / self.threshold) if self.threshold else None


def _by_siren(rows: QuerySet[BuyerYearCube]) -> QuerySet[Any, Any]:
    """Sums per SIREN and year (typed loosely: the type checker's plugin cannot follow the annotations)."""
    return (
        rows.exclude(buyer_siren="")
        .values("buyer_siren", "year")
        .annotate(
            amount=Sum("value"), contracts_count=Sum("contracts"), valued_count=Sum("valued"), name=Max("buyer_name")
        )
        .order_by()
    )


def _estimate(row: dict[str, Any], threshold: Decimal | None, today: dt.date) -> SpaserEstimate:
    year = int(row["year"])
    return SpaserEstimate(
        siren=row["buyer_siren"],
        name=row["name"] or "",
        year=year,
        # Sums read from SQLite are binary floats: round to the cent before comparing with the threshold.
        amount=Decimal(row["amount"] or 0).quantize(_CENT),
        contracts=int(row["contracts_count"] or 0),
        valued=int(row["valued_count"] or 0),
        threshold=threshold,
        partial=year >= today.year,
    )


def spaser_estimates_for(buyer: Buyer) -> list[SpaserEstimate]:
    """Every year of one buyer, oldest first. A SIRET is widened to its SIREN: the obligation is the legal person's."""
    identifier = buyer.identifier.strip()
    siren = identifier[:9] if len(identifier) == 14 else identifier
    today = timezone.localdate()
    rows = _by_siren(BuyerYearCube.objects.filter(buyer_siren=siren)).order_by("year")
    return [_estimate(row, spaser_threshold(int(row["year"])), today) for row in rows]


def spaser_likely_obliged(year: int, *, scope: Scope | None = None) -> list[SpaserEstimate]:
    """Buyers (SIRENs) whose plausible amounts notified in `year` are above the SPASER threshold of that year, the
    largest first. `scope` narrows the list to a network's members or to the buyers with contracts executed in a
    territory (their amounts still count everywhere); None: the whole country. Empty when no threshold is known."""
    threshold = spaser_threshold(year)
    if threshold is None:
        return []
    rows = BuyerYearCube.objects.filter(year=year)
    if scope is not None and not isinstance(scope, Country):
        rows = rows.filter(buyer_siren__in=buyer_year_rows(scope).filter(year=year).values("buyer_siren"))
    # One euro of slack in SQL (sums may be binary floats on SQLite); the exact comparison is made on cents below.
    candidates = _by_siren(rows).filter(amount__gt=threshold - 1)
    today = timezone.localdate()
    estimates = [_estimate(row, threshold, today) for row in candidates]
    return sorted((estimate for estimate in estimates if estimate.likely_obliged), key=lambda e: (-e.amount, e.siren))
