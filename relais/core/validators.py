"""Validators used at every boundary (forms, API, imports). Messages are in French."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# SIREN of La Poste: its establishments' SIRETs do not follow the Luhn key but the sum of their digits is a
# multiple of 5 (rule published by INSEE for this historic exception).
LA_POSTE_SIREN = "356000000"

# A tag opens with "<" directly followed by a letter, "/", "!" or "?" (as browsers parse it), so that comparisons in
# plain text ("montant < 40 k€ et > 25 k€") are not taken for markup; event handlers ("onclick=") must start a word,
# so that "montant = 50 k€" is not taken for one.
_HTML = re.compile(r"<(?:/?[a-z]|[!?])[^>]*>|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_identifier(value: str) -> str:
    """Spaces, dots and dashes are common in pasted SIRETs: drop them."""
    return re.sub(r"[\s.\-]", "", value or "")


def is_valid_siren(value: str) -> bool:
    value = normalise_identifier(value)
    return len(value) == 9 and value.isdigit() and (value == LA_POSTE_SIREN or luhn_ok(value))


def is_valid_siret(value: str) -> bool:
    value = normalise_identifier(value)
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return luhn_ok(value) or sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value) and luhn_ok(value[:9])


def validate_siret(value: str) -> None:
    cleaned = normalise_identifier(value)
    if len(cleaned) != 14 or not cleaned.isdigit():
        raise ValidationError(_("Un SIRET compte exactement 14 chiffres."), code="siret_length")
    if not is_valid_siret(cleaned):
        raise ValidationError(
            _("Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres saisis."),
            code="siret_checksum",
        )


def validate_siren(value: str) -> None:
    cleaned = normalise_identifier(value)
    if len(cleaned) != 9 or not cleaned.isdigit():
        raise ValidationError(_("Un SIREN compte exactement 9 chiffres."), code="siren_length")
    if not is_valid_siren(cleaned):
        raise ValidationError(
            _("Ce SIREN n'est pas valide : sa clé de contrôle ne correspond pas."), code="siren_checksum"
        )


def contains_markup(value: str) -> bool:
    return bool(_HTML.search(value or ""))


def validate_no_markup(value: str) -> None:
    """Text fields hold plain text: HTML or script is refused rather than silently altered."""
    if contains_markup(value):
        raise ValidationError(
            _("Ce champ ne peut pas contenir de balises HTML ni de script. Saisissez du texte simple."),
            code="markup",
        )
