"""Reference data and a complete, valid POST payload of the case-sheet form."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest

from relais.core.text import fold
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement, Theme
from tests.conftest import Personas
from tests.factories import CpvFactory, DepartementFactory, OrganisationFactory, ThemeFactory

PREFIXES = ("buyers", "criteria", "stakeholders", "impacts", "links", "attachments")

# The smallest well-formed PDF readers accept; enough for content sniffing.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


@dataclass
class Reference:
    theme: Theme
    other_theme: Theme
    cpv: Cpv
    other_cpv: Cpv
    departement: Departement
    buyer: Organisation
    second_buyer: Organisation
    supplier: Organisation


def make_cpv(code: str, label: str, level: int = 5) -> Cpv:
    return CpvFactory.create(code=code, label_fr=label, label_en=label, level=level, search_label=fold(label))


@pytest.fixture
def reference(personas: Personas) -> Reference:
    return Reference(
        theme=ThemeFactory.create(),
        other_theme=ThemeFactory.create(slug="commerce-equitable", label="Commerce équitable", label_en="Fair trade"),
        cpv=make_cpv("55524000-9", "Services de traiteur pour écoles"),
        other_cpv=make_cpv("15000000-8", "Aliments, boissons, tabac et produits connexes", level=1),
        departement=DepartementFactory.create(),
        buyer=Organisation.objects.get(name="Ville de Rennes"),
        second_buyer=OrganisationFactory.create(name="Département d'Ille-et-Vilaine"),
        supplier=Organisation.objects.get(name="Atelier d'insertion"),
    )


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def payload(personas: Personas, reference: Reference) -> dict[str, Any]:
    """Everything a member fills in for a complete sheet (files are added by tests that need them)."""
    data: dict[str, Any] = {
        "title": "Repas bio et insertion dans les cantines de Rennes",
        "summary": "Un marché de restauration scolaire avec une clause d'insertion et du commerce équitable.",
        "themes": [str(reference.theme.pk), str(reference.other_theme.pk)],
        "network": str(personas.network.pk),
        "visibility": "public",
        "licence": "etalab-2.0",
        "contract_type": "services",
        "procedure": "open_tender",
        "techniques": ["framework"],
        "lots_count": "3",
        "lots_description": "Lot 1 : repas ; lot 2 : goûters ; lot 3 : épicerie équitable.",
        "main_cpv": "55524000-9",
        "additional_cpvs": "15000000",
        "duration_months": "48",
        "amount_exact": "1200000,50",
        "amount_min": "",
        "amount_max": "",
        "notification_date": "2024-09-01",
        "departement": str(reference.departement.pk),
        "region": "",
        "decp_id": "21350238800019202400001",
        "has_insertion_clause": "on",
        "insertion_hours": "2500",
        "has_social_criterion": "on",
        "reserved_basis": "",
        "has_environmental_clause": "on",
        "labels_required": "AB, Fairtrade/Max Havelaar",
        "is_fair_trade": "on",
        "context": "La ville voulait plus de produits bio.",
        "actions": "Sourçage, allotissement, clause d'insertion.",
        "value_for_buyer": "Des repas de qualité.",
        "value_for_supplier": "Un chiffre d'affaires stable.",
        "lessons": "Anticiper le sourçage.",
        "advice": "Travailler avec le facilitateur.",
        **management("buyers", 2),
        "buyers-0-organisation": "",
        "buyers-0-organisation_id": str(reference.buyer.public_id),
        "buyers-0-role": "coordinator",
        "buyers-1-organisation": f"SIRET {reference.second_buyer.siret}",
        "buyers-1-organisation_id": "",
        "buyers-1-role": "group_member",
        **management("criteria", 3),
        "criteria-0-kind": "price",
        "criteria-0-label": "Prix",
        "criteria-0-weight": "40",
        "criteria-1-kind": "social",
        "criteria-1-label": "Performance en matière d'insertion",
        "criteria-1-weight": "60",
        "criteria-2-kind": "",
        "criteria-2-label": "",
        "criteria-2-weight": "",
        **management("stakeholders", 1),
        "stakeholders-0-organisation": "Atelier d'insertion",
        "stakeholders-0-organisation_id": "",
        "stakeholders-0-role": "holder",
        **management("impacts", 1),
        "impacts-0-label": "personnes en parcours d'insertion",
        "impacts-0-value": "12",
        "impacts-0-unit": "personnes",
        **management("links", 1),
        "links-0-title": "Avis de marché",
        "links-0-url": "https://www.boamp.fr/avis/detail/24-12345",
        **management("attachments", 0),
    }
    return data
