"""Every DECP sample file imports into the database, its defects recorded; importing again is a no-op."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from relais.contracts.enums import ContractKind, QualityFlag, RunStatus, SourceFormat
from relais.contracts.loader import ReferenceData
from relais.contracts.models import Contract, ImportRun
from relais.contracts.services import DecpImportError, decp_import

from ..conftest import Personas
from .conftest import DECP_DATA

SAMPLES = sorted(p for p in DECP_DATA.rglob("*") if p.suffix in {".json", ".xml", ".csv"})


def test_there_are_samples_of_every_kind() -> None:
    assert {p.suffix for p in SAMPLES} == {".json", ".xml", ".csv"}
    assert len(SAMPLES) >= 20


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(DECP_DATA)))
def test_every_sample_imports_and_reimporting_is_a_no_op(path: Path, reference: ReferenceData) -> None:
    run = decp_import(path=path)
    assert run.status == RunStatus.DONE, run.error
    assert run.read >= 1
    assert run.created + run.unchanged == run.read  # duplicates inside a file merge
    assert Contract.objects.count() == run.created
    again = decp_import(path=path)
    assert again.pk != run.pk
    assert (again.created, again.updated, again.unchanged) == (0, 0, run.read)
    assert Contract.objects.count() == run.created


def test_a_2019_file_has_unknown_considerations_never_none(reference: ReferenceData) -> None:
    decp_import(path=DECP_DATA / "real" / "decp-processing_test_2019.json")
    assert set(Contract.objects.values_list("social_status", flat=True)) == {"unknown"}
    assert set(Contract.objects.values_list("source_format", flat=True)) == {SourceFormat.DECP_2019_JSON}


def test_real_2022_file_quirks_are_flagged_not_dropped(reference: ReferenceData) -> None:
    run = decp_import(path=DECP_DATA / "real" / "decp-processing_test_2022.json")
    assert run.read == 5
    assert run.quarantined == 0
    assert str(int(QualityFlag.AMOUNT_IMPLAUSIBLE)) in run.flag_counts
    assert Contract.objects.filter(social_criterion=True).count() == 1
    assert Contract.objects.filter(social_clause=True).count() == 1


def test_concessions_are_imported_as_concessions(reference: ReferenceData) -> None:
    decp_import(path=DECP_DATA / "examples" / "v2" / "concessions.json")
    assert set(Contract.objects.values_list("kind", flat=True)) == {ContractKind.CONCESSION}


def test_the_command_imports_a_folder_and_reports(reference: ReferenceData, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_decp", str(DECP_DATA / "examples" / "v2"))
    out = capsys.readouterr().out
    assert out.count(" lus, ") == len(list((DECP_DATA / "examples" / "v2").iterdir()))
    assert ImportRun.objects.filter(status=RunStatus.DONE).count() == len(
        list((DECP_DATA / "examples" / "v2").iterdir())
    )


def test_a_file_of_unknown_format_is_refused_in_french(tmp_path: Path, reference: ReferenceData) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("Ceci n'est pas un fichier de données essentielles.", encoding="utf-8")
    with pytest.raises(DecpImportError, match="non reconnu"):
        decp_import(path=bad)
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_an_animator_uploads_a_file_and_reads_the_report(
    personas: Personas,
    reference: ReferenceData,
    client: object,
    settings: object,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DECP_IMPORT_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.animator)  # type: ignore[attr-defined]
    source = DECP_DATA / "real" / "megalis_decp-59920013600241-2024-07-09-01.json"
    with source.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:decp_imports"), {"upload": handle})  # type: ignore[attr-defined]
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == RunStatus.DONE
    assert run.requested_by == personas.animator
    assert Contract.objects.count() == 5
    page = client.get(response["Location"]).content.decode()  # type: ignore[attr-defined]
    assert "megalis" not in run.source_name or run.source_name.endswith(".json")
    assert "Marchés créés" in page
    assert ">5<" in page


def test_an_upload_that_is_not_decp_is_refused_and_not_kept(
    personas: Personas, reference: ReferenceData, client: object, settings: object, tmp_path: Path
) -> None:
    settings.DECP_IMPORT_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.animator)  # type: ignore[attr-defined]
    bad = tmp_path.parent / "bad.csv"
    bad.write_text("nom;prénom\nDupont;Jean\n", encoding="utf-8")
    with bad.open("rb") as handle:
        response = client.post(reverse("web:decp_imports"), {"upload": handle})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "non reconnu" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_file_dropped_in_the_import_folder_can_be_chosen(
    personas: Personas,
    reference: ReferenceData,
    client: object,
    settings: object,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DECP_IMPORT_DIR = tmp_path  # type: ignore[attr-defined]
    shutil.copy(DECP_DATA / "examples" / "v2" / "Marche.xml", tmp_path / "Marche.xml")
    client.force_login(personas.site_admin)  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:decp_imports"), {"server_file": "Marche.xml"})  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert ImportRun.objects.get().source_format == SourceFormat.DECP_2022_XML
    # A name that is not in the folder is refused by the form.
    response = client.post(reverse("web:decp_imports"), {"server_file": "../../etc/passwd"})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert ImportRun.objects.count() == 1
