"""Reference data for the demo tests: only the CPV codes the demo uses (and their ancestors), so that tests stay fast;
one test lets `load_demo` load the whole shipped list itself."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from relais.demo.data import SHEETS
from relais.reference.loaders import CPV_FILE, DATA_DIR, load_cpv, load_departements, load_regions, load_themes


@pytest.fixture
def debug(settings: pytest.FixtureRequest) -> None:
    # load_demo refuses to run without DEBUG (its accounts have a public password); development runs with DEBUG.
    settings.DEBUG = True  # type: ignore[attr-defined]


@pytest.fixture
def reference(db: None, tmp_path: Path) -> None:
    with (DATA_DIR / CPV_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = {row["code"]: row for row in reader}
    wanted = {code for sheet in SHEETS for code in (sheet.main_cpv, *sheet.additional_cpvs)}
    kept: dict[str, dict[str, str]] = {}
    for code in wanted:
        while code and code not in kept:
            kept[code] = rows[code]
            code = rows[code]["parent_code"]
    path = tmp_path / CPV_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(kept.values())
    load_cpv(path)
    load_regions()
    load_departements()
    load_themes()
