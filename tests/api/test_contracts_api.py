"""API v1 contracts: public data for every persona, the search page's filters and messages, the capped count and
pages, every field of a contract, 404s, schema."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.contracts import search as contract_search
from relais.contracts.decp.records import Defect, Party
from relais.contracts.enums import Procedure, QualityFlag, SocialConsideration, SourceFormat
from relais.contracts.loader import ReferenceData
from relais.contracts.models import Contract
from relais.organisations.models import Organisation
from relais.reference.loaders import load_cpv, load_departements, load_regions
from tests.conftest import Personas
from tests.contracts.builders import HOLDER_SIRET, modification, record
from tests.contracts.loading import contract, load_contracts

LIST = reverse("api:contract_list")
PERSONAS = ["anonymous", "member", "supplier", "facilitator", "animator", "other_animator", "site_admin"]


def detail_url(item: Contract) -> str:
    return reverse("api:contract_detail", kwargs={"public_id": item.public_id})


@pytest.fixture
def contracts(db: None) -> None:
    load_cpv()
    load_regions()
    load_departements()
    load_contracts(
        [
            record(
                0,
                identifier="2025-001",
                modifications=[modification(2, "300000"), modification(1, "280000")],
                defects=[Defect(QualityFlag.PROCEDURE_UNKNOWN, "Procédure spéciale")],
            ),
            record(
                1,
                identifier="2019-042",
                source_format=SourceFormat.DECP_2019_JSON,
                object="Nettoyage des locaux",
                cpv="90910000",
                procedure=Procedure.ADAPTED,
                amount=Decimal("40000"),
                notified_on=dt.date(2024, 6, 15),
                place_code="29200",
                social=None,
                environmental=None,
                holders=[Party("BE0123456789", "TVA", "Nettoyage belge")],
            ),
            record(
                2,
                identifier="2023-100",
                object="Travaux de l'école",
                cpv="45000000",
                notified_on=dt.date(2023, 1, 10),
                social=frozenset({SocialConsideration.RESERVED}),
            ),
        ],
        ReferenceData.load(),
    )


def _identifiers(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["identifier"] for item in response.json()["results"]]


@pytest.mark.parametrize("who", PERSONAS)
def test_contracts_are_public_for_every_persona(client: Client, personas: Personas, contracts: None, who: str) -> None:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    assert _identifiers(client.get(LIST)) == ["2025-001", "2019-042", "2023-100"]
    assert client.get(detail_url(contract("2019-042"))).status_code == 200


def test_the_search_filters_apply(client: Client, contracts: None) -> None:
    assert _identifiers(client.get(LIST, {"q": "écoles"})) == ["2025-001", "2023-100"]
    assert _identifiers(client.get(LIST, {"cpv": "45"})) == ["2023-100"]
    assert _identifiers(client.get(LIST, {"social": "unknown"})) == ["2019-042"]
    assert _identifiers(client.get(LIST, {"social": "reserved", "q": "travaux"})) == ["2023-100"]
    assert _identifiers(client.get(LIST, {"region": "53", "amount_max": "100000"})) == ["2019-042"]
    assert _identifiers(client.get(LIST, {"holder": HOLDER_SIRET})) == ["2025-001", "2023-100"]
    assert _identifiers(client.get(LIST, {"holder": "nettoyage belge"})) == ["2019-042"]


def test_invalid_filters_are_a_400_with_french_messages(client: Client, contracts: None) -> None:
    response = client.get(LIST, {"cpv": "12", "notified_from": "demain", "q": "école"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"cpv", "notified_from"}
    assert errors["cpv"].startswith("Code CPV inconnu")


def test_the_count_is_capped_and_pages_keep_the_filters(
    client: Client, contracts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contract_search, "PAGE_SIZE", 1)
    monkeypatch.setattr(contract_search, "COUNT_CAP", 2)
    data = client.get(LIST, {"type": "services"}).json()
    assert (data["count"], data["count_capped"], data["num_pages"], data["page"]) == (2, False, 2, 1)
    assert data["previous"] is None
    assert data["next"].endswith("?type=services&page=2")
    assert [item["identifier"] for item in client.get(data["next"]).json()["results"]] == ["2019-042"]
    everything = client.get(LIST).json()
    assert (everything["count"], everything["count_capped"], everything["num_pages"]) == (2, True, 2)


def test_a_contract_with_every_field(client: Client, contracts: None) -> None:
    data = client.get(detail_url(contract("2025-001"))).json()
    holder = Organisation.objects.get(siret=HOLDER_SIRET)
    assert data["id"] == str(contract("2025-001").public_id)
    assert data["decp_id"].endswith("2025-001")
    assert data["procedure"] == "ao_ouvert"
    assert data["procedure_label"] == "Appel d'offres ouvert"
    assert data["departement"] == "35"
    assert data["social"] == {
        "status": "some",
        "clause": True,
        "criterion": False,
        "reserved": False,
        "label": "Clause sociale",
    }
    assert [m["amount"] for m in data["modifications"]] == ["280000.00", "300000.00"]
    assert data["current_amount"] == "300000.00"
    assert data["holders"][0]["track_record_url"].endswith(
        reverse("web:contract_holder", kwargs={"public_id": holder.public_id})
    )
    assert data["quality_flags"] == [{"code": 14, "label": "Procédure non reconnue"}]
    assert data["origin"]["file"] == "decp.json"
    assert data["web_url"].endswith(reverse("web:contract_detail", kwargs={"public_id": data["id"]}))


def test_unknown_considerations_stay_unknown(client: Client, contracts: None) -> None:
    data = client.get(detail_url(contract("2019-042"))).json()
    assert data["social"]["status"] == "unknown"
    assert data["social"]["label"] == "Non renseigné (format 2019)"
    assert data["environmental"]["status"] == "unknown"
    assert data["holders"] == [
        {"identifier": "BE0123456789", "id_type": "TVA", "name": "Nettoyage belge", "track_record_url": None}
    ]


def test_an_unknown_contract_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("api:contract_detail", kwargs={"public_id": uuid.uuid4()})).status_code == 404


def test_the_schema_documents_the_contract_endpoints(client: Client, db: None) -> None:
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/contracts/" in paths
    assert "/api/v1/contracts/{public_id}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/contracts/"]["get"]["parameters"]}
    assert {"q", "cpv", "social", "environmental", "region", "departement", "buyer", "holder", "page"} <= parameters
    assert "400" in paths["/api/v1/contracts/"]["get"]["responses"]
