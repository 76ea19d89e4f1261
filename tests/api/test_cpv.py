from __future__ import annotations

from django.test import Client
from django.urls import reverse

from relais.reference.models import Cpv
from tests.factories import CpvFactory


def _tree() -> None:
    division = CpvFactory.create(
        code="90000000-7", level=1, label_fr="Services d'évacuation des eaux usées et nettoyage"
    )
    group = CpvFactory.create(
        code="90900000-6", level=2, label_fr="Services de nettoyage et d'hygiène", parent=division
    )
    CpvFactory.create(code="90910000-9", level=3, label_fr="Services de nettoyage", parent=group)
    CpvFactory.create(code="90911000-6", level=4, label_fr="Services de nettoyage de logements", parent=group)


def test_cpv_lookup_by_code_prefix_and_words(client: Client, db: None) -> None:
    _tree()
    by_code = client.get(reverse("api:cpv_list"), {"q": "909"}).json()
    assert [c["code"] for c in by_code["results"]] == ["90900000-6", "90910000-9", "90911000-6"]
    by_words = client.get(reverse("api:cpv_list"), {"q": "nettoyage logements"}).json()
    assert [c["code"] for c in by_words["results"]] == ["90911000-6"]
    assert by_words["results"][0]["url"].endswith("/api/v1/cpv/90911000/")


def test_cpv_list_without_q_is_paginated(client: Client, db: None) -> None:
    for i in range(25):
        Cpv.objects.create(
            code=f"{10 + i}000000-0",
            code8=f"{10 + i}000000",
            check_digit="0",
            division=str(10 + i),
            level=1,
            label_fr=f"Division {i}",
            label_en=f"Division {i}",
        )
    data = client.get(reverse("api:cpv_list")).json()
    assert data["count"] == 25
    assert len(data["results"]) == 20


def test_cpv_detail_with_parent_and_children(client: Client, db: None) -> None:
    _tree()
    for code in ("90900000-6", "90900000"):
        data = client.get(reverse("api:cpv_detail", kwargs={"code": code})).json()
        assert data["code"] == "90900000-6"
        assert data["parent"]["code"] == "90000000-7"
        assert [c["code"] for c in data["children"]] == ["90910000-9", "90911000-6"]
    root = client.get(reverse("api:cpv_detail", kwargs={"code": "90000000"})).json()
    assert root["parent"] is None


def test_unknown_cpv_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("api:cpv_detail", kwargs={"code": "99999999"})).status_code == 404
    assert client.get(reverse("api:cpv_detail", kwargs={"code": "abc"})).status_code == 404
