"""Detecting the format of a DECP file from its content, never from its name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from relais.contracts.decp.detect import UnknownFormat, detect_format, json_layout
from relais.contracts.enums import ContractKind, SourceFormat

DECP_DATA = Path(__file__).resolve().parent.parent / "data" / "decp"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("examples/v1.5/mar-basique.json", SourceFormat.DECP_2019_JSON),
        ("examples/v1.5/paquet.json", SourceFormat.DECP_2019_JSON),
        ("examples/v1.5/mar-basique.xml", SourceFormat.DECP_2019_XML),
        ("examples/v1.5/cc-avec-modifications.xml", SourceFormat.DECP_2019_XML),
        ("examples/v1.5/paquet.xml", SourceFormat.DECP_2019_XML),
        ("examples/v2/marches_concessions.json", SourceFormat.DECP_2022_JSON),
        ("examples/v2/concessions.json", SourceFormat.DECP_2022_JSON),
        ("examples/v2/Marche.xml", SourceFormat.DECP_2022_XML),
        ("examples/v2/Contrat-concession.xml", SourceFormat.DECP_2022_XML),
        ("real/decp-processing_test_2019.json", SourceFormat.DECP_2019_JSON),
        ("real/decp-processing_test_2022.json", SourceFormat.DECP_2022_JSON),
        ("real/megalis_decp-59920013600241-2024-07-09-01.json", SourceFormat.DECP_2022_JSON),
        ("real/minef_decp_augmente_valides_2022_sample.csv", SourceFormat.TABULAR_CSV),
    ],
)
def test_sample_files(name: str, expected: SourceFormat) -> None:
    assert detect_format(DECP_DATA / name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("examples/v2/Marche.xml", SourceFormat.DECP_2022_XML),
        ("examples/v1.5/paquet.json", SourceFormat.DECP_2019_JSON),
        ("real/minef_decp_augmente_valides_2022_sample.csv", SourceFormat.TABULAR_CSV),
    ],
)
def test_the_file_name_does_not_matter(tmp_path: Path, name: str, expected: SourceFormat) -> None:
    misnamed = tmp_path / "donnees.json" if expected != SourceFormat.DECP_2019_JSON else tmp_path / "donnees.xml"
    shutil.copy(DECP_DATA / name, misnamed)
    assert detect_format(misnamed) == expected


def write(tmp_path: Path, content: str | bytes, name: str = "fichier") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_2022_json_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + b'{"marches": {"marche": [{"id": "1"}]}}')
    assert detect_format(path) == SourceFormat.DECP_2022_JSON


def test_2019_json_bare_record_and_bare_array(tmp_path: Path) -> None:
    record = {"id": "1", "acheteur": {"id": "21350238800019"}, "objet": "Travaux", "_type": "Marché"}
    assert detect_format(write(tmp_path, json.dumps(record), "a")) == SourceFormat.DECP_2019_JSON
    assert detect_format(write(tmp_path, json.dumps([record]), "b")) == SourceFormat.DECP_2019_JSON


def test_2_0_0_draft_is_told_from_2019_by_its_flat_lists(tmp_path: Path) -> None:
    draft = {
        "marches": [
            {
                "id": "1",
                "acheteur": {"id": "21350238800019"},
                "objet": "Travaux",
                "technique": ["Accord-cadre"],
                "considerationsSociales": ["Clause sociale"],
                "considerationsEnvironnementales": [],
            }
        ]
    }
    assert detect_format(write(tmp_path, json.dumps(draft))) == SourceFormat.DECP_2_0_0_DRAFT


def test_json_layout_says_where_the_records_are(tmp_path: Path) -> None:
    head = b'{"marches": {"contrat-concession": [{"id": "1"}], "marche": []}}'
    layout = json_layout(head)
    assert (layout.source_format, layout.prefix, layout.kind) == (
        SourceFormat.DECP_2022_JSON,
        "marches.contrat-concession.item",
        ContractKind.CONCESSION,
    )
    assert json_layout(b'{"marches": [{"id": 1}]}').prefix == "marches.item"
    assert json_layout(b'[{"id": 1}]').prefix == "item"
    assert json_layout(b'{"id": "1", "objet": "x"}').prefix == ""
    assert json_layout(b'{"marches": {"marche": {"id": "1"}}}').prefix == "marches.marche"


def test_xml_2022_is_told_from_2019_by_its_elements(tmp_path: Path) -> None:
    xml_2019 = "<marches><marche><id>1</id><objet>x</objet><codeCPV>45000000</codeCPV></marche></marches>"
    xml_2022 = (
        '<?xml version="1.0" encoding="UTF-8"?><marches><marche><id>1</id>'
        "<considerationsSociales><considerationSociale>Clause sociale</considerationSociale>"
        "</considerationsSociales></marche></marches>"
    )
    assert detect_format(write(tmp_path, xml_2019, "a")) == SourceFormat.DECP_2019_XML
    assert detect_format(write(tmp_path, xml_2022, "b")) == SourceFormat.DECP_2022_XML


def test_csv_with_comma_separator(tmp_path: Path) -> None:
    path = write(tmp_path, "id,acheteur_id,objet,montant\n1,21350238800019,Travaux,1000\n")
    assert detect_format(path) == SourceFormat.TABULAR_CSV


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"   \n  ", "Le fichier est vide."),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
        ("<html><body>Bonjour</body></html>", "l'élément racine <html>"),
        ('{"data": [1, 2, 3]}', "Fichier JSON sans tableau « marches »"),
        ("nom;prenom\nDupont;Jean\n", "Contenu non reconnu"),
        ("%PDF-1.7 binaire", "Contenu non reconnu"),
    ],
)
def test_unknown_content_is_refused_in_french(tmp_path: Path, content: str | bytes, message: str) -> None:
    with pytest.raises(UnknownFormat, match=message.replace("(", r"\(")):
        detect_format(write(tmp_path, content))
