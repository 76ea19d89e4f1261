"""API v1 indicators: the figures of `indicators_for` for a buyer, a network and a territory, for every persona;
a network as a whole only (no member named), the targets non-binding, the SPASER estimate labelled, the checks with
the proxy note; 400s in French, 404s, schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from relais.contracts.indicators import Buyer, Country, NetworkScope, Region, indicators_for
from tests.conftest import Personas
from tests.contracts.cube_data import RENNES, RENNES_SIREN, STATE
from tests.contracts.indicator_data import BREST_NAME, RENNES_NAME, IndicatorWorld, build_indicator_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> IndicatorWorld:
    return build_indicator_world(personas)


def _get(url: str, params: dict[str, Any] | None = None, user: User | None = None) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url, params or {})


def _buyer_url(identifier: str) -> str:
    return reverse("api:indicator_buyer", kwargs={"identifier": identifier})


def test_buyer_indicators_are_those_of_the_page(world: IndicatorWorld) -> None:
    data = _get(_buyer_url(RENNES), {"year": "2025"}).json()
    expected = indicators_for(Buyer(RENNES), years=[2025])
    assert data["scope"] == {"kind": "buyer", "code": RENNES, "label": f"{RENNES_NAME} ({RENNES})"}
    assert data["years"] == [2025]
    total = data["per_year"][0]["total"]
    assert total["number"]["total"] == expected.overall.number.total == 2
    assert Decimal(total["value"]["total"]) == expected.overall.value.total == Decimal("1200000.00")
    assert total["by_number"]["social"] == pytest.approx(0.5)
    assert total["by_number"]["environmental"] == pytest.approx(1.0)
    assert total["by_value"]["social"] == pytest.approx(1_000_000 / 1_200_000)
    targets = data["per_year"][0]["targets"]
    assert {(t["measure"], t["share"]) for t in targets} == {("social", 0.3), ("environmental", 1.0)}
    assert all(t["note"] == "objectif national non contraignant" and t["binding"] is False for t in targets)
    assert any("la date de notification en tient lieu" in note for note in data["notes"])


def test_buyer_spaser_and_checks(world: IndicatorWorld) -> None:
    state = _get(_buyer_url(STATE)).json()
    assert [(row["year"], row["likely_obliged"]) for row in state["spaser"]] == [(2025, True)]
    assert Decimal(state["spaser"][0]["amount"]) == Decimal("60000000.00")
    assert any(note.startswith("SPASER : Estimation") for note in state["notes"])
    rennes = _get(_buyer_url(RENNES_SIREN)).json()
    assert rennes["compliance"]["environmental"] == {
        "subject": 2,
        "without": 2,
        "unknown": 0,
        "known": 2,
        "rate_without": 1.0,
        "coverage": 1.0,
    }
    assert rennes["compliance"]["social_bound"]["without"] == 1
    assert rennes["compliance"]["environmental_since"] == "2026-08-21"


def test_breakdown_groups_per_year(world: IndicatorWorld) -> None:
    data = _get(_buyer_url(RENNES), {"year": "2025", "breakdown": "contract_type"}).json()
    assert data["breakdown"] == "contract_type"
    groups = {group["key"]: group["number"]["total"] for group in data["per_year"][0]["groups"]}
    assert groups == {"works": 1, "services": 1}
    assert {group["label"] for group in data["overall_groups"]} == {"Travaux", "Services"}


@pytest.mark.parametrize("persona", ["anonymous", "member", "supplier", "other_animator", "site_admin"])
def test_network_is_answered_as_a_whole_for_everyone(world: IndicatorWorld, persona: str) -> None:
    user = world.personas.all()[persona]
    network = world.personas.network
    response = _get(
        reverse("api:indicator_network", kwargs={"slug": network.slug}),
        {"year": "2025"},
        user if isinstance(user, User) else None,
    )
    assert response.status_code == 200
    data = response.json()
    expected = indicators_for(NetworkScope(network), years=[2025]).overall
    assert data["overall"]["number"]["total"] == expected.number.total == 3
    assert data["overall"]["by_number"]["social"] == pytest.approx(2 / 3)
    # Aggregates only: no member is named, whoever asks.
    text = response.content.decode()
    assert RENNES_NAME not in text
    assert BREST_NAME not in text
    assert RENNES not in text
    assert "spaser" not in data


def test_territories(world: IndicatorWorld) -> None:
    region = _get(reverse("api:indicator_territory", kwargs={"level": "region", "code": "53"}), {"year": "2025"})
    assert (
        region.json()["overall"]["number"]["total"]
        == indicators_for(Region("53"), years=[2025]).overall.number.total
        == 3
    )
    assert region.json()["scope"]["label"] == "Bretagne"
    country = _get(reverse("api:indicator_territory", kwargs={"level": "country", "code": "fr"})).json()
    assert country["scope"]["code"] == "FR"
    assert country["years"] == [2024, 2025, 2026]
    assert country["overall"]["number"]["total"] == indicators_for(Country()).overall.number.total == 8
    departement = _get(reverse("api:indicator_territory", kwargs={"level": "departement", "code": "35"})).json()
    assert departement["scope"]["label"] == "Ille-et-Vilaine (35)"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (reverse("api:indicator_buyer", kwargs={"identifier": "12345678901234"}), 404),  # no contract
        (reverse("api:indicator_network", kwargs={"slug": "pas-un-reseau"}), 404),
        (reverse("api:indicator_territory", kwargs={"level": "departement", "code": "999"}), 404),
        (reverse("api:indicator_territory", kwargs={"level": "region", "code": "35"}), 404),
        (reverse("api:indicator_territory", kwargs={"level": "country", "code": "BE"}), 404),
        (reverse("api:indicator_territory", kwargs={"level": "canton", "code": "35"}), 404),
    ],
)
def test_unknown_scopes_are_404(world: IndicatorWorld, url: str, status: int) -> None:
    assert _get(url).status_code == status


def test_bad_parameters_are_400_in_french(world: IndicatorWorld) -> None:
    response = _get(_buyer_url(RENNES), {"year": "deux-mille", "breakdown": "couleur"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["year"].startswith("Donnez des années sur quatre chiffres")
    assert errors["breakdown"].startswith("Ventilation inconnue")


def test_schema_documents_the_endpoints(client: Client, db: None) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert {
        "/api/v1/indicators/buyers/{identifier}/",
        "/api/v1/indicators/networks/{slug}/",
        "/api/v1/indicators/territories/{level}/{code}/",
    } <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/indicators/buyers/{identifier}/"]["get"]["parameters"]}
    assert {"identifier", "year", "breakdown"} <= parameters
    assert "BuyerIndicators" in schema["components"]["schemas"]
    assert "spaser" not in schema["components"]["schemas"]["Indicators"]["properties"]
