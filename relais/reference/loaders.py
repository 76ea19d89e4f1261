"""Load the shipped reference files of `data/` into the reference tables.

Each loader reads and validates its whole file first, then upserts in one transaction: a bad row raises
`ReferenceDataError` (in French, naming the line) before anything is written. Rows are matched on their natural
key (CPV code, INSEE code, theme slug, rule kind + code + start date) and only rows that differ are written, so that
`manage.py load_reference` can run on every start.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, models, transaction

from relais.core.text import fold

from .enums import LabelKind
from .models import Cpv, Departement, Label, LegalRule, Region, Theme
from .queries import legal_rules_changed

DATA_DIR = Path(__file__).resolve().parent / "data"
CPV_FILE = "cpv_2008_fr_en.csv"
REGIONS_FILE = "regions.csv"
DEPARTEMENTS_FILE = "departements.csv"
THEMES_FILE = "themes.csv"
LEGAL_RULES_FILE = "legal_rules.csv"
LABELS_FILE = "labels.csv"

BATCH_SIZE = 500
# Errors listed in one message; the rest are counted, so that a wholly wrong file stays readable.
MAX_REPORTED_ERRORS = 20

_CPV_CODE = re.compile(r"^(\d{8})-(\d)$")
_INSEE_DEPARTEMENT = re.compile(r"^(\d{2}|2A|2B|97\d)$")
_INSEE_REGION = re.compile(r"^\d{2}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")

M = TypeVar("M", bound=models.Model)
Row = dict[str, str]


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message lists the faulty lines, in French."""

    def __init__(self, filename: str, errors: Sequence[str]) -> None:
        self.filename = filename
        self.errors = list(errors)
        shown = [f"- {error}" for error in self.errors[:MAX_REPORTED_ERRORS]]
        if len(self.errors) > MAX_REPORTED_ERRORS:
            shown.append(f"- … et {len(self.errors) - MAX_REPORTED_ERRORS} autres erreurs")
        super().__init__(f"Fichier {filename} invalide, rien n'a été chargé :\n" + "\n".join(shown))


@dataclass
class LoadResult:
    """What one loader did: rows read from the file and rows created, updated, left unchanged or deleted."""

    name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.name} : {self.read} lignes lues, {self.created} créées, {self.updated} modifiées, "
            f"{self.unchanged} inchangées"
        )
        return text + (f", {self.deleted} supprimées" if self.deleted else "")


class _Errors:
    """Collects line errors while a file is validated."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"ligne {line} : {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ReferenceDataError(self.filename, self.items)


def _read_csv(path: Path, columns: Sequence[str], errors: _Errors) -> list[tuple[int, Row]]:
    """Rows of a UTF-8 CSV file with their line numbers, values stripped; missing columns fail at once."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReferenceDataError(path.name, [f"lecture impossible ({exc.strerror or exc})"]) from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if not header:
                raise ReferenceDataError(path.name, ["le fichier est vide (ligne d'en-tête attendue)"])
            missing = [column for column in columns if column not in header]
            if missing:
                raise ReferenceDataError(path.name, [f"ligne 1 : colonnes manquantes : {', '.join(missing)}"])
            rows: list[tuple[int, Row]] = []
            for record in reader:
                line = reader.line_num
                if None in record or any(value is None for value in record.values()):
                    errors.add(line, f"nombre de valeurs incorrect (attendu {len(header)} colonnes)")
                    continue
                rows.append((line, {column: (record[column] or "").strip() for column in columns}))
        except UnicodeDecodeError as exc:
            raise ReferenceDataError(path.name, ["le fichier n'est pas encodé en UTF-8"]) from exc
        except csv.Error as exc:
            raise ReferenceDataError(path.name, [f"ligne {reader.line_num} : CSV illisible ({exc})"]) from exc
    return rows


def _required(row: Row, column: str, line: int, errors: _Errors, max_length: int) -> str:
    value = row[column]
    if not value:
        errors.add(line, f"la colonne « {column} » est vide")
    elif len(value) > max_length:
        errors.add(line, f"la colonne « {column} » dépasse {max_length} caractères")
    return value


def _parse_date(value: str, column: str, line: int, errors: _Errors) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.add(line, f"date « {value} » invalide dans la colonne « {column} » (format attendu AAAA-MM-JJ)")
        return None


def _parse_decimal(value: str, line: int, errors: _Errors) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.add(line, f"valeur « {value} » non numérique (utilisez le point décimal, sans espace : 221000)")
        return None
    exponent = number.as_tuple().exponent
    if not number.is_finite() or (isinstance(exponent, int) and exponent < -4) or abs(number) >= 10**12:
        errors.add(line, f"valeur « {value} » hors limites (au plus 12 chiffres avant la virgule et 4 après)")
        return None
    return number


def _upsert(
    model: type[M],
    rows: Mapping[Hashable, dict[str, Any]],
    key: Callable[[M], Hashable],
    result: LoadResult,
    *,
    prune: bool = False,
) -> None:
    """Create missing rows, update those that differ, leave the others alone (and delete extras if `prune`)."""
    existing = {key(obj): obj for obj in model._default_manager.all()}
    to_create: list[M] = []
    to_update: list[M] = []
    fields: set[str] = set()
    for row_key, values in rows.items():
        obj = existing.get(row_key)
        if obj is None:
            to_create.append(model(**values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            fields.update(changed)
            to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(fields), batch_size=BATCH_SIZE)
    if prune:
        stale = [obj.pk for row_key, obj in existing.items() if row_key not in rows]
        result.deleted = model._default_manager.filter(pk__in=stale).delete()[0] if stale else 0
    result.read = len(rows)
    result.created = len(to_create)
    result.updated = len(to_update)
    result.unchanged = len(rows) - len(to_create) - len(to_update)


# --- CPV -------------------------------------------------------------------------------------------------------

CPV_COLUMNS = ("code", "code8", "check_digit", "division", "level", "parent_code", "label_fr", "label_en")
_CPV_FIELDS = ("code8", "check_digit", "division", "level", "label_fr", "label_en", "search_label", "parent_id")


def _parse_cpv(path: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """Validated CPV rows by code: (field values without parent, parent code)."""
    errors = _Errors(path.name)
    parsed: dict[str, tuple[dict[str, Any], str]] = {}
    lines: dict[str, int] = {}
    for line, row in _read_csv(path, CPV_COLUMNS, errors):
        code = row["code"]
        match = _CPV_CODE.match(code)
        if not match:
            errors.add(line, f"code CPV « {code} » invalide (format attendu : 8 chiffres, tiret, clé, ex. 03000000-1)")
            continue
        if code in parsed:
            errors.add(line, f"code CPV « {code} » en double (déjà ligne {lines[code]})")
            continue
        code8, check_digit = match.groups()
        if row["code8"] != code8 or row["check_digit"] != check_digit or row["division"] != code8[:2]:
            errors.add(line, f"colonnes code8, check_digit ou division incohérentes avec le code « {code} »")
        expected_level = len(Cpv.prefix_of(code8)) - 1
        if row["level"] != str(expected_level):
            errors.add(line, f"niveau « {row['level']} » incohérent avec le code « {code} » (attendu {expected_level})")
        label_fr = _required(row, "label_fr", line, errors, 400)
        label_en = _required(row, "label_en", line, errors, 400)
        lines[code] = line
        values = {
            "code": code,
            "code8": code8,
            "check_digit": check_digit,
            "division": code8[:2],
            "level": expected_level,
            "label_fr": label_fr,
            "label_en": label_en,
            "search_label": fold(label_fr)[:400],
        }
        parsed[code] = (values, row["parent_code"])
    for code, (values, parent_code) in parsed.items():
        if values["level"] == 1:
            if parent_code:
                errors.add(lines[code], f"la division « {code} » ne peut pas avoir de parent")
            continue
        parent = parsed.get(parent_code)
        if parent is None:
            errors.add(lines[code], f"code parent « {parent_code} » absent du fichier")
        elif parent[0]["level"] >= values["level"] or not values["code8"].startswith(Cpv.prefix_of(parent_code)):
            errors.add(lines[code], f"le code « {parent_code} » ne peut pas être le parent de « {code} »")
    errors.raise_if_any()
    return parsed


def load_cpv(path: Path | None = None) -> LoadResult:
    """Upsert the CPV 2008 codes; parents are created before their children so that every row is written once."""
    parsed = _parse_cpv(path or DATA_DIR / CPV_FILE)
    result = LoadResult("Codes CPV", read=len(parsed))
    with transaction.atomic():
        existing = {obj.code: obj for obj in Cpv.objects.all()}
        ids: dict[str, int] = {code: obj.pk for code, obj in existing.items()}
        to_update: list[Cpv] = []
        fields: set[str] = set()
        by_level: dict[int, list[tuple[str, tuple[dict[str, Any], str]]]] = {}
        for item in parsed.items():
            by_level.setdefault(item[1][0]["level"], []).append(item)
        for level in sorted(by_level):
            to_create: list[Cpv] = []
            for code, (values, parent_code) in by_level[level]:
                wanted = {**values, "parent_id": ids[parent_code] if parent_code else None}
                obj = existing.get(code)
                if obj is None:
                    to_create.append(Cpv(**wanted))
                    continue
                changed = [name for name in _CPV_FIELDS if getattr(obj, name) != wanted[name]]
                if changed:
                    for name in changed:
                        setattr(obj, name, wanted[name])
                    fields.update(changed)
                    to_update.append(obj)
            created = Cpv.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            if created and not connection.features.can_return_rows_from_bulk_insert:
                ids.update(Cpv.objects.filter(code__in=[obj.code for obj in created]).values_list("code", "pk"))
            else:
                ids.update((obj.code, obj.pk) for obj in created)
            result.created += len(created)
        if to_update:
            Cpv.objects.bulk_update(to_update, sorted(fields), batch_size=BATCH_SIZE)
        result.updated = len(to_update)
    result.unchanged = result.read - result.created - result.updated
    return result


# --- Territories ---------------------------------------------------------------------------------------------


def load_regions(path: Path | None = None) -> LoadResult:
    """Upsert the régions (INSEE COG, since 2016); régions missing from the file are kept (départements use them)."""
    path = path or DATA_DIR / REGIONS_FILE
    errors = _Errors(path.name)
    rows: dict[Hashable, dict[str, Any]] = {}
    for line, row in _read_csv(path, ("code", "name"), errors):
        code = row["code"]
        if not _INSEE_REGION.match(code):
            errors.add(line, f"code de région « {code} » invalide (2 chiffres attendus)")
        elif (code,) in rows:
            errors.add(line, f"code de région « {code} » en double")
        rows[(code,)] = {"code": code, "name": _required(row, "name", line, errors, 100)}
    errors.raise_if_any()
    result = LoadResult("Régions")
    with transaction.atomic():
        _upsert(Region, rows, lambda obj: (obj.code,), result)
    return result


def load_departements(path: Path | None = None) -> LoadResult:
    """Upsert the départements; their région must already be loaded (`load_regions`)."""
    path = path or DATA_DIR / DEPARTEMENTS_FILE
    errors = _Errors(path.name)
    region_ids = dict(Region.objects.values_list("code", "pk"))
    rows: dict[Hashable, dict[str, Any]] = {}
    for line, row in _read_csv(path, ("code", "name", "region_code"), errors):
        code, region_code = row["code"], row["region_code"]
        if not _INSEE_DEPARTEMENT.match(code):
            errors.add(line, f"code de département « {code} » invalide (ex. 01, 2A, 974)")
        elif (code,) in rows:
            errors.add(line, f"code de département « {code} » en double")
        if region_code and region_code not in region_ids:
            errors.add(line, f"région « {region_code} » inconnue (chargez d'abord les régions)")
        rows[(code,)] = {
            "code": code,
            "name": _required(row, "name", line, errors, 100),
            "region_id": region_ids.get(region_code),
        }
    errors.raise_if_any()
    result = LoadResult("Départements")
    with transaction.atomic():
        _upsert(Departement, rows, lambda obj: (obj.code,), result)
    return result


# --- Themes --------------------------------------------------------------------------------------------------


def load_themes(path: Path | None = None) -> LoadResult:
    """Upsert the managed list of purchasing themes; a theme removed from the file is kept (content refers to it)."""
    path = path or DATA_DIR / THEMES_FILE
    errors = _Errors(path.name)
    rows: dict[Hashable, dict[str, Any]] = {}
    for line, row in _read_csv(path, ("slug", "label", "label_en", "position"), errors):
        slug = row["slug"]
        if not _SLUG.match(slug) or len(slug) > 60:
            errors.add(line, f"identifiant « {slug} » invalide (minuscules, chiffres et tirets, 60 caractères au plus)")
        elif (slug,) in rows:
            errors.add(line, f"identifiant « {slug} » en double")
        if not row["position"].isdigit() or int(row["position"]) > 32767:
            errors.add(line, f"ordre « {row['position']} » invalide (entier positif attendu)")
        rows[(slug,)] = {
            "slug": slug,
            "label": _required(row, "label", line, errors, 120),
            "label_en": _required(row, "label_en", line, errors, 120),
            "position": int(row["position"]) if row["position"].isdigit() else 0,
        }
    errors.raise_if_any()
    result = LoadResult("Thèmes")
    with transaction.atomic():
        _upsert(Theme, rows, lambda obj: (obj.slug,), result)
    return result


# --- Legal rules ---------------------------------------------------------------------------------------------

LEGAL_RULE_COLUMNS = (
    "kind",
    "code",
    "label",
    "value",
    "unit",
    "valid_from",
    "valid_until",
    "legal_reference",
    "source",
)


def _check_no_overlap(rows: Mapping[Hashable, dict[str, Any]], lines: Mapping[Hashable, int], errors: _Errors) -> None:
    """Two versions of one rule in force on the same day would make `value_on` ambiguous."""
    versions: dict[tuple[str, str], list[tuple[dt.date, dt.date, Hashable]]] = {}
    for row_key, values in rows.items():
        until = values["valid_until"] or dt.date.max
        versions.setdefault((values["kind"], values["code"]), []).append((values["valid_from"], until, row_key))
    for (kind, code), periods in versions.items():
        periods.sort()
        for (_, previous_until, _), (start, _, row_key) in itertools.pairwise(periods):
            if start <= previous_until:
                errors.add(lines[row_key], f"la règle {kind}/{code} chevauche la version précédente")


def load_legal_rules(path: Path | None = None) -> LoadResult:
    """Replace the dated legal rules by those of the file (rules no longer in the file are deleted)."""
    path = path or DATA_DIR / LEGAL_RULES_FILE
    errors = _Errors(path.name)
    rows: dict[Hashable, dict[str, Any]] = {}
    lines: dict[Hashable, int] = {}
    for line, row in _read_csv(path, LEGAL_RULE_COLUMNS, errors):
        kind, code = row["kind"], row["code"]
        for column, max_length in (("kind", 40), ("code", 60)):
            if not _IDENTIFIER.match(row[column]) or len(row[column]) > max_length:
                errors.add(line, f"« {row[column]} » invalide dans la colonne « {column} » (ex. eu_threshold)")
        valid_from = _parse_date(row["valid_from"], "valid_from", line, errors)
        valid_until = _parse_date(row["valid_until"], "valid_until", line, errors)
        if valid_from is None:
            if not row["valid_from"]:
                errors.add(line, "la colonne « valid_from » est vide")
            continue
        if valid_until is not None and valid_until < valid_from:
            errors.add(line, "la date de fin précède la date de début")
        row_key = (kind, code, valid_from)
        if row_key in rows:
            errors.add(line, f"la règle {kind}/{code} du {valid_from} est en double (déjà ligne {lines[row_key]})")
            continue
        if len(row["unit"]) > 20 or len(row["source"]) > 300:
            errors.add(line, "unité (20 caractères) ou source (300 caractères) trop longue")
        lines[row_key] = line
        rows[row_key] = {
            "kind": kind,
            "code": code,
            "label": _required(row, "label", line, errors, 300),
            "value": _parse_decimal(row["value"], line, errors),
            "unit": row["unit"],
            "valid_from": valid_from,
            "valid_until": valid_until,
            "legal_reference": _required(row, "legal_reference", line, errors, 300),
            "source": row["source"],
        }
    _check_no_overlap(rows, lines, errors)
    errors.raise_if_any()
    result = LoadResult("Règles juridiques datées")
    with transaction.atomic():
        _upsert(LegalRule, rows, lambda obj: (obj.kind, obj.code, obj.valid_from), result, prune=True)
        transaction.on_commit(legal_rules_changed)  # every process re-reads the rules (`queries.legal_rules`)
    return result


# --- Labels ----------------------------------------------------------------------------------------------------

LABEL_COLUMNS = ("slug", "name", "kind", "issuer", "cpv_prefixes", "equivalent_accepted", "website", "source")
_CPV_PREFIX = re.compile(r"^\d{2,8}$")


def load_labels(path: Path | None = None) -> LoadResult:
    """Upsert the registry of labels; a label removed from the file is kept (suppliers' labels refer to it).

    `cpv_prefixes` lists CPV prefixes (2 to 8 digits) separated by spaces, each the start of a CPV 2008 code (checked
    when the CPV table is loaded). `equivalent_accepted` must be `true`: a buyer requiring a label must accept an
    equivalent one (Code de la commande publique, R2111-12 to R2111-17)."""
    path = path or DATA_DIR / LABELS_FILE
    errors = _Errors(path.name)
    known = set(Cpv.objects.values_list("code8", flat=True))
    url = URLValidator()
    rows: dict[Hashable, dict[str, Any]] = {}
    for line, row in _read_csv(path, LABEL_COLUMNS, errors):
        slug = row["slug"]
        if not _SLUG.match(slug) or len(slug) > 60:
            errors.add(line, f"identifiant « {slug} » invalide (minuscules, chiffres et tirets, 60 caractères au plus)")
        elif (slug,) in rows:
            errors.add(line, f"identifiant « {slug} » en double")
        if row["kind"] not in LabelKind.values:
            errors.add(line, f"nature « {row['kind']} » inconnue ({', '.join(LabelKind.values)})")
        prefixes = row["cpv_prefixes"].split()
        for prefix in prefixes:
            if not _CPV_PREFIX.match(prefix):
                errors.add(line, f"préfixe CPV « {prefix} » invalide (2 à 8 chiffres, sans clé)")
            elif known and not any(code.startswith(prefix) for code in known):
                errors.add(line, f"aucun code CPV ne commence par « {prefix} »")
        if row["equivalent_accepted"] != "true":
            errors.add(line, "« equivalent_accepted » doit valoir true : un label équivalent est toujours accepté")
        if row["website"]:
            try:
                url(row["website"])
            except ValidationError:
                errors.add(line, f"adresse « {row['website']} » invalide")
        if len(row["issuer"]) > 200 or len(row["source"]) > 300 or len(row["website"]) > 200:
            errors.add(line, "organisme (200 caractères), site (200) ou source (300) trop long")
        rows[(slug,)] = {
            "slug": slug,
            "name": _required(row, "name", line, errors, 150),
            "kind": row["kind"],
            "issuer": row["issuer"],
            "cpv_prefixes": sorted(set(prefixes)),
            "equivalent_accepted": True,
            "website": row["website"],
            "source": row["source"],
        }
    errors.raise_if_any()
    result = LoadResult("Labels")
    with transaction.atomic():
        _upsert(Label, rows, lambda obj: (obj.slug,), result)
    return result


def load_all(data_dir: Path | None = None) -> list[LoadResult]:
    """Load every reference file of `data_dir` (default: the shipped files), all or nothing."""
    data_dir = data_dir or DATA_DIR
    with transaction.atomic():
        return [
            load_cpv(data_dir / CPV_FILE),
            load_regions(data_dir / REGIONS_FILE),
            load_departements(data_dir / DEPARTEMENTS_FILE),
            load_themes(data_dir / THEMES_FILE),
            load_legal_rules(data_dir / LEGAL_RULES_FILE),
            load_labels(data_dir / LABELS_FILE),
        ]
