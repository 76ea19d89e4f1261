"""The synthetic DECP files of the import benchmark (`bench.decp_generator`): valid JSON of the requested format,
the same bytes for the same seed, every quirk of the real files present, SIRETs mostly valid, real CPV codes."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.decp_generator import generate, luhn_complete, quirks_of
from bench.decp_vocabulary import CPV_FILE
from relais.core.validators import is_valid_siret

SIZE = 2_000
# The enumerations of the DECP 1.5.0 schema: anything else in a 2019 file is an older label.
PROCEDURES_2019 = {
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    directory = tmp_path_factory.mktemp("decp")
    return {
        fmt: (directory / f"{fmt}.json", generate(contracts=SIZE, fmt=fmt, out=directory / f"{fmt}.json", seed=7))
        for fmt in ("2022", "2019")
    }


def records_of(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["marches"]
    if isinstance(data["marches"], dict):
        assert list(data["marches"]) == ["marche"]
        return list(data["marches"]["marche"])
    return list(data["marches"])


def holders_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The holders whatever their wrapping: nested lists, with or without the 2022 {"titulaire": …} wrapper."""
    found = []
    pending = list(record.get("titulaires") or [])
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        else:
            found.append(item.get("titulaire", item))
    return found


def buyer_id(record: dict[str, Any]) -> str:
    return str(record["acheteur.id"] if "acheteur.id" in record else record["acheteur"]["id"])


def modifications_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [item.get("modification", item) for item in record.get("modifications") or []]


def test_2022_file_has_the_2022_wrappers(files: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    path, summary = files["2022"]
    records = records_of(path)
    assert len(records) == SIZE == summary["records"]
    assert isinstance(json.loads(path.read_text(encoding="utf-8"))["marches"], dict)
    wrapped = sum(all("titulaire" in h for h in r["titulaires"] if isinstance(h, dict)) for r in records)
    assert wrapped > 0.95 * SIZE
    assert sum("considerationsSociales" in r for r in records) > 0.95 * SIZE
    assert all(r["dateNotification"] >= "2019-01-01" for r in records)


def test_2019_file_is_a_bare_list_without_considerations(files: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    path, _ = files["2019"]
    records = records_of(path)
    assert len(records) == SIZE
    assert isinstance(json.loads(path.read_text(encoding="utf-8"))["marches"], list)
    assert not any("considerationsSociales" in r for r in records)
    assert all(r["_type"] == "Marché" for r in records)
    assert not any("titulaire" in h for r in records for h in holders_of(r))
    assert sum("denominationSociale" in h for r in records for h in holders_of(r)) > SIZE


def test_same_seed_same_bytes_other_seed_other_bytes(
    files: dict[str, tuple[Path, dict[str, Any]]], tmp_path: Path
) -> None:
    path, _ = files["2022"]
    again = generate(contracts=SIZE, fmt="2022", out=tmp_path / "again.json", seed=7)
    other = generate(contracts=SIZE, fmt="2022", out=tmp_path / "other.json", seed=8)
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()
    assert again["quirks"] == files["2022"][1]["quirks"]
    assert (tmp_path / "other.json").read_bytes() != path.read_bytes()
    assert other["records"] == SIZE


def found_quirks(records: list[dict[str, Any]]) -> Counter[str]:
    """Each quirk kind as seen in the content of the file (not as the generator says it wrote it)."""
    found: Counter[str] = Counter()
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    texts: Counter[str] = Counter()
    for record in records:
        values = list(record.values())
        amount = record.get("montant")
        if any(isinstance(record.get(k), str) and record[k] != "NC" for k in ("montant", "dureeMois", "offresRecues")):
            found["number_as_string"] += 1
        if "NC" in values:
            found["nc_value"] += 1
        if amount == 1e17:
            found["absurd_amount"] += 1
        if any(isinstance(item, list) for item in record["titulaires"]):
            found["nested_holders"] += 1
        if any(isinstance(item, dict) and "typeIdentifiant" in item for item in record["titulaires"]):
            found["unwrapped_holder"] += 1  # only meaningful in 2022, where holders are wrapped
        if "acheteur.id" in record:
            found["flattened_buyer"] += 1
        if record["id"] == "" or buyer_id(record) == "":
            found["empty_id"] += 1
        if "00000000000000" in {buyer_id(record)} | {h["id"] for h in holders_of(record)}:
            found["zeroed_id"] += 1
        if record.get("marcheInnovant") in ("oui", "non"):
            found["boolean_as_string"] += 1
        if record["procedure"] not in PROCEDURES_2019:
            found["old_procedure_label"] += 1
        if record["datePublicationDonnees"] < record["dateNotification"]:
            found["publication_before_notification"] += 1
        if record["id"]:
            by_key.setdefault((buyer_id(record), record["id"]), []).append(record)
        texts[json.dumps(record, sort_keys=True)] += 1
    for same_id in by_key.values():
        if len({r["objet"] for r in same_id}) > 1:
            found["reused_id"] += 1
        counts = sorted(len(modifications_of(r)) for r in same_id if r["objet"] == same_id[0]["objet"])
        if len(set(counts)) > 1:
            found["republication"] += 1
    found["exact_duplicate"] = sum(count - 1 for count in texts.values())
    return found


@pytest.mark.parametrize("fmt", ["2022", "2019"])
def test_every_quirk_of_the_real_files_is_there(files: dict[str, tuple[Path, dict[str, Any]]], fmt: str) -> None:
    path, summary = files[fmt]
    found = found_quirks(records_of(path))
    kinds = quirks_of(fmt)
    missing = [kind for kind in kinds if found[kind] == 0]
    assert not missing, f"absent du fichier {fmt} : {missing}"
    assert all(summary["quirks"][kind] >= 1 for kind in kinds)
    # Each kind stays a minority (~0.5–3 % of records), as in the real files.
    assert all(found[kind] < 0.05 * SIZE for kind in kinds), found
    if fmt == "2019":
        assert found["unwrapped_holder"] > 0.9 * SIZE  # 2019 holders are never wrapped: not a quirk there


def test_sirets_are_mostly_valid_a_few_are_not(files: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    path, _ = files["2022"]
    records = records_of(path)
    sirets = [h["id"] for r in records for h in holders_of(r) if h["typeIdentifiant"] == "SIRET"]
    sirets = [siret for siret in sirets if siret != "00000000000000"]
    valid = sum(map(is_valid_siret, sirets))
    assert 0.95 * len(sirets) < valid < len(sirets)
    buyers = {buyer_id(r) for r in records} - {"", "00000000000000"}
    assert sum(map(is_valid_siret, buyers)) > 0.95 * len(buyers)
    assert {len(siret) for siret in buyers} == {14}


def test_luhn_completion_gives_valid_keys() -> None:
    assert luhn_complete("73282932") == "732829320"  # SIREN of a real company (INSEE example)
    assert is_valid_siret(luhn_complete(luhn_complete("73282932") + "0001"))


def test_cpv_codes_are_real_and_skewed_towards_works(files: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    with CPV_FILE.open(encoding="utf-8", newline="") as handle:
        known = {row["code8"] for row in csv.DictReader(handle)}
    records = records_of(files["2022"][0])
    codes = [str(r["codeCPV"]).split("-")[0] for r in records]
    assert set(codes) <= known
    divisions = Counter(code[:2] for code in codes)
    assert divisions.most_common(1)[0][0] == "45"
    assert {"71", "79", "90", "50"} & {division for division, _ in divisions.most_common(8)}


def test_considerations_have_realistic_shares(files: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    records = records_of(files["2022"][0])
    social = [r["considerationsSociales"]["considerationSociale"] for r in records if "considerationsSociales" in r]
    some = [values for values in social if values != ["Pas de considération sociale"]]
    assert 0.05 * len(social) < len(some) < 0.16 * len(social)
    assert not any("Pas de considération sociale" in values for values in some)
    environmental = [
        r["considerationsEnvironnementales"]["considerationEnvironnementale"]
        for r in records
        if "considerationsEnvironnementales" in r and r["dateNotification"] < "2026-08-21"
    ]
    some_env = [v for v in environmental if v != ["Pas de considération environnementale"]]
    assert 0.12 * len(environmental) < len(some_env) < 0.3 * len(environmental)
