"""French text normalisation shared by search indexing and querying.

The same function turns a document and a query into terms, so that matching ignores accents, case and the usual
plural and feminine endings ("cantine" finds "Cantines", "equitable" finds "équitable") identically on SQLite and
PostgreSQL: the database only compares stored terms, it never interprets language itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_STEMMER = snowballstemmer.stemmer("french")

# Short grammatical words that would match almost every document.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "m",
        "n",
        "s",
        "t",
        "y",
        "est",
        "sont",
        "ete",
        "etre",
        "avoir",
        "ont",
    ]
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():  # no ASCII character is a combining one: most words, at no cost
        return decomposed
    # Only the non-ASCII runs are looked at character by character: indexing a national file folds millions of texts.
    return _NON_ASCII.sub(_without_combining, decomposed)


def _without_combining(match: re.Match[str]) -> str:
    return "".join(ch for ch in match[0] if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, no accents, ligatures expanded (œ → oe)."""
    # Lower case first, so that capital ligatures (Œ, Æ) are expanded like small ones.
    return strip_accents(text.lower().replace("œ", "oe").replace("æ", "ae"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def terms(text: str) -> list[str]:
    """Terms of a text in order, stop words removed, each folded and stemmed."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]
