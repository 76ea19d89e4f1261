"""The animators' activity dashboard: every figure on a small world, the period, the median, the page and exports.

The world: the personas' network over the year 2025 (the period of most tests), with things just before and after
the period, and in the other network, that must not count.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from relais.activity import dashboard
from relais.activity.dashboard import Bar, Figure, Period, PeriodError, parse_period, working_days_between
from relais.casesheets.models import CaseSheet
from relais.documents.enums import DocumentKind
from relais.documents.models import Document
from relais.events.enums import EventKind, RegistrationStatus
from relais.helpdesk.enums import QuestionCategory
from relais.helpdesk.models import Question
from relais.helpdesk.workdays import add_working_days
from relais.networks.enums import MembershipStatus
from relais.organisations.enums import BuyerCategory
from relais.web.charts import bar_chart, format_value
from relais.workgroups.models import WorkGroup

from ..conftest import Personas
from ..documents.factories import DocumentFactory
from ..events.factories import EventFactory, RegistrationFactory
from ..factories import (
    CaseSheetFactory,
    DepartementFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
)
from ..helpdesk.factories import QuestionFactory
from ..workgroups.factories import WorkGroupFactory

YEAR_2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
FORMULA_THEME = '=HYPERLINK("http://exemple.invalid")'


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@dataclass
class ActivityWorld:
    personas: Personas


def _event(personas: Personas, when: dt.datetime, **kwargs: object) -> object:
    return EventFactory.create(
        network=kwargs.pop("network", personas.network),
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
        created_by=personas.animator,
        **kwargs,
    )


def _registrations(event: object, confirmed: int, attended: int = 0, waiting: int = 0, cancelled: int = 0) -> None:
    for index in range(confirmed):
        RegistrationFactory.create(event=event, status=RegistrationStatus.CONFIRMED, attended=index < attended)
    for _ in range(waiting):
        RegistrationFactory.create(event=event, status=RegistrationStatus.WAITING)
    for _ in range(cancelled):
        RegistrationFactory.create(event=event, status=RegistrationStatus.CANCELLED)


def _question(personas: Personas, asked: dt.datetime, answered: dt.datetime | None, **kwargs: object) -> None:
    question = QuestionFactory.create(
        network=kwargs.pop("network", personas.network),
        organisation=personas.member.network_roles.get().organisation,
        asker=personas.member,
        due_on=asked.date(),
        first_answered_at=answered,
        **kwargs,
    )
    Question.objects.filter(pk=question.pk).update(created_at=asked)


def _group(personas: Personas, created: dt.datetime, closed: dt.datetime | None = None, **kwargs: object) -> None:
    traits = {"closed": True, "closed_at": closed} if closed else {}
    group = WorkGroupFactory.create(
        network=kwargs.pop("network", personas.network), animator=personas.animator, **traits, **kwargs
    )
    WorkGroup.objects.filter(pk=group.pk).update(created_at=created)


def _sheet(personas: Personas, published: dt.datetime, **kwargs: object) -> None:
    sheet = CaseSheetFactory.create(
        network=kwargs.pop("network", personas.network), author=personas.member, published=True, **kwargs
    )
    CaseSheet.objects.filter(pk=sheet.pk).update(published_at=published)


def _document(personas: Personas, created: dt.datetime, **kwargs: object) -> None:
    document = DocumentFactory.create(
        network=kwargs.pop("network", personas.network), created_by=personas.animator, **kwargs
    )
    Document.objects.filter(pk=document.pk).update(created_at=created)


def build_activity(personas: Personas) -> ActivityWorld:
    network, other = personas.network, personas.other_network
    # Members: Ville de Rennes (commune, no département) from the personas, plus these.
    loire = DepartementFactory(code="44", name="Loire-Atlantique")
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine")
    MembershipFactory(
        network=network, organisation=OrganisationFactory(buyer_category=BuyerCategory.EPCI, departement=loire)
    )
    MembershipFactory(
        network=network, organisation=OrganisationFactory(buyer_category=BuyerCategory.COMMUNE, departement=ille)
    )
    MembershipFactory(network=network, organisation=OrganisationFactory(supplier=True, departement=ille))
    MembershipFactory(network=network, status=MembershipStatus.PENDING, organisation=OrganisationFactory())
    MembershipFactory(network=network, status=MembershipStatus.ENDED, organisation=OrganisationFactory())
    MembershipFactory(network=other, organisation=OrganisationFactory(departement=loire))

    # Events: two held in 2025 (one with attendance marked), plus ones that must not count.
    webinar = _event(personas, at(2025, 3, 10, 9))
    _registrations(webinar, confirmed=3, attended=2, waiting=1)
    training = _event(personas, at(2025, 6, 2, 9), kind=EventKind.TRAINING)
    _registrations(training, confirmed=2, cancelled=1)
    _registrations(_event(personas, at(2025, 4, 1), cancelled=True), confirmed=4)
    _event(personas, at(2025, 5, 1), draft=True)
    _registrations(_event(personas, at(2024, 12, 31, 9)), confirmed=5)
    _registrations(_event(personas, at(2025, 7, 1), network=other), confirmed=6)

    # Working groups: active in 2025 when created before 2026 and not closed before 2025.
    theme = ThemeFactory(slug="formule", label=FORMULA_THEME)
    _group(personas, at(2024, 2, 1), title="Ouvert depuis 2024", theme=theme)
    _group(personas, at(2024, 2, 1), closed=at(2025, 3, 1), title="Clos pendant la période")
    _group(personas, at(2023, 2, 1), closed=at(2024, 6, 1), title="Clos avant la période")
    _group(personas, at(2026, 1, 5), title="Créé après la période")
    _group(personas, at(2024, 2, 1), title="Autre réseau", network=other)

    # Helpdesk: first-answer delays in working days 2 (Fri → Tue), 0 (same day), 5 (Mon → Mon), 7 (asked in 2024;
    # 25 December and 1 January are public holidays).
    _question(personas, at(2025, 1, 3), at(2025, 1, 7))
    _question(personas, at(2025, 2, 3, 9), at(2025, 2, 3, 17), category=QuestionCategory.LEGAL)
    _question(personas, at(2025, 3, 3), at(2025, 3, 10))
    _question(personas, at(2025, 12, 30), None)
    _question(personas, at(2024, 12, 20), at(2025, 1, 2))
    _question(personas, at(2025, 12, 29), at(2026, 1, 2))  # received in 2025, answered after
    _question(personas, at(2025, 2, 3), at(2025, 2, 4), network=other)

    # Publications.
    _sheet(personas, at(2025, 4, 1))
    _sheet(personas, at(2025, 9, 1), members_only=True)
    _sheet(personas, at(2024, 11, 1))
    _sheet(personas, at(2025, 9, 1), network=other)
    _document(personas, at(2025, 2, 1))
    _document(personas, at(2025, 10, 1), kind=DocumentKind.CLAUSE_MODEL)
    _document(personas, at(2024, 10, 1))
    _document(personas, at(2025, 10, 1), network=other)
    return ActivityWorld(personas)


@pytest.fixture
def world(personas: Personas) -> ActivityWorld:
    return build_activity(personas)


def values(figure: Figure) -> dict[str, int | Decimal]:
    return {bar.label: bar.value for bar in figure.bars}


NOW = at(2026, 11, 1)


# ── Figures ──────────────────────────────────────────────────────────────────────────────────────────────────────


def test_members_figures(world: ActivityWorld) -> None:
    network = world.personas.network
    assert values(dashboard.members_by_kind(network)) == {
        "Acheteur public — Commune": 2,
        "Acheteur public — EPCI (intercommunalité)": 1,
        "Structure de l'ESS (fournisseur)": 1,
    }
    assert values(dashboard.members_by_departement(network)) == {
        "35 — Ille-et-Vilaine": 2,
        "44 — Loire-Atlantique": 1,
        "Non renseigné": 1,
    }
    assert values(dashboard.memberships_by_status(network)) == {
        "Adhésion en cours": 1,
        "Adhérent": 4,
        "Suspendue": 0,
        "Terminée": 1,
    }


def test_events_and_participants(world: ActivityWorld) -> None:
    network = world.personas.network
    assert values(dashboard.events_held(network, YEAR_2025, NOW)) == {
        "Webmatinale (webinaire)": 1,
        "Formation": 1,
    }
    # Attendance marked at the webinar (2 present of 3 confirmed); not at the training (2 confirmed).
    assert values(dashboard.event_participants(network, YEAR_2025, NOW)) == {
        "Webmatinale (webinaire)": 2,
        "Formation": 2,
    }


def test_events_not_over_are_not_held(world: ActivityWorld) -> None:
    network = world.personas.network
    assert dashboard.events_held(network, YEAR_2025, at(2025, 6, 2, 10)).total == 1  # the training is running


def test_workgroups_active(world: ActivityWorld) -> None:
    figure = dashboard.workgroups_active(world.personas.network, YEAR_2025)
    assert figure.total == 2
    assert values(figure) == {FORMULA_THEME: 1, "Restauration collective": 1}


def test_helpdesk_figures(world: ActivityWorld) -> None:
    network = world.personas.network
    assert values(dashboard.helpdesk_questions(network, YEAR_2025)) == {
        "Reçues": 5,
        "Ayant reçu une première réponse": 4,
    }
    assert values(dashboard.helpdesk_questions_by_category(network, YEAR_2025)) == {
        "Juridique": 1,
        "Clauses sociales": 4,
    }
    median = dashboard.first_answer_median(network, YEAR_2025)
    # Delays 0, 2, 5, 7: an even count, the median is the mean of 2 and 5.
    assert values(median) == {
        "Toutes catégories": Decimal("3.5"),
        "Juridique": Decimal("0.0"),
        "Clauses sociales": Decimal("5.0"),
    }
    assert median.unit == "jours ouvrés"


def test_median_with_an_odd_count(world: ActivityWorld) -> None:
    # The first half of 2025: delays 2 (3 January), 0 (3 February), 5 (10 March), 7 (2 January) → 2, 0, 5, 7;
    # January only: 2 and 7 → 4.5; January to 5 February: 7, 2, 0 → 2.
    network = world.personas.network
    january = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert values(dashboard.first_answer_median(network, january))["Toutes catégories"] == Decimal("4.5")
    three = Period(dt.date(2025, 1, 1), dt.date(2025, 2, 5))
    assert values(dashboard.first_answer_median(network, three))["Toutes catégories"] == Decimal("2.0")
    assert dashboard.median([]) is None
    assert dashboard.median([7]) == Decimal("7.0")
    assert dashboard.median([1, 10, 2]) == Decimal("2.0")
    assert dashboard.median([1, 2, 4, 10]) == Decimal("3.0")


def test_publications(world: ActivityWorld) -> None:
    network = world.personas.network
    assert values(dashboard.sheets_published(network, YEAR_2025)) == {
        "Publique": 1,
        "Réservée aux adhérents du réseau": 1,
    }
    assert values(dashboard.documents_published(network, YEAR_2025)) == {"Guide": 1, "Modèle de clause": 1}


def test_period_bounds_are_whole_local_days(world: ActivityWorld) -> None:
    network = world.personas.network
    # The webinar of 10 March 2025 at 9:00 Paris time: inside a one-day period of that day, outside the day before.
    day = Period(dt.date(2025, 3, 10), dt.date(2025, 3, 10))
    assert dashboard.events_held(network, day, NOW).total == 1
    day_before = Period(dt.date(2025, 3, 9), dt.date(2025, 3, 9))
    assert dashboard.events_held(network, day_before, NOW).total == 0


def test_report_queries_do_not_grow_with_data(
    world: ActivityWorld, django_assert_max_num_queries: object, personas: Personas
) -> None:
    network = personas.network
    for _ in range(5):
        _registrations(_event(personas, at(2025, 8, 1, 9)), confirmed=2, attended=1)
        _question(personas, at(2025, 8, 4), at(2025, 8, 6))
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        report = dashboard.activity_report(network, YEAR_2025, NOW)
        assert len(report.figures) == 11


# ── Period and working days ──────────────────────────────────────────────────────────────────────────────────────


def test_default_period_is_the_last_twelve_months() -> None:
    assert parse_period(None, None, dt.date(2026, 11, 22)) == Period(dt.date(2025, 11, 23), dt.date(2026, 11, 22))
    assert parse_period("", " ", dt.date(2028, 2, 29)) == Period(dt.date(2027, 3, 1), dt.date(2028, 2, 29))


def test_period_with_one_end() -> None:
    today = dt.date(2026, 11, 22)
    assert parse_period("2026-01-01", "", today) == Period(dt.date(2026, 1, 1), today)
    assert parse_period("", "2025-12-31", today) == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("du", "au", "field", "message"),
    [
        ("2025-13-01", "", "du", "La date de début n'est pas valide"),
        ("01/02/2025", "", "du", "AAAA-MM-JJ"),
        ("2025-01-01", "demain", "au", "La date de fin n'est pas valide"),
        ("2025-06-01", "2025-05-31", "au", "La date de début doit précéder la date de fin"),
        ("0001-01-01", "9999-12-31", "du", "comprise entre 1990 et 2100"),
    ],
)
def test_bad_periods_are_refused_in_french(du: str, au: str, field: str, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(du, au, dt.date(2026, 11, 22))
    assert raised.value.field == field
    assert message in raised.value.message


def test_working_days_between_is_the_inverse_of_the_helpdesk_target() -> None:
    friday = dt.date(2025, 1, 3)
    assert working_days_between(friday, dt.date(2025, 1, 7)) == 2
    assert working_days_between(friday, friday) == 0
    assert working_days_between(dt.date(2025, 1, 4), dt.date(2025, 1, 6)) == 1  # Saturday → Monday
    for offset in range(14):
        start = friday + dt.timedelta(days=offset)
        for days in range(0, 25):
            assert working_days_between(start, add_working_days(start, days)) == days


# ── Chart ────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_chart_geometry_and_label() -> None:
    figure = Figure("f", "Événements tenus", "Type", "Nombre", (Bar("Formation", 4), Bar("Webmatinale", 2)))
    chart = bar_chart(figure)
    assert [bar.width for bar in chart.bars] == [chart.width - 280 - 70 - 16, (chart.width - 280 - 70 - 16) // 2]
    assert chart.aria_label.startswith("Événements tenus. Formation : 4 ; Webmatinale : 2.")
    assert format_value(Decimal("3.5")) == "3,5"
    assert format_value(12345) == "12\u202f345"


# ── Page and exports ─────────────────────────────────────────────────────────────────────────────────────────────


def _animator(world: ActivityWorld) -> Client:
    client = Client()
    client.force_login(world.personas.animator)
    return client


def _url(world: ActivityWorld, name: str) -> str:
    return reverse(name, kwargs={"slug": world.personas.network.slug})


def test_dashboard_page_shows_charts_with_their_tables(world: ActivityWorld) -> None:
    response = _animator(world).get(_url(world, "web:activity_dashboard"), {"du": "2025-01-01", "au": "2025-12-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('role="img"') == 11
    assert body.count("<caption>") == 11
    assert 'aria-label="Participants aux événements. Webmatinale (webinaire) : 2 ; Formation : 2.' in body
    assert "jours ouvrés" in body
    assert "du 01/01/2025 au 31/12/2025" in body
    assert "3,5" in body  # the median, written the French way
    assert "?du=2025-01-01&amp;au=2025-12-31" in body  # exports keep the period


def test_default_period_on_the_page(world: ActivityWorld) -> None:
    response = _animator(world).get(_url(world, "web:activity_dashboard"))
    assert response.status_code == 200
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"du": "2025-02-30"}, "La date de début n'est pas valide"),
        ({"du": "2025-06-01", "au": "2025-01-01"}, "La date de début doit précéder la date de fin"),
    ],
)
@pytest.mark.parametrize("name", ["web:activity_dashboard", "web:activity_export_csv", "web:activity_export_xlsx"])
def test_bad_period_gives_a_french_message(
    world: ActivityWorld, name: str, query: dict[str, str], message: str
) -> None:
    response = _animator(world).get(_url(world, name), query)
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert message in body
    assert 'aria-describedby="period-' in body
    assert "fr-input--error" in body


def test_csv_export_holds_every_figure(world: ActivityWorld) -> None:
    response = _animator(world).get(_url(world, "web:activity_export_csv"), {"du": "2025-01-01", "au": "2025-12-31"})
    assert response.status_code == 200
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    assert response["Content-Disposition"] == (
        f'attachment; filename="activite-{world.personas.network.slug}-20250101-20251231.csv"'
    )
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Réseau", "Du", "Au", "Indicateur", "Catégorie", "Valeur", "Unité"]
    table = {(row[3], row[4]): row[5] for row in rows[1:]}
    assert table[("Événements tenus", "Formation")] == "1"
    assert table[("Participants aux événements", "Webmatinale (webinaire)")] == "2"
    assert table[("Questions au guichet", "Reçues")] == "5"
    assert table[("Délai médian de première réponse", "Toutes catégories")] == "3,5"
    assert table[("Fiches retour d'expérience publiées", "Publique")] == "1"
    assert table[("Documents publiés", "Modèle de clause")] == "1"
    assert table[("Adhérents par département", "44 — Loire-Atlantique")] == "1"
    # A theme label that looks like a formula stays text.
    assert table[("Groupes de travail actifs", "'" + FORMULA_THEME)] == "1"
    assert {row[1] for row in rows[1:]} == {"2025-01-01"}
    assert len({row[3] for row in rows[1:]}) == 11


def test_xlsx_export_has_a_sheet_per_figure(world: ActivityWorld) -> None:
    response = _animator(world).get(_url(world, "web:activity_export_xlsx"), {"du": "2025-01-01", "au": "2025-12-31"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Indicateurs"
    assert workbook.sheetnames[-1] == "À lire"
    assert len(workbook.sheetnames) == 13
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    events = list(workbook["Événements tenus"].iter_rows(values_only=True))
    assert events == [
        ("Type d'événement", "Événements"),
        ("Webmatinale (webinaire)", 1),
        ("Formation", 1),
        ("Total", 2),
    ]
    long_table = list(workbook["Indicateurs"].iter_rows(values_only=True))
    assert ("Délai médian de première réponse", "Toutes catégories", 3.5, "jours ouvrés") in [
        row[3:] for row in long_table
    ]


def test_dashboard_is_linked_from_my_space(world: ActivityWorld) -> None:
    body = _animator(world).get(reverse("web:dashboard")).content.decode()
    assert _url(world, "web:activity_dashboard") in body
    member = Client()
    member.force_login(world.personas.member)
    assert _url(world, "web:activity_dashboard") not in member.get(reverse("web:dashboard")).content.decode()
