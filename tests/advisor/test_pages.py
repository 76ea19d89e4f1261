"""The advisor page and API: the form's messages, the advice rendered, the API's answer and schema."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.organisations.enums import StructureType
from relais.reference.models import Cpv
from relais.suppliers.enums import TurnoverBand

from ..conftest import Personas
from .conftest import supplier

pytestmark = pytest.mark.usefixtures("reference")
QUERY = {"cpv": "45262500-6", "departement": "35", "montant": "1000000", "type_acheteur": "local", "date": "2026-09-01"}


def test_empty_page_shows_the_form(client: Client) -> None:
    response = client.get(reverse("web:advisor"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Codes CPV" in content
    assert "Leviers juridiques" in content
    assert "levier-procedure" not in content


def test_page_renders_every_lever_with_its_rule(client: Client) -> None:
    response = client.get(reverse("web:advisor"), QUERY)
    content = response.content.decode()
    assert response.status_code == 200
    for code in (
        "procedure",
        "reserved_l2113_13",
        "reserved_l2113_15",
        "reserved_lot",
        "insertion_clause",
        "environmental_criteria",
        "climate_environmental",
        "climate_social",
    ):
        assert f'id="levier-{code}"' in content, code
    assert "Environ 833 heures d&#x27;insertion" in content
    assert "procédure formalisée" not in content
    assert "procédure adaptée" in content
    assert "en vigueur du 01/01/2026" in content  # the dated rule behind the procedure


def test_page_overrides_and_messages(client: Client) -> None:
    response = client.get(reverse("web:advisor"), {**QUERY, "taux": "10", "cout_horaire": "25"})
    assert "Environ 2000 heures" in response.content.decode()
    bad = client.get(reverse("web:advisor"), {"cpv": "4526", "departement": "99", "montant": "beaucoup", "taux": "150"})
    content = bad.content.decode()
    assert bad.status_code == 200
    assert "Code(s) CPV invalide(s)" in content
    assert "Département « 99 » inconnu" in content
    assert "Saisissez un montant en euros HT" in content
    assert "pourcentage entre 0 et 100" in content
    assert "levier-procedure" not in content


def test_api_answers_with_rules_and_figures(client: Client) -> None:
    response = client.get(reverse("api:advisor"), QUERY)
    assert response.status_code == 200
    data = response.json()
    assert data["category"] == "works"
    assert data["departement_code"] == "35"
    by_code = {item["code"]: item for item in data["recommendations"]}
    assert by_code["procedure"]["figures"]["regime"] == "adapted"
    assert by_code["procedure"]["rules"][0]["valid_from"] == "2026-01-01"
    assert by_code["insertion_clause"]["figures"]["hours"] == 833
    assert by_code["climate_environmental"]["verdict"] == "required"


def test_api_refuses_bad_parameters_in_french(client: Client) -> None:
    response = client.get(reverse("api:advisor"), {"cpv": "45262500-1", "departement": "35", "date": "2026-13-01"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Clé de contrôle incorrecte" in errors["cpv"]
    assert "Date invalide" in errors["date"]
    assert client.get(reverse("api:advisor")).status_code == 400


def test_api_names_unlisted_suppliers_only_to_members(
    client: Client, personas: Personas, reference: dict[str, Cpv]
) -> None:
    supplier("Maçons discrets", structure=StructureType.EI, cpv=reference["45262500"], band=TurnoverBand.FROM_2M)
    anonymous = client.get(reverse("api:advisor"), QUERY).json()
    siae = next(item for item in anonymous["recommendations"] if item["code"] == "reserved_l2113_13")
    assert siae["figures"]["eligible"] == 1
    assert siae["suppliers"] == []
    assert "Maçons discrets" not in client.get(reverse("web:advisor"), QUERY).content.decode()
    client.force_login(personas.member)
    member = client.get(reverse("api:advisor"), QUERY).json()
    siae = next(item for item in member["recommendations"] if item["code"] == "reserved_l2113_13")
    assert [item["name"] for item in siae["suppliers"]] == ["Maçons discrets"]


def test_schema_documents_the_advisor(client: Client) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/advisor/" in schema["paths"]


def test_page_without_amount_lists_labels_with_or_equivalent(client: Client) -> None:
    response = client.get(reverse("web:advisor"), {"cpv": "30197630", "departement": "35", "date": "2026-09-01"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "montant non indiqué" in content
    assert "Indiquez le montant estimé pour connaître la procédure" in content
    assert "FSC (Forest Stewardship Council) ou équivalent" in content
