"""What the advisor answers: an `Advice` made of `Recommendation`s, each with its verdict, its explanation with the
counts behind it, its legal reference and the dated rule rows that produced it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .enums import BuyerType, PurchaseCategory, Verdict
from .rules import LabelRef, RuleRef
from .suppliers import SupplierRef

# DSFR badge colour of each verdict (fr-badge--<severity>).
VERDICT_BADGES = {
    Verdict.REQUIRED: "error",
    Verdict.RECOMMENDED: "success",
    Verdict.POSSIBLE: "info",
    Verdict.UNREALISTIC: "warning",
    Verdict.NOT_APPLICABLE: "new",
    Verdict.INFO: "info",
}


@dataclass(frozen=True)
class Recommendation:
    """One legal lever and what Relais makes of it for this purchase.

    `rules` are the dated rows (first: the main one) the verdict was computed from; `figures` the numbers behind the
    explanation (amounts in € excl. VAT, counts of suppliers); `details` are lines the page lists under it."""

    code: str
    title: str
    verdict: Verdict
    explanation: str
    legal_reference: str
    rules: tuple[RuleRef, ...] = ()
    figures: dict[str, Any] = field(default_factory=dict)
    details: tuple[str, ...] = ()
    labels: tuple[LabelRef, ...] = ()
    suppliers: tuple[SupplierRef, ...] = ()

    @property
    def rule(self) -> RuleRef | None:
        return self.rules[0] if self.rules else None

    @property
    def verdict_label(self) -> str:
        return str(self.verdict.label)

    @property
    def badge(self) -> str:
        return VERDICT_BADGES[self.verdict]


@dataclass(frozen=True)
class Advice:
    """The legal levers for one purchase: CPV codes (the first is the main one), place, amount, buyer type, date."""

    on: dt.date
    cpv_codes: tuple[str, ...]
    category: PurchaseCategory
    buyer_type: BuyerType
    departement_code: str
    departement_name: str
    amount: Decimal | None
    defence: bool
    recommendations: tuple[Recommendation, ...]
    notes: tuple[str, ...] = ()

    def get(self, code: str) -> Recommendation | None:
        return next((item for item in self.recommendations if item.code == code), None)

    @property
    def category_label(self) -> str:
        return str(self.category.label)

    @property
    def buyer_type_label(self) -> str:
        return str(self.buyer_type.label)
