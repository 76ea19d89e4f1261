"""The indicator pages: the buyer dashboard and the observatory show the figures of `indicators_for` (see the world in
`indicator_data.py`), with the PNAD reference lines labelled non-binding; the exports hold the same numbers; a
network's per-member table, and lists of buyers narrowed to a network, are for its members only; the checks and the
SPASER lists say what they are (proxy date, estimate)."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_module
import io
import re
from decimal import Decimal

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from relais.accounts.models import User
from relais.contracts.indicators import Buyer, Country, Departement, Figures, NetworkScope, indicators_for
from relais.contracts.spaser import ESTIMATE_LABEL

from ..conftest import Personas
from .cube_data import RENNES, RENNES_SIREN, STATE, contract
from .indicator_data import BREST_NAME, RENNES_NAME, IndicatorWorld, build_indicator_world

pytestmark = pytest.mark.django_db

PCT = "\u00a0%"
ENVIRONMENTAL_CAPTION = (
    "Acheteurs soumis au contrôle, ceux qui ont le plus de marchés sans considération environnementale d'abord "
    "({count} au plus 20)"
)
SOCIAL_CAPTION = ENVIRONMENTAL_CAPTION.replace("environnementale", "sociale")


@pytest.fixture
def world(personas: Personas) -> IndicatorWorld:
    return build_indicator_world(personas)


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response: HttpResponseBase) -> str:
    """The page as a reader sees its text: entities (apostrophes, &nbsp;) decoded."""
    assert response.status_code == 200, response.status_code
    return html_module.unescape(response.content.decode())


def _table(body: str, caption: str) -> list[list[str]]:
    """The rows (cells as text) of the table with this caption."""
    start = body.index(f"<caption>{caption}</caption>")
    table = body[start : body.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def _pct(share: float | None) -> str:
    """A share written as the pages write it, computed independently of the page code."""
    assert share is not None
    return f"{share * 100:.1f}".replace(".", ",") + PCT


def _row(rows: list[list[str]], header: str) -> list[str]:
    return next(row for row in rows if row and row[0] == header)


# ── Buyer dashboard ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_buyer_dashboard_shows_the_figures_of_indicators_for(world: IndicatorWorld) -> None:
    response = _client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "2025"})
    assert response.status_code == 200
    body = _text(response)
    expected = indicators_for(Buyer(RENNES), years=[2025]).per_year[0].total
    row = _row(_table(body, "Chiffres par année, parts par nombre de marchés"), "2025")
    # Année, marchés, montant, ≥1 sociale, clause, critère, réservé, ≥1 env., clause env., critère env., innovant,
    # couverture sociale, couverture environnementale.
    assert row == [
        "2025",
        str(expected.number.total),
        "1\u202f200\u202f000\u00a0€",
        _pct(expected.by_number.social),
        _pct(expected.by_number.social_clause),
        _pct(expected.by_number.social_criterion),
        _pct(expected.by_number.reserved),
        _pct(expected.by_number.environmental),
        _pct(expected.by_number.environmental_clause),
        _pct(expected.by_number.environmental_criterion),
        _pct(expected.by_number.innovative),
        _pct(expected.by_number.social_coverage),
        _pct(expected.by_number.environmental_coverage),
    ]
    # And by hand: 2 contracts, social 1 of 2 known, environmental 2 of 2.
    assert row[1:4] == ["2", "1\u202f200\u202f000\u00a0€", "50,0" + PCT]
    assert row[7] == "100,0" + PCT
    by_value = _row(_table(body, "Chiffres par année, parts par montant"), "2025")
    assert by_value[3] == _pct(expected.by_value.social)  # 1,000,000 of 1,200,000
    assert by_value[3] == "83,3" + PCT


def test_buyer_dashboard_compares_with_its_network_departement_and_country(world: IndicatorWorld) -> None:
    body = _text(_client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "2025"}))
    rows = _table(body, "Comparaison des parts par nombre de marchés (2025)")
    network = indicators_for(NetworkScope(world.personas.network), years=[2025]).overall
    country = indicators_for(Country(), years=[2025]).overall
    departement = indicators_for(Departement("35"), years=[2025]).overall

    def check(header: str, figures: Figures, count: int) -> None:
        row = _row(rows, header)
        assert row[1] == str(figures.number.total) == str(count)
        assert row[3] == _pct(figures.by_number.social)
        assert row[7] == _pct(figures.by_number.environmental)

    check(f"{RENNES_NAME} ({RENNES}) (acheteur)", indicators_for(Buyer(RENNES), years=[2025]).overall, 2)
    check(f"{world.personas.network} (réseau)", network, 3)
    check("Ille-et-Vilaine (35) (département)", departement, 2)
    check("France entière (pays)", country, 5)
    assert _row(rows, "France entière (pays)")[7] == "75,0" + PCT  # 3 of the 4 known


def test_share_charts_carry_the_non_binding_national_targets(world: IndicatorWorld) -> None:
    html = _text(_client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "2025"}))
    assert html.count('role="img"') >= 7  # 2 per year, 2 comparisons, 3 breakdowns
    assert "Objectif national : 30,0\u00a0% (2022–2025) — objectif national non contraignant" in html
    assert "Objectif national : 100,0\u00a0% (2022–2025) — objectif national non contraignant" in html
    assert html.count("<line ") >= 4  # per-year and comparison charts, social and environmental
    # Each chart is followed by its data table.
    assert html.count("Données du graphique «") == html.count('role="img"')
    # 2026: the PNAD 2022–2025 is over, the comparison draws no line.
    later = _text(_client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "2026"}))
    comparison = later.split('id="comparaison"')[1].split('id="ventilations"')[0]
    assert "<line " not in comparison


def test_buyer_exports_hold_the_numbers_of_the_page(world: IndicatorWorld) -> None:
    url = reverse("web:indicator_buyer_csv", kwargs={"identifier": RENNES})
    response = _client().get(url, {"annee": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Périmètre",
        "Nature du périmètre",
        "Année",
        "Ventilation",
        "Catégorie",
        "Indicateur",
        "Valeur",
        "Unité",
    ]
    label = f"{RENNES_NAME} ({RENNES})"

    def value(scope: str, year: str, indicator: str, breakdown: str = "", category: str = "") -> str:
        return next(
            row[6]
            for row in rows
            if row[0] == scope and row[2] == year and row[3:6] == [breakdown, category, indicator]
        )

    expected = indicators_for(Buyer(RENNES), years=[2025]).overall
    assert value(label, "2025", "Marchés notifiés") == str(expected.number.total) == "2"
    assert value(label, "2025", "Montant notifié") == "1200000,00"
    assert value(label, "2025", "Part avec au moins une considération sociale (par nombre)") == "50,0"
    assert (
        value("France entière", "2025", "Part avec au moins une considération environnementale (par nombre)") == "75,0"
    )
    assert value(str(world.personas.network), "2025", "Marchés notifiés") == "3"
    assert value(label, "2025", "Marchés notifiés", "Catégorie (travaux, fournitures, services)", "Travaux") == "1"
    assert value(label, "2024", "Marchés notifiés") == "1"
    assert any(row[3] == "SPASER (estimation)" for row in rows)

    workbook = load_workbook(
        io.BytesIO(
            _client().get(reverse("web:indicator_buyer_xlsx", kwargs={"identifier": RENNES}), {"annee": "2025"}).content
        )
    )
    sheet = workbook["Indicateurs"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][5] == "Indicateur"
    assert [label, "acheteur", 2025, None, None, "Marchés notifiés", 2, "marchés"] in cells
    share = next(
        row
        for row in cells
        if row[:3] == [label, "acheteur", 2025]
        and row[5].startswith("Part avec au moins une considération sociale (par nombre)")
    )
    assert share[6] == 50
    assert "À lire" in workbook.sheetnames


def test_buyer_checks_list_its_contracts_with_the_proxy_note(world: IndicatorWorld) -> None:
    response = _client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "2026"})
    html = _text(response)
    assert "La loi vise les consultations engagées à partir du 21/08/2026" in html
    assert "la date de notification en tient lieu" in html
    for key in ("r3", "r4"):
        assert reverse("web:contract_detail", kwargs={"public_id": world.contracts[key].public_id}) in html
    social = html.split("Marchés au-dessus du seuil européen sans considération sociale")[1]
    assert reverse("web:contract_detail", kwargs={"public_id": world.contracts["r3"].public_id}) in social
    assert reverse("web:contract_detail", kwargs={"public_id": world.contracts["r4"].public_id}) not in social
    checks = _table(html, "Contrôles légaux (article 35 de la loi Climat et résilience) — 2026")
    assert checks[1][1:4] == ["2", "2", "0"]  # environmental: r3 and r4 subject, both without
    assert checks[2][1:4] == ["1", "1", "0"]  # social from the obligation: r3


def test_non_compliant_contracts_are_paginated(world: IndicatorWorld) -> None:
    for day in range(1, 22):
        contract(RENNES, on=dt.date(2026, 9, day), amount="1000")
    url = reverse("web:indicator_buyer", kwargs={"identifier": RENNES})
    first = _text(_client().get(url))
    assert "23 marchés, les plus récents d'abord" in first
    assert "page 1 sur 2" in first
    second = _text(_client().get(url, {"page_environnement": "2"}))
    assert "page 2 sur 2" in second
    # Newest first: r4 (October) opens page 1; r3, notified on 1 September before the others of that day, closes it.
    environmental = second.split("Marchés au-dessus du seuil européen")[0]
    assert _detail(world, "r3") in environmental
    assert _detail(world, "r4") not in environmental
    assert _detail(world, "r4") in first


def _detail(world: IndicatorWorld, key: str) -> str:
    return reverse("web:contract_detail", kwargs={"public_id": world.contracts[key].public_id})


def test_buyer_spaser_estimate_is_labelled(world: IndicatorWorld) -> None:
    html = _text(_client().get(reverse("web:indicator_buyer", kwargs={"identifier": STATE})))
    assert ESTIMATE_LABEL in html
    row = _row(_table(html, "Montants notifiés par année et seuil SPASER (estimation)"), "2025")
    assert row[1] == "60\u00a0000\u00a0000"
    assert row[5] == "Oui (estimation)"


def test_buyer_by_siren_gathers_its_establishments_and_unknown_buyers_are_404(world: IndicatorWorld) -> None:
    assert _client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES_SIREN})).status_code == 200
    assert _client().get(reverse("web:indicator_buyer", kwargs={"identifier": "12345678901234"})).status_code == 404
    assert _client().get(reverse("web:indicator_buyer", kwargs={"identifier": "pas un siret"})).status_code == 404


def test_a_year_without_contracts_gives_a_message_and_the_latest_year(world: IndicatorWorld) -> None:
    response = _client().get(reverse("web:indicator_buyer", kwargs={"identifier": RENNES}), {"annee": "1999"})
    assert response.status_code == 200
    html = _text(response)
    assert "Aucun marché n'est connu pour l'année « 1999 » : l'année 2026 est affichée." in html
    assert "Comparaison (2026)" in html


# ── Observatory ─────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("perimetre", "scope_label", "count"),
    [("", "France entière", 5), ("departement-35", "Ille-et-Vilaine (35)", 2), ("region-53", "Bretagne", 3)],
)
def test_observatory_of_a_territory(world: IndicatorWorld, perimetre: str, scope_label: str, count: int) -> None:
    html = _text(_client().get(reverse("web:indicator_observatory"), {"perimetre": perimetre, "annee": "2025"}))
    row = _row(_table(html, "Chiffres par année, parts par nombre de marchés"), "2025")
    assert row[1] == str(count)
    assert f'<h2 class="fr-h3">{scope_label}' in html


def test_network_observatory_is_public_its_member_table_is_not(world: IndicatorWorld) -> None:
    network = world.personas.network
    params = {"perimetre": f"reseau-{network.slug}", "annee": "2025"}
    expected = indicators_for(NetworkScope(network), years=[2025]).overall
    readers = {"member", "facilitator", "animator", "site_admin"}
    for persona, user in world.personas.all().items():
        response = _client(user if isinstance(user, User) else None).get(reverse("web:indicator_observatory"), params)
        assert response.status_code == 200, persona
        html = _text(response)
        row = _row(_table(html, "Chiffres par année, parts par nombre de marchés"), "2025")
        assert row[1] == str(expected.number.total) == "3", persona
        assert row[3] == _pct(expected.by_number.social) == "66,7" + PCT, persona
        shows_members = "Chiffres de chaque adhérent" in html
        assert shows_members is (persona in readers), persona
        assert (BREST_NAME in html) is (persona in readers), persona
        if persona in readers:
            members = _table(html, "Chiffres de chaque adhérent (2025)")
            assert _row(members, RENNES_NAME)[2] == "2"
            assert _row(members, BREST_NAME)[2] == "1"
        else:
            assert "réservés aux membres du réseau" in html


def test_observatory_exports(world: IndicatorWorld) -> None:
    response = _client().get(reverse("web:indicator_observatory_csv"), {"perimetre": "region-53", "annee": "2025"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Bretagne", "région", "2025", "", "", "Marchés notifiés", "3", "marchés"] in rows
    assert ["France entière", "pays", "2025", "", "", "Marchés notifiés", "5", "marchés"] in rows
    xlsx = _client().get(reverse("web:indicator_observatory_xlsx"), {"perimetre": "region-53"})
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content))["Indicateurs"].max_row > 1


def test_unknown_perimeter_falls_back_to_the_country_with_a_message(world: IndicatorWorld) -> None:
    html = _text(_client().get(reverse("web:indicator_observatory"), {"perimetre": "departement-999"}))
    assert "Ce périmètre n'existe pas" in html
    assert '<h2 class="fr-h3">France entière' in html


# ── Checks and SPASER lists ─────────────────────────────────────────────────────────────────────────────────────────


def test_compliance_page_lists_rates_per_buyer_with_the_proxy_note(world: IndicatorWorld) -> None:
    html = _text(_client().get(reverse("web:indicator_compliance"), {"annee": "2026"}))
    assert "la date de notification en tient lieu" in html
    rows = _table(html, ENVIRONMENTAL_CAPTION.format(count=1))
    assert rows[1][1:6] == [RENNES, "2", "2", "0", "100,0\u00a0%"]
    social = _client().get(reverse("web:indicator_compliance"), {"controle": "social", "annee": "tout"})
    social_rows = _table(_text(social), SOCIAL_CAPTION.format(count=2))
    # Every date: Rennes' r3 (2026) and the State's 60 M€ supplies of 2025 (State threshold 143,000 €), both without.
    assert [row[1:4] for row in social_rows[1:]] == [[STATE, "1", "1"], [RENNES, "1", "1"]]
    assert _row(social_rows, RENNES_NAME)[6] == "1 (1)"  # r3 is notified after the obligation
    export = _client().get(reverse("web:indicator_compliance_csv"), {"annee": "2026"})
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][:6] == [RENNES, RENNES_NAME, lines[1][2], "2", "2", "0"]


def test_spaser_page_lists_buyers_above_the_threshold_as_an_estimate(world: IndicatorWorld) -> None:
    response = _client().get(reverse("web:indicator_spaser"), {"annee": "2025"})
    html = _text(response)
    assert "Ceci est une estimation" in html
    assert ESTIMATE_LABEL in html
    rows = _table(html, "Acheteurs probablement soumis au SPASER en 2025 (estimation d'après les montants notifiés)")
    assert [row[1] for row in rows[1:]] == [STATE[:9]]
    assert rows[1][2] == "60\u00a0000\u00a0000"
    export = _client().get(reverse("web:indicator_spaser_csv"), {"annee": "2025", "tri": "nom"})
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][:4] == [STATE[:9], "Ministère des Armées", "2025", "60000000,00"]
    assert lines[1][-2:] == ["oui", "non"]
    workbook = load_workbook(io.BytesIO(_client().get(reverse("web:indicator_spaser_xlsx"), {"annee": "2025"}).content))
    assert (
        workbook["SPASER (estimation)"]["D2"].value == Decimal("60000000.00")
        or workbook["SPASER (estimation)"]["D2"].value == 60000000
    )


@pytest.mark.parametrize("name", ["web:indicator_spaser", "web:indicator_compliance", "web:indicator_spaser_csv"])
def test_lists_narrowed_to_a_network_are_for_its_members(world: IndicatorWorld, name: str) -> None:
    params = {"perimetre": f"reseau-{world.personas.network.slug}", "annee": "tout"}
    expected = {
        "anonymous": 302,
        "member": 200,
        "supplier": 403,
        "facilitator": 200,
        "animator": 200,
        "other_animator": 403,
        "site_admin": 200,
    }
    for persona, user in world.personas.all().items():
        response = _client(user if isinstance(user, User) else None).get(reverse(name), params)
        assert response.status_code == expected[persona], persona
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("web:login"))
        if response.status_code == 200 and name == "web:indicator_compliance":
            assert RENNES_NAME in _text(response)


def test_network_choices_of_the_lists_are_the_readers_networks(world: IndicatorWorld) -> None:
    other = world.personas.other_network
    html = _text(_client(world.personas.member).get(reverse("web:indicator_spaser")))
    assert f'value="reseau-{world.personas.network.slug}"' in html
    assert f'value="reseau-{other.slug}"' not in html
    public = _text(_client().get(reverse("web:indicator_observatory")))
    assert f'value="reseau-{other.slug}"' in public  # a network's totals are public
