"""The parameters of a contract search, read from a query string by one function for the search page, its exports
and the API: the valid values make the search, each invalid one gets a French message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils.http import urlencode

from relais.core.text import terms
from relais.core.validators import normalise_identifier
from relais.reference.models import Cpv, Departement, Region

from .enums import ContractType, Procedure

# Index terms are cut at this length (the column's); query terms are cut the same way to match them.
MAX_TERM_LENGTH: Final = 40
MAX_QUERY_LENGTH: Final = 200
MAX_QUERY_TERMS: Final = 10
MAX_AMOUNT: Final = Decimal("1000000000000000")

# Filter values of the considerations with their French labels. "unknown" (the 2019 format has no such field) is a
# value of its own, never counted as "none".
SOCIAL_FILTERS: Final[dict[str, str]] = {
    "some": "Au moins une considération sociale",
    "clause": "Clause sociale",
    "criterion": "Critère social",
    "reserved": "Marché réservé",
    "none": "Aucune considération sociale",
    "unknown": "Non renseigné (format 2019)",
}
ENVIRONMENTAL_FILTERS: Final[dict[str, str]] = {
    "some": "Au moins une considération environnementale",
    "clause": "Clause environnementale",
    "criterion": "Critère environnemental",
    "none": "Aucune considération environnementale",
    "unknown": "Non renseigné (format 2019)",
}
TYPE_CHOICES: Final = [(value, label) for value, label in ContractType.choices if value]
PROCEDURE_CHOICES: Final = [(value, label) for value, label in Procedure.choices if value]

# Query-string parameters, in the order of the filter form.
PARAMETERS: Final = (
    "q",
    "cpv",
    "type",
    "procedure",
    "social",
    "environmental",
    "notified_from",
    "notified_to",
    "amount_min",
    "amount_max",
    "region",
    "departement",
    "buyer",
    "holder",
)

_CPV = re.compile(r"(\d{2,8})(?:-\d)?", re.ASCII)
_TERRITORY = re.compile(r"\d{2,3}|2[AB]", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_PAGE = re.compile(r"\d{1,6}", re.ASCII)


@dataclass(frozen=True)
class PartyFilter:
    """A buyer or holder as typed: a SIRET (14 digits), a SIREN (9 digits) or words of its name."""

    text: str
    siret: str = ""
    siren: str = ""
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractSearch:
    """Parameters of a contract search, every one in the query string so that a search is a link. Results are
    always newest first (ADR 0011)."""

    q: str = ""
    cpv: str = ""  # 8 digits of a CPV 2008 code: the code and every code under it
    type: str = ""
    procedure: str = ""
    social: str = ""
    environmental: str = ""
    notified_from: dt.date | None = None
    notified_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    region: str = ""
    departement: str = ""
    buyer: PartyFilter | None = None
    holder: PartyFilter | None = None
    page: int = 1
    terms: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_querydict(cls, data: Mapping[str, Any]) -> ContractSearch:
        """The search of a query string, invalid values left out (see `parse_contract_search` for the messages)."""
        return parse_contract_search(data)[0]

    def query_items(self, *, page: bool = True) -> list[tuple[str, str]]:
        items = [(name, value) for name in PARAMETERS if (value := self.value_of(name))]
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def value_of(self, name: str) -> str:
        """A parameter as written in the query string ("" when not set)."""
        value = getattr(self, name)
        if value is None:
            return ""
        if isinstance(value, PartyFilter):
            return value.text
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return _plain_decimal(value)
        return str(value)

    def urlencode(self, **changes: Any) -> str:
        """The query string of this search with some parameters changed (back to page 1 unless given)."""
        changes.setdefault("page", 1)
        return urlencode(replace(self, **changes).query_items())

    def without(self, name: str) -> str:
        return self.urlencode(**{name: None if name in _OPTIONAL else ""})

    def is_empty(self) -> bool:
        return not any(self.value_of(name) for name in PARAMETERS)


_OPTIONAL = frozenset({"notified_from", "notified_to", "amount_min", "amount_max", "buyer", "holder"})


def _plain_decimal(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _values(data: Mapping[str, Any], name: str) -> str:
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if getlist else data.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw or [])
    return str(items[0]).strip() if items else ""


def _date(text: str) -> dt.date | None:
    iso = _ISO_DATE.fullmatch(text)
    french = _FRENCH_DATE.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if french:
            return dt.date(int(french[3]), int(french[2]), int(french[1]))
    except ValueError:
        return None
    return None


def _amount(text: str) -> Decimal | None:
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text).replace(",", ".")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _party(text: str) -> PartyFilter | str:
    """A PartyFilter, or the French message saying why the text cannot be one."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    digits = normalise_identifier(text)
    if digits.isdigit():
        if len(digits) == 14:
            return PartyFilter(text=digits, siret=digits)
        if len(digits) == 9:
            return PartyFilter(text=digits, siren=digits)
        return "Un SIRET a 14 chiffres et un SIREN 9 : vérifiez le numéro, ou saisissez un nom."
    words = tuple(dict.fromkeys(terms(text)))[:MAX_QUERY_TERMS]
    if not words:
        return "Saisissez un nom (quelques mots significatifs), un SIRET ou un SIREN."
    return PartyFilter(text=text, terms=words)


def parse_contract_search(data: Mapping[str, Any]) -> tuple[ContractSearch, dict[str, str]]:
    """Read a query string: the search made of its valid values, and a French message for each invalid one (the
    search page shows them next to the fields, the API answers 400 with them). Empty values are no filter.

    Reference values (CPV code, région, département) are checked against their tables only when present."""
    errors: dict[str, str] = {}
    chosen: dict[str, Any] = {}

    q = " ".join(_values(data, "q").split())[:MAX_QUERY_LENGTH]
    chosen["q"] = q
    chosen["terms"] = tuple(dict.fromkeys(term[:MAX_TERM_LENGTH] for term in terms(q)))[:MAX_QUERY_TERMS]

    if cpv := _values(data, "cpv").replace(" ", ""):
        match = _CPV.fullmatch(cpv)
        code8 = match[1].ljust(8, "0") if match else ""
        if code8 and Cpv.objects.filter(code8=code8).exists():
            chosen["cpv"] = code8
        else:
            errors["cpv"] = (
                f"Code CPV inconnu : « {cpv[:20]} ». Saisissez un code de la nomenclature CPV 2008, par exemple 45 "
                "(travaux) ou 55524000."
            )

    for name, allowed, message in (
        ("type", dict(TYPE_CHOICES), "Catégorie inconnue : choisissez travaux, fournitures ou services."),
        ("procedure", dict(PROCEDURE_CHOICES), "Procédure inconnue : choisissez-la dans la liste."),
        ("social", SOCIAL_FILTERS, "Choisissez une considération sociale de la liste."),
        ("environmental", ENVIRONMENTAL_FILTERS, "Choisissez une considération environnementale de la liste."),
    ):
        if value := _values(data, name):
            if value in allowed:
                chosen[name] = value
            else:
                errors[name] = message

    for name in ("notified_from", "notified_to"):
        if text := _values(data, name):
            date = _date(text)
            if date is None:
                errors[name] = "Date invalide : saisissez-la au format JJ/MM/AAAA, par exemple 01/03/2025."
            else:
                chosen[name] = date
    if chosen.get("notified_from") and chosen.get("notified_to") and chosen["notified_from"] > chosen["notified_to"]:
        errors["notified_to"] = "La date de fin doit être postérieure ou égale à la date de début."
        del chosen["notified_to"]

    for name in ("amount_min", "amount_max"):
        if text := _values(data, name):
            amount = _amount(text)
            if amount is None:
                errors[name] = "Montant invalide : saisissez un nombre d'euros, par exemple 40 000 ou 215000,50."
            elif amount < 0 or amount > MAX_AMOUNT:
                errors[name] = "Le montant doit être positif et inférieur à un million de milliards d'euros."
            else:
                chosen[name] = amount
    low, high = chosen.get("amount_min"), chosen.get("amount_max")
    if low is not None and high is not None and low > high:
        errors["amount_max"] = "Le montant maximum doit être supérieur ou égal au montant minimum."
        del chosen["amount_max"]

    region_code = _values(data, "region").upper()
    departement_code = _values(data, "departement").upper()
    if region_code:
        if _TERRITORY.fullmatch(region_code) and Region.objects.filter(code=region_code).exists():
            chosen["region"] = region_code
        else:
            errors["region"] = "Région inconnue : choisissez-la dans la liste."
    if departement_code:
        departement = (
            Departement.objects.filter(code=departement_code).select_related("region").first()
            if _TERRITORY.fullmatch(departement_code)
            else None
        )
        if departement is None:
            errors["departement"] = "Département inconnu : choisissez-le dans la liste."
        elif chosen.get("region") and (departement.region is None or departement.region.code != chosen["region"]):
            errors["departement"] = "Ce département n'appartient pas à la région choisie."
        else:
            chosen["departement"] = departement_code

    for name in ("buyer", "holder"):
        if text := _values(data, name):
            party = _party(text)
            if isinstance(party, str):
                errors[name] = party
            else:
                chosen[name] = party

    page = _values(data, "page")
    chosen["page"] = max(1, int(page)) if _PAGE.fullmatch(page) else 1
    return ContractSearch(**chosen), errors
