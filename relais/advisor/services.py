"""The legal-lever advisor: for a purchase (CPV codes, département, estimated amount, buyer type, date), which
procedure regime applies and which social and environmental levers fit, each with its legal reference, the dated
rule that produced it and the counts behind it.

The rules are public law read from the dated tables (`relais.reference`, ADR 0017); the advisor never writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from relais.organisations.enums import BuyerCategory
from relais.reference.models import Cpv, Departement

from . import insertion, reserved
from .enums import BuyerType, PurchaseCategory, Verdict
from .results import Advice, Recommendation
from .rules import (
    CLIMATE,
    EU_THRESHOLD,
    LEVER,
    NO_ADVERTISING,
    RuleBook,
    RuleRef,
    category_of,
    code8_of,
    labels_for,
)

MAX_CPV_CODES = 20
MAX_AMOUNT = Decimal(10) ** 11  # 100 billion € excl. VAT: beyond, a typing mistake


class AdvisorError(ValueError):
    """The purchase cannot be analysed as given; the message says why, in French."""


def buyer_type_of(category: str) -> BuyerType:
    """The EU-threshold family of a buyer: a `BuyerType` value, or an organisation's `BuyerCategory` (the State's
    services are "central government authorities", every other public buyer counts as a local or other one)."""
    if category in BuyerType.values:
        return BuyerType(category)
    if category in BuyerCategory.values:
        return BuyerType.STATE if category == BuyerCategory.STATE else BuyerType.LOCAL
    raise AdvisorError(
        _("Type d'acheteur « %(category)s » inconnu : %(known)s.")
        % {"category": category, "known": ", ".join(BuyerType.values)}
    )


def _euros(value: Decimal) -> str:
    return f"{int(value.to_integral_value(ROUND_HALF_UP)):,}".replace(",", "\u202f") + "\u00a0€"


def _eu_threshold_code(category: PurchaseCategory, buyer_type: BuyerType) -> str:
    if category == PurchaseCategory.WORKS:
        return "works"
    if category == PurchaseCategory.SOCIAL_SPECIFIC:
        return "social_specific_services"
    return f"supplies_services_{buyer_type.value}"


def eu_threshold(book: RuleBook, category: PurchaseCategory, buyer_type: BuyerType) -> RuleRef | None:
    return book.get(EU_THRESHOLD, _eu_threshold_code(category, buyer_type))


def procedure_regime(
    *, book: RuleBook, category: PurchaseCategory, buyer_type: BuyerType, amount: Decimal | None
) -> Recommendation:
    """No advertising needed below the R2122-8 threshold ("inférieure à"); adapted procedure below the EU threshold;
    formalised procedure at or above it (R2124-1, "égale ou supérieure"); social and other specific services may
    follow an adapted procedure whatever their amount (R2123-1 3°), with European advertising from 750 k€."""
    no_ad_code = "works" if category == PurchaseCategory.WORKS else "supplies_services"
    no_ad = book.get(NO_ADVERTISING, no_ad_code)
    eu = eu_threshold(book, category, buyer_type)
    rules = tuple(rule for rule in (no_ad, eu) if rule)
    figures: dict[str, object] = {
        "amount": amount,
        "category": category.value,
        "no_advertising_threshold": no_ad.value if no_ad else None,
        "eu_threshold": eu.value if eu else None,
    }
    title = "Procédure de passation"
    if no_ad is None or no_ad.value is None or eu is None or eu.value is None:
        return Recommendation(
            "procedure",
            title,
            Verdict.INFO,
            f"Aucun seuil de procédure n'est connu de Relais au {book.on:%d/%m/%Y} : consultez les textes en vigueur.",
            "Code de la commande publique, art. R2122-8, R2123-1 et R2124-1",
            rules,
            figures,
        )
    thresholds = (
        f"Seuils au {book.on:%d/%m/%Y} ({category.label.lower()}, {buyer_type.label.lower()}) : dispense de procédure "
        f"en dessous de {_euros(no_ad.value)} HT, seuil européen {_euros(eu.value)} HT."
    )
    if amount is None:
        return Recommendation(
            "procedure",
            title,
            Verdict.INFO,
            "Indiquez le montant estimé pour connaître la procédure. " + thresholds,
            "Code de la commande publique, art. R2122-8, R2123-1 et R2124-1",
            rules,
            figures,
        )
    if amount < no_ad.value:
        regime, explanation, reference = (
            "no_advertising",
            f"{_euros(amount)} HT est inférieur à {_euros(no_ad.value)} HT : le marché peut être passé sans "
            "publicité ni mise en concurrence préalables (choisir une offre pertinente, faire une bonne utilisation "
            "des deniers publics et ne pas contracter systématiquement avec le même opérateur).",
            no_ad.legal_reference,
        )
    elif amount < eu.value or category == PurchaseCategory.SOCIAL_SPECIFIC:
        regime = "adapted"
        reference = "Code de la commande publique, art. R2123-1"
        if amount < eu.value:
            explanation = (
                f"{_euros(amount)} HT est au moins égal à {_euros(no_ad.value)} HT et inférieur au seuil européen de "
                f"{_euros(eu.value)} HT : procédure adaptée (publicité et mise en concurrence librement organisées)."
            )
        else:
            explanation = (
                f"Services sociaux et autres services spécifiques : procédure adaptée quel que soit le montant "
                f"(R2123-1 3°) ; à {_euros(amount)} HT, au moins égal à {_euros(eu.value)} HT, la publicité "
                "européenne s'impose."
            )
            reference += " 3°"
    else:
        regime, reference = "formalised", "Code de la commande publique, art. R2124-1"
        explanation = (
            f"{_euros(amount)} HT est égal ou supérieur au seuil européen de {_euros(eu.value)} HT : procédure "
            "formalisée (appel d'offres, procédure avec négociation ou dialogue compétitif) et publicité au JOUE."
        )
    figures["regime"] = regime
    return Recommendation("procedure", title, Verdict.INFO, explanation + " " + thresholds, reference, rules, figures)


def climate_obligations(
    *, book: RuleBook, category: PurchaseCategory, buyer_type: BuyerType, amount: Decimal | None, defence: bool
) -> list[Recommendation]:
    """Art. 35 of the Climate and Resilience law, in force for consultations from the date of its dated rules
    (2026-08-21): an environmental execution condition and award criterion in every contract; a social execution
    condition at or above the EU thresholds. Defence and security contracts are excluded."""
    items: list[Recommendation] = []
    env = book.get(CLIMATE, "environmental_condition_and_criterion")
    social = book.get(CLIMATE, "social_condition_above_eu_threshold")
    reference = "Loi n° 2021-1104 (Climat et résilience), art. 35 ; CCP art. L2112-2 et L2152-7"
    date = f"{book.on:%d/%m/%Y}"
    if defence:
        items.append(
            Recommendation(
                "climate_environmental",
                "Considération environnementale obligatoire (art. 35)",
                Verdict.NOT_APPLICABLE,
                "Marché de défense ou de sécurité : l'article 35 ne s'applique pas.",
                reference,
                (env,) if env else (),
            )
        )
        return items
    if env:
        items.append(
            Recommendation(
                "climate_environmental",
                "Condition d'exécution et critère d'attribution environnementaux (art. 35)",
                Verdict.REQUIRED,
                f"Pour une consultation engagée le {date} : au moins une condition d'exécution environnementale et "
                f"au moins un critère d'attribution environnemental (règle en vigueur depuis le "
                f"{env.valid_from:%d/%m/%Y}). L'attribution au seul prix n'est plus possible.",
                env.legal_reference,
                (env,),
            )
        )
    else:
        items.append(
            Recommendation(
                "climate_environmental",
                "Condition d'exécution et critère d'attribution environnementaux (art. 35)",
                Verdict.RECOMMENDED,
                f"Au {date}, l'obligation de l'article 35 n'est pas encore en vigueur : la considération "
                "environnementale reste recommandée (objectif national : 100 % des marchés).",
                reference,
            )
        )
    eu = eu_threshold(book, category, buyer_type)
    above = amount is not None and eu is not None and eu.value is not None and amount >= eu.value
    figures = {"amount": amount, "eu_threshold": eu.value if eu else None, "at_or_above_eu_threshold": above}
    rules = tuple(rule for rule in (social, eu) if rule)
    title = "Condition d'exécution sociale (art. 35)"
    if social and above and eu and eu.value is not None and amount is not None:
        verdict, explanation = (
            Verdict.REQUIRED,
            f"{_euros(amount)} HT est égal ou supérieur au seuil européen de {_euros(eu.value)} HT : une condition "
            f"d'exécution sociale est obligatoire (règle en vigueur depuis le {social.valid_from:%d/%m/%Y}), par "
            "exemple une clause d'insertion.",
        )
    elif social:
        verdict, explanation = (
            Verdict.RECOMMENDED,
            "En dessous du seuil européen"
            + (f" ({_euros(eu.value)} HT)" if eu and eu.value is not None else "")
            + " ou sans montant connu, la condition sociale n'est pas obligatoire ; elle reste recommandée.",
        )
    else:
        verdict, explanation = (
            Verdict.RECOMMENDED,
            f"Au {date}, l'obligation de l'article 35 n'est pas encore en vigueur : la condition sociale reste "
            "recommandée (objectif national : 30 % des marchés).",
        )
    items.append(Recommendation("climate_social", title, verdict, explanation, reference, rules, figures))
    return items


def award_criteria(*, book: RuleBook, codes8: list[str], category: PurchaseCategory) -> list[Recommendation]:
    """A social award criterion (R2152-7: performance in the professional integration of people in difficulty) and
    environmental criteria with the registry's labels for the CPV codes, always "ou équivalent" (R2111-12 ff.)."""
    social = book.get(LEVER, "social_award_criterion")
    items = [
        Recommendation(
            "social_criterion",
            "Critère d'attribution social",
            Verdict.POSSIBLE,
            "Un critère lié à l'objet du marché peut porter sur les performances en matière d'insertion "
            "professionnelle des publics en difficulté ; pondérez-le et dites comment il sera noté.",
            social.legal_reference if social else "Code de la commande publique, art. R2152-7",
            (social,) if social else (),
        )
    ]
    env = book.get(LEVER, "environmental_award_criterion")
    label_rule = book.get(LEVER, "label_or_equivalent")
    labels = labels_for(codes8)
    if labels:
        names = ", ".join(label.name for label in labels)
        explanation = (
            f"{len(labels)} label(s) du registre concernent ces codes CPV : {names}. Exigez-les dans les "
            "spécifications ou comme moyen de preuve en ajoutant toujours « ou équivalent »."
        )
    else:
        explanation = (
            "Aucun label du registre ne concerne ces codes CPV : fixez des critères environnementaux propres "
            "(cycle de vie, émissions, réemploi, circuits courts…)."
        )
    items.append(
        Recommendation(
            "environmental_criteria",
            "Critères environnementaux et labels",
            Verdict.RECOMMENDED,
            explanation,
            "Code de la commande publique, art. R2152-7 et R2111-12 à R2111-17",
            tuple(rule for rule in (env, label_rule) if rule),
            {"labels": len(labels)},
            labels=tuple(labels),
        )
    )
    return items


def advise(
    *,
    cpv_codes: Sequence[str],
    departement_code: str,
    amount: Decimal | None,
    buyer_category: str,
    on: dt.date,
    service_kinds: Sequence[str] = (),
    defence: bool = False,
    insertion_rate: Decimal | None = None,
    labour_share: Decimal | None = None,
    hourly_cost: Decimal | None = None,
    show_unlisted: bool = False,
) -> Advice:
    """The legal levers for a purchase. The first CPV code is the main object (it decides works, supplies or
    services); `insertion_rate`, `labour_share` (percents) and `hourly_cost` (€/h) override the dated defaults;
    `show_unlisted` names suppliers without a public page (members only; counts always include them)."""
    codes8 = list(dict.fromkeys(code8_of(code) for code in cpv_codes if code.strip()))
    if not codes8:
        raise AdvisorError(_("Indiquez au moins un code CPV."))
    if len(codes8) > MAX_CPV_CODES:
        raise AdvisorError(_("Indiquez au plus %(count)s codes CPV.") % {"count": MAX_CPV_CODES})
    known = set(Cpv.objects.filter(code8__in=codes8).values_list("code8", flat=True))
    unknown = [code for code in codes8 if code not in known]
    if unknown:
        raise AdvisorError(
            _("Code(s) CPV inconnu(s) dans la nomenclature CPV 2008 : %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    departement = Departement.objects.filter(code=departement_code).first()
    if departement is None:
        raise AdvisorError(
            _("Département « %(code)s » inconnu (code INSEE : 35, 2A, 974…).") % {"code": departement_code}
        )
    if amount is not None and (amount < 0 or amount >= MAX_AMOUNT):
        raise AdvisorError(_("Le montant estimé doit être positif et inférieur à 100 milliards d'euros."))
    buyer_type = buyer_type_of(buyer_category)
    book = RuleBook(on)
    category = category_of(codes8[0], book)
    recommendations = [
        procedure_regime(book=book, category=category, buyer_type=buyer_type, amount=amount),
        *reserved.reserved_contracts(
            book=book,
            codes8=codes8,
            category=category,
            departement_code=departement.code,
            amount=amount,
            service_kinds=service_kinds,
            show_unlisted=show_unlisted,
        ),
        insertion.insertion_clause(
            book=book,
            codes8=codes8,
            category=category,
            departement_code=departement.code,
            amount=amount,
            overrides=insertion.Overrides(insertion_rate, labour_share, hourly_cost),
            show_unlisted=show_unlisted,
        ),
        *award_criteria(book=book, codes8=codes8, category=category),
        *climate_obligations(book=book, category=category, buyer_type=buyer_type, amount=amount, defence=defence),
    ]
    notes = (
        "Le premier code CPV est l'objet principal : il détermine la nature du marché (travaux, fournitures ou "
        "services).",
        "Les nombres de structures viennent de l'annuaire de Relais : une structure absente de l'annuaire n'est pas "
        "comptée.",
    )
    return Advice(
        on=on,
        cpv_codes=tuple(codes8),
        category=category,
        buyer_type=buyer_type,
        departement_code=departement.code,
        departement_name=departement.name,
        amount=amount,
        defence=defence,
        recommendations=tuple(recommendations),
        notes=notes,
    )
