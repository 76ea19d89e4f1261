"""Flat rows of case sheets for the CSV, XLSX and JSON exports: one row per sheet, French column titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Final

from django.conf import settings
from django.urls import reverse

from .enums import ContractType, Procedure, StakeholderRole, Visibility
from .models import CaseSheet

ExportValue = str | int | bool | Decimal | dt.date | dt.datetime | None

# Keys of `export_rows` with their French column titles (CSV and XLSX headers), in column order.
EXPORT_COLUMNS: Final[dict[str, str]] = {
    "id": "Identifiant",
    "url": "Adresse de la fiche",
    "title": "Titre",
    "summary": "Résumé",
    "network": "Réseau",
    "visibility": "Visibilité",
    "published_at": "Publiée le",
    "themes": "Thèmes",
    "contract_type": "Type de marché",
    "procedure": "Procédure",
    "techniques": "Techniques d'achat",
    "is_purchasing_group": "Groupement de commandes",
    "buyers": "Acheteurs",
    "suppliers": "Titulaires et cotraitants",
    "main_cpv": "Code CPV principal",
    "main_cpv_label": "Libellé CPV principal",
    "additional_cpvs": "Codes CPV complémentaires",
    "lots_count": "Nombre de lots",
    "duration_months": "Durée (mois)",
    "amount_exact": "Montant HT (€)",
    "amount_min": "Montant HT minimum (€)",
    "amount_max": "Montant HT maximum (€)",
    "notification_date": "Date de notification",
    "year": "Année",
    "departement": "Département",
    "region": "Région",
    "has_insertion_clause": "Clause d'insertion",
    "insertion_hours": "Heures d'insertion prévues",
    "has_social_criterion": "Critère social",
    "reserved_basis": "Marché réservé (fondement)",
    "has_environmental_clause": "Clause environnementale",
    "has_environmental_criterion": "Critère environnemental",
    "labels_required": "Labels exigés",
    "is_fair_trade": "Commerce équitable",
    "is_innovative": "Achat innovant",
    "criteria": "Critères d'attribution",
    "decp_id": "Identifiant DECP",
    "licence": "Licence",
}

_SUPPLIER_ROLES: Final = frozenset({StakeholderRole.HOLDER, StakeholderRole.CO_CONTRACTOR})
MULTI_SEPARATOR: Final = " | "


def export_row(sheet: CaseSheet) -> dict[str, ExportValue]:
    """One flat row per sheet (keys of EXPORT_COLUMNS). Lists are joined with " | "; amounts stay Decimal."""
    region = sheet.region or (sheet.departement.region if sheet.departement else None)
    return {
        "id": str(sheet.public_id),
        "url": settings.SITE_URL + reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id}),
        "title": sheet.title,
        "summary": sheet.summary,
        "network": sheet.network.name,
        "visibility": str(Visibility(sheet.visibility).label),
        "published_at": sheet.published_at,
        "themes": MULTI_SEPARATOR.join(t.label for t in sheet.themes.all()),
        "contract_type": str(ContractType(sheet.contract_type).label) if sheet.contract_type else "",
        "procedure": str(Procedure(sheet.procedure).label) if sheet.procedure else "",
        "techniques": MULTI_SEPARATOR.join(str(t) for t in sheet.techniques or []),
        "is_purchasing_group": sheet.is_purchasing_group,
        "buyers": MULTI_SEPARATOR.join(b.organisation.name for b in sheet.buyers.all()),
        "suppliers": MULTI_SEPARATOR.join(
            s.organisation.name for s in sheet.stakeholders.all() if s.role in _SUPPLIER_ROLES
        ),
        "main_cpv": sheet.main_cpv.code,
        "main_cpv_label": sheet.main_cpv.label_fr,
        "additional_cpvs": MULTI_SEPARATOR.join(c.code for c in sheet.additional_cpvs.all()),
        "lots_count": sheet.lots_count,
        "duration_months": sheet.duration_months,
        "amount_exact": sheet.amount_exact,
        "amount_min": sheet.amount_min,
        "amount_max": sheet.amount_max,
        "notification_date": sheet.notification_date,
        "year": sheet.year,
        "departement": str(sheet.departement) if sheet.departement else "",
        "region": region.name if region else "",
        "has_insertion_clause": sheet.has_insertion_clause,
        "insertion_hours": sheet.insertion_hours,
        "has_social_criterion": sheet.has_social_criterion,
        "reserved_basis": sheet.reserved_basis,
        "has_environmental_clause": sheet.has_environmental_clause,
        "has_environmental_criterion": sheet.has_environmental_criterion,
        "labels_required": sheet.labels_required,
        "is_fair_trade": sheet.is_fair_trade,
        "is_innovative": sheet.is_innovative,
        "criteria": MULTI_SEPARATOR.join(f"{c.label} ({c.weight} %)" for c in sheet.criteria.all()),
        "decp_id": sheet.decp_id,
        "licence": sheet.licence,
    }


def export_rows(sheets: Iterable[CaseSheet]) -> Iterator[dict[str, ExportValue]]:
    """Flat dicts for CSV/XLSX/JSON exports, one per sheet, lazily (pass `sheets_for_export(...)[1]`)."""
    for sheet in sheets:
        yield export_row(sheet)
