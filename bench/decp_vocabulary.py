"""Vocabularies and distributions of the synthetic DECP files (`bench.decp_generator`).

Weights are relative. Values are those of the DECP formats (schemas 1.5.0 and 2.0.x in the shared data folder); CPV
codes and départements are read from the reference files shipped with Relais (`relais/reference/data/`).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "relais" / "reference" / "data"
CPV_FILE = DATA / "cpv_2008_fr_en.csv"
DEPARTEMENTS_FILE = DATA / "departements.csv"
LEGAL_RULES_FILE = DATA / "legal_rules.csv"


# --- Weighted choices ----------------------------------------------------------------------------------------


class Choice:
    """A weighted choice among fixed values, drawn with one random number (cumulative weights + bisect)."""

    __slots__ = ("cumulative", "total", "values")

    def __init__(self, weights: dict[Any, float] | Sequence[tuple[Any, float]]):
        pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def zipf_choice(count: int, exponent: float, offset: float) -> Choice:
    """Ranks 0…count-1 with Zipf–Mandelbrot weights 1/(rank + offset)^exponent."""
    return Choice([(rank, 1.0 / (rank + offset) ** exponent) for rank in range(count)])


# --- Reference tables ----------------------------------------------------------------------------------------

# Share of DECP contracts by CPV division (relative): works first, then engineering, business services, cleaning
# and waste, repairs, medical, IT, vehicles, furniture, food…
DIVISION_WEIGHTS: dict[str, float] = {
    "45": 300, "71": 80, "79": 55, "90": 50, "50": 48, "33": 45, "30": 32, "34": 38, "39": 30, "15": 35,
    "72": 28, "77": 28, "80": 18, "60": 18, "55": 20, "48": 20, "44": 20, "09": 18, "85": 14, "92": 10,
    "98": 10, "64": 8, "66": 10, "35": 8, "31": 10, "42": 10, "38": 8, "32": 6, "22": 8, "18": 8,
    "37": 5, "03": 5, "43": 4, "24": 4, "19": 2, "14": 2, "16": 3, "51": 4, "63": 3, "65": 4,
    "70": 4, "73": 3, "75": 3, "76": 1, "41": 1,
}  # fmt: skip
SUPPLY_DIVISIONS = frozenset(d for d in DIVISION_WEIGHTS if int(d) < 45 or d == "48")


@dataclass(frozen=True, slots=True)
class Cpv:
    code: str  # "45000000-7"
    code8: str
    division: str
    label: str


def load_cpv_choice() -> tuple[Choice, dict[str, Choice]]:
    """A choice of division and, per division, a choice of its real codes: the division's own code takes ~12 % of
    its contracts (publishers often stop there), level-2 codes weigh 3, deeper codes 1."""
    by_division: dict[str, list[tuple[Cpv, float]]] = {}
    with CPV_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            cpv = Cpv(row["code"], row["code8"], row["division"], row["label_fr"])
            level = int(row["level"])
            by_division.setdefault(cpv.division, []).append((cpv, 0.0 if level == 1 else (3.0 if level == 2 else 1.0)))
    choices = {}
    for division, pairs in by_division.items():
        deeper = sum(weight for _, weight in pairs) or 1.0
        choices[division] = Choice([(cpv, weight if weight else deeper * 0.14) for cpv, weight in pairs])
    return Choice({d: w for d, w in DIVISION_WEIGHTS.items() if d in choices}), choices


def environmental_deadline() -> dt.date:
    """The date from which every contract must carry an environmental consideration (2026-08-21)."""
    with LEGAL_RULES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["kind"], row["code"]) == ("climate_resilience", "environmental_condition_and_criterion"):
                return dt.date.fromisoformat(row["valid_from"])
    raise LookupError(f"{LEGAL_RULES_FILE} : règle climate_resilience/environmental_condition_and_criterion absente")


def load_departements() -> list[str]:
    with DEPARTEMENTS_FILE.open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


# --- Vocabularies --------------------------------------------------------------------------------------------

# Names shared by many French communes (so that any département can hold them), for buyer names and places.
TOWNS = (
    "Saint-Martin", "Villeneuve", "Beaumont", "Fontaine", "Montigny", "Saint-Jean", "Sainte-Marie", "Champagne",
    "Belleville", "Neuville", "Villers", "Bourg", "Châteauneuf", "La Chapelle", "Saint-Pierre", "Saint-Germain",
    "Bonneville", "Saint-Laurent", "Villefranche", "Bellegarde", "Lamotte", "Beauvoir", "Montreuil", "Saint-Paul",
    "Saint-Georges", "Saint-Aubin", "Saint-Hilaire", "Saint-Rémy", "Sainte-Colombe", "Saint-Julien", "Aubigny",
    "Marcilly", "Chaumont", "Mont-Saint-Jean", "Pouilly", "Brie", "Montfort", "Rochefort", "Beaulieu", "Vernon",
    "Saint-Sauveur", "Saint-Vincent", "Sainte-Croix", "Saint-Maurice", "Saint-Étienne-du-Bois", "Montlouis",
    "La Roche", "Le Chesnay", "Pontcharra", "Saint-Cyr", "Saint-Médard", "Villiers", "Chantemerle", "Mesnil",
)  # fmt: skip
SITES = (
    "groupe scolaire", "mairie", "salle polyvalente", "gymnase", "médiathèque", "centre technique municipal",
    "EHPAD", "collège", "lycée", "stade", "piscine", "voirie communale", "hôtel de ville", "crèche", "cimetière",
    "caserne", "bâtiments communaux", "école maternelle", "halle des sports", "station d'épuration",
)  # fmt: skip
# (SIREN prefix, name pattern, weight): communes start with 21, EPCI with 20, départements 22, régions 23,
# hospitals 26, secondary schools 19, State services 11–18, public housing offices and others.
BUYER_KINDS = (
    ("21", "Commune de {t}", 45), ("20", "Communauté de communes de {t}", 9),
    ("20", "Communauté d'agglomération de {t}", 6),
    ("22", "Département ({d})", 2), ("23", "Région ({d})", 0.5), ("26", "Centre hospitalier de {t}", 8),
    ("19", "Lycée de {t}", 5), ("19", "Collège de {t}", 3), ("13", "Direction départementale ({d})", 4),
    ("18", "Université de {t}", 1.5), ("11", "Ministère — service de {t}", 2), ("27", "{t} Habitat", 5),
    ("25", "Syndicat intercommunal de {t}", 5), ("26", "Centre communal d'action sociale de {t}", 4),
)  # fmt: skip
HOLDER_FORMS = ("SARL", "SAS", "SA", "EURL", "SASU", "SCOP", "", "", "ETS", "ENTREPRISE")
HOLDER_NAMES = (
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU", "SIMON",
    "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER", "MOREL",
    "GIRARD", "ANDRE", "LEFEVRE", "MERCIER", "DUPONT", "LAMBERT", "BONNET", "FRANCOIS", "MARTINEZ", "LEGRAND",
    "GARNIER", "FAURE", "ROUSSEAU", "BLANC", "GUERIN", "MULLER", "HENRY", "ROUSSEL", "NICOLAS", "PERRIN", "MORIN",
)  # fmt: skip
HOLDER_TRADES = (
    "BTP", "CONSTRUCTION", "TRAVAUX PUBLICS", "ELECTRICITE", "PLOMBERIE", "MENUISERIE", "PEINTURE", "TOITURE",
    "ESPACES VERTS", "NETTOYAGE", "SERVICES", "INGENIERIE", "CONSEIL", "INFORMATIQUE", "RESTAURATION",
    "TRANSPORTS", "ENVIRONNEMENT", "ET FILS", "FRERES", "ARCHITECTES", "BUREAU D'ETUDES", "EQUIPEMENTS",
)  # fmt: skip
FOREIGN_VAT = (("DE", 9), ("BE", 10), ("ES", 9), ("IT", 11), ("LU", 8), ("NL", 12), ("PT", 9))
PLATFORMS_2019 = (
    "data.gouv.fr_aife", "marches-publics.info", "e-marchespublics", "megalis-bretagne", "atexo-maximilien",
    "ternum-bfc", "grandlyon", "achatpublic", "data.gouv.fr_pes",
)  # fmt: skip

PROCEDURES_ABOVE = Choice({
    "Appel d'offres ouvert": 70, "Appel d'offres restreint": 5, "Procédure avec négociation": 10,
    "Procédure adaptée": 8, "Marché passé sans publicité ni mise en concurrence préalable": 5,
    "Dialogue compétitif": 2,
})  # fmt: skip
PROCEDURES_BELOW = Choice({
    "Procédure adaptée": 82, "Appel d'offres ouvert": 6,
    "Marché passé sans publicité ni mise en concurrence préalable": 7, "Procédure avec négociation": 4,
    "Appel d'offres restreint": 0.5, "Dialogue compétitif": 0.5,
})  # fmt: skip
# Labels of the 2016 decree still found in 2019-format files (the parser normalises them).
OLD_PROCEDURE_LABELS = {
    "Procédure avec négociation": (
        "Procédure concurrentielle avec négociation",
        "Procédure négociée avec mise en concurrence préalable",
    ),
    "Marché passé sans publicité ni mise en concurrence préalable": (
        "Marché négocié sans publicité ni mise en concurrence préalable",
    ),
    "Appel d'offres ouvert": ("Appel d'offres ouvert ",),
    "Procédure adaptée": ("MAPA", "Procédure Adaptée"),
}
NATURE_2022 = Choice({"Marché": 97.5, "Marché de défense ou de sécurité": 2.4, "Marché de partenariat": 0.1})
NATURE_2019 = Choice({"Marché": 76, "Accord-cadre": 19, "Marché subséquent": 5})
TECHNIQUES = Choice([
    (("Sans objet",), 65), (("Accord-cadre",), 26), (("Accord-cadre", "Catalogue électronique"), 1.5),
    (("Système d'acquisition dynamique",), 2), (("Catalogue électronique",), 1), (("Concours",), 1.5),
    (("Accord-cadre", "Concours"), 0.5), (("Enchère électronique",), 0.5), (("Système de qualification",), 0.2),
])  # fmt: skip
MODALITIES = Choice([
    (("Sans objet",), 45), (("Bons de commande",), 30), (("Tranches",), 10), (("Marchés subséquents",), 8),
    (("Bons de commande", "Tranches"), 3), (("Bons de commande", "Marchés subséquents"), 4),
])  # fmt: skip
PRICE_TYPES = Choice([
    (("Définitif ferme",), 35), (("Définitif révisable",), 35), (("Définitif actualisable",), 20),
    (("Provisoire",), 2), (("Définitif ferme", "Définitif révisable"), 5),
    (("Définitif actualisable", "Provisoire"), 3),
])  # fmt: skip
PRICE_FORM_2022 = Choice({"Forfaitaire": 50, "Unitaire": 35, "Mixte": 15})
PRICE_FORM_2019 = Choice({"Ferme": 40, "Ferme et actualisable": 25, "Révisable": 35})
GROUPING = Choice({"Pas de groupement": 88, "Conjoint": 8, "Solidaire": 4})
ADVANCE_RATES = Choice({0.05: 40, 0.1: 20, 0.2: 10, 0.3: 5, 0.0: 25})
DURATIONS = Choice({12: 25, 24: 12, 36: 12, 48: 15, 6: 6, 3: 5, 1: 3, 2: 3, 4: 3, 8: 3, 10: 2, 18: 3, 60: 3, 9: 3})
PLACE_TYPES = Choice({"Code postal": 60, "Code commune": 25, "Code département": 12, "Code région": 2, "Code pays": 1})
SOCIAL_VALUES = Choice([
    (("Clause sociale",), 60), (("Critère social",), 20), (("Clause sociale", "Critère social"), 10),
    (("Marché réservé",), 7), (("Marché réservé", "Clause sociale"), 2), (("Critère social", "Marché réservé"), 1),
])  # fmt: skip
ENVIRONMENTAL_VALUES = Choice([
    (("Clause environnementale",), 45), (("Critère environnemental",), 35),
    (("Clause environnementale", "Critère environnemental"), 20),
])  # fmt: skip
CCAG_WORKS = Choice({"Travaux": 85, "Pas de CCAG": 15})
CCAG_ENGINEERING = Choice({"Maitrise d'œuvre": 50, "Prestations intellectuelles": 35, "Pas de CCAG": 15})
CCAG_IT = Choice({"Techniques de l'information et de la communication": 50, "Fournitures courantes et services": 30,
                  "Pas de CCAG": 20})  # fmt: skip
CCAG_INTELLECTUAL = Choice({"Prestations intellectuelles": 30, "Fournitures courantes et services": 50,
                            "Pas de CCAG": 20})  # fmt: skip
CCAG_SUPPLIES = Choice({"Fournitures courantes et services": 70, "Marchés industriels": 5, "Pas de CCAG": 25})
CCAG_SERVICES = Choice({"Fournitures courantes et services": 70, "Pas de CCAG": 30})
# Social considerations are more frequent in works, cleaning, green spaces and catering.
SOCIAL_FACTOR = {"45": 1.6, "90": 1.8, "77": 1.8, "55": 1.5}
# Years of notification: the 2022 format is compulsory from 2024 (older contracts come from republished sources);
# the 2019 format was used until the end of 2023 (a few producers kept it in 2024).
YEARS = {
    "2022": Choice({2019: 3, 2020: 4, 2021: 5, 2022: 7, 2023: 9, 2024: 26, 2025: 28, 2026: 18}),
    "2019": Choice({2019: 22, 2020: 20, 2021: 22, 2022: 20, 2023: 14, 2024: 2}),
}
ID_PATTERNS = ("{y}{n:04d}", "{y}-{n:03d}", "{y}{k}{n:05d}", "{a}{y}{k}{n:07d}", "{yy}{k}{n:03d}", "{y}_{n}")


def ccag_choice(division: str) -> Choice:
    """The usual CCAG (general administrative terms) of a CPV division."""
    if division == "45":
        return CCAG_WORKS
    if division == "71":
        return CCAG_ENGINEERING
    if division in ("72", "48", "30", "32"):
        return CCAG_IT
    if division in ("79", "73", "80", "85", "66", "75"):
        return CCAG_INTELLECTUAL
    return CCAG_SUPPLIES if division in SUPPLY_DIVISIONS else CCAG_SERVICES
