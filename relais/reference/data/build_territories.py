"""Build `regions.csv` and `departements.csv` from the INSEE codes shipped by django-localflavor.

localflavor (`localflavor.fr.fr_department.DEPARTMENT_CHOICES_PER_REGION`) gives each département its INSEE code,
name and region code, but the region codes are those from before the 2016 reform (law 2015-29). This script maps
them to the 2016 régions of the Code officiel géographique, keeps the 101 départements (including 2A/2B and the five
overseas départements 971–974 and 976) and leaves out the overseas collectivities (975, 977, 978, 984–989), which
belong to no région.

Run it from the project root when localflavor or the COG changes, then review the diff of the CSV files:

    .venv/bin/python relais/reference/data/build_territories.py
"""

from __future__ import annotations

import csv
from importlib.metadata import version
from pathlib import Path

from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION
from localflavor.fr.fr_region import REGION_2016_CHOICES

DATA_DIR = Path(__file__).resolve().parent

# Region codes before 2016 → region code since 2016 (INSEE COG, "Découpage régional depuis le 1er janvier 2016").
# Regions unchanged by the reform map to themselves. Mayotte became a département and région in 2011: localflavor
# still gives it the former code 05, the COG uses 06.
REGION_2016_OF: dict[str, str] = {
    "01": "01",  # Guadeloupe
    "02": "02",  # Martinique
    "03": "03",  # Guyane
    "04": "04",  # La Réunion
    "05": "06",  # Mayotte
    "11": "11",  # Île-de-France
    "24": "24",  # Centre → Centre-Val de Loire
    "26": "27",  # Bourgogne → Bourgogne-Franche-Comté
    "43": "27",  # Franche-Comté → Bourgogne-Franche-Comté
    "23": "28",  # Haute-Normandie → Normandie
    "25": "28",  # Basse-Normandie → Normandie
    "22": "32",  # Picardie → Hauts-de-France
    "31": "32",  # Nord-Pas-de-Calais → Hauts-de-France
    "21": "44",  # Champagne-Ardenne → Grand Est
    "41": "44",  # Lorraine → Grand Est
    "42": "44",  # Alsace → Grand Est
    "52": "52",  # Pays de la Loire
    "53": "53",  # Bretagne
    "54": "75",  # Poitou-Charentes → Nouvelle-Aquitaine
    "72": "75",  # Aquitaine → Nouvelle-Aquitaine
    "74": "75",  # Limousin → Nouvelle-Aquitaine
    "73": "76",  # Midi-Pyrénées → Occitanie
    "91": "76",  # Languedoc-Roussillon → Occitanie
    "82": "84",  # Rhône-Alpes → Auvergne-Rhône-Alpes
    "83": "84",  # Auvergne → Auvergne-Rhône-Alpes
    "93": "93",  # Provence-Alpes-Côte d'Azur
    "94": "94",  # Corse
}


def build() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    regions = sorted(REGION_2016_CHOICES)
    known = {code for code, _ in regions}
    departements: list[tuple[str, str, str]] = []
    for code, name, old_region in DEPARTMENT_CHOICES_PER_REGION:
        if old_region is None:  # overseas collectivity, not a département
            continue
        region = REGION_2016_OF[old_region]
        if region not in known:
            raise ValueError(f"Région {region} inconnue pour le département {code}")
        departements.append((code, name, region))
    if len(regions) != 18 or len(departements) != 101:
        raise ValueError(f"Attendu 18 régions et 101 départements, obtenu {len(regions)} et {len(departements)}")
    return regions, departements


def write(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    regions, departements = build()
    write(DATA_DIR / "regions.csv", ["code", "name"], list(regions))
    write(DATA_DIR / "departements.csv", ["code", "name", "region_code"], list(departements))
    print(
        f"{len(regions)} régions, {len(departements)} départements écrits "
        f"(django-localflavor {version('django-localflavor')})."
    )


if __name__ == "__main__":
    main()
