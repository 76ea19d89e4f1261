"""Exports of a search: same filters and visibility as the page, spreadsheet-safe."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from relais.casesheets.enums import ContractType
from relais.web import exports
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheets(personas: Personas) -> None:
    CaseSheetFactory.create(
        published=True, network=personas.network, title="=SOMME(A1:A9)", contract_type=ContractType.WORKS
    )
    CaseSheetFactory.create(published=True, network=personas.network, title="Nettoyage solidaire")
    CaseSheetFactory.create(published=True, members_only=True, network=personas.network, title="Cantine interne")
    CaseSheetFactory.create(network=personas.network, title="Brouillon")


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_french_spreadsheet_friendly_and_safe(personas: Personas, sheets: None) -> None:
    response = client_for(None).get(reverse("web:sheet_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="fiches-relais-')
    rows = read_csv(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Identifiant", "Adresse de la fiche", "Titre"]
    titles = {row[2] for row in data}
    assert titles == {"'=SOMME(A1:A9)", "Nettoyage solidaire"}
    amount = data[0][header.index("Montant HT (€)")]
    assert amount == "1200000,00"
    assert data[0][header.index("Clause d'insertion")] == "oui"


def test_csv_respects_filters_and_the_reader(personas: Personas, sheets: None) -> None:
    response = client_for(None).get(reverse("web:sheet_export_csv"), {"type": "works"})
    titles = {row[2] for row in read_csv(b"".join(response.streaming_content))[1:]}  # type: ignore[attr-defined]
    assert titles == {"'=SOMME(A1:A9)"}
    response = client_for(personas.member).get(reverse("web:sheet_export_csv"))
    titles = {row[2] for row in read_csv(b"".join(response.streaming_content))[1:]}  # type: ignore[attr-defined]
    assert titles == {"'=SOMME(A1:A9)", "Nettoyage solidaire", "Cantine interne"}
    assert "private" in response["Cache-Control"]


def test_xlsx_has_french_headers_and_no_formula(personas: Personas, sheets: None) -> None:
    response = client_for(personas.supplier).get(reverse("web:sheet_export_xlsx"), {"q": "somme"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Fiches"].iter_rows(values_only=True))
    assert rows[0][2] == "Titre"
    assert [row[2] for row in rows[1:]] == ["'=SOMME(A1:A9)"]
    assert all(cell.data_type != "f" for row in workbook["Fiches"].iter_rows() for cell in row)
    assert "À lire" in workbook.sheetnames


def test_json_respects_visibility(personas: Personas, sheets: None) -> None:
    anonymous = json.loads(client_for(None).get(reverse("web:sheet_export_json")).content)
    assert anonymous["count"] == 2
    assert {row["title"] for row in anonymous["results"]} == {"=SOMME(A1:A9)", "Nettoyage solidaire"}
    assert anonymous["truncated"] is False
    member = json.loads(client_for(personas.animator).get(reverse("web:sheet_export_json")).content)
    assert member["count"] == 3
    assert "Brouillon" not in {row["title"] for row in member["results"]}


def test_exports_are_capped_with_a_note(personas: Personas, sheets: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 1)
    payload = json.loads(client_for(None).get(reverse("web:sheet_export_json")).content)
    assert payload["exported"] == 1
    assert payload["truncated"] is True
    assert "Export limité" in payload["note"]
    response = client_for(None).get(reverse("web:sheet_export_csv"))
    rows = read_csv(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert len(rows) == 3
    assert rows[-1][0].startswith("Export limité")
    assert response["X-Export-Truncated"] == "1/2"


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_guard(text: str) -> None:
    assert exports.neutralise_formula(text) == "'" + text
    assert exports.neutralise_formula("Cantine = bien") == "Cantine = bien"
