"""SIRET/SIREN keys (with La Poste's exception) and refusal of markup in plain-text fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from relais.core.validators import (
    contains_markup,
    is_valid_siren,
    is_valid_siret,
    luhn_ok,
    normalise_identifier,
    validate_no_markup,
    validate_siren,
    validate_siret,
)


@pytest.mark.parametrize(("digits", "expected"), [("732829320", True), ("732829321", False), ("0", True)])
def test_luhn(digits: str, expected: bool) -> None:
    assert luhn_ok(digits) is expected


def test_pasted_identifiers_are_normalised() -> None:
    assert normalise_identifier("732 829 320 00074") == "73282932000074"
    assert normalise_identifier("732.829.320-00074") == "73282932000074"
    assert normalise_identifier("732\u202f829\u00a0320") == "732829320"


@pytest.mark.parametrize("siren", ["732829320", "732 829 320", "356000000"])
def test_valid_sirens(siren: str) -> None:
    assert is_valid_siren(siren)
    validate_siren(siren)


@pytest.mark.parametrize("siren", ["732829321", "73282932", "7328293200", "ABCDEFGHI", ""])
def test_invalid_sirens(siren: str) -> None:
    assert not is_valid_siren(siren)
    with pytest.raises(ValidationError):
        validate_siren(siren)


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074"])
def test_valid_sirets(siret: str) -> None:
    assert is_valid_siret(siret)
    validate_siret(siret)


def test_a_siret_needs_a_valid_key() -> None:
    assert not is_valid_siret("73282932000075")
    with pytest.raises(ValidationError) as raised:
        validate_siret("73282932000075")
    assert raised.value.code == "siret_checksum"
    assert "clé de contrôle" in str(raised.value.messages[0])


def test_a_siret_needs_fourteen_digits() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_siret("7328293200007")
    assert raised.value.code == "siret_length"
    assert "14 chiffres" in str(raised.value.messages[0])


def test_a_siret_whose_siren_fails_its_key_is_refused() -> None:
    # Luhn-valid over 14 digits, but its first nine digits are not a valid SIREN.
    siret = "12345678900007"
    assert luhn_ok(siret)
    assert not luhn_ok(siret[:9])
    assert not is_valid_siret(siret)


def test_la_poste_establishments_follow_the_sum_of_digits_rule() -> None:
    # 35600000049837 fails the Luhn key but its digits add up to 45, a multiple of 5: INSEE's exception for La Poste.
    assert not luhn_ok("35600000049837")
    assert is_valid_siret("35600000049837")
    assert is_valid_siret("35600000000048")  # head office, Luhn-valid too
    validate_siret("356 000 000 49837")
    # Digits add up to 44: refused even for La Poste.
    assert not is_valid_siret("35600000049836")
    # The exception does not extend to other companies.
    assert not is_valid_siret("73282932049837")


@pytest.mark.parametrize(
    "text",
    [
        "<b>gras</b>",
        "<script>alert(1)</script>",
        "</div>",
        "<!-- commentaire -->",
        "<IMG SRC=x>",
        '<a href="javascript:alert(1)">lien</a>',
        "javascript:alert(1)",
        "x onerror=alert(1)",
        "texte ONCLICK = alert(1)",
    ],
)
def test_markup_is_detected(text: str) -> None:
    assert contains_markup(text)
    with pytest.raises(ValidationError) as raised:
        validate_no_markup(text)
    assert raised.value.code == "markup"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Restauration collective : 100 % de café équitable.",
        "Le montant = 50 000 € HT",  # "ontant =" is no event handler
        "Mon conseil = relire le CCTP",
        "Marchés < 40 k€ HT et > 25 k€ HT",  # comparisons, not tags
        "Compétences en JavaScript : bonnes",
        "Maison de l'emploi & PLIE",
    ],
)
def test_plain_text_is_accepted(text: str) -> None:
    assert not contains_markup(text)
    validate_no_markup(text)
