"""Deterministic generator of synthetic DECP files (public-contract essential data) for the import benchmark.

`python -m bench.decp_generator --contracts 150000 --format 2022 --out /tmp/decp-bench/decp-2022-150k.json`

The file is written as it is generated (memory stays flat whatever the size) and is the same, byte for byte, for
the same number of records, format and seed. `--contracts N` is the number of records in the file; about 1.5 % of
them are later publications of an earlier contract (republications with more modifications, exact duplicates), as
in the national consolidation. A summary (counts of every quirk, shares, size, time) is printed and written next to
the file as `<file>.stats.json`.

Distributions follow the national consolidation (~1.5 M contracts, ~27,000 buyers, ~190,000 holders; see
docs/benchmarks.md, "DECP import"):
- buyers and holders are scaled to the size of the file (27,000 and 190,000 at 1.5 M records); contracts per buyer
  and per holder follow a Zipf–Mandelbrot law (a few buyers publish thousands of contracts, a third fewer than 5);
- SIRETs carry a valid Luhn key, except ~2 % of holders and ~0.5 % of buyers; ~3 % of holders are foreign (TVA,
  HORS-UE) or overseas (TAHITI, RIDET);
- CPV codes are real codes of the CPV 2008 list of `relais/reference/data/`, divisions skewed as in DECP (45, 71,
  79, 90, 50, 33, 30, 34, 39, 15 first), written with or without their check digit depending on the publisher;
- amounts are log-normal around 100 k€ (higher for works) with a Pareto tail; the procedure follows the amount and
  the EU thresholds; notification dates run from 2019 to November 2026, growing over time;
- 2022 format: about 10 % of contracts with a social consideration (more in works and cleaning), ~20 % with an
  environmental one before 2026-08-21 and ~60 % after (the Climate and Resilience law makes it compulsory), the rest
  "Pas de considération…", ~1 % without the field; techniques, execution modalities, CCAG, price types, advances,
  groupings and subcontracting acts at realistic rates;
- ~5 % of contracts have modifications (amount, duration, holders).

Quirks of the real files, each on ~0.5–3 % of records (see `QUIRKS`): numbers written as strings, "NC", 1e17
amounts, holders nested in one more list (`[[{...}]]`), holders missing their `titulaire` wrapper (2022), the
flattened key `"acheteur.id"`, empty ids, zeroed SIRETs, one id reused for several lots of a buyer, booleans
written "oui"/"non" (2022), older procedure labels (2019), publication dates before the notification,
republications of a contract with more modifications, exact duplicates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from .decp_vocabulary import (
    ADVANCE_RATES,
    BUYER_KINDS,
    DURATIONS,
    ENVIRONMENTAL_VALUES,
    FOREIGN_VAT,
    GROUPING,
    HOLDER_FORMS,
    HOLDER_NAMES,
    HOLDER_TRADES,
    ID_PATTERNS,
    MODALITIES,
    NATURE_2019,
    NATURE_2022,
    OLD_PROCEDURE_LABELS,
    PLACE_TYPES,
    PLATFORMS_2019,
    PRICE_FORM_2019,
    PRICE_FORM_2022,
    PRICE_TYPES,
    PROCEDURES_ABOVE,
    PROCEDURES_BELOW,
    SITES,
    SOCIAL_FACTOR,
    SOCIAL_VALUES,
    SUPPLY_DIVISIONS,
    TECHNIQUES,
    TOWNS,
    YEARS,
    Choice,
    Cpv,
    ccag_choice,
    environmental_deadline,
    load_cpv_choice,
    load_departements,
    zipf_choice,
)

DEFAULT_SEED = 20260404
FORMATS = ("2022", "2019")
# The national consolidation: ~1.5 M contracts by ~27,000 buyers with ~190,000 holders (docs/domain.md §4).
FULL_SIZE = 1_500_000
BUYERS_AT_FULL_SIZE = 27_000
HOLDERS_AT_FULL_SIZE = 190_000
# From this date every public contract must carry an environmental condition and criterion (loi Climat et
# résilience, art. 35; CCP L2112-2 and L2152-7): read from the shipped legal rules, as Relais does.
ENVIRONMENTAL_DEADLINE = environmental_deadline()
LAST_DATE = dt.date(2026, 11, 30)
BATCH_RECORDS = 500

# Share of records of each quirk kind (of newly generated records; republications and duplicates are counted apart).
QUIRKS: dict[str, float] = {
    "number_as_string": 0.02,  # "montant": "77899.00", "dureeMois": "12"
    "nc_value": 0.015,  # "dureeMois": "NC" (or montant, offresRecues)
    "absurd_amount": 0.01,  # "montant": 1e17
    "nested_holders": 0.015,  # "titulaires": [[{...}]]
    "unwrapped_holder": 0.01,  # 2022 only: a holder without its {"titulaire": ...} wrapper
    "flattened_buyer": 0.01,  # "acheteur.id": "..." instead of "acheteur": {"id": ...}
    "empty_id": 0.01,  # "id": "" (contract) or "acheteur": {"id": ""}
    "zeroed_id": 0.01,  # "00000000000000" as buyer or holder SIRET
    "reused_id": 0.02,  # the id of the buyer's previous contract again (another lot)
    "boolean_as_string": 0.01,  # 2022 only: "marcheInnovant": "non"
    "old_procedure_label": 0.03,  # 2019 only: "Procédure négociée avec mise en concurrence préalable"…
    "publication_before_notification": 0.005,  # "datePublicationDonnees": "2003-11-24"
}
QUIRKS_2022_ONLY = frozenset({"unwrapped_holder", "boolean_as_string"})
QUIRKS_2019_ONLY = frozenset({"old_procedure_label"})
MODIFICATION_RATE = 0.05
REPUBLICATION_RATE = 0.01
DUPLICATE_RATE = 0.005
INVALID_HOLDER_SIRET_RATE = 0.02
INVALID_BUYER_SIRET_RATE = 0.005


def quirks_of(fmt: str) -> list[str]:
    """The quirk kinds that exist in a format, plus the two kinds of repeated publication."""
    skip = QUIRKS_2019_ONLY if fmt == "2022" else QUIRKS_2022_ONLY
    return [name for name in QUIRKS if name not in skip] + ["republication", "exact_duplicate"]


# --- Identifiers ---------------------------------------------------------------------------------------------


def luhn_complete(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole string pass the Luhn test (SIREN and SIRET key)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # these positions are doubled once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return digits + str((10 - total % 10) % 10)


def make_siret(rng: random.Random, siren_prefix: str) -> str:
    """A SIRET whose SIREN and whole 14 digits pass the Luhn test (as INSEE assigns them)."""
    body = siren_prefix + "".join(rng.choices("0123456789", k=8 - len(siren_prefix)))
    siren = luhn_complete(body)
    if siren.startswith("356000000"):  # La Poste follows another rule: stay clear of it
        siren = luhn_complete("35" + body[2:7] + "1")
    nic = rng.choice(("0001", "0001", "0002", "0003", "0004", "0005", "0006", "0010", "0011", "0012", "0002"))
    nic = nic[:3] + str(rng.randrange(10)) if rng.random() < 0.4 else nic
    return luhn_complete(siren + nic)


def break_siret(rng: random.Random, siret: str) -> str:
    """A SIRET as mistyped: wrong last digit (most often), a digit dropped or one added."""
    roll = rng.random()
    if roll < 0.75:
        return siret[:13] + str((int(siret[13]) + rng.randrange(1, 10)) % 10)
    if roll < 0.9:
        return siret[:13]
    return siret + str(rng.randrange(10))


# --- Population ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Buyer:
    siret: str
    name: str
    departement: str
    town: str
    id_pattern: str
    acronym: str
    cpv_check_digit: bool  # writes "45000000-7" rather than "45000000"
    with_type: bool  # writes "_type": "Marché" (kept by some platforms)
    empty_modifications: bool  # writes "modifications": [] when there is none
    with_origins: bool  # writes origineUE / origineFrance
    platform: str
    sequence: int = 0
    last_id: str = ""


@dataclass(slots=True)
class Population:
    buyers: list[Buyer]
    buyer_choice: Choice
    holder_ids: list[str]
    holder_types: list[str]
    holder_valid: list[bool]  # False for the mistyped SIRETs (what a parser should flag)
    holder_choice: Choice

    def holder_name(self, index: int) -> str:
        """Holders' names only exist in the 2019 format: derived from the index, so nothing more is stored."""
        form = HOLDER_FORMS[index % len(HOLDER_FORMS)]
        name = HOLDER_NAMES[(index // 7) % len(HOLDER_NAMES)]
        trade = HOLDER_TRADES[(index // 11) % len(HOLDER_TRADES)]
        return f"{form} {name} {trade}".strip()


def scaled(at_full_size: int, records: int) -> int:
    return max(10, round(at_full_size * records / FULL_SIZE))


def build_population(rng: random.Random, records: int, departements: list[str]) -> Population:
    buyer_count, holder_count = scaled(BUYERS_AT_FULL_SIZE, records), scaled(HOLDERS_AT_FULL_SIZE, records)
    kinds = Choice([((prefix, pattern), weight) for prefix, pattern, weight in BUYER_KINDS])
    # Départements do not publish equally (population, number of communes): a log-normal weight each.
    departement_choice = Choice([(code, rng.lognormvariate(0, 0.6)) for code in departements])
    seen: set[str] = set()
    buyers = []
    for _ in range(buyer_count):
        prefix, pattern = kinds.pick(rng)
        siret = make_siret(rng, prefix)
        while siret in seen:
            siret = make_siret(rng, prefix)
        seen.add(siret)
        if rng.random() < INVALID_BUYER_SIRET_RATE:
            siret = break_siret(rng, siret)
        departement, town = departement_choice.pick(rng), rng.choice(TOWNS)
        buyers.append(
            Buyer(
                siret=siret,
                name=pattern.format(t=town, d=departement),
                departement=departement,
                town=town,
                id_pattern=rng.choice(ID_PATTERNS),
                acronym="".join(rng.choices("ABCDEFGHJKLMNPRSTVX0123456789", k=3)),
                cpv_check_digit=rng.random() < 0.4,
                with_type=rng.random() < 0.4,
                empty_modifications=rng.random() < 0.5,
                with_origins=rng.random() < 0.25,
                platform=rng.choice(PLATFORMS_2019),
            )
        )
    rng.shuffle(buyers)  # activity ranks owe nothing to the order in which buyers were made
    holder_ids, holder_types, holder_valid = [], [], []
    for _ in range(holder_count):
        roll = rng.random()
        if roll < 0.97:
            siret = make_siret(rng, str(rng.choice((3, 4, 5, 7, 8, 8, 9))))
            while siret in seen:
                siret = make_siret(rng, str(rng.choice((3, 4, 5, 7, 8, 8, 9))))
            seen.add(siret)
            valid = rng.random() >= INVALID_HOLDER_SIRET_RATE
            holder_ids.append(siret if valid else break_siret(rng, siret))
            holder_types.append("SIRET")
            holder_valid.append(valid)
            continue
        if roll < 0.99:
            country, digits = rng.choice(FOREIGN_VAT)
            identifier, kind = country + "".join(rng.choices("0123456789", k=digits)), "TVA"
        elif roll < 0.995:
            identifier, kind = "CHE" + "".join(rng.choices("0123456789", k=9)), "HORS-UE"
        else:
            kind = rng.choice(("TAHITI", "RIDET"))
            identifier = rng.choice("ABCDEFGH") + "".join(rng.choices("0123456789", k=6))
        holder_ids.append(identifier)
        holder_types.append(kind)
        holder_valid.append(True)
    return Population(
        buyers=buyers,
        # At 1.5 M: the busiest buyer publishes ~0.7 % of the contracts, the median one 7, a third fewer than 5.
        # The same law at every size (a smaller file is like a subset of buyers, not a coarser one).
        buyer_choice=zipf_choice(buyer_count, 1.3, 50),
        holder_ids=holder_ids,
        holder_types=holder_types,
        holder_valid=holder_valid,
        holder_choice=zipf_choice(holder_count, 1.0, 100),
    )


# --- Records -------------------------------------------------------------------------------------------------


def _days(year: int) -> tuple[int, int]:
    first = dt.date(year, 1, 1).toordinal()
    last = (LAST_DATE if year == LAST_DATE.year else dt.date(year, 12, 31)).toordinal()
    return first, last - first + 1


class RecordMaker:
    """Builds one record (a dict in the key order of the format) from the shared random stream."""

    def __init__(self, rng: random.Random, fmt: str, population: Population) -> None:
        self.rng = rng
        self.fmt = fmt
        self.population = population
        self.division_choice, self.cpv_choices = load_cpv_choice()
        self.years = YEARS[fmt]
        self.year_days = {year: _days(year) for year in self.years.values}
        self.quirk_names = [name for name in quirks_of(fmt) if name in QUIRKS]
        self.quirk_counts = dict.fromkeys(quirks_of(fmt), 0)
        self.counts = {"with_modifications": 0, "social_some": 0, "environmental_some": 0,
                       "after_environmental_deadline": 0, "environmental_some_after_deadline": 0,
                       "records_with_invalid_holder_siret": 0}  # fmt: skip

    # Small draws.

    def date(self, ordinal: int) -> str:
        return dt.date.fromordinal(ordinal).isoformat()

    def amount(self, division: str) -> float:
        rng = self.rng
        median = 150_000 if division == "45" else (60_000 if division in SUPPLY_DIVISIONS else 90_000)
        value = rng.lognormvariate(math.log(median), 1.15)
        if rng.random() < 0.005:  # the tail: large framework agreements and works programmes
            value = min(2e6 * rng.paretovariate(1.1), 5e9)
        value = max(value, 1_000.0)
        roll = rng.random()
        if roll < 0.3:
            return float(round(value, -2))  # written as 123400.0
        return round(value, 2)

    def holder(self) -> int:
        index: int = self.population.holder_choice.pick(self.rng)
        return index

    def holder_entry(self, index: int) -> dict[str, str]:
        population = self.population
        entry = {"typeIdentifiant": population.holder_types[index], "id": population.holder_ids[index]}
        if self.fmt == "2019":
            entry["denominationSociale"] = population.holder_name(index)
        return entry

    def holders(self, count: int, *, count_invalid: bool = False) -> list[Any]:
        indexes = [self.holder() for _ in range(count)]
        if count_invalid and not all(self.population.holder_valid[index] for index in indexes):
            self.counts["records_with_invalid_holder_siret"] += 1
        if self.fmt == "2022":
            return [{"titulaire": self.holder_entry(index)} for index in indexes]
        return [self.holder_entry(index) for index in indexes]

    def place(self, buyer: Buyer) -> dict[str, str]:
        kind = PLACE_TYPES.pick(self.rng)
        departement = buyer.departement
        if kind == "Code postal":
            postal = {"2A": "20", "2B": "20"}.get(departement, departement)
            code = postal + (f"{self.rng.randrange(100):02d}" if len(postal) == 3 else f"{self.rng.randrange(10)}00")
        elif kind == "Code commune":
            code = departement + (f"{self.rng.randrange(1, 100):02d}" if len(departement) == 3 else
                                  f"{self.rng.randrange(1, 700):03d}")  # fmt: skip
        elif kind == "Code département":
            code = departement
        elif kind == "Code région":
            code = "FR" + departement[:2] if self.rng.random() < 0.2 else departement[:2]
        else:
            code = "FR"
        place = {"code": code, "typeCode": kind}
        if self.fmt == "2019":
            place["nom"] = buyer.town
        return place

    def contract_id(self, buyer: Buyer, year: int) -> str:
        buyer.sequence += 1
        return buyer.id_pattern.format(
            y=year, yy=year % 100, n=buyer.sequence, a=buyer.acronym, k="TFS"[buyer.sequence % 3]
        )

    def object_text(self, cpv: Cpv, buyer: Buyer, lot: int | None) -> str:
        rng = self.rng
        label = cpv.label
        roll = rng.random()
        if roll < 0.35:
            text = f"{label} - {rng.choice(SITES)} de {buyer.town}"
        elif roll < 0.45:
            text = f"Accord-cadre à bons de commande : {label[0].lower()}{label[1:]}"
        elif roll < 0.55:
            text = f"{label} ({rng.choice(SITES)})"
        else:
            text = label
        if lot is not None:
            text = f"{text} - Lot {lot}"
        return text

    def modifications(self, notified: int, amount: float, duration: int, start: int, count: int) -> list[Any]:
        """`count` amendments numbered from `start`, after the notification (ordinal `notified`)."""
        rng = self.rng
        items: list[Any] = []
        when = notified
        for number in range(start, start + count):
            when += rng.randint(20, 400)
            body: dict[str, Any] = {}
            if self.fmt == "2022":
                body["id"] = number
            else:
                body["objetModification"] = rng.choice(
                    ("Avenant n°{n}", "Avenant {n} : prolongation", "Modification n°{n} du marché", "Avenant {n}")
                ).format(n=number)
            body["dateNotificationModification"] = self.date(when)
            body["datePublicationDonneesModification"] = self.date(when + int(rng.expovariate(1 / 12)))
            if rng.random() < 0.6:
                amount = round(amount * rng.uniform(1.02, 1.3), 2)
                body["montant"] = amount
            if rng.random() < 0.4:
                duration += rng.randint(1, 12)
                body["dureeMois"] = duration
            if rng.random() < 0.1:
                body["titulaires"] = self.holders(rng.randint(1, 2))
            items.append({"modification": body} if self.fmt == "2022" else body)
        return items

    def considerations(self, record: dict[str, Any], division: str, notified: int) -> None:
        rng = self.rng
        if rng.random() < 0.01:  # the field is missing: "unknown", not "none"
            return
        social: tuple[str, ...] = ("Pas de considération sociale",)
        if rng.random() < 0.085 * SOCIAL_FACTOR.get(division, 0.8):
            social = SOCIAL_VALUES.pick(rng)
            self.counts["social_some"] += 1
        after = notified >= ENVIRONMENTAL_DEADLINE.toordinal()
        self.counts["after_environmental_deadline"] += after
        environmental: tuple[str, ...] = ("Pas de considération environnementale",)
        if rng.random() < (0.6 if after else 0.2):
            environmental = ENVIRONMENTAL_VALUES.pick(rng)
            self.counts["environmental_some"] += 1
            self.counts["environmental_some_after_deadline"] += after
        record["considerationsSociales"] = {"considerationSociale": list(social)}
        record["considerationsEnvironnementales"] = {"considerationEnvironnementale": list(environmental)}

    def subcontracting(self, notified: int, amount: float, duration: int) -> tuple[list[Any], list[Any]]:
        rng = self.rng
        acts, changes = [], []
        for number in range(1, rng.randint(1, 3) + 1):
            index = self.holder()
            when = notified + rng.randint(0, 120)
            act_amount = round(amount * rng.uniform(0.05, 0.3), 2)
            acts.append({"acteSousTraitance": {
                "id": number,
                "sousTraitant": {"id": self.population.holder_ids[index],
                                 "typeIdentifiant": self.population.holder_types[index]},
                "dureeMois": max(1, duration // rng.randint(1, 4)),
                "dateNotification": self.date(when),
                "montant": act_amount,
                "variationPrix": rng.choice(("Ferme", "Actualisable", "Révisable")),
                "datePublicationDonnees": self.date(when + rng.randint(0, 30)),
            }})  # fmt: skip
            if rng.random() < 0.1:
                later = when + rng.randint(30, 300)
                changes.append({"modificationActeSousTraitance": {
                    "id": number,
                    "dureeMois": max(1, duration // 2),
                    "dateNotificationModificationSousTraitance": self.date(later),
                    "montant": round(act_amount * 1.15, 2),
                    "datePublicationDonnees": self.date(later + rng.randint(0, 30)),
                }})  # fmt: skip
        return acts, changes

    # The record.

    def new(self) -> dict[str, Any]:
        rng, fmt, population = self.rng, self.fmt, self.population
        buyer = population.buyers[population.buyer_choice.pick(rng)]
        year = self.years.pick(rng)
        first, span = self.year_days[year]
        notified = first + int(rng.random() * span)
        division = self.division_choice.pick(rng)
        cpv = self.cpv_choices[division].pick(rng)
        amount = self.amount(division)
        works = division == "45"
        above = amount > (5_538_000 if works else 221_000)
        procedure = (PROCEDURES_ABOVE if above else PROCEDURES_BELOW).pick(rng)
        duration = DURATIONS.pick(rng) if rng.random() < 0.8 else rng.randint(1, 96)
        quirks = {name for name in self.quirk_names if rng.random() < QUIRKS[name]}

        lot = None
        if "reused_id" in quirks and buyer.last_id:
            identifier, lot = buyer.last_id, rng.randint(2, 9)
        else:
            quirks.discard("reused_id")
            identifier = self.contract_id(buyer, year)
        buyer.last_id = identifier
        if "empty_id" in quirks and rng.random() < 0.7:
            identifier = ""
        buyer_id = buyer.siret
        if "empty_id" in quirks and identifier:
            buyer_id = ""
        zero_holder = "zeroed_id" in quirks and rng.random() < 0.5
        if "zeroed_id" in quirks and not zero_holder:
            buyer_id = "00000000000000"

        grouping = GROUPING.pick(rng) if fmt == "2022" else "Pas de groupement"
        if grouping != "Pas de groupement":
            holder_count = rng.randint(2, 4)
        else:
            holder_count = 1 if rng.random() < 0.92 else rng.randint(2, 6)
        holders = self.holders(holder_count, count_invalid=True)
        if zero_holder:
            first_holder = holders[0]["titulaire"] if fmt == "2022" else holders[0]
            first_holder["id"] = "00000000000000"
        if "unwrapped_holder" in quirks:
            holders[0] = holders[0]["titulaire"]
        if "nested_holders" in quirks:
            holders = [holders]

        published = notified + int(rng.expovariate(1 / 20))
        if "publication_before_notification" in quirks:
            published = notified - rng.randint(400, 7000)
        modifications: list[Any] = []
        if rng.random() < MODIFICATION_RATE:
            count = 1 if rng.random() < 0.6 else rng.randint(2, 4)
            modifications = self.modifications(notified, amount, duration, 1, count)
            self.counts["with_modifications"] += 1
        cpv_code = cpv.code if buyer.cpv_check_digit else cpv.code8
        object_text = self.object_text(cpv, buyer, lot)

        record: dict[str, Any] = {"id": identifier}
        if fmt == "2019":
            if buyer.with_type:
                record["uid"] = buyer.siret + identifier
            record["_type"] = "Marché"
            buyer_entry: dict[str, str] = {"id": buyer_id}
            if buyer.with_type:
                buyer_entry["nom"] = buyer.name
            record["acheteur"] = buyer_entry
            record["nature"] = NATURE_2019.pick(rng)
            record["objet"] = object_text
            record["codeCPV"] = cpv_code
            record["procedure"] = procedure
            record["lieuExecution"] = self.place(buyer)
            record["dureeMois"] = duration
            record["dateNotification"] = self.date(notified)
            record["datePublicationDonnees"] = self.date(published)
            record["montant"] = amount
            record["formePrix"] = PRICE_FORM_2019.pick(rng)
            record["titulaires"] = holders
            record["modifications"] = modifications
            record["source"] = buyer.platform
            if "old_procedure_label" in quirks:
                old = OLD_PROCEDURE_LABELS.get(procedure)
                if old:
                    record["procedure"] = rng.choice(old)
                else:
                    quirks.discard("old_procedure_label")
        else:
            if buyer.with_type and rng.random() < 0.5:
                record["_type"] = "Marché"
            record["acheteur"] = {"id": buyer_id}
            record["nature"] = NATURE_2022.pick(rng)
            record["objet"] = object_text
            record["codeCPV"] = cpv_code
            techniques = TECHNIQUES.pick(rng)
            record["techniques"] = {"technique": list(techniques)}
            record["modalitesExecution"] = {"modaliteExecution": list(MODALITIES.pick(rng))}
            if "Accord-cadre" in techniques and rng.random() < 0.3:
                record["idAccordCadre"] = f"{year - rng.randint(0, 3)}AC{rng.randrange(1, 400):03d}"
            record["marcheInnovant"] = rng.random() < 0.03
            record["ccag"] = ccag_choice(division).pick(rng)
            no_competition = procedure.startswith("Marché passé sans")
            record["offresRecues"] = 1 if no_competition else min(80, 1 + int(rng.expovariate(0.3)))
            advance = rng.random() < 0.25
            record["attributionAvance"] = advance
            if advance or rng.random() < 0.7:
                record["tauxAvance"] = ADVANCE_RATES.pick(rng) if advance else 0.0
            record["typeGroupementOperateurs"] = grouping
            declared = rng.random() < 0.15
            record["sousTraitanceDeclaree"] = declared
            changes: list[Any] = []
            if declared and rng.random() < 0.4:
                record["actesSousTraitance"], changes = self.subcontracting(notified, amount, duration)
            record["procedure"] = procedure
            record["lieuExecution"] = self.place(buyer)
            record["dureeMois"] = duration
            record["dateNotification"] = self.date(notified)
            record["datePublicationDonnees"] = self.date(published)
            record["montant"] = amount
            record["typesPrix"] = {"typePrix": list(PRICE_TYPES.pick(rng))}
            record["formePrix"] = PRICE_FORM_2022.pick(rng)
            if buyer.with_origins:
                french = rng.random() < 0.1
                record["origineUE"] = 0.3 if french else 0.0
                record["origineFrance"] = 0.7 if french else 0.0
            record["titulaires"] = holders
            self.considerations(record, division, notified)
            if changes:
                record["modificationsActesSousTraitance"] = changes
            if modifications or buyer.empty_modifications:
                record["modifications"] = modifications
            if "boolean_as_string" in quirks:
                record["marcheInnovant"] = "oui" if record["marcheInnovant"] else "non"

        if "number_as_string" in quirks:
            roll = rng.random()
            if roll < 0.6:
                record["montant"] = f"{amount:.2f}" if rng.random() < 0.5 else str(amount)
            elif roll < 0.9 or fmt == "2019":
                record["dureeMois"] = str(duration)
            else:
                record["offresRecues"] = str(record["offresRecues"])
        if "nc_value" in quirks:
            roll = rng.random()
            key = "dureeMois" if roll < 0.6 else ("montant" if roll < 0.85 or fmt == "2019" else "offresRecues")
            record[key] = "NC"
        if "absurd_amount" in quirks:
            record["montant"] = 1e17
        if "flattened_buyer" in quirks:
            record = {("acheteur.id" if key == "acheteur" else key): (value["id"] if key == "acheteur" else value)
                      for key, value in record.items()}  # fmt: skip
        if buyer.with_type and fmt == "2022" and "_type" not in record:
            record["_type"] = "Marché"  # some platforms write it last
        for name in quirks:
            self.quirk_counts[name] += 1
        return record

    def republish(self, record: dict[str, Any]) -> dict[str, Any]:
        """The same contract published again with one or two more modifications (the copy in the file keeps the
        earlier ones): what a consolidation of several publications holds."""
        rng = self.rng
        again = dict(record)
        previous = list(record.get("modifications") or [])
        try:
            notified = dt.date.fromisoformat(record["dateNotification"]).toordinal()
        except (KeyError, TypeError, ValueError):
            notified = LAST_DATE.toordinal() - 400
        if previous:
            last = previous[-1]["modification"] if self.fmt == "2022" else previous[-1]
            notified = dt.date.fromisoformat(last["dateNotificationModification"]).toordinal()
        amount = record.get("montant")
        amount = amount if isinstance(amount, float) and amount < 1e12 else 100_000.0
        duration = record.get("dureeMois")
        duration = duration if isinstance(duration, int) else 12
        again["modifications"] = previous + self.modifications(
            notified, amount, duration, len(previous) + 1, 1 if rng.random() < 0.8 else 2
        )
        return again


# --- Writing -------------------------------------------------------------------------------------------------


def dump(value: Any, indent: str, out: list[str]) -> None:
    """Pretty-print `value` as JSON with a 2-space indent, `indent` being the current one, into `out`: what
    `json.dumps(value, indent=2, ensure_ascii=False)` writes, about three times faster, except that lists of
    strings stay on one line (as the real files formatted by Prettier write them). Lists are homogeneous here."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        separator = "{\n" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            dump(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        if type(value[0]) is str:  # lists of codes stay on one line, as in the real files
            out.append("[" + ", ".join(map(encode_basestring, value)) + "]")
            return
        inner = indent + "  "
        separator = "[\n" + inner
        for item in value:
            out.append(separator)
            dump(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "]")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(float.__repr__(value))
    else:
        raise TypeError(f"Type non sérialisable : {kind.__name__}")


def generator_fingerprint() -> str:
    """A fingerprint of the generator's code: a file written by another version is not the same file."""
    digest = hashlib.sha1()  # noqa: S324 (a fingerprint)
    for module in ("decp_generator.py", "decp_vocabulary.py"):
        digest.update((Path(__file__).resolve().parent / module).read_bytes())
    return digest.hexdigest()[:12]


def generate(
    *, contracts: int, fmt: str, out: Path, seed: int = DEFAULT_SEED, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Write a DECP file of `contracts` records in the 2022 or 2019 format and return its summary."""
    if fmt not in FORMATS:
        raise ValueError(f"Format inconnu : {fmt} (attendu : {', '.join(FORMATS)})")
    if contracts < 1:
        raise ValueError("Il faut au moins un marché.")
    began = time.perf_counter()
    population = build_population(random.Random(seed), contracts, load_departements())
    rng = random.Random(seed + 1)
    maker = RecordMaker(rng, fmt, population)
    # Later publications wait in a heap keyed by the position where they will be written: their delay is bounded,
    # so the heap holds ~1.5 % of the delay window at most and memory stays flat.
    max_delay = max(10, min(20_000, contracts // 20))
    pending: list[tuple[int, int, str, Any]] = []
    sequence = itertools.count()
    new_contracts = republications = duplicates = 0
    if fmt == "2022":
        head, tail, indent = '{\n  "marches": {\n    "marche": [\n', "\n    ]\n  }\n}\n", "      "
    else:
        head, tail, indent = '{\n  "marches": [\n', "\n  ]\n}\n", "    "
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
        handle.write(head)
        chunk: list[str] = []
        for position in range(contracts):
            if pending and pending[0][0] <= position:
                _, _, kind, payload = heapq.heappop(pending)
                if kind == "duplicate":
                    text = payload
                    duplicates += 1
                else:
                    pieces: list[str] = [indent]
                    dump(maker.republish(payload), indent, pieces)
                    text = "".join(pieces)
                    republications += 1
            else:
                record = maker.new()
                new_contracts += 1
                pieces = [indent]
                dump(record, indent, pieces)
                text = "".join(pieces)
                if rng.random() < REPUBLICATION_RATE:
                    heapq.heappush(pending, (position + rng.randint(1, max_delay), next(sequence), "again", record))
                if rng.random() < DUPLICATE_RATE:
                    heapq.heappush(pending, (position + rng.randint(1, max_delay), next(sequence), "duplicate", text))
            if position:
                chunk.append(",\n")
            chunk.append(text)
            if len(chunk) >= 2 * BATCH_RECORDS:
                handle.write("".join(chunk))
                chunk.clear()
                if progress is not None and (position + 1) % 100_000 < BATCH_RECORDS:
                    progress(position + 1)
        handle.write("".join(chunk))
        handle.write(tail)
        written = handle.tell()
    seconds = time.perf_counter() - began
    maker.quirk_counts["republication"] = republications
    maker.quirk_counts["exact_duplicate"] = duplicates
    counts = maker.counts
    summary = {
        "path": str(out),
        "format": fmt,
        "seed": seed,
        "generator_sha1": generator_fingerprint(),
        "records": contracts,
        "new_contracts": new_contracts,
        "buyers": len(population.buyers),
        "holders": len(population.holder_ids),
        "quirks": maker.quirk_counts,
        **counts,
        "bytes": written,
        "seconds": round(seconds, 1),
        "records_per_second": round(contracts / seconds),
    }
    (out.parent / (out.name + ".stats.json")).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Génère un fichier DECP synthétique (banc d'import).")
    parser.add_argument("--contracts", type=int, required=True, help="nombre d'enregistrements du fichier")
    parser.add_argument("--format", choices=FORMATS, default="2022")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    began = time.perf_counter()

    def progress(done: int) -> None:
        elapsed = time.perf_counter() - began
        print(f"{done:,} enregistrements en {elapsed:.0f} s ({done / elapsed:,.0f}/s)", file=sys.stderr, flush=True)

    summary = generate(contracts=args.contracts, fmt=args.format, out=args.out, seed=args.seed, progress=progress)
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
