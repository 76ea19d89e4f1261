"""Reserved contracts and reserved lots (Code de la commande publique L2113-12 to L2113-15): which bases apply to the
purchase and whether they are realistic given the suppliers of the directory covering the place and their size.

- L2113-12: enterprises employing disabled workers (EA, ESAT); L2113-13: SIAE; L2113-14: one contract or lot
  reserved to both; each with at least 50 % of such workers (R2113-7, dated rule `reserved_contract`).
- L2113-15: SSE enterprises, only for the health, social and cultural services listed (R2113-8, rows
  `reserved_sse_services_cpv`): the contract is reserved only when *every* CPV code is listed; 3 years at most.
- Realistic: at least `advisor_default/reserved_min_compatible_suppliers` structures of a size compatible with the
  amount; a few → envisageable; all of them small → reserve a lot instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from relais.organisations.enums import StructureType
from relais.suppliers.enums import ServiceKind

from .enums import PurchaseCategory, Verdict
from .results import Recommendation
from .rules import ADVISOR_DEFAULT, LEVER, RESERVED_CONTRACT, RESERVED_SSE_CPV, RuleBook, RuleRef
from .suppliers import SupplierCount, count_suppliers

DEFAULT_MIN_SUPPLIERS = Decimal(3)
DEFAULT_SIZE_SHARE = Decimal(100)

SSE_TYPES = (
    StructureType.ESUS,
    StructureType.SCOP,
    StructureType.SCIC,
    StructureType.ASSOCIATION,
    StructureType.MUTUAL,
    StructureType.FOUNDATION,
    StructureType.SSE_COMPANY,
    StructureType.OTHER_SSE,
)


@dataclass(frozen=True)
class Basis:
    code: str
    title: str
    lever: str  # code of the `legal_lever` rule
    structure_types: tuple[str, ...]
    who: str


BASES = (
    Basis(
        "reserved_l2113_12",
        "Marché réservé aux entreprises adaptées et ESAT (L2113-12)",
        "reserved_disabled_workers",
        tuple(sorted(StructureType.disability())),
        "EA ou ESAT",
    ),
    Basis(
        "reserved_l2113_13",
        "Marché réservé aux structures d'insertion par l'activité économique (L2113-13)",
        "reserved_disadvantaged_workers",
        tuple(sorted(StructureType.siae())),
        "SIAE",
    ),
    Basis(
        "reserved_l2113_14",
        "Marché réservé aux EA, ESAT et SIAE ensemble (L2113-14)",
        "reserved_both",
        tuple(sorted(StructureType.disability() | StructureType.siae())),
        "EA, ESAT ou SIAE",
    ),
)
SSE_BASIS = Basis(
    "reserved_l2113_15",
    "Marché réservé aux entreprises de l'ESS pour des services sociaux, de santé ou culturels (L2113-15)",
    "reserved_sse_services",
    tuple(sorted(SSE_TYPES)),
    "structures de l'ESS",
)


def service_kinds_for(category: PurchaseCategory) -> list[str]:
    if category == PurchaseCategory.WORKS:
        return [ServiceKind.WORKS]
    if category == PurchaseCategory.SUPPLIES:
        return [ServiceKind.SUPPLY]
    return [ServiceKind.SERVICE, ServiceKind.STAFF_PROVISION]


def _counts_text(count: SupplierCount, who: str, departement_code: str, amount: Decimal | None) -> str:
    text = f"{count.eligible_text} {who} de l'annuaire couvre(nt) le département {departement_code} pour ces codes CPV"
    if amount is None:
        return text + " (taille non comparée : montant inconnu)."
    text += f", dont {count.compatible} de taille compatible avec le montant"
    if count.small:
        text += f", {count.small} petite(s) pour ce montant"
    if count.unknown_size:
        text += f", {count.unknown_size} au chiffre d'affaires inconnu"
    return text + "."


def _realism(count: SupplierCount, amount: Decimal | None, minimum: Decimal) -> tuple[Verdict, str]:
    usable = count.eligible if amount is None else count.compatible
    if usable >= minimum:
        return Verdict.RECOMMENDED, "Réserver le marché est réaliste."
    if usable or count.unknown_size:
        return Verdict.POSSIBLE, "Envisageable, mais la concurrence sera faible : vérifiez par un sourçage."
    if count.eligible:
        return Verdict.UNREALISTIC, "Les structures présentes sont petites pour ce montant : réservez plutôt un lot."
    return Verdict.UNREALISTIC, "Aucune structure de l'annuaire ne pourrait répondre : réservation peu réaliste."


def reserved_contracts(
    *,
    book: RuleBook,
    codes8: list[str],
    category: PurchaseCategory,
    departement_code: str,
    amount: Decimal | None,
    service_kinds: Sequence[str],
    show_unlisted: bool,
) -> list[Recommendation]:
    minimum = book.value(ADVISOR_DEFAULT, "reserved_min_compatible_suppliers") or DEFAULT_MIN_SUPPLIERS
    size_share = book.value(ADVISOR_DEFAULT, "supplier_size_min_turnover_share") or DEFAULT_SIZE_SHARE
    defaults = tuple(
        rule
        for rule in (
            book.get(ADVISOR_DEFAULT, "reserved_min_compatible_suppliers"),
            book.get(ADVISOR_DEFAULT, "supplier_size_min_turnover_share"),
        )
        if rule
    )
    kinds = list(service_kinds) or service_kinds_for(category)
    share = book.get(RESERVED_CONTRACT, "min_share_disadvantaged_workers")
    counts: dict[str, SupplierCount] = {}
    items: list[Recommendation] = []

    def count(basis: Basis) -> SupplierCount:
        return count_suppliers(
            structure_types=basis.structure_types,
            cpv_codes=codes8,
            departement_code=departement_code,
            service_kinds=kinds,
            on=book.on,
            amount=amount,
            size_share=size_share,
            show_unlisted=show_unlisted,
        )

    for basis in BASES:
        counts[basis.code] = found = count(basis)
        verdict, conclusion = _realism(found, amount, minimum)
        lever = book.get(LEVER, basis.lever)
        condition = (
            f" Les titulaires doivent employer au moins {share.value.normalize():f} % de travailleurs handicapés ou "
            "défavorisés."
            if share and share.value is not None
            else ""
        )
        items.append(
            Recommendation(
                basis.code,
                basis.title,
                verdict,
                f"{_counts_text(found, basis.who, departement_code, amount)} {conclusion}{condition}",
                lever.legal_reference if lever else f"Code de la commande publique, art. {basis.code[-8:]}",
                tuple(rule for rule in (lever, share, *defaults) if rule),
                {**found.as_dict(), "amount": amount, "min_compatible_suppliers": minimum},
                suppliers=found.shown,
            )
        )
    items.append(_sse_contract(book, codes8, departement_code, amount, count, minimum, defaults))
    items.append(_reserved_lot(book, counts, amount, minimum))
    return items


def _sse_contract(
    book: RuleBook,
    codes8: list[str],
    departement_code: str,
    amount: Decimal | None,
    count: Callable[[Basis], SupplierCount],
    minimum: Decimal,
    defaults: tuple[RuleRef, ...],
) -> Recommendation:
    lever = book.get(LEVER, SSE_BASIS.lever)
    listed = {code: book.cpv_match(RESERVED_SSE_CPV, code) for code in codes8}
    missing = [code for code, row in listed.items() if row is None]
    reference = lever.legal_reference if lever else "Code de la commande publique, art. L2113-15 et R2113-8"
    list_rules = tuple(dict.fromkeys(row for row in listed.values() if row))
    figures: dict[str, object] = {"listed_codes": len(codes8) - len(missing), "unlisted_codes": missing}
    if missing:
        return Recommendation(
            SSE_BASIS.code,
            SSE_BASIS.title,
            Verdict.NOT_APPLICABLE,
            f"{len(missing)} code(s) CPV sur {len(codes8)} ne figure(nt) pas dans la liste des services de santé, "
            f"sociaux et culturels réservables ({', '.join(missing)}) : tous les codes doivent y figurer.",
            reference,
            tuple(rule for rule in (lever, *list_rules) if rule),
            figures,
        )
    found = count(SSE_BASIS)
    verdict, conclusion = _realism(found, amount, minimum)
    years = f" Durée de {lever.value.normalize():f} ans au plus" if lever and lever.value is not None else ""
    return Recommendation(
        SSE_BASIS.code,
        SSE_BASIS.title,
        verdict,
        f"Tous les codes CPV ({len(codes8)}) sont des services réservables. "
        f"{_counts_text(found, SSE_BASIS.who, departement_code, amount)} {conclusion}{years}"
        + (", et pas deux fois de suite au même titulaire sur cette base en trois ans." if years else ""),
        reference,
        tuple(rule for rule in (lever, *list_rules, *defaults) if rule),
        {**figures, **found.as_dict(), "amount": amount, "max_years": lever.value if lever else None},
        suppliers=found.shown,
    )


def _reserved_lot(
    book: RuleBook, counts: dict[str, SupplierCount], amount: Decimal | None, minimum: Decimal
) -> Recommendation:
    """A lot can be reserved on the same bases (L2113-12 to L2113-14): the way out when the structures covering the
    place are too small for the whole contract."""
    both = counts["reserved_l2113_14"]
    lever = book.get(LEVER, "reserved_both")
    figures = {"eligible": both.eligible, "compatible_size": both.compatible, "small_for_amount": both.small}
    whole_ok = amount is None or both.compatible >= minimum
    if not both.eligible:
        verdict = Verdict.UNREALISTIC
        explanation = "Aucune EA, ESAT ou SIAE de l'annuaire ne couvre le lieu pour ces codes : pas de lot réservable."
    elif whole_ok:
        verdict = Verdict.POSSIBLE
        explanation = (
            f"{both.eligible_text} EA, ESAT ou SIAE couvrent le lieu : un lot réservé est possible si le marché est "
            "alloti, même si le marché entier peut être réservé."
        )
    else:
        verdict = Verdict.RECOMMENDED
        explanation = (
            f"{both.eligible_text} EA, ESAT ou SIAE couvrent le lieu, dont {both.compatible} de taille compatible "
            "avec le montant total : allotissez et réservez un lot à leur mesure."
        )
    return Recommendation(
        "reserved_lot",
        "Lot réservé (L2113-12 à L2113-14)",
        verdict,
        explanation,
        lever.legal_reference if lever else "Code de la commande publique, art. L2113-12 à L2113-14",
        (lever,) if lever else (),
        figures,
    )
