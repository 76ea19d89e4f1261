"""Whole files through the database-free pipeline (detect → read → parse → validate): every sample file of
tests/data/decp with the records and defects read from it by eye, broken files, and the streaming guarantee."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from relais.contracts.decp.pipeline import estimate_record_count, iter_contracts
from relais.contracts.decp.readers import read_records
from relais.contracts.decp.records import ContractRecord, RawRecord, Rejected
from relais.contracts.decp.streams import CHUNK_SIZE, ByteSource
from relais.contracts.enums import (
    ContractKind,
    EnvironmentalConsideration,
    QualityFlag,
    QuarantineReason,
    SocialConsideration,
    SourceFormat,
)

DECP_DATA = Path(__file__).resolve().parent.parent / "data" / "decp"
CPV_FILE = Path(__file__).resolve().parents[2] / "relais" / "reference" / "data" / "cpv_2008_fr_en.csv"

CONTRACT, CONCESSION = ContractKind.CONTRACT, ContractKind.CONCESSION
F = QualityFlag
NO_CHECK_DIGIT = F.CPV_WITHOUT_CHECK_DIGIT


@pytest.fixture(scope="module")
def known_cpv() -> dict[str, str]:
    with CPV_FILE.open(encoding="utf-8") as file:
        return {row["code8"]: row["code"] for row in csv.DictReader(file)}


def contracts(path: Path, known_cpv: dict[str, str]) -> list[ContractRecord | Rejected]:
    return list(iter_contracts(path, known_cpv=known_cpv))


def flags(record: ContractRecord) -> list[QualityFlag]:
    return sorted(defect.flag for defect in record.defects)


# Read by eye from each file: (format, [(kind, identifier, defects of the record), ...]) in file order.
# SIRETs with a wrong key in the files: 12345678901234 and 12345678901250 (buyers of the official concession
# examples), 21750001630066, 868768687576575 (15 digits), 87127639200012, 87845484200015, 12345678900022,
# 12345678900023, 81223513300026, 98756638100011.
EXPECTED: dict[str, tuple[str, list[tuple[ContractKind, str, list[QualityFlag]]]]] = {
    "examples/v1.5/cc-avec-modifications.json": ("2019-json", [(CONCESSION, "20010345211202", [])]),
    "examples/v1.5/cc-avec-modifications.xml": ("2019-xml", [(CONCESSION, "20010345211202", [])]),
    "examples/v1.5/cc-basique.json": ("2019-json", [(CONCESSION, "20010345211200", [])]),
    "examples/v1.5/cc-basique.xml": ("2019-xml", [(CONCESSION, "20010345211200", [])]),
    "examples/v1.5/mar-avec-modifications.json": (
        "2019-json",
        [(CONTRACT, "2010345211201", [F.HOLDER_ID_INVALID, NO_CHECK_DIGIT])],
    ),
    "examples/v1.5/mar-avec-modifications.xml": (
        "2019-xml",
        [(CONTRACT, "2010345211203", [F.HOLDER_ID_INVALID, F.HOLDER_ID_INVALID, NO_CHECK_DIGIT])],
    ),
    "examples/v1.5/mar-basique.json": ("2019-json", [(CONTRACT, "2010345211200", [NO_CHECK_DIGIT])]),
    "examples/v1.5/mar-basique.xml": ("2019-xml", [(CONTRACT, "2010345211200", [NO_CHECK_DIGIT])]),
    "examples/v1.5/paquet.json": (
        "2019-json",
        [(CONTRACT, "2010345211200", [NO_CHECK_DIGIT]), (CONCESSION, "200103452112", [])],
    ),
    "examples/v1.5/paquet.xml": (
        "2019-xml",
        [
            (CONCESSION, "20010345211200", []),
            (CONCESSION, "20010345212500", []),
            (CONTRACT, "2010345211200", [NO_CHECK_DIGIT]),
            (CONTRACT, "2010345213500", [NO_CHECK_DIGIT]),
        ],
    ),
    "examples/v2/Contrat-concession-modification.xml": (
        "2022-xml",
        [(CONCESSION, "0612202306122023", [F.BUYER_ID_INVALID])] * 2,
    ),
    "examples/v2/Contrat-concession.xml": ("2022-xml", [(CONCESSION, "0612202306122023", [F.BUYER_ID_INVALID])] * 2),
    "examples/v2/Marche.xml": ("2022-xml", [(CONTRACT, "TEST2022", [])] * 2),
    "examples/v2/concessions.json": (
        "2022-json",
        [
            (CONCESSION, "0612202306122024", [F.BUYER_ID_INVALID]),
            (CONCESSION, "0612202306122023", [F.BUYER_ID_INVALID]),
        ],
    ),
    "examples/v2/concessions_avec_modifications.json": (
        "2022-json",
        [
            (CONCESSION, "0612202306122024", [F.BUYER_ID_INVALID]),
            (CONCESSION, "0612202306122023", [F.BUYER_ID_INVALID]),
        ],
    ),
    "examples/v2/marches_avec_modifications.json": (
        "2022-json",
        [
            (CONTRACT, "TEST2022", [F.BUYER_ID_INVALID, F.HOLDER_ID_INVALID]),
            (CONTRACT, "TEST2022Bis", [F.HOLDER_ID_INVALID]),
        ],
    ),
    # The concessions come first in this file: positions follow the file, not the kind.
    "examples/v2/marches_concessions.json": (
        "2022-json",
        [
            (CONCESSION, "0612202306122024", [F.BUYER_ID_INVALID]),
            (CONCESSION, "0612202306122023", [F.BUYER_ID_INVALID]),
            (CONTRACT, "TEST2022", [F.BUYER_ID_INVALID, F.HOLDER_ID_INVALID]),
            (CONTRACT, "TEST2022Bis", [F.HOLDER_ID_INVALID]),
        ],
    ),
    "real/decp-processing_test_2019.json": (
        "2019-json",
        [
            (CONTRACT, "2019_83935401", [F.HOLDER_ID_INVALID, F.HOLDER_ID_INVALID, NO_CHECK_DIGIT]),
            (CONTRACT, "2019-VI2022.242", [F.HOLDER_ID_INVALID, F.DURATION_IMPLAUSIBLE, F.VALUE_NOT_COMMUNICATED]),
        ],
    ),
    "real/decp-processing_test_2022.json": (
        "2022-json",
        [
            (CONTRACT, "2022VI2022.242", [F.HOLDER_ID_INVALID, F.DURATION_IMPLAUSIBLE, F.VALUE_NOT_COMMUNICATED]),
            (
                CONTRACT,
                "2020F00075",
                [F.HOLDER_ID_INVALID, NO_CHECK_DIGIT, F.AMOUNT_IMPLAUSIBLE, F.MODIFICATION_UNREADABLE],
            ),
            (CONTRACT, "202401L04", [F.HOLDER_ID_INVALID, F.HOLDER_ID_INVALID, F.DATE_IMPLAUSIBLE]),
            (CONTRACT, "2019K1209", [F.MODIFICATION_UNREADABLE]),
            (CONTRACT, "202207LOT03", []),
        ],
    ),
    "real/megalis_decp-59920013600241-2024-07-09-01.json": (
        "2022-json",
        [(CONTRACT, f"H9O2024T0000{n}56", [NO_CHECK_DIGIT]) for n in range(2, 7)],
    ),
    "real/minef_decp_augmente_valides_2022_sample.csv": (
        "csv",
        [
            (CONTRACT, "202404", []),
            (CONTRACT, "202424 3 001", []),
            (CONTRACT, "202424FO15-02", []),
            (CONTRACT, "24-1065297-2", []),
            (CONTRACT, "2024FCS05_1", []),
            (CONTRACT, "2022115C", []),
            (CONTRACT, "202410977", []),
            (CONTRACT, "2023AOVOI40 L1", [F.CPV_UNKNOWN]),  # "INX 67151000-0": not a CPV 2008 code
            (CONTRACT, "202409LOT02PAY", []),
        ],
    ),
}


def test_every_sample_file_is_covered() -> None:
    files = {
        str(path.relative_to(DECP_DATA))
        for path in DECP_DATA.rglob("*")
        if path.is_file() and path.suffix in (".json", ".xml", ".csv")
    }
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file_imports_with_expected_records_and_defects(name: str, known_cpv: dict[str, str]) -> None:
    source_format, expected = EXPECTED[name]
    items = contracts(DECP_DATA / name, known_cpv)

    assert [type(item) for item in items] == [ContractRecord] * len(expected)
    records = [item for item in items if isinstance(item, ContractRecord)]
    assert [record.position for record in records] == list(range(len(expected)))
    assert {record.source_format for record in records} == {SourceFormat(source_format)}
    assert [(r.kind, r.identifier, flags(r)) for r in records] == [
        (kind, identifier, sorted(defects)) for kind, identifier, defects in expected
    ]
    assert estimate_record_count(DECP_DATA / name) == len(expected)


def test_sample_files_are_read_the_same_twice() -> None:
    path = DECP_DATA / "examples/v2/marches_concessions.json"
    first = [
        (item.position, getattr(item, "data", {})["id"]) for item in read_records(path, SourceFormat.DECP_2022_JSON)
    ]
    second = [
        (item.position, getattr(item, "data", {})["id"]) for item in read_records(path, SourceFormat.DECP_2022_JSON)
    ]
    assert first == second == [(0, "0612202306122024"), (1, "0612202306122023"), (2, "TEST2022"), (3, "TEST2022Bis")]


def test_real_2019_file_values(known_cpv: dict[str, str]) -> None:
    first, second = contracts(DECP_DATA / "real/decp-processing_test_2019.json", known_cpv)
    assert isinstance(first, ContractRecord)
    assert isinstance(second, ContractRecord)
    # flattened "acheteur.id"; holders nested as [[{...}]] in the modification
    assert first.buyer is not None
    assert first.buyer.identifier == "21500222100012"
    assert first.cpv == "45261210-9"
    assert first.departement == "50"
    assert [party.identifier for party in first.modifications[0].holders] == ["12345678900022"]
    assert first.modifications[0].amount == Decimal("79237")
    # "NC" duration; a 2022-style `modification` wrapper with holders nested four lists deep
    assert second.duration_months is None
    assert second.departement == "974"
    assert [(p.identifier, p.id_type) for p in second.modifications[0].holders] == [
        ("34027049500021", "SIRET"),
        ("1111111111", "TVA"),
    ]
    assert second.social is None
    assert second.environmental is None


def test_real_2022_file_values(known_cpv: dict[str, str]) -> None:
    records = contracts(DECP_DATA / "real/decp-processing_test_2022.json", known_cpv)
    assert all(isinstance(record, ContractRecord) for record in records)
    nc, absurd, nan, mixed, social = (r for r in records if isinstance(r, ContractRecord))
    assert nc.duration_months is None
    assert nc.social == frozenset({SocialConsideration.NONE})
    assert nc.environmental == frozenset({EnvironmentalConsideration.NONE})
    assert nc.innovative is True
    assert absurd.amount is None  # 1e17 cannot be stored; the defect keeps the declared value
    assert [d.detail for d in absurd.defects if d.flag == F.AMOUNT_IMPLAUSIBLE] == ["montant 1.0E+17"]
    assert [m.number for m in absurd.modifications] == [1, 2, 3, 4]
    assert len(absurd.modifications[2].holders) == 3
    # the record holding `"concessionnaires": NaN` is read; "non" is False
    assert nan.innovative is False
    assert (nan.notified_on, nan.published_on) == (dt.date(2024, 2, 8), dt.date(2003, 11, 24))
    assert [p.identifier for p in mixed.holders] == ["39210031900038", "39210873400063", "39830819700035"]
    assert social.social == frozenset({SocialConsideration.CLAUSE, SocialConsideration.CRITERION})


def test_official_examples_values(known_cpv: dict[str, str]) -> None:
    (concession,) = contracts(DECP_DATA / "examples/v1.5/cc-avec-modifications.json", known_cpv)
    assert isinstance(concession, ContractRecord)
    assert concession.notified_on == dt.date(2001, 2, 21)  # dateSignature
    assert concession.execution_started_on == dt.date(2001, 2, 21)
    assert concession.amount == Decimal("27860000")  # valeurGlobale
    assert [(m.duration_months, m.amount) for m in concession.modifications] == [
        (410, None),
        (540, Decimal("33890000")),
    ]
    marche = contracts(DECP_DATA / "examples/v2/Marche.xml", known_cpv)[0]
    assert isinstance(marche, ContractRecord)
    assert marche.innovative is True  # <marcheInnovant>oui</marcheInnovant>
    assert marche.techniques == ["Concours", "Accord-cadre"]
    assert marche.execution_modalities == ["Tranches"]
    assert marche.environmental == frozenset({EnvironmentalConsideration.CLAUSE})
    modified = contracts(DECP_DATA / "examples/v1.5/mar-avec-modifications.xml", known_cpv)[0]
    assert isinstance(modified, ContractRecord)
    assert [m.notified_on for m in modified.modifications] == [  # no numbers: by notification date
        dt.date(2008, 5, 22),
        dt.date(2008, 7, 20),
        dt.date(2008, 11, 2),
    ]


def test_tabular_csv_values(known_cpv: dict[str, str]) -> None:
    rows = contracts(DECP_DATA / "real/minef_decp_augmente_valides_2022_sample.csv", known_cpv)
    assert all(isinstance(row, ContractRecord) for row in rows)
    first, third, fourth = rows[0], rows[3], rows[4]
    assert isinstance(first, ContractRecord)
    assert isinstance(third, ContractRecord)
    assert isinstance(fourth, ContractRecord)
    assert first.buyer is not None
    assert first.buyer.identifier == "20006810400013"
    assert first.amount == Decimal("45155.0")
    assert first.duration_months == 13
    assert first.innovative is None  # "MQ"
    assert third.social == frozenset({SocialConsideration.CLAUSE})
    assert third.environmental == frozenset({EnvironmentalConsideration.CRITERION, EnvironmentalConsideration.CLAUSE})
    assert third.innovative is False
    assert [(p.identifier, p.id_type) for p in fourth.holders] == [("FR32918951849", "TVA")]


# Broken and unusual files --------------------------------------------------------------------------------------


def contract_json(identifier: str, **extra: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": identifier,
        "acheteur": {"id": "21350238800019"},
        "nature": "Marché",
        "objet": f"Objet {identifier}",
        "codeCPV": "45000000-7",
        "procedure": "Procédure adaptée",
        "lieuExecution": {"code": "35000", "typeCode": "Code postal"},
        "dureeMois": 12,
        "dateNotification": "2024-05-02",
        "datePublicationDonnees": "2024-05-10",
        "montant": 50000,
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": "55204599900869"}}],
    }
    record.update(extra)
    return record


def concession_json(identifier: str) -> dict[str, object]:
    return {
        "id": identifier,
        "autoriteConcedante": {"id": "21350238800019"},
        "nature": "Concession de service",
        "objet": f"Concession {identifier}",
        "procedure": "Procédure négociée ouverte",
        "dureeMois": 60,
        "dateSignature": "2024-04-02",
        "datePublicationDonnees": "2024-04-12",
        "valeurGlobale": 1000000,
        "concessionnaires": [{"concessionnaire": {"typeIdentifiant": "SIRET", "id": "55204599900869"}}],
    }


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def identifiers(items: list[ContractRecord | Rejected]) -> list[str]:
    return [item.identifier if isinstance(item, ContractRecord) else item.reason for item in items]


def test_syntax_error_keeps_the_records_before_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    good = ", ".join(dumps(contract_json(f"M{n}")) for n in range(3))
    path.write_text('{"marches": {"marche": [' + good + ', {"id": "M3", "objet": tru}, ' + good + "]}}")

    items = list(iter_contracts(path))

    assert identifiers(items) == ["M0", "M1", "M2", QuarantineReason.SYNTAX]
    rejected = items[-1]
    assert isinstance(rejected, Rejected)
    assert rejected.position == 3
    assert "Erreur de syntaxe JSON" in rejected.detail
    assert "La suite du fichier n'a pas été lue" in rejected.detail
    assert "tru" in rejected.raw_text


def test_truncated_file_after_the_second_array_starts(tmp_path: Path) -> None:
    path = tmp_path / "truncated.json"
    contracts_text = ", ".join(dumps(contract_json(f"M{n}")) for n in range(2))
    concession = dumps(concession_json("C0"))
    path.write_text(
        f'{{"marches": {{"marche": [{contracts_text}], "contrat-concession": [{concession}, {concession[:40]}'
    )

    items = list(iter_contracts(path))

    assert identifiers(items) == ["M0", "M1", "C0", QuarantineReason.SYNTAX]
    assert [item.position for item in items] == [0, 1, 2, 3]


def test_syntax_error_in_the_first_of_two_arrays(tmp_path: Path) -> None:
    path = tmp_path / "broken-first.json"
    path.write_text(
        '{"marches": {"marche": ['
        + dumps(contract_json("M0"))
        + ', {"id": "M1" "objet": "x"}], "contrat-concession": ['
        + dumps(concession_json("C0"))
        + "]}}"
    )

    assert identifiers(list(iter_contracts(path))) == ["M0", QuarantineReason.SYNTAX]


def test_both_arrays_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "both.json"
    path.write_text(
        dumps(
            {
                "marches": {
                    "contrat-concession": [concession_json("C0"), concession_json("C1")],
                    "marche": [contract_json("M0"), contract_json("M1"), contract_json("M2")],
                }
            }
        )
    )

    items = list(iter_contracts(path))

    assert identifiers(items) == ["C0", "C1", "M0", "M1", "M2"]
    assert [item.kind for item in items if isinstance(item, ContractRecord)] == [CONCESSION] * 2 + [CONTRACT] * 3


def test_a_record_key_that_looks_like_an_array_start_is_not_a_cut(tmp_path: Path) -> None:
    # `], "contrat-concession": [` inside a record: the cut is tried, fails, and the two ranges are read as one.
    odd = contract_json("M1", modifications=[], **{"contrat-concession": [{"note": "x"}]})
    path = tmp_path / "odd.json"
    path.write_text(
        dumps({"marches": {"marche": [contract_json("M0"), odd, contract_json("M2")], "contrat-concession": []}})
    )

    assert identifiers(list(iter_contracts(path))) == ["M0", "M1", "M2"]


def test_an_array_the_search_cannot_confirm_is_read_by_its_own_pass(tmp_path: Path) -> None:
    # More whitespace than the search looks at between the first array and the second key.
    path = tmp_path / "spaced.json"
    path.write_text(
        '{"marches": {"marche": ['
        + dumps(contract_json("M0"))
        + "]"
        + " " * 1000
        + ', "contrat-concession": ['
        + dumps(concession_json("C0"))
        + "]}}"
    )

    assert identifiers(list(iter_contracts(path))) == ["M0", "C0"]


def test_one_record_instead_of_an_array(tmp_path: Path) -> None:
    path = tmp_path / "single.json"
    path.write_text(dumps({"marches": {"marche": contract_json("M0")}}))
    assert identifiers(list(iter_contracts(path))) == ["M0"]


def test_nan_and_infinity_written_by_dataframe_tools(tmp_path: Path) -> None:
    records = [contract_json(f"M{n}") for n in range(400)]  # NaN in the head of the file, and far from it
    text = dumps({"marches": {"marche": records}})
    text = text.replace('"dureeMois": 12, "dateNotification": "2024-05-02"', '"dureeMois": NaN, "x": -Infinity', 1)
    text = text.replace(dumps(contract_json("M350"))[:-1], dumps(contract_json("M350"))[:-1] + ', "origineUE": NaN')
    path = tmp_path / "pandas.json"
    path.write_text(text)

    items = list(iter_contracts(path))

    assert identifiers(items) == [f"M{n}" for n in range(400)]
    first = items[0]
    assert isinstance(first, ContractRecord)
    assert first.duration_months is None
    assert F.DATE_MISSING in flags(first)


def test_windows_1252_bytes_in_a_utf8_file(tmp_path: Path) -> None:
    records = [contract_json(f"M{n}") for n in range(300)]
    data = dumps({"marches": {"marche": records}}).encode("utf-8")
    data = data.replace(b'"Objet M200"', '"Réfection école"'.encode("cp1252"))
    path = tmp_path / "mixed-encoding.json"
    path.write_bytes(data)

    items = list(iter_contracts(path))

    assert len(items) == 300
    assert all(isinstance(item, ContractRecord) for item in items)
    repaired = items[200]
    assert isinstance(repaired, ContractRecord)
    assert repaired.object == "Réfection école"
    assert items[299].object == "Objet M299"  # type: ignore[union-attr]


def test_byte_order_mark_and_2019_wrapped_records(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    wrapped = [{"marche": contract_json("M0")}, {"contrat-concession": concession_json("C0")}]
    path.write_bytes(b"\xef\xbb\xbf" + dumps({"marches": wrapped}).encode())

    items = list(iter_contracts(path))

    assert identifiers(items) == ["M0", "C0"]
    assert [item.kind for item in items if isinstance(item, ContractRecord)] == [CONTRACT, CONCESSION]


def test_xml_syntax_error_keeps_the_records_before_it(tmp_path: Path) -> None:
    record = (DECP_DATA / "examples/v1.5/mar-basique.xml").read_text(encoding="utf-8").split("\n", 1)[1]
    record = record.replace(' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', "")
    record = record.replace(
        ' xsi:noNamespaceSchemaLocation="https://raw.githubusercontent.com/139bercy/format-commande-publique'
        '/master/marches.xsd"',
        "",
    )
    path = tmp_path / "broken.xml"
    path.write_text(f"<marches>{record}{record}<marche><id>3</id><objet>Fin</marche></marches>", encoding="utf-8")

    items = list(iter_contracts(path))

    assert identifiers(items) == ["2010345211200", "2010345211200", QuarantineReason.SYNTAX]
    assert "ligne" in items[-1].detail  # type: ignore[union-attr]


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "entities.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE marches [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<marches><marche><id>1</id><objet>&b;</objet></marche></marches>"
    )
    items = list(iter_contracts(path))
    assert identifiers(items) == [QuarantineReason.SYNTAX]
    assert "XML refusé" in items[0].detail  # type: ignore[union-attr]


def test_xml_unexpected_element_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "odd.xml"
    path.write_text(
        "<marches><marche><id>1</id><objet>Un</objet><considerationsSociales/></marche>"
        "<commentaire>rien</commentaire><marche><id>2</id><objet>Deux</objet></marche></marches>"
    )
    assert identifiers(list(iter_contracts(path))) == ["1", QuarantineReason.NOT_AN_OBJECT, "2"]


def test_csv_rows_in_windows_1252_and_blank_lines(tmp_path: Path) -> None:
    header = "id,acheteur.id,objet,codeCPV,montant,dateNotification"
    path = tmp_path / "rows.csv"
    path.write_bytes(
        (header + "\n").encode()
        + "A1,21350238800019,Travaux école,45000000-7,1000,2024-01-02\n".encode("cp1252")
        + b"\nA2,21350238800019,Rien,,,\n"
    )

    items = list(iter_contracts(path))

    assert identifiers(items) == ["A1", "A2"]
    assert items[0].object == "Travaux école"  # type: ignore[union-attr]
    assert [item.position for item in items] == [0, 1]


def test_progress_in_bytes() -> None:
    path = DECP_DATA / "real/decp-processing_test_2022.json"
    reader = read_records(path, SourceFormat.DECP_2022_JSON)
    assert reader.bytes_read == 0
    first = next(reader)
    assert isinstance(first, RawRecord)
    assert 0 < reader.bytes_read <= path.stat().st_size
    list(reader)
    assert reader.bytes_read == path.stat().st_size


# Streaming -----------------------------------------------------------------------------------------------------


def write_big_file(path: Path, size: int) -> int:
    """A 2022-format file of about `size` bytes, written record by record. Its records carry a long text that the
    parser reads and drops, so that the file is big with few records (tracing every allocation is slow)."""
    template = dumps(
        contract_json(
            "ID",
            objet="Entretien des espaces verts " * 35,
            modifications=[{"modification": {"id": 1, "montant": 60000}}],
            donneesExecution="Données d'exécution non reprises. " * 200,
        )
    )
    holders = ["55204599900869", "21350238800019", "44306184100047"]
    count = 0
    written = 0
    with path.open("w", encoding="utf-8") as file:
        file.write('{"marches": {"marche": [')
        while written < size:
            record = template.replace('"ID"', f'"2024-{count:07d}"').replace("55204599900869", holders[count % 3])
            file.write(("," if count else "") + record)
            written += len(record) + 1
            count += 1
        file.write('], "contrat-concession": []}}')
    return count


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    expected = write_big_file(path, 50_000_000)

    tracemalloc.start()
    try:
        counts: Counter[type] = Counter(type(item) for item in iter_contracts(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert counts == {ContractRecord: expected}
    assert peak < 4_000_000, f"peak {peak:,} bytes"  # the file is 50 MB


@pytest.mark.parametrize("shift", range(-12, 4))
def test_tokens_and_characters_cut_by_a_chunk_boundary(tmp_path: Path, shift: int) -> None:
    padding = " " * (CHUNK_SIZE + shift - len('{"a": "é", "b": '))
    text = '{"a": "é", "b": ' + padding + 'NaN, "c": "élève", "d": [1, -Infinity]}'
    path = tmp_path / "cut.json"
    path.write_bytes(text.encode("utf-8"))

    source = ByteSource(path, 0, path.stat().st_size, clean_numbers=True, repair=True)
    try:
        data = b"".join(iter(lambda: source.read(CHUNK_SIZE), b""))
    finally:
        source.close()

    assert json.loads(data) == {"a": "é", "b": None, "c": "élève", "d": [1, None]}


def test_xml_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    record = (
        "<marche><id>{n}</id><acheteur><id>21350238800019</id></acheteur><objet>"
        + "Entretien des espaces verts " * 30
        + "</objet><codeCPV>77313000-7</codeCPV><montant>50000</montant><titulaires><titulaire>"
        "<typeIdentifiant>SIRET</typeIdentifiant><id>55204599900869</id></titulaire></titulaires>"
        "<donneesExecution>" + "Données non reprises. " * 300 + "</donneesExecution></marche>"
    )
    path = tmp_path / "big.xml"
    count = 2_500
    with path.open("w", encoding="utf-8") as file:
        file.write("<marches>")
        for n in range(count):
            file.write(record.format(n=n))
        file.write("</marches>")
    assert path.stat().st_size > 20_000_000

    tracemalloc.start()
    try:
        read = sum(1 for item in iter_contracts(path) if isinstance(item, ContractRecord))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert read == count
    assert peak < 4_000_000, f"peak {peak:,} bytes"
