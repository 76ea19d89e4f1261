"""The shipped reference files load completely, idempotently, and a malformed file writes nothing."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from relais.reference.loaders import (
    CPV_FILE,
    DATA_DIR,
    LEGAL_RULES_FILE,
    ReferenceDataError,
    load_all,
    load_cpv,
    load_departements,
    load_legal_rules,
    load_regions,
    load_themes,
)
from relais.reference.models import Cpv, Departement, Label, LegalRule, Region, Theme

pytestmark = pytest.mark.django_db


def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return target


def replace_line(path: Path, line_number: int, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cpv_loads_every_code_with_its_parent_quickly() -> None:
    started = time.monotonic()
    result = load_cpv()
    elapsed = time.monotonic() - started

    assert elapsed < 10
    assert result.created == Cpv.objects.count() == 9454
    assert Cpv.objects.filter(level=1).count() == 45
    assert not Cpv.objects.filter(level=1, parent__isnull=False).exists()
    assert not Cpv.objects.filter(level__gt=1, parent__isnull=True).exists()
    cleaning = Cpv.objects.select_related("parent__parent").get(code="90911200-8")
    assert cleaning.parent is not None
    assert cleaning.parent.code == "90911000-6"
    assert cleaning.parent.parent is not None
    assert cleaning.parent.parent.code == "90910000-9"
    assert cleaning.division == "90"
    assert cleaning.search_label == "services de nettoyage de batiments"


def test_every_parent_is_one_level_up_and_shares_its_prefix() -> None:
    load_cpv()
    for code8, level, parent_code8, parent_level in Cpv.objects.filter(parent__isnull=False).values_list(
        "code8", "level", "parent__code8", "parent__level"
    ):
        assert parent_level < level
        assert code8.startswith(Cpv.prefix_of(parent_code8))


def test_reloading_is_idempotent_and_writes_nothing() -> None:
    first = load_all()
    counts = [model.objects.count() for model in (Cpv, Region, Departement, Theme, LegalRule, Label)]
    ids = dict(Cpv.objects.values_list("code", "pk"))

    second = load_all()

    assert [result.created for result in first] == counts
    assert all(result.created == result.updated == result.deleted == 0 for result in second)
    assert [result.unchanged for result in second] == [result.read for result in second]
    assert [model.objects.count() for model in (Cpv, Region, Departement, Theme, LegalRule, Label)] == counts
    assert dict(Cpv.objects.values_list("code", "pk")) == ids


def test_a_changed_row_is_updated_in_place(tmp_path: Path) -> None:
    load_cpv()
    data = copy_of_data(tmp_path)
    path = data / CPV_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    line_number = next(i for i, line in enumerate(lines, start=1) if line.startswith("90911200-8,"))
    replace_line(
        path,
        line_number,
        "90911200-8,90911200,8,90,5,90911000-6,Nettoyage de bâtiments écologique,Building-cleaning services",
    )
    pk = Cpv.objects.get(code="90911200-8").pk

    result = load_cpv(path)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 9453)
    cpv = Cpv.objects.get(code="90911200-8")
    assert cpv.pk == pk
    assert cpv.search_label == "nettoyage de batiments ecologique"


def test_territories_load_the_2016_regions() -> None:
    load_regions()
    load_departements()

    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert not Departement.objects.filter(region__isnull=True).exists()
    assert Departement.objects.get(code="35").region == Region.objects.get(name="Bretagne")
    assert Departement.objects.get(code="2A").region == Region.objects.get(code="94")
    assert Departement.objects.get(code="976").region == Region.objects.get(code="06", name="Mayotte")
    assert Departement.objects.get(code="63").region == Region.objects.get(name="Auvergne-Rhône-Alpes")
    assert Region.objects.get(code="44").departements.count() == 10  # Grand Est


def test_themes_and_legal_rules_load() -> None:
    load_themes()
    load_legal_rules()

    assert Theme.objects.get(slug="restauration-collective").label == "Restauration collective"
    assert Theme.objects.get(slug="commerce-equitable").label == "Commerce équitable"
    assert LegalRule.objects.filter(kind="eu_threshold").count() == 24  # 6 thresholds × 4 periods from 2020
    art35 = LegalRule.objects.get(kind="climate_resilience", code="environmental_condition_and_criterion")
    assert art35.value is None
    assert str(art35.valid_from) == "2026-08-21"


def test_a_malformed_cpv_file_gives_a_french_error_and_writes_nothing(tmp_path: Path) -> None:
    path = copy_of_data(tmp_path) / CPV_FILE
    replace_line(path, 5, "0311100-2,03111000,2,03,4,03110000-5,Graines,Seeds")

    with pytest.raises(ReferenceDataError) as raised:
        load_cpv(path)

    message = str(raised.value)
    assert "cpv_2008_fr_en.csv invalide, rien n'a été chargé" in message
    assert "ligne 5 : code CPV « 0311100-2 » invalide" in message
    assert Cpv.objects.count() == 0


def test_a_missing_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text("slug,label,position\nproprete,Propreté,1\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="colonnes manquantes : label_en"):
        load_themes(path)
    assert Theme.objects.count() == 0


def test_a_bad_legal_rule_rolls_back_every_file(tmp_path: Path) -> None:
    data = copy_of_data(tmp_path)
    replace_line(
        data / LEGAL_RULES_FILE,
        3,
        "spaser_threshold,annual_purchases,Seuil SPASER,cinquante millions,EUR,2023-01-01,,L2111-3,Légifrance",
    )

    with pytest.raises(ReferenceDataError) as raised:
        load_all(data)

    assert "ligne 3 : valeur « cinquante millions » non numérique" in str(raised.value)
    assert Cpv.objects.count() == Region.objects.count() == LegalRule.objects.count() == 0


def test_overlapping_versions_of_a_rule_are_refused(tmp_path: Path) -> None:
    path = tmp_path / LEGAL_RULES_FILE
    header = (DATA_DIR / LEGAL_RULES_FILE).read_text(encoding="utf-8").splitlines()[0]
    path.write_text(
        f"{header}\n"
        "eu_threshold,works,Travaux,5538000,EUR,2024-01-01,2025-12-31,Directive,\n"
        "eu_threshold,works,Travaux,5404000,EUR,2025-06-01,,Directive,\n",
        encoding="utf-8",
    )

    with pytest.raises(ReferenceDataError, match="ligne 3 : la règle eu_threshold/works chevauche"):
        load_legal_rules(path)


def test_the_command_loads_everything_and_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_reference")
    call_command("load_reference")

    output = capsys.readouterr().out
    assert "Codes CPV : 9454 lignes lues, 9454 créées" in output
    assert "Codes CPV : 9454 lignes lues, 0 créées, 0 modifiées, 9454 inchangées" in output
    assert "(0 lignes écrites)" in output
