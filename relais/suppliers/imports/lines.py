"""Judging one line of a supplier list: its values normalised, or the reason it is rejected.

The same function serves the preview and the application, so that what is applied is exactly what was shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relais.core.text import fold
from relais.core.validators import contains_markup, is_valid_siret, normalise_identifier
from relais.organisations.enums import StructureType
from relais.reference.models import Departement

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,30}$")
_SPLIT_TYPES = re.compile(r"\s*(?:[,/;+|]|\bet\b)\s*")
_MORE_TYPE_NAMES = {
    "entreprise d'insertion": StructureType.EI,
    "entreprise de travail temporaire d'insertion": StructureType.ETTI,
    "association intermediaire": StructureType.AI,
    "atelier chantier d'insertion": StructureType.ACI,
    "atelier et chantier d'insertion": StructureType.ACI,
    "ateliers et chantiers d'insertion": StructureType.ACI,
    "chantier d'insertion": StructureType.ACI,
    "entreprise d'insertion par le travail independant": StructureType.EITI,
    "entreprise adaptee": StructureType.EA,
    "ea/eatt": StructureType.EA,
    "eatt": StructureType.EA,
    "etablissement et service d'aide par le travail": StructureType.ESAT,
    "mutuelle": StructureType.MUTUAL,
    "fondation": StructureType.FOUNDATION,
    "cooperative": StructureType.SCOP,
}


def _type_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for value, label in StructureType.choices:
        names[value] = value
        names[fold(str(label))] = value
        acronym = re.search(r"\(([^)]+)\)", str(label))
        if acronym:
            names[fold(acronym.group(1))] = value
    names.update({fold(k): v for k, v in _MORE_TYPE_NAMES.items()})
    return names


TYPE_NAMES = _type_names()


@dataclass
class Judged:
    """A line's normalised values, or the reason it is rejected."""

    siret: str = ""
    reason: str = ""
    name: str = ""
    structure_types: list[str] = field(default_factory=list)
    departement_id: int | None = None
    city: str = ""
    postcode: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""

    @property
    def rejected(self) -> bool:
        return bool(self.reason)


def departement_index() -> dict[str, int]:
    """Département id by code ("35", "2A", "971") and by folded name ("ille-et-vilaine")."""
    index: dict[str, int] = {}
    for pk, code, name in Departement.objects.values_list("pk", "code", "name"):
        index[code.upper()] = pk
        index[fold(name)] = pk
    return index


def _departement_code(text: str) -> str:
    text = text.strip().upper()
    return text.zfill(2) if text.isdigit() and len(text) == 1 else text


def departement_of_postcode(postcode: str) -> str:
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):  # Corsica: 200xx-201xx Corse-du-Sud, 202xx-206xx Haute-Corse
        return "2A" if postcode[:3] in {"200", "201"} else "2B"
    return postcode[:2]


def structure_types(text: str) -> tuple[list[str], list[str]]:
    found, unknown = [], []
    for token in _SPLIT_TYPES.split(text.strip()):
        if not token:
            continue
        value = TYPE_NAMES.get(fold(token).strip(" .-"))
        if value is None:
            unknown.append(token)
        elif value not in found:
            found.append(value)
    return found, unknown


def judge(values: dict[str, str], departements: dict[str, int]) -> Judged:
    """Normalise a line's values (field → text as read) or say why it cannot be imported."""
    raw_siret = normalise_identifier(values.get("siret", ""))
    if raw_siret.isdigit() and len(raw_siret) == 13:  # a spreadsheet dropped the leading zero
        raw_siret = raw_siret.zfill(14)
    result = Judged(siret=raw_siret[:14])
    if not raw_siret:
        result.reason = "SIRET manquant."
        return result
    if len(raw_siret) != 14 or not raw_siret.isdigit():
        result.reason = f"SIRET invalide « {values.get('siret', '')} » : il compte 14 chiffres."
        return result
    if not is_valid_siret(raw_siret):
        result.reason = f"SIRET invalide « {raw_siret} » : la clé de contrôle ne correspond pas."
        return result
    if any(contains_markup(v) for v in values.values()):
        result.reason = "La ligne contient des balises HTML ou du script."
        return result
    name = values.get("name", "").strip()
    if len(name) > 255:
        result.reason = "Raison sociale trop longue (255 caractères au plus)."
        return result
    types, unknown = structure_types(values.get("structure_types", ""))
    if unknown:
        result.reason = f"Type de structure inconnu : « {', '.join(unknown)} »."
        return result
    postcode = values.get("postcode", "").replace(" ", "")
    if postcode.isdigit() and len(postcode) == 4:
        postcode = postcode.zfill(5)
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        result.reason = f"Code postal invalide « {values.get('postcode', '')} » : il compte 5 chiffres."
        return result
    departement_text = values.get("departement", "").strip()
    departement_id = None
    if departement_text:
        departement_id = departements.get(_departement_code(departement_text)) or departements.get(
            fold(departement_text)
        )
        if departement_id is None:
            result.reason = f"Département inconnu « {departement_text} »."
            return result
    elif postcode:
        departement_id = departements.get(departement_of_postcode(postcode))
    email = values.get("email", "").strip().lower()
    if email and not _EMAIL.match(email):
        result.reason = f"E-mail invalide « {email} »."
        return result
    phone = values.get("phone", "").strip()
    if phone and not _PHONE.match(phone):
        result.reason = f"Téléphone invalide « {phone} »."
        return result
    website = values.get("website", "").strip()
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    if website and (len(website) > 200 or " " in website or "." not in website):
        result.reason = f"Site web invalide « {values.get('website', '')} »."
        return result
    result.name, result.structure_types, result.departement_id = name, types, departement_id
    result.city, result.postcode = values.get("city", "").strip()[:120], postcode
    result.address = values.get("address", "").strip()[:255]
    result.email, result.phone, result.website = email[:254], phone, website
    return result
