"""The reference rows the advisor reasons from: the dated legal rules in force on a date, read once, and the
labels of the registry.

Nothing here is a legal value: thresholds, lists of CPV codes, labour shares and defaults are `LegalRule` rows of
`relais/reference/data/legal_rules.csv` (see `relais/reference/README.md`). Lists of CPV codes are rows whose `code`
is `cpv_` followed by the CPV prefix they cover ("cpv_85" covers every code starting with 85).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from relais.reference.models import Label, LegalRule
from relais.reference.queries import rules_in_force

from .enums import PurchaseCategory

CPV_CODE_PREFIX = "cpv_"

# Kinds of rows (legal_rules.csv) the advisor reads.
NO_ADVERTISING = "no_advertising_threshold"
EU_THRESHOLD = "eu_threshold"
CLIMATE = "climate_resilience"
LEVER = "legal_lever"
SOCIAL_SPECIFIC_CPV = "social_specific_services_cpv"
RESERVED_SSE_CPV = "reserved_sse_services_cpv"
LABOUR_SHARE_CPV = "labour_share_cpv"
INSERTION_DEFAULT = "insertion_default"
ADVISOR_DEFAULT = "advisor_default"
RESERVED_CONTRACT = "reserved_contract"

# CPV 2008 divisions: 45 is works; 03 to 44 and 48 (software packages) are supplies; the others services.
WORKS_DIVISION = 45
SUPPLIES_DIVISIONS = frozenset({*range(3, 45), 48})


@dataclass(frozen=True)
class RuleRef:
    """The version of a legal rule a recommendation rests on, with its dates and legal reference."""

    kind: str
    code: str
    label: str
    value: Decimal | None
    unit: str
    valid_from: dt.date
    valid_until: dt.date | None
    legal_reference: str
    source: str

    @classmethod
    def of(cls, rule: LegalRule) -> RuleRef:
        return cls(
            rule.kind,
            rule.code,
            rule.label,
            rule.value,
            rule.unit,
            rule.valid_from,
            rule.valid_until,
            rule.legal_reference,
            rule.source,
        )

    @property
    def cpv_prefix(self) -> str:
        return self.code.removeprefix(CPV_CODE_PREFIX) if self.code.startswith(CPV_CODE_PREFIX) else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "legal_reference": self.legal_reference,
            "source": self.source,
        }


@dataclass(frozen=True)
class LabelRef:
    """A label of the registry relevant to the purchase (an equivalent label is always accepted)."""

    slug: str
    name: str
    kind: str
    kind_label: str
    issuer: str
    equivalent_accepted: bool
    website: str
    matched_prefixes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "issuer": self.issuer,
            "equivalent_accepted": self.equivalent_accepted,
            "website": self.website,
            "cpv_prefixes": list(self.matched_prefixes),
        }


class RuleBook:
    """Every legal rule in force on one date, read in one query."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self._rules: dict[tuple[str, str], RuleRef] = {}
        for rule in rules_in_force(on).order_by("kind", "code", "valid_from"):
            self._rules[(rule.kind, rule.code)] = RuleRef.of(rule)

    def get(self, kind: str, code: str) -> RuleRef | None:
        return self._rules.get((kind, code))

    def value(self, kind: str, code: str) -> Decimal | None:
        rule = self.get(kind, code)
        return rule.value if rule else None

    def cpv_rows(self, kind: str) -> list[RuleRef]:
        return [rule for (row_kind, _), rule in self._rules.items() if row_kind == kind and rule.cpv_prefix]

    def cpv_match(self, kind: str, code8: str) -> RuleRef | None:
        """The row of a CPV list covering a code, the most precise prefix first; None if the code is not listed."""
        matches = [rule for rule in self.cpv_rows(kind) if code8.startswith(rule.cpv_prefix)]
        return max(matches, key=lambda rule: len(rule.cpv_prefix)) if matches else None


def code8_of(code: str) -> str:
    return code.strip().replace(" ", "").split("-")[0][:8]


def category_of(code8: str, book: RuleBook) -> PurchaseCategory:
    """Works, supplies or services from the CPV division; services of the list of social and other specific services
    (directive 2014/24/UE annex XIV, rows `social_specific_services_cpv`) are their own category."""
    division = int(code8[:2])
    if division == WORKS_DIVISION:
        return PurchaseCategory.WORKS
    if division in SUPPLIES_DIVISIONS:
        return PurchaseCategory.SUPPLIES
    if book.cpv_match(SOCIAL_SPECIFIC_CPV, code8):
        return PurchaseCategory.SOCIAL_SPECIFIC
    return PurchaseCategory.SERVICES


def labels_for(codes8: list[str]) -> list[LabelRef]:
    """Labels of the registry relevant to at least one of the codes (labels without CPV scope are left out: they say
    nothing about this purchase), by kind then name."""
    found: list[LabelRef] = []
    for label in Label.objects.order_by("kind", "name"):
        prefixes = tuple(
            sorted({prefix for prefix in label.cpv_prefixes for code in codes8 if code.startswith(str(prefix))})
        )
        if prefixes:
            found.append(
                LabelRef(
                    label.slug,
                    label.name,
                    label.kind,
                    str(label.get_kind_display()),
                    label.issuer,
                    label.equivalent_accepted,
                    label.website,
                    prefixes,
                )
            )
    return found
