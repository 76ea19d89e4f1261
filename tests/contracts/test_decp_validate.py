"""The validation step: CPV codes against CPV 2008, contract type, département of the place of execution."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from relais.contracts.decp.records import ContractRecord, Party
from relais.contracts.decp.validate import check_cpv, check_place, contract_type_of, departement_of
from relais.contracts.enums import ContractKind, ContractType, QualityFlag, SourceFormat

CPV_FILE = Path(__file__).resolve().parents[2] / "relais" / "reference" / "data" / "cpv_2008_fr_en.csv"
F = QualityFlag


@pytest.fixture(scope="module")
def known_cpv() -> dict[str, str]:
    with CPV_FILE.open(encoding="utf-8") as file:
        return {row["code8"]: row["code"] for row in csv.DictReader(file)}


def record(**fields: Any) -> ContractRecord:
    return ContractRecord(
        SourceFormat.DECP_2022_JSON, ContractKind.CONTRACT, 0, "1", Party("21350238800019"), "Objet", **fields
    )


def flags(item: ContractRecord) -> list[tuple[QualityFlag, str]]:
    return [(defect.flag, defect.detail) for defect in item.defects]


@pytest.mark.parametrize(
    ("written", "cpv", "defects"),
    [
        ("45000000-7", "45000000-7", []),
        ("45261210", "45261210-9", [(F.CPV_WITHOUT_CHECK_DIGIT, "45261210")]),
        ("03000000", "03000000-1", [(F.CPV_WITHOUT_CHECK_DIGIT, "03000000")]),
        ("45000000-3", "45000000-7", [(F.CPV_CHECK_DIGIT_WRONG, "45000000-3 → 45000000-7")]),
        ("67151000-0", "67151000-0", [(F.CPV_UNKNOWN, "67151000-0")]),
        ("99999999", "99999999", [(F.CPV_UNKNOWN, "99999999")]),
        ("CPVinconnu", "CPVinconnu", [(F.CPV_UNKNOWN, "CPVinconnu")]),
        ("", "", []),  # CPV_MISSING is the parser's
    ],
)
def test_check_cpv(known_cpv: dict[str, str], written: str, cpv: str, defects: list[tuple[QualityFlag, str]]) -> None:
    item = record(cpv=written)
    check_cpv(item, known_cpv)
    assert item.cpv == cpv
    assert flags(item) == defects


@pytest.mark.parametrize(
    ("cpv", "contract_type"),
    [
        ("45000000-7", ContractType.WORKS),
        ("45261210", ContractType.WORKS),
        ("03000000-1", ContractType.SUPPLIES),
        ("30192000-1", ContractType.SUPPLIES),
        ("44000000-0", ContractType.SUPPLIES),
        ("48000000-8", ContractType.SUPPLIES),
        ("50000000-5", ContractType.SERVICES),
        ("71000000-8", ContractType.SERVICES),
        ("90910000-9", ContractType.SERVICES),
        ("", ContractType.UNKNOWN),
        ("X1", ContractType.UNKNOWN),
        ("00000000", ContractType.UNKNOWN),
    ],
)
def test_contract_type_of(cpv: str, contract_type: ContractType) -> None:
    assert contract_type_of(cpv) == contract_type


@pytest.mark.parametrize(
    ("code", "place_type", "departement"),
    [
        ("35000", "Code postal", "35"),
        ("3120", "Code postal", "03"),  # a postal code stored as a number
        ("20000", "Code postal", "2A"),
        ("20167", "Code postal", "2A"),
        ("20200", "Code postal", "2B"),
        ("20600", "Code postal", "2B"),
        ("97430", "Code postal", "974"),
        ("97600", "Code postal", "976"),
        ("98000", "Code postal", ""),  # Monaco
        ("98714", "Code postal", ""),  # French Polynesia: no département
        ("35238", "Code commune", "35"),
        ("2A004", "Code commune", "2A"),
        ("2b033", "Code commune", "2B"),
        ("97411", "Code commune", "974"),
        ("22", "Code département", "22"),
        ("1", "Code département", "01"),
        ("2B", "Code département", "2B"),
        ("971", "Code département", "971"),
        ("50129", "Code département", "50"),  # a commune code under the wrong type: judged by its shape
        ("351", "Code arrondissement", "35"),
        ("2A1", "Code arrondissement", "2A"),
        ("9741", "Code arrondissement", "974"),
        ("3512", "Code canton", "35"),
        ("53", "Code région", ""),
        ("FR", "Code pays", ""),
        ("75001", "", "75"),
        ("13", "", "13"),
        ("", "Code postal", ""),
        ("00100", "Code postal", ""),
        ("96", "Code département", ""),
        ("Paris", "Code commune", ""),
    ],
)
def test_departement_of(code: str, place_type: str, departement: str) -> None:
    assert departement_of(code, place_type) == departement


@pytest.mark.parametrize(
    ("code", "place_type", "departement", "unknown"),
    [
        ("35000", "Code postal", "35", False),
        ("53", "Code région", "", False),
        ("", "", "", False),
        ("98714", "Code postal", "", False),
        ("00100", "Code postal", "", True),
        ("Paris", "Code commune", "", True),
    ],
)
def test_check_place(code: str, place_type: str, departement: str, unknown: bool) -> None:
    item = record(place_code=code, place_type=place_type)
    assert check_place(item) == departement
    assert item.departement == departement
    assert flags(item) == ([(F.PLACE_UNKNOWN, f"{place_type} {code}")] if unknown else [])


def test_check_place_against_the_departements_of_the_database() -> None:
    item = record(place_code="35000", place_type="Code postal")
    assert check_place(item, departements={"22", "29"}) == ""
    assert flags(item) == [(F.PLACE_UNKNOWN, "Code postal 35000")]
