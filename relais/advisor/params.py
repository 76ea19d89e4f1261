"""The advisor's query parameters, read and checked once for the page and the API (same names, same French
messages): `cpv` (repeatable, or separated by commas or spaces; the first is the main object), `departement`,
`montant` (€ excl. VAT, optional), `type_acheteur`, `date` (AAAA-MM-JJ, today by default), `defense`, and the
insertion overrides `taux` (%), `part` (%), `cout_horaire` (€/h)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from relais.organisations.enums import BuyerCategory
from relais.reference.models import Cpv, Departement

from .enums import BuyerType
from .services import MAX_AMOUNT, MAX_CPV_CODES

FIRST_DATE = dt.date(2019, 4, 1)  # the Code de la commande publique; the rules start there
LAST_DATE = dt.date(2100, 12, 31)
MAX_HOURLY_COST = Decimal(1000)
_CPV = re.compile(r"^(\d{8})(?:-(\d))?$")
_SEPARATORS = re.compile(r"[\s,;]+")
_TRUE = {"1", "true", "on", "oui", "yes"}


@dataclass(frozen=True)
class AdviceParams:
    cpv_codes: tuple[str, ...]
    departement_code: str
    amount: Decimal | None
    buyer_type: str
    on: dt.date
    defence: bool = False
    insertion_rate: Decimal | None = None
    labour_share: Decimal | None = None
    hourly_cost: Decimal | None = None


def _values(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if callable(getlist) else data.get(name, [])
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(item) for item in items if item is not None]


def _decimal(text: str, name: str, errors: dict[str, str], low: Decimal, high: Decimal, message: str) -> Decimal | None:
    cleaned = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        errors[name] = message
        return None
    if not value.is_finite() or value < low or value > high:
        errors[name] = message
        return None
    return value


def _cpv_codes(data: Mapping[str, Any], errors: dict[str, str]) -> tuple[str, ...]:
    tokens = [token for value in _values(data, "cpv") for token in _SEPARATORS.split(value) if token]
    if not tokens:
        errors["cpv"] = "Indiquez au moins un code CPV (8 chiffres, par exemple 45442100)."
        return ()
    if len(tokens) > MAX_CPV_CODES:
        errors["cpv"] = f"Indiquez au plus {MAX_CPV_CODES} codes CPV."
        return ()
    codes: list[str] = []
    bad: list[str] = []
    for token in tokens:
        match = _CPV.match(token)
        if not match:
            bad.append(token[:20])
        else:
            codes.append(match.group(1))
    if bad:
        errors["cpv"] = f"Code(s) CPV invalide(s) : {', '.join(bad)} (8 chiffres, avec ou sans clé : 45442100-1)."
        return ()
    known = dict(Cpv.objects.filter(code8__in=codes).values_list("code8", "check_digit"))
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors["cpv"] = f"Code(s) absent(s) de la nomenclature CPV 2008 : {', '.join(unknown)}."
        return ()
    wrong = [token for token in tokens if "-" in token and token.split("-")[1] != known[token[:8]]]
    if wrong:
        errors["cpv"] = f"Clé de contrôle incorrecte : {', '.join(wrong)}."
        return ()
    return tuple(dict.fromkeys(codes))


def parse_advice_params(data: Mapping[str, Any]) -> tuple[AdviceParams | None, dict[str, str]]:
    """The parameters and, by parameter name, the French message of each bad one (None when any is bad)."""
    errors: dict[str, str] = {}
    codes = _cpv_codes(data, errors)
    departement = (_values(data, "departement") or [""])[0].strip().upper()
    if not departement:
        errors["departement"] = "Choisissez le département du lieu d'exécution."
    elif not Departement.objects.filter(code=departement).exists():
        errors["departement"] = f"Département « {departement[:10]} » inconnu (code INSEE : 35, 2A, 974…)."
    amount = _decimal(
        (_values(data, "montant") or [""])[0],
        "montant",
        errors,
        Decimal(0),
        MAX_AMOUNT - 1,
        "Saisissez un montant en euros HT, positif, par exemple 250000 ou 250000,50.",
    )
    buyer_type = (_values(data, "type_acheteur") or [""])[0].strip() or BuyerType.LOCAL
    if buyer_type not in BuyerType.values and buyer_type not in BuyerCategory.values:
        errors["type_acheteur"] = "Type d'acheteur inconnu : " + ", ".join(BuyerType.values) + "."
    raw_date = (_values(data, "date") or [""])[0].strip()
    on = timezone.localdate()
    if raw_date:
        try:
            on = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors["date"] = "Date invalide : format AAAA-MM-JJ, par exemple 2026-09-01."
        else:
            if not FIRST_DATE <= on <= LAST_DATE:
                errors["date"] = f"Choisissez une date entre le {FIRST_DATE:%d/%m/%Y} et le {LAST_DATE:%d/%m/%Y}."
    percent = "Saisissez un pourcentage entre 0 et 100, par exemple 5 ou 7,5."
    rate = _decimal((_values(data, "taux") or [""])[0], "taux", errors, Decimal(0), Decimal(100), percent)
    share = _decimal((_values(data, "part") or [""])[0], "part", errors, Decimal(0), Decimal(100), percent)
    cost = _decimal(
        (_values(data, "cout_horaire") or [""])[0],
        "cout_horaire",
        errors,
        Decimal("0.01"),
        MAX_HOURLY_COST,
        "Saisissez un coût horaire en euros, supérieur à 0 et d'au plus 1 000 €/h, par exemple 30.",
    )
    if errors:
        return None, errors
    defence = (_values(data, "defense") or [""])[0].strip().lower() in _TRUE
    return AdviceParams(codes, departement, amount, buyer_type, on, defence, rate, share, cost), {}
