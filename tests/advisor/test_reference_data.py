"""The reference data the advisor ships: labels, CPV lists and labour shares, loaded and checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from relais.reference.loaders import (
    DATA_DIR,
    LABELS_FILE,
    ReferenceDataError,
    load_cpv,
    load_labels,
    load_legal_rules,
)
from relais.reference.models import Cpv, Label, LegalRule
from relais.reference.queries import rule_on

HEADER = "slug,name,kind,issuer,cpv_prefixes,equivalent_accepted,website,source"


@pytest.mark.django_db
def test_every_shipped_label_and_list_prefix_is_a_real_cpv_prefix() -> None:
    load_cpv()
    result = load_labels()
    assert result.created == Label.objects.count() >= 15
    assert load_labels().unchanged == result.read
    codes = list(Cpv.objects.values_list("code8", flat=True))
    assert Label.objects.get(slug="tco-certified").cpv_prefixes == ["302", "32"]
    assert all(Label.objects.values_list("equivalent_accepted", flat=True))
    load_legal_rules()
    listed = LegalRule.objects.filter(code__startswith="cpv_")
    assert listed.count() > 30
    for code in listed.values_list("code", flat=True):
        prefix = code.removeprefix("cpv_")
        assert any(cpv.startswith(prefix) for cpv in codes), code


@pytest.mark.django_db
def test_labels_requiring_no_equivalent_or_bad_prefixes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / LABELS_FILE
    path.write_text(
        f"{HEADER}\nfsc,FSC,environmental,FSC,03 4x,false,https://fsc.org,\nfsc,Doublon,moral,,,true,pas-une-url,\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as raised:
        load_labels(path)
    message = str(raised.value)
    assert "ligne 2 : préfixe CPV « 4x » invalide" in message
    assert "ligne 2 : « equivalent_accepted » doit valoir true" in message
    assert "ligne 3 : identifiant « fsc » en double" in message
    assert "ligne 3 : nature « moral » inconnue" in message
    assert "adresse « pas-une-url » invalide" in message
    assert not Label.objects.exists()
    assert (DATA_DIR / LABELS_FILE).exists()


@pytest.mark.django_db
def test_new_legal_rows_are_dated() -> None:
    load_legal_rules()
    assert rule_on("no_advertising_threshold", "works", dt.date(2025, 12, 31)).value == Decimal(100_000)  # type: ignore[union-attr]
    assert rule_on("no_advertising_threshold", "works", dt.date(2020, 2, 1)).value == Decimal(40_000)  # type: ignore[union-attr]
    assert rule_on("legal_lever", "reserved_sse_services", dt.date(2026, 1, 1)).value == Decimal(3)  # type: ignore[union-attr]
    assert rule_on("labour_share_cpv", "cpv_45442", dt.date(2026, 1, 1)).value == Decimal(70)  # type: ignore[union-attr]
