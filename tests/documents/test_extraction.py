"""Text extraction of every accepted format, its limits and its robustness to broken files."""

from __future__ import annotations

import io
import zipfile

import pytest

from relais.documents import extraction
from relais.documents.extraction import ExtractionError, extract_text
from relais.documents.formats import CSV, DOCX, ODS, ODT, PDF, XLSX

from .files import csv_bytes, docx_bytes, ods_bytes, odt_bytes, pdf_bytes, xlsx_bytes

SENTENCE = "Le titulaire réalise une clause d'insertion de 500 heures."

BUILDERS = {
    PDF: pdf_bytes,
    DOCX: docx_bytes,
    ODT: odt_bytes,
    ODS: ods_bytes,
    XLSX: xlsx_bytes,
    CSV: csv_bytes,
}


@pytest.mark.parametrize("content_type", sorted(BUILDERS))
def test_each_format_yields_its_text(content_type: str) -> None:
    data = BUILDERS[content_type]("Première ligne du document", SENTENCE)
    text = extract_text(io.BytesIO(data), content_type)
    assert "clause d'insertion de 500 heures" in text
    assert "Première ligne" in text


def test_windows_1252_csv_is_read() -> None:
    text = extract_text(io.BytesIO(csv_bytes("Critère équité", encoding="cp1252")), CSV)
    assert "Critère équité" in text


@pytest.mark.parametrize("content_type", [PDF, DOCX, ODT, ODS, XLSX])
def test_broken_files_fail_with_a_reason(content_type: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(io.BytesIO(b"PK\x03\x04 pas vraiment un document"), content_type)
    assert str(caught.value)


def test_package_without_its_main_part_fails_with_a_reason() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ExtractionError, match="incomplet"):
        extract_text(io.BytesIO(buffer.getvalue()), DOCX)


def test_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<a>" + " " * 20_000_000 + "</a>")
    with pytest.raises(ExtractionError, match="volumineux"):
        extract_text(io.BytesIO(buffer.getvalue()), DOCX)


def test_extraction_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction, "MAX_CHARACTERS", 100)
    paragraphs = [f"Paragraphe numéro {n} sur les clauses sociales." for n in range(50)]
    text = extract_text(io.BytesIO(docx_bytes(*paragraphs)), DOCX)
    assert len(text) <= 100 + len(paragraphs)
    assert "numéro 49" not in text


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(b"x"), "text/html")
