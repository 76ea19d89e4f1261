"""French text normalisation: the same terms for a document and a query, whatever the accents, case and plural."""

from __future__ import annotations

import pytest

from relais.core.text import STOP_WORDS, fold, strip_accents, terms


def test_fold_lowers_and_strips_accents_and_ligatures() -> None:
    assert fold("Équitable") == "equitable"
    assert fold("ŒUVRE d'Œil") == "oeuvre d'oeil"
    assert fold("Cœur") == "coeur"
    assert fold("CURRICULUM VITÆ") == "curriculum vitae"
    assert fold("Île-de-France") == "ile-de-france"
    assert strip_accents("façade à côté") == "facade a cote"


@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("Cantines", "cantine"),
        ("Commerce équitable", "commerce equitable"),
        ("ÉQUITABLES", "équitable"),
        ("Espaces verts", "espace vert"),
        ("Bâtiments", "batiment"),
    ],
)
def test_document_and_query_give_the_same_terms(document: str, query: str) -> None:
    assert terms(document) == terms(query)


def test_cantines_and_cantine_give_one_term() -> None:
    assert terms("Cantines") == terms("cantine")
    assert len(terms("Cantines")) == 1


def test_stop_words_are_dropped() -> None:
    assert terms("Le café de la cantine") == terms("café cantine")
    assert terms("de la et les") == []
    assert "de" in STOP_WORDS
    # Stop words are compared after folding: "même" and "été" are dropped like "meme" and "ete".
    assert terms("même été") == []


def test_numbers_are_kept_and_punctuation_splits_words() -> None:
    assert terms("PNAD 2022-2025") == [*terms("pnad"), "2022", "2025"]
    assert terms("") == []
