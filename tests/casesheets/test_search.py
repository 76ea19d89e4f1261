"""Search of published case sheets: French matching, facets and their counts, CPV hierarchy, visibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import timezone

from relais.casesheets.enums import ContractType, Procedure, ReservedBasis, SheetStatus
from relais.casesheets.exports import export_rows
from relais.casesheets.models import CaseSheet
from relais.casesheets.queries import SearchResult, SheetSearch, search_sheets, sheets_for_export
from relais.casesheets.search import reindex_sheet
from relais.networks.models import Network
from relais.networks.perms import member_network_ids
from relais.organisations.enums import StructureType
from tests.conftest import Personas
from tests.factories import (
    CaseSheetFactory,
    CpvFactory,
    DepartementFactory,
    NetworkFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["sql", "snapshot", "snapshot-words-in-memory"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs three times: on the SQL path; on the in-memory bitmap snapshot (built afresh from the
    database before each search, as the task queue does after each change), words read from the index table; and
    on the snapshot holding every word in memory (as it does for the most frequent words). All must agree."""
    from relais.casesheets import queries, snapshot

    if request.param == "sql":
        monkeypatch.setattr(queries, "current_snapshot", lambda: None)
    else:
        monkeypatch.setattr(queries, "current_snapshot", snapshot.refresh_snapshot)
    if request.param == "snapshot-words-in-memory":
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_SHEETS", 1)
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_SHARE", 0.0)
    return str(request.param)


def search(query: str = "", networks: set[int] | None = None) -> SearchResult:
    return search_sheets(SheetSearch.from_querydict(QueryDict(query)), networks or set())


def titles(result: SearchResult) -> set[str]:
    return {sheet.title for sheet in result.sheets}


def counts(result: SearchResult, facet: str) -> dict[str, int]:
    return {c.value: c.count for c in result.facets[facet]}


class TestFullText:
    def test_accents_case_and_plural_are_ignored(self) -> None:
        CaseSheetFactory.create(published=True, title="Cantines ÉQUITABLES du Finistère", summary="Repas.")
        CaseSheetFactory.create(published=True, title="Nettoyage des locaux", summary="Produits écolabellisés.")
        assert titles(search("q=cantine")) == {"Cantines ÉQUITABLES du Finistère"}
        assert titles(search("q=equitable")) == {"Cantines ÉQUITABLES du Finistère"}
        assert titles(search("q=CANTINES+Équitables")) == {"Cantines ÉQUITABLES du Finistère"}
        assert titles(search("q=ecolabellise")) == {"Nettoyage des locaux"}

    def test_every_word_must_match(self) -> None:
        CaseSheetFactory.create(published=True, title="Cantine bio", summary="Repas.")
        CaseSheetFactory.create(published=True, title="Cantine locale", summary="Repas.")
        assert titles(search("q=cantine")) == {"Cantine bio", "Cantine locale"}
        assert titles(search("q=cantine+bio")) == {"Cantine bio"}
        assert search("q=cantine+inexistant").total == 0

    def test_stop_words_alone_do_not_filter(self) -> None:
        CaseSheetFactory.create(published=True, title="Cantine bio")
        assert search("q=de+la").total == 1

    def test_relevance_puts_title_matches_first_then_newest(self) -> None:
        now = timezone.now()
        body = CaseSheetFactory.create(
            published=True, title="Repas scolaires", summary="Des menus.", advice="Voir le papier."
        )
        title_old = CaseSheetFactory.create(published=True, title="Papier recyclé", summary="Ramettes.")
        title_new = CaseSheetFactory.create(published=True, title="Papier recyclé encore", summary="Ramettes.")
        CaseSheet.objects.filter(pk=title_old.pk).update(published_at=now - dt.timedelta(days=10))
        CaseSheet.objects.filter(pk=title_new.pk).update(published_at=now - dt.timedelta(days=1))
        CaseSheet.objects.filter(pk=body.pk).update(published_at=now)
        ordered = [s.pk for s in search("q=papier").sheets]
        assert ordered == [title_new.pk, title_old.pk, body.pk]
        # Sorting by date ignores relevance.
        assert [s.pk for s in search("q=papier&order=-date").sheets] == [body.pk, title_new.pk, title_old.pk]
        assert [s.pk for s in search("q=papier&order=date").sheets] == [title_old.pk, title_new.pk, body.pk]


class TestFacets:
    @pytest.fixture
    def sheets(self) -> dict[str, Any]:
        catering = ThemeFactory(slug="restauration-collective", label="Restauration collective")
        cleaning = ThemeFactory(slug="nettoyage", label="Nettoyage")
        finistere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53", name="Bretagne"))
        nord = DepartementFactory(code="59", name="Nord", region=RegionFactory(code="32", name="Hauts-de-France"))
        other_network = NetworkFactory(slug="reseau-nord")
        works_cpv = CpvFactory(code="45000000-7", label_fr="Travaux de construction", level=1)
        return {
            "a": CaseSheetFactory.create(
                published=True,
                title="Cantine A",
                themes=[catering],
                departement=finistere,
                contract_type=ContractType.SERVICES,
                procedure=Procedure.ADAPTED,
                has_environmental_clause=True,
                notification_date=dt.date(2023, 5, 1),
            ),
            "b": CaseSheetFactory.create(
                published=True,
                title="Cantine B",
                themes=[catering, cleaning],
                departement=nord,
                network=other_network,
                reserved_basis=ReservedBasis.L2113_13,
                has_insertion_clause=False,
                notification_date=dt.date(2024, 5, 1),
            ),
            "c": CaseSheetFactory.create(
                published=True,
                title="Travaux C",
                themes=[cleaning],
                departement=finistere,
                main_cpv=works_cpv,
                contract_type=ContractType.WORKS,
                is_fair_trade=True,
                notification_date=dt.date(2024, 1, 1),
            ),
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("theme=restauration-collective", {"Cantine A", "Cantine B"}),
            ("theme=restauration-collective&theme=nettoyage", {"Cantine B"}),
            ("type=works", {"Travaux C"}),
            ("procedure=adapted", {"Cantine A"}),
            ("social=reserved", {"Cantine B"}),
            ("social=insertion_clause", {"Cantine A", "Travaux C"}),
            ("reserved=L2113-13", {"Cantine B"}),
            ("environmental=env_clause", {"Cantine A"}),
            ("other=fair_trade", {"Travaux C"}),
            ("structure=ei", {"Cantine A", "Cantine B", "Travaux C"}),
            ("structure=esat", set()),
            ("region=53", {"Cantine A", "Travaux C"}),
            ("departement=59", {"Cantine B"}),
            ("year=2024", {"Cantine B", "Travaux C"}),
            ("network=reseau-nord", {"Cantine B"}),
            ("cpv=45000000", {"Travaux C"}),
            ("q=cantine&region=53", {"Cantine A"}),
        ],
    )
    def test_each_facet_filters(self, sheets: dict[str, Any], query: str, expected: set[str]) -> None:
        result = search(query)
        assert titles(result) == expected
        assert result.total == len(expected)

    def test_counts_are_over_the_current_results(self, sheets: dict[str, Any]) -> None:
        everything = search()
        assert everything.total == 3
        assert counts(everything, "theme") == {"restauration-collective": 2, "nettoyage": 2}
        assert counts(everything, "region") == {"53": 2, "32": 1}
        assert counts(everything, "year") == {"2024": 2, "2023": 1}
        assert counts(everything, "cpv") == {"55": 2, "45": 1}
        assert counts(everything, "social") == {"insertion_clause": 2, "reserved": 1}

        narrowed = search("theme=nettoyage")
        assert narrowed.total == 2
        assert counts(narrowed, "theme") == {"nettoyage": 2, "restauration-collective": 1}
        assert counts(narrowed, "type") == {"services": 1, "works": 1}
        assert counts(narrowed, "region") == {"53": 1, "32": 1}
        selected = {c.value for c in narrowed.facets["theme"] if c.selected}
        assert selected == {"nettoyage"}

    def test_unknown_values_are_ignored_never_an_error(self, sheets: dict[str, Any]) -> None:
        params = SheetSearch.from_querydict(
            QueryDict(
                "theme=inconnu&type=spaceship&region=99&departement=<script>&year=abc&cpv=xx&order=random"
                "&page=-3&network=nope&other=stuff&structure=ei&page=2"
            )
        )
        assert params.theme == params.type == params.region == params.departement == ()
        assert params.year == params.cpv == params.network == params.other == ()
        assert params.structure == ("ei",)
        assert params.order == "relevance"
        assert params.page == 1
        result = search_sheets(params, set())
        assert result.total == 3

    def test_page_beyond_the_last_shows_the_last(self, sheets: dict[str, Any]) -> None:
        result = search("page=40")
        assert result.page == 1
        assert len(result.sheets) == 3


class TestCpvHierarchy:
    def test_a_code_finds_every_sheet_under_it(self) -> None:
        sheet = CaseSheetFactory.create(published=True, main_cpv=CpvFactory(code="55524000-9"))
        CaseSheetFactory.create(
            published=True, main_cpv=CpvFactory(code="55300000-3", label_fr="Services de restaurant")
        )
        for code in ("555", "55500000", "5552", "55520000", "55524000-9"):
            assert [s.pk for s in search(f"cpv={code}").sheets] == [sheet.pk], code
        for code in ("55", "55000000", "55000000-0"):
            assert search(f"cpv={code}").total == 2, code
        assert search("cpv=45000000").total == 0

    def test_additional_codes_count_too(self) -> None:
        sheet = CaseSheetFactory.create(published=True, main_cpv=CpvFactory(code="90910000-9", label_fr="Nettoyage"))
        sheet.additional_cpvs.add(CpvFactory.create(code="55524000-9"))
        reindex_sheet(sheet)
        assert [s.pk for s in search("cpv=555").sheets] == [sheet.pk]
        assert [s.pk for s in search("cpv=909").sheets] == [sheet.pk]
        assert counts(search(), "cpv") == {"90": 1, "55": 1}


class TestVisibility:
    @pytest.fixture
    def members_only(self, personas: Personas) -> CaseSheet:
        CaseSheetFactory.create(published=True, network=personas.network, title="Cantine publique")
        return CaseSheetFactory.create(
            published=True,
            members_only=True,
            network=personas.network,
            title="Cantine interne",
            reserved_basis=ReservedBasis.L2113_12,
        )

    @pytest.mark.parametrize("persona", ["anonymous", "supplier", "other_animator"])
    def test_members_only_sheet_is_invisible_and_not_counted(
        self, personas: Personas, members_only: CaseSheet, persona: str
    ) -> None:
        networks = member_network_ids(personas.all()[persona])
        for query in ("", "q=cantine", "social=reserved", "reserved=L2113-12", "q=interne"):
            result = search(query, networks)
            assert members_only.pk not in {s.pk for s in result.sheets}, query
            assert "reserved" not in counts(result, "social"), query
            assert "L2113-12" not in counts(result, "reserved"), query
        assert search("", networks).total == 1
        assert counts(search("", networks), "network") == {personas.network.slug: 1}

    @pytest.mark.parametrize("persona", ["member", "facilitator", "animator", "site_admin"])
    def test_members_only_sheet_is_visible_to_the_network(
        self, personas: Personas, members_only: CaseSheet, persona: str
    ) -> None:
        networks = member_network_ids(personas.all()[persona])
        result = search("q=cantine", networks)
        assert members_only.pk in {s.pk for s in result.sheets}
        assert result.total == 2
        assert counts(search("", networks), "social") == {"insertion_clause": 2, "reserved": 1}

    def test_unpublished_sheets_are_never_found(self, personas: Personas) -> None:
        everyone = set(Network.objects.values_list("pk", flat=True))
        CaseSheetFactory.create(title="Cantine brouillon", network=personas.network)
        CaseSheetFactory.create(title="Cantine soumise", submitted=True, network=personas.network)
        archived = CaseSheetFactory.create(published=True, title="Cantine archivée", network=personas.network)
        archived.status = SheetStatus.ARCHIVED
        archived.save()
        reindex_sheet(archived)
        # Even a stale index row cannot bring back an unpublished sheet: visibility is checked on the sheet.
        stale = CaseSheetFactory.create(published=True, title="Cantine dépubliée", network=personas.network)
        CaseSheet.objects.filter(pk=stale.pk).update(status=SheetStatus.DRAFT)
        for query in ("", "q=cantine", "theme=restauration-collective"):
            assert search(query, everyone).total == 0, query


class TestExports:
    def test_rows_are_flat_and_follow_visibility(self, personas: Personas) -> None:
        CaseSheetFactory.create(published=True, network=personas.network, title='=HYPERLINK("x")')
        CaseSheetFactory.create(published=True, members_only=True, network=personas.network, title="Interne")
        total, sheets = sheets_for_export(SheetSearch(), set())
        rows = list(export_rows(sheets))
        assert total == 1
        assert [row["title"] for row in rows] == ['=HYPERLINK("x")']
        row = rows[0]
        assert row["main_cpv"] == "55524000-9"
        assert row["themes"] == "Restauration collective"
        assert row["has_insertion_clause"] is True
        assert all(not isinstance(value, list | dict) for value in row.values())
        total, sheets = sheets_for_export(SheetSearch(), member_network_ids(personas.member))
        assert total == 2
        assert len(list(export_rows(sheets))) == 2

    def test_limit(self) -> None:
        for _ in range(3):
            CaseSheetFactory.create(published=True)
        total, sheets = sheets_for_export(SheetSearch(), set(), limit=2)
        assert total == 3
        assert len(list(sheets)) == 2


def test_structure_facet_comes_from_supplier_stakeholders() -> None:
    sheet = CaseSheetFactory.create(published=True)
    assert counts(search(), "structure") == {StructureType.EI.value: 1}
    assert search("structure=ei").sheets[0].pk == sheet.pk
