"""The labels DECP files use for coded values, mapped to the enums.

Producers write the same value many ways: accents or not, typographic apostrophes, capitals, and labels of the
formats before 2019 (decree of 2016: "Procédure négociée avec mise en concurrence préalable", "Marché négocié sans
publicité…"). Each table is keyed by the *folded* label (lower case, no accents, punctuation as single spaces), so
one entry covers every spelling; `Lookup` first tries the label as written, then folds it once and remembers the
answer, so that the millions of identical labels of a national file cost one dict lookup each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Generic, TypeVar

from ..enums import EnvironmentalConsideration, Nature, Procedure, SocialConsideration

T = TypeVar("T")

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Distinct spellings remembered per table: far more than real files hold, small enough to bound memory.
_MEMO_LIMIT = 20_000


def fold(label: str) -> str:
    """ "Appel d’offres Ouvert" → "appel d offres ouvert": lower case, accents dropped, runs of anything that is not a
    letter or digit turned into one space."""
    decomposed = unicodedata.normalize("NFKD", label.lower())
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", unaccented.replace("œ", "oe")).strip()


class Lookup(Generic[T]):
    """Maps a label as found in a file to its value, whatever its spelling; None when the label is unknown."""

    __slots__ = ("_folded", "_memo")

    def __init__(self, labels: Mapping[str, T]) -> None:
        self._folded = {fold(label): value for label, value in labels.items()}
        self._memo: dict[str, T | None] = {}

    def get(self, label: str) -> T | None:
        try:
            return self._memo[label]
        except KeyError:
            value = self._folded.get(fold(label))
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[label] = value
            return value


NATURES: Lookup[Nature] = Lookup(
    {
        "Marché": Nature.CONTRACT,
        "Marché public": Nature.CONTRACT,
        "Marché de partenariat": Nature.PARTNERSHIP,
        "Marché de défense ou de sécurité": Nature.DEFENCE,
        "Marché de sécurité": Nature.DEFENCE,
        "Marché de défense": Nature.DEFENCE,
        "Accord-cadre": Nature.FRAMEWORK,
        "Marché subséquent": Nature.SUBSEQUENT,
        "Concession de travaux": Nature.WORKS_CONCESSION,
        "Concession de service": Nature.SERVICE_CONCESSION,
        "Concession de services": Nature.SERVICE_CONCESSION,
        "Concession de service public": Nature.PUBLIC_SERVICE_CONCESSION,
        "Délégation de service public": Nature.PUBLIC_SERVICE_DELEGATION,
    }
)

# Procedures of the 2019 and 2022 formats, and the labels of the 2016 formats (décret 2016-360) still found in the
# consolidated files. A bare "Appel d'offres" (older exports) is taken as an open call for tenders: the restricted
# one was always labelled as such, and open calls are the overwhelming majority.
PROCEDURES: Lookup[Procedure] = Lookup(
    {
        "Procédure adaptée": Procedure.ADAPTED,
        "MAPA": Procedure.ADAPTED,
        "Marché à procédure adaptée": Procedure.ADAPTED,
        "Appel d'offres ouvert": Procedure.OPEN,
        "Appel d'offres": Procedure.OPEN,
        "Appel d'offres restreint": Procedure.RESTRICTED,
        "Procédure avec négociation": Procedure.NEGOTIATED,
        "Procédure concurrentielle avec négociation": Procedure.NEGOTIATED,
        "Procédure négociée avec mise en concurrence préalable": Procedure.NEGOTIATED,
        "Procédure négociée avec publicité préalable": Procedure.NEGOTIATED,
        "Procédure négociée": Procedure.NEGOTIATED,
        "Marché passé sans publicité ni mise en concurrence préalable": Procedure.NO_COMPETITION,
        "Marché négocié sans publicité ni mise en concurrence préalable": Procedure.NO_COMPETITION,
        "Marché public négocié sans publicité ni mise en concurrence préalable": Procedure.NO_COMPETITION,
        "Marché négocié sans publicité ni mise en concurrence": Procedure.NO_COMPETITION,
        "Procédure négociée sans publicité ni mise en concurrence préalable": Procedure.NO_COMPETITION,
        "Procédure négociée sans mise en concurrence préalable": Procedure.NO_COMPETITION,
        "Procédure négociée sans publicité": Procedure.NO_COMPETITION,
        "Dialogue compétitif": Procedure.COMPETITIVE_DIALOGUE,
        "Procédure négociée ouverte": Procedure.CONCESSION_NEGOTIATED_OPEN,
        "Procédure non négociée ouverte": Procedure.CONCESSION_OPEN,
        "Procédure négociée restreinte": Procedure.CONCESSION_NEGOTIATED_RESTRICTED,
        "Procédure non négociée restreinte": Procedure.CONCESSION_RESTRICTED,
    }
)

SOCIAL: Lookup[SocialConsideration] = Lookup(
    {
        "Clause sociale": SocialConsideration.CLAUSE,
        "Clauses sociales": SocialConsideration.CLAUSE,
        "Critère social": SocialConsideration.CRITERION,
        "Critères sociaux": SocialConsideration.CRITERION,
        "Marché réservé": SocialConsideration.RESERVED,
        "Concession réservée": SocialConsideration.RESERVED,
        "Pas de considération sociale": SocialConsideration.NONE,
        "Aucune considération sociale": SocialConsideration.NONE,
    }
)

ENVIRONMENTAL: Lookup[EnvironmentalConsideration] = Lookup(
    {
        "Clause environnementale": EnvironmentalConsideration.CLAUSE,
        "Clauses environnementales": EnvironmentalConsideration.CLAUSE,
        "Critère environnemental": EnvironmentalConsideration.CRITERION,
        "Critères environnementaux": EnvironmentalConsideration.CRITERION,
        "Pas de considération environnementale": EnvironmentalConsideration.NONE,
        "Aucune considération environnementale": EnvironmentalConsideration.NONE,
    }
)

# XML writes booleans as "oui"/"non" (the 2022 examples), exports as "true"/"false", "True"/"False" or 0/1.
BOOLEANS: Lookup[bool] = Lookup(
    {"true": True, "false": False, "oui": True, "non": False, "1": True, "0": False, "vrai": True, "faux": False}
)

# "Non communiqué": the value exists but the buyer did not give it.
NOT_COMMUNICATED = frozenset(["NC", "nc", "N.C.", "N/C", "n/c", "Non communiqué", "non communiqué", "NON COMMUNIQUE"])
# Written by spreadsheet and dataframe exports for an empty cell.
EMPTY_MARKERS = frozenset(["", "nan", "NaN", "None", "none", "null", "NULL", "N/A", "n/a", "-"])
