"""Contract search: the term index, every filter, the capped count and pages, the order, the messages of invalid
filters, the search page and its exports."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from relais.contracts import search as contract_search
from relais.contracts.decp.records import Party
from relais.contracts.enums import EnvironmentalConsideration, Procedure, SocialConsideration, SourceFormat
from relais.contracts.loader import ReferenceData
from relais.contracts.models import Contract, ContractTerm
from relais.contracts.search import (
    contract_id_of,
    contract_term_rows,
    cpv_terms,
    reindex_contracts,
    search_contracts,
    sort_key,
    word_terms,
)
from relais.contracts.search_params import ContractSearch, parse_contract_search
from relais.core.text import terms
from tests.factories import valid_siret

from .builders import BUYER_SIRET, HOLDER_SIRET, OTHER_HOLDER_SIRET, record
from .loading import contract, load_contracts

pytestmark = pytest.mark.django_db

OTHER_BUYER_SIRET = valid_siret(random.Random(7))
SEARCH = reverse("web:contract_search")


@pytest.fixture
def contracts(reference: ReferenceData) -> ReferenceData:
    """Four contracts that differ on every filter."""
    load_contracts(
        [
            # A: the builder's contract — school catering in Ille-et-Vilaine, social clause, environmental criterion.
            record(0, identifier="A-2025-001"),
            # B: 2019 format (considerations unknown), cleaning in Finistère, adapted procedure.
            record(
                1,
                identifier="B-2024-017",
                source_format=SourceFormat.DECP_2019_JSON,
                object="Nettoyage des locaux administratifs",
                cpv="90910000",
                procedure=Procedure.ADAPTED,
                amount=Decimal("40000"),
                notified_on=dt.date(2024, 6, 15),
                published_on=dt.date(2024, 6, 20),
                place_code="29200",
                social=None,
                environmental=None,
                holders=[Party(OTHER_HOLDER_SIRET, "SIRET", "Net Services Ouest")],
            ),
            # C: works in Paris for another buyer, reserved, no environmental consideration, two holders.
            record(
                2,
                identifier="C-2023-100",
                buyer=Party(OTHER_BUYER_SIRET, "SIRET", "Ville de Paris"),
                object="Travaux de rénovation énergétique de l'école",
                cpv="45000000",
                procedure=Procedure.NEGOTIATED,
                amount=Decimal("1500000"),
                notified_on=dt.date(2023, 1, 10),
                published_on=dt.date(2023, 1, 20),
                place_code="75001",
                social=frozenset({SocialConsideration.RESERVED}),
                environmental=frozenset({EnvironmentalConsideration.NONE}),
                holders=[
                    Party(HOLDER_SIRET, "SIRET", "Cuisine solidaire"),
                    Party(OTHER_HOLDER_SIRET, "SIRET", "Net Services Ouest"),
                ],
            ),
            # D: no notification date, an absurd amount, no social consideration, an environmental clause.
            record(
                3,
                identifier="D-2025-050",
                object="Fourniture de repas",
                cpv="15000000",
                procedure=Procedure.ADAPTED,
                amount=Decimal("100000000000000000"),
                notified_on=None,
                social=frozenset({SocialConsideration.NONE}),
                environmental=frozenset({EnvironmentalConsideration.CLAUSE}),
            ),
        ],
        reference,
    )
    return reference


def found(**query: Any) -> list[str]:
    params, errors = parse_contract_search(query)
    assert not errors, errors
    return [c.identifier for c in search_contracts(params).contracts]


# ── The index ───────────────────────────────────────────────────────────────────────────────────────────────────────


def test_terms_of_a_contract_keep_names_apart_from_the_object() -> None:
    found_terms = word_terms(
        object="Restauration scolaire", buyer_names=["Ville de Rennes"], holder_names=["Cuisine solidaire", "SIRET 1"]
    )
    expected = {*terms("Restauration scolaire"), *(f"a:{t}" for t in terms("Ville de Rennes"))}
    expected |= {f"t:{t}" for t in terms("Cuisine solidaire")}
    assert expected == found_terms


def test_each_filter_value_of_a_contract_is_a_term_with_its_date_and_amount(contracts: ReferenceData) -> None:
    catering = contract("A-2025-001")
    rows = contract_term_rows([catering.pk])
    assert {(key, cents) for _, _, key, cents in rows} == {(sort_key(catering.pk, dt.date(2025, 3, 1)), 25_000_000)}
    assert {
        "c:55",
        "c:555",
        "c:5552",
        "c:55524",
        "p:ao_ouvert",
        "y:services",
        "s:some",
        "s:clause",
        "e:some",
        "e:criterion",
        "d:35",
        "r:53",
        f"b:{BUYER_SIRET}",
        f"bs:{BUYER_SIRET[:9]}",
        f"h:{HOLDER_SIRET}",
        f"hs:{HOLDER_SIRET[:9]}",
    } <= {term for _, term, _, _ in rows}
    undated = contract("D-2025-050")
    assert {(key, cents) for _, _, key, cents in contract_term_rows([undated.pk])} == {(undated.pk, None)}


def test_the_sort_key_orders_newest_first_and_holds_the_id() -> None:
    keys = [sort_key(7, dt.date(2025, 3, 1)), sort_key(9, dt.date(2025, 3, 1)), sort_key(3, dt.date(2024, 12, 31))]
    assert sorted([*keys, sort_key(2, None)], reverse=True) == [keys[1], keys[0], keys[2], 2]
    assert [contract_id_of(key) for key in keys] == [7, 9, 3]
    with pytest.raises(ValueError, match="hors de la plage"):
        sort_key(1 << 32, None)


def test_reindexing_replaces_the_rows_of_a_contract(contracts: ReferenceData) -> None:
    catering = contract("A-2025-001")
    assert ContractTerm.objects.filter(contract=catering, term="restaur").exists()
    Contract.objects.filter(pk=catering.pk).update(object="Entretien des espaces verts", amount=Decimal("12.5"))
    written = reindex_contracts([catering.pk])
    terms = set(ContractTerm.objects.filter(contract=catering).values_list("term", flat=True))
    assert written == len(terms)
    assert "restaur" not in terms
    assert {"entretien", "espac", "vert"} <= terms
    assert found(q="restauration") == []
    assert found(q="espaces verts") == ["A-2025-001"]
    assert set(ContractTerm.objects.filter(contract=catering).values_list("amount_cents", flat=True)) == {1250}


def test_the_command_rebuilds_the_whole_index(contracts: ReferenceData) -> None:
    expected = set(ContractTerm.objects.values_list("contract_id", "term"))
    ContractTerm.objects.all().delete()
    assert found(q="restauration") == []
    out = io.StringIO()
    call_command("reindex_contracts", batch_size=3, stdout=out, stderr=io.StringIO())
    assert set(ContractTerm.objects.values_list("contract_id", "term")) == expected
    assert out.getvalue().startswith("Index reconstruit : 4 marchés")
    assert found(q="restauration") == ["A-2025-001"]


def test_deleting_a_contract_deletes_its_index_rows(contracts: ReferenceData) -> None:
    catering = contract("A-2025-001")
    catering.delete()
    assert not ContractTerm.objects.filter(contract_id=catering.pk).exists()
    assert ContractTerm.objects.exists()


# ── Filters ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_words_of_the_object_ignore_accents_case_and_plurals(contracts: ReferenceData) -> None:
    assert found(q="Restaurations SCOLAIRES") == ["A-2025-001"]
    assert found(q="ecole") == ["A-2025-001", "C-2023-100"]
    assert found(q="école rénovation") == ["C-2023-100"]
    assert found(q="école piscine") == []
    # Names are not the object: a holder's name does not match the object search.
    assert found(q="solidaire") == []


def test_a_cpv_code_selects_itself_and_every_code_under_it(contracts: ReferenceData) -> None:
    assert found(cpv="55") == ["A-2025-001"]
    assert found(cpv="555") == ["A-2025-001"]
    assert found(cpv="55524000-9") == ["A-2025-001"]
    assert found(cpv="55520000") == ["A-2025-001"]
    assert found(cpv="45") == ["C-2023-100"]
    assert found(cpv="90") == ["B-2024-017"]
    assert found(cpv="55510000") == []
    assert cpv_terms("55524000-9") == ["c:55", "c:555", "c:5552", "c:55524"]
    assert cpv_terms("45000000") == ["c:45"]
    assert cpv_terms("") == []


def test_considerations_never_take_unknown_for_none(contracts: ReferenceData) -> None:
    assert found(social="clause") == ["A-2025-001"]
    assert found(social="reserved") == ["C-2023-100"]
    assert found(social="some") == ["A-2025-001", "C-2023-100"]
    assert found(social="none") == ["D-2025-050"]
    assert found(social="unknown") == ["B-2024-017"]
    assert found(environmental="criterion") == ["A-2025-001"]
    assert found(environmental="clause") == ["D-2025-050"]
    assert found(environmental="none") == ["C-2023-100"]
    assert found(environmental="unknown") == ["B-2024-017"]


def test_procedure_type_dates_and_amounts(contracts: ReferenceData) -> None:
    assert found(procedure="adaptee") == ["B-2024-017", "D-2025-050"]
    assert found(type="works") == ["C-2023-100"]
    assert found(type="services") == ["A-2025-001", "B-2024-017"]
    assert found(notified_from="2024-01-01") == ["A-2025-001", "B-2024-017"]
    assert found(notified_from="01/01/2023", notified_to="31/12/2024") == ["B-2024-017", "C-2023-100"]
    assert found(amount_min="100 000") == ["A-2025-001", "C-2023-100"]
    assert found(amount_max="250000,00") == ["A-2025-001", "B-2024-017"]
    # A placeholder amount of 1e17 € is no "contract above 1 M€".
    assert found(amount_min="1000000") == ["C-2023-100"]


def test_territory_by_departement_or_region(contracts: ReferenceData) -> None:
    assert found(departement="35") == ["A-2025-001", "D-2025-050"]
    assert found(region="53") == ["A-2025-001", "B-2024-017", "D-2025-050"]
    assert found(region="11") == ["C-2023-100"]
    assert found(region="53", departement="29") == ["B-2024-017"]


def test_buyer_and_holder_by_siret_siren_or_name(contracts: ReferenceData) -> None:
    assert found(buyer=BUYER_SIRET) == ["A-2025-001", "B-2024-017", "D-2025-050"]
    assert found(buyer=f"{OTHER_BUYER_SIRET[:3]} {OTHER_BUYER_SIRET[3:6]} {OTHER_BUYER_SIRET[6:9]}") == ["C-2023-100"]
    assert found(buyer="ville de paris") == ["C-2023-100"]
    assert found(holder=HOLDER_SIRET) == ["A-2025-001", "C-2023-100", "D-2025-050"]
    assert found(holder=OTHER_HOLDER_SIRET[:9]) == ["B-2024-017", "C-2023-100"]
    assert found(holder="Net services") == ["B-2024-017", "C-2023-100"]
    assert found(holder="Cuisine", q="travaux") == ["C-2023-100"]
    # The object's words are not a holder's name.
    assert found(holder="restauration") == []


def test_two_filters_together(contracts: ReferenceData) -> None:
    assert found(q="repas", social="none") == ["D-2025-050"]
    assert found(cpv="45", departement="35") == []
    assert found(holder=HOLDER_SIRET, environmental="clause") == ["D-2025-050"]


# ── Order, count, pages ─────────────────────────────────────────────────────────────────────────────────────────────


def test_newest_first_and_contracts_without_date_last_with_or_without_terms(contracts: ReferenceData) -> None:
    assert found() == ["A-2025-001", "B-2024-017", "C-2023-100", "D-2025-050"]
    assert found(amount_min="0") == ["A-2025-001", "B-2024-017", "C-2023-100"]
    assert found(departement="35") == ["A-2025-001", "D-2025-050"]
    assert found(holder=HOLDER_SIRET) == ["A-2025-001", "C-2023-100", "D-2025-050"]


def test_the_count_is_capped_and_pages_stop_there(contracts: ReferenceData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contract_search, "COUNT_CAP", 2)
    monkeypatch.setattr(contract_search, "PAGE_SIZE", 1)
    result = search_contracts(ContractSearch(page=9))
    assert (result.total, result.capped, result.num_pages, result.page) == (2, True, 2, 2)
    assert [c.identifier for c in result.contracts] == ["B-2024-017"]
    exact = search_contracts(parse_contract_search({"social": "some"})[0])
    assert (exact.total, exact.capped) == (2, False)


def test_a_page_costs_the_same_queries_whatever_its_size(contracts: ReferenceData) -> None:
    params = parse_contract_search({"q": "école rénovation", "holder": "cuisine"})[0]
    with CaptureQueriesContext(connection) as queries:
        result = search_contracts(params)
        [list(c.holders.all()) for c in result.contracts]
    assert [c.identifier for c in result.contracts] == ["C-2023-100"]
    # Posting sizes, capped count, the page's ids, its contracts, their holders.
    assert len(queries) == 5


def test_the_query_string_rebuilds_the_same_search(contracts: ReferenceData) -> None:
    query = {
        "q": "école",
        "cpv": "45",
        "social": "reserved",
        "notified_from": "2023-01-01",
        "amount_min": "100000.50",
        "region": "11",
        "buyer": "ville de paris",
        "holder": HOLDER_SIRET,
        "page": "2",
    }
    params, errors = parse_contract_search(query)
    assert not errors
    again, _ = parse_contract_search(dict(item for item in _pairs(params.urlencode(page=2))))
    assert again == params
    assert "cpv=45000000" in params.urlencode()
    assert "page" not in params.urlencode()


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query)


# ── Invalid filters ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_invalid_filters_get_a_french_message_and_are_left_out(reference: ReferenceData) -> None:
    params, errors = parse_contract_search(
        {
            "cpv": "12",
            "type": "robots",
            "social": "beaucoup",
            "notified_from": "2025-02-30",
            "notified_to": "hier",
            "amount_min": "cent",
            "amount_max": "-5",
            "region": "99",
            "departement": "ZZ",
            "buyer": "123",
            "holder": "de la",
        }
    )
    assert set(errors) == {
        "cpv",
        "type",
        "social",
        "notified_from",
        "notified_to",
        "amount_min",
        "amount_max",
        "region",
        "departement",
        "buyer",
        "holder",
    }
    assert "Code CPV inconnu" in errors["cpv"]
    assert "JJ/MM/AAAA" in errors["notified_from"]
    assert "SIRET a 14 chiffres" in errors["buyer"]
    assert params.is_empty()


def test_crossed_bounds_and_a_departement_outside_the_region(reference: ReferenceData) -> None:
    params, errors = parse_contract_search(
        {"notified_from": "2025-01-01", "notified_to": "2024-01-01", "amount_min": "10", "amount_max": "5"}
        | {"region": "53", "departement": "75"}
    )
    assert errors["notified_to"].startswith("La date de fin")
    assert errors["amount_max"].startswith("Le montant maximum")
    assert errors["departement"] == "Ce département n'appartient pas à la région choisie."
    assert params.notified_from == dt.date(2025, 1, 1)
    assert params.notified_to is None
    assert params.region == "53"
    assert not params.departement


# ── The page and its exports ────────────────────────────────────────────────────────────────────────────────────────


def test_the_search_page_shows_a_table_with_french_labels(client: Client, contracts: ReferenceData) -> None:
    response = client.get(SEARCH, {"cpv": "45", "social": "reserved"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 marché trouvé" in body
    assert "Travaux de rénovation énergétique" in body
    assert "Restauration scolaire" not in body
    assert "Procédure avec négociation" in body
    assert "Code CPV : 45000000 — Travaux de construction" in body
    assert "Considérations sociales : Marché réservé" in body
    assert reverse("web:contract_detail", kwargs={"public_id": contract("C-2023-100").public_id}) in body


def test_the_search_page_says_when_the_count_is_capped(
    client: Client, contracts: ReferenceData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contract_search, "COUNT_CAP", 3)
    body = client.get(SEARCH).content.decode()
    assert "Plus de 3 marchés trouvés" in body


def test_invalid_filters_are_shown_next_to_their_field(client: Client, contracts: ReferenceData) -> None:
    response = client.get(SEARCH, {"cpv": "12", "departement": "35"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Certains filtres ne sont pas valides" in body
    assert "Code CPV inconnu" in body
    # The valid filter still applies.
    assert "2 marchés trouvés" in body


def test_csv_export_of_the_filtered_results(client: Client, contracts: ReferenceData) -> None:
    response = client.get(reverse("web:contract_export_csv"), {"departement": "35"})
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = text.splitlines()
    assert text.startswith("\ufeffIdentifiant DECP;")
    assert len(lines) == 3
    assert f"{BUYER_SIRET}A-2025-001" in lines[1]
    assert "Restauration scolaire des écoles" in lines[1]
    assert "250000,00" in lines[1]
    assert "Clause sociale" in lines[1]
    assert response["X-Total-Count"] == "2"
    assert "Nettoyage" not in text


def test_exports_are_capped_and_say_so(
    client: Client, contracts: ReferenceData, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relais.web.views import contracts_public

    monkeypatch.setattr(contracts_public, "EXPORT_LIMIT", 2)
    response = client.get(reverse("web:contract_export_csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 4
    assert "A-2025-001" in lines[1]
    assert "B-2024-017" in lines[2]
    assert lines[-1].startswith("Export limité aux 2 premiers marchés (les plus récents)")
    assert response["X-Export-Truncated"] == "2"
    assert response["X-Total-Count"] == "2+"
    workbook = load_workbook(io.BytesIO(client.get(reverse("web:contract_export_xlsx")).content))
    rows = list(workbook["Marchés"].iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][0] == "Identifiant DECP"
    notes = [row[0] for row in workbook["À lire"].iter_rows(values_only=True)]
    assert any(str(note).startswith("Export limité aux 2 premiers marchés") for note in notes)
