"""Social insertion clause (execution condition, CCP L2112-2) and its estimated hours, by the facilitators' usual
formula: hours = amount excl. VAT × labour-cost share × insertion rate ÷ loaded hourly cost
(1,000,000 € × 50 % × 5 % ÷ 30 €/h ≈ 833 h).

Every input is a dated, editable default (`insertion_default` rows; the labour share by CPV prefix in
`labour_share_cpv` rows, the most precise prefix of the main CPV code first, else the default of the category) and
each may be overridden by the user; the page shows where each came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from relais.organisations.enums import StructureType

from .enums import PurchaseCategory, Verdict
from .results import Recommendation
from .rules import INSERTION_DEFAULT, LABOUR_SHARE_CPV, LEVER, RuleBook, RuleRef
from .suppliers import count_suppliers

# Structures through which a holder can fulfil the clause: hiring via an ETTI, staff from an AI or a GEIQ,
# subcontracting or co-contracting with an EI, ACI, EA or ESAT (domain brief §3).
INSERTION_PARTNERS = tuple(sorted({*StructureType.siae(), *StructureType.disability(), StructureType.GEIQ}))
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Overrides:
    """Values the user typed instead of the defaults (percents for the rate and share, €/h for the cost)."""

    insertion_rate: Decimal | None = None
    labour_share: Decimal | None = None
    hourly_cost: Decimal | None = None


@dataclass(frozen=True)
class Input:
    value: Decimal | None
    rule: RuleRef | None
    overridden: bool

    def describe(self, name: str, unit: str) -> str:
        if self.value is None:
            return f"{name} : inconnu(e) (aucune valeur par défaut en vigueur)"
        shown = f"{self.value.normalize():f}\u00a0{unit}"
        if self.overridden:
            return f"{name} : {shown} (saisi par vous)"
        if self.rule is None:
            return f"{name} : {shown}"
        return (
            f"{name} : {shown} (valeur par défaut « {self.rule.label} », en vigueur depuis le "
            f"{self.rule.valid_from:%d/%m/%Y} ; {self.rule.source or self.rule.legal_reference})"
        )


def insertion_hours(amount: Decimal, labour_share: Decimal, insertion_rate: Decimal, hourly_cost: Decimal) -> int:
    """The facilitators' formula, shares in percent, rounded to the nearest hour."""
    hours = amount * labour_share / HUNDRED * insertion_rate / HUNDRED / hourly_cost
    return int(hours.to_integral_value(ROUND_HALF_UP))


def _default_share(book: RuleBook, category: PurchaseCategory, code8: str) -> RuleRef | None:
    by_cpv = book.cpv_match(LABOUR_SHARE_CPV, code8)
    if by_cpv:
        return by_cpv
    family = {PurchaseCategory.WORKS: "works", PurchaseCategory.SUPPLIES: "supplies"}.get(category, "services")
    return book.get(INSERTION_DEFAULT, f"labour_share_default_{family}")


def _input(override: Decimal | None, rule: RuleRef | None) -> Input:
    if override is not None:
        return Input(override, None, True)
    return Input(rule.value if rule else None, rule, False)


def insertion_clause(
    *,
    book: RuleBook,
    codes8: list[str],
    category: PurchaseCategory,
    departement_code: str,
    amount: Decimal | None,
    overrides: Overrides,
    show_unlisted: bool,
) -> Recommendation:
    share = _input(overrides.labour_share, _default_share(book, category, codes8[0]))
    rate = _input(overrides.insertion_rate, book.get(INSERTION_DEFAULT, "insertion_rate"))
    cost = _input(overrides.hourly_cost, book.get(INSERTION_DEFAULT, "hourly_loaded_cost"))
    lever = book.get(LEVER, "insertion_clause")
    partners = count_suppliers(
        structure_types=INSERTION_PARTNERS,
        cpv_codes=codes8,
        departement_code=departement_code,
        service_kinds=[],
        on=book.on,
        amount=None,
        size_share=HUNDRED,
        show_unlisted=show_unlisted,
    )
    details = (
        f"Montant estimé : {amount.normalize():f}\u00a0€ HT" if amount is not None else "Montant estimé : inconnu",
        share.describe("Part de main-d'œuvre", "%"),
        rate.describe("Taux d'insertion", "%"),
        cost.describe("Coût horaire chargé", "€/h"),
    )
    figures: dict[str, object] = {
        "amount": amount,
        "labour_share": share.value,
        "labour_share_rule": share.rule.code if share.rule else None,
        "insertion_rate": rate.value,
        "hourly_cost": cost.value,
        "hours": None,
        "partners": partners.eligible,
    }
    partners_text = (
        f" {partners.eligible_text} structure(s) d'insertion, EA, ESAT ou GEIQ de l'annuaire couvre(nt) le "
        f"département {departement_code} pour ces codes et peuvent aider le titulaire (embauche, mise à disposition, "
        "sous-traitance)."
    )
    if amount is None or share.value is None or rate.value is None or not cost.value:
        explanation = "Indiquez le montant estimé pour calculer les heures d'insertion." + partners_text
        verdict = Verdict.POSSIBLE
    else:
        hours = insertion_hours(amount, share.value, rate.value, cost.value)
        figures["hours"] = hours
        explanation = (
            f"Environ {hours} heures d'insertion : {amount.normalize():f} € HT × {share.value.normalize():f} % "
            f"× {rate.value.normalize():f} % ÷ {cost.value.normalize():f} €/h." + partners_text
        )
        verdict = Verdict.POSSIBLE if category == PurchaseCategory.SUPPLIES else Verdict.RECOMMENDED
    rules = tuple(rule for rule in (lever, share.rule, rate.rule, cost.rule) if rule)
    return Recommendation(
        "insertion_clause",
        "Clause sociale d'insertion",
        verdict,
        explanation,
        lever.legal_reference if lever else "Code de la commande publique, art. L2112-2",
        rules,
        figures,
        details,
        suppliers=partners.shown,
    )
