"""Activity figures of one network, for its animators' dashboard and the annual activity report.

Each figure is computed by its own function with one aggregate query (two at most), whatever the size of the
network: no query per event, question or member. Figures "over the period" take the period as whole days in the
site's time zone (Europe/Paris), both ends included.

What each figure counts (the rule is stated once here, the page and the exports repeat it):
- members: organisations whose membership of the network is active today, by kind and by département; every
  membership (whatever its status) by status;
- events held: published (not cancelled, not draft) events of the network that started in the period and are over;
- participants: for each such event, the people marked present when the animator marked attendance, else the
  confirmed registrations;
- working groups active: groups created before the end of the period and not closed before its start;
- helpdesk: questions asked in the period; questions first answered in the period, and the median time of that
  first answer in working days (Monday to Friday except public holidays, as the helpdesk's target:
  relais.helpdesk.workdays);
- case sheets published: sheets of the network first published in the period (published_at);
- documents published: documents added to the network's library in the period.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.casesheets.enums import Visibility
from relais.casesheets.models import CaseSheet
from relais.documents.enums import DocumentKind
from relais.documents.models import Document
from relais.events.enums import EventKind, EventStatus, RegistrationStatus
from relais.events.models import Event
from relais.helpdesk.enums import QuestionCategory
from relais.helpdesk.models import Question
from relais.helpdesk.workdays import working_days_between
from relais.networks.enums import MembershipStatus
from relais.networks.models import Membership, Network
from relais.organisations.enums import BuyerCategory, OrganisationKind, SupportCategory
from relais.workgroups.models import WorkGroup

# Dates outside these years are typing mistakes (and would overflow the date arithmetic near year 1 or 9999).
FIRST_YEAR = 1990
LAST_YEAR = 2100
NOT_SET = "Non renseigné"
FIRST_ANSWER_UNIT = "jours ouvrés"


# ── Period ───────────────────────────────────────────────────────────────────────────────────────────────────────


class PeriodError(ValueError):
    """A period the dashboard cannot use; `field` names the faulty input ("du", "au" or "" for both)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> Period:
        """The twelve months ending today: from the day after the same date a year ago, to today."""
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(year_ago + dt.timedelta(days=1), today)

    @property
    def since(self) -> dt.datetime:
        """First instant of the period, in the site's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """First instant after the period (excluded bound)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def lookup(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lt": self.until})

    def label(self) -> str:
        return _("du %(start)s au %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}


def _parse_day(value: str, field_name: str, label: str) -> dt.date:
    """`label` names the date in messages ("La date de début")."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            _("%(date)s n'est pas valide : saisissez-la au format AAAA-MM-JJ, par exemple 2026-01-31.")
            % {"date": label},
            field_name,
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(
            _("%(date)s doit être comprise entre %(first)s et %(last)s.")
            % {"date": label, "first": FIRST_YEAR, "last": LAST_YEAR},
            field_name,
        )
    return day


def parse_period(du: str | None, au: str | None, today: dt.date) -> Period:
    """The period asked for by the `du` and `au` parameters (AAAA-MM-JJ); the last twelve months when both are
    empty; from `du` to today, or from a year before `au` to `au`, when only one is given."""
    du, au = (du or "").strip(), (au or "").strip()
    default = Period.last_twelve_months(today)
    start = _parse_day(du, "du", _("La date de début")) if du else None
    end = _parse_day(au, "au", _("La date de fin")) if au else None
    if start is None and end is None:
        return default
    if end is None:
        end = max(today, start) if start else today
    if start is None:
        start = Period.last_twelve_months(end).start
    if start > end:
        raise PeriodError(_("La date de début doit précéder la date de fin (ou lui être égale)."), "au")
    return Period(start, end)


# ── Figures ──────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal


@dataclass(frozen=True)
class Figure:
    """One chart of the dashboard and its data table: categories (`category_label`) and values (`value_label`)."""

    slug: str
    title: str
    category_label: str
    value_label: str
    bars: tuple[Bar, ...]
    note: str = ""
    unit: str = ""
    # Whether a total row makes sense (not for a median).
    summable: bool = True

    @property
    def total(self) -> int | Decimal:
        return sum((bar.value for bar in self.bars), start=0)

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _bars(counts: dict[str, int], labels: Iterable[tuple[str, Any]], *, keep_zeros: bool = False) -> tuple[Bar, ...]:
    """Bars in the order of `labels` (the order of the choices); unknown keys at the end, largest first."""
    known = dict(labels)
    bars = [Bar(str(label), counts.get(key, 0)) for key, label in known.items() if keep_zeros or counts.get(key)]
    extra = sorted(((value, key) for key, value in counts.items() if key not in known and value), reverse=True)
    bars += [Bar(key or NOT_SET, value) for value, key in extra]
    return tuple(bars)


def members_by_kind(network: Network) -> Figure:
    """Active member organisations by kind, buyers and support operators split by category."""
    rows = (
        Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
        .values("organisation__kind", "organisation__buyer_category", "organisation__support_category")
        .annotate(count=Count("id"))
        .order_by()
    )
    kinds = dict(OrganisationKind.choices)
    categories = {**dict(BuyerCategory.choices), **dict(SupportCategory.choices)}
    order = [str(label) for label in kinds.values()]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        kind = str(kinds.get(row["organisation__kind"], row["organisation__kind"]))
        category = row["organisation__buyer_category"] or row["organisation__support_category"]
        label = f"{kind} — {categories[category]}" if category in categories else kind
        counts[label] += row["count"]
    # Kinds in their usual order, categories alphabetically inside a kind.
    ordered = sorted(counts.items(), key=lambda item: (_kind_rank(item[0], order), item[0]))
    return Figure(
        slug="adherents-par-nature",
        title="Adhérents par nature",
        category_label="Nature (catégorie)",
        value_label="Organisations adhérentes",
        bars=tuple(Bar(label, value) for label, value in ordered),
        note="Organisations dont l'adhésion au réseau est active aujourd'hui.",
    )


def _kind_rank(label: str, order: list[str]) -> int:
    return next((index for index, kind in enumerate(order) if label.startswith(kind)), len(order))


def members_by_departement(network: Network) -> Figure:
    """Active member organisations by département (code and name)."""
    rows = (
        Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
        .values("organisation__departement__code", "organisation__departement__name")
        .annotate(count=Count("id"))
        .order_by("organisation__departement__code")
    )
    bars = []
    unset = 0
    for row in rows:
        code = row["organisation__departement__code"]
        if code is None:
            unset += row["count"]
        else:
            bars.append(Bar(f"{code} — {row['organisation__departement__name']}", row["count"]))
    if unset:
        bars.append(Bar(NOT_SET, unset))
    return Figure(
        slug="adherents-par-departement",
        title="Adhérents par département",
        category_label="Département",
        value_label="Organisations adhérentes",
        bars=tuple(bars),
        note="Organisations dont l'adhésion au réseau est active aujourd'hui, selon le département de leur siège.",
    )


def memberships_by_status(network: Network) -> Figure:
    """Every membership of the network by its status today."""
    counts = dict(
        Membership.objects.filter(network=network).values_list("status").annotate(count=Count("id")).order_by()
    )
    return Figure(
        slug="adhesions-par-statut",
        title="Adhésions par statut",
        category_label="Statut de l'adhésion",
        value_label="Adhésions",
        bars=_bars(counts, MembershipStatus.choices, keep_zeros=True),
        note="Toutes les adhésions enregistrées, selon leur statut aujourd'hui.",
    )


def _held_events(network: Network, period: Period, now: dt.datetime) -> list[tuple[str, int, int]]:
    """Kind, people marked present and confirmed registrations of each event held in the period (one query)."""
    rows = (
        Event.objects.filter(network=network, status=EventStatus.PUBLISHED, ends_at__lte=now)
        .filter(period.lookup("starts_at"))
        .annotate(
            attended=Count("registrations", filter=Q(registrations__attended=True)),
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        )
        .values_list("kind", "attended", "confirmed")
        .order_by()
    )
    return [(str(kind), int(attended), int(confirmed)) for kind, attended, confirmed in rows]


def events_held(network: Network, period: Period, now: dt.datetime | None = None) -> Figure:
    """Events held in the period, by kind."""
    counts: dict[str, int] = defaultdict(int)
    for kind, _attended, _confirmed in _held_events(network, period, now or timezone.now()):
        counts[kind] += 1
    return Figure(
        slug="evenements-tenus",
        title="Événements tenus",
        category_label="Type d'événement",
        value_label="Événements",
        bars=_bars(counts, EventKind.choices),
        note="Événements publiés du réseau, commencés pendant la période et terminés (les annulés ne comptent pas).",
    )


def event_participants(network: Network, period: Period, now: dt.datetime | None = None) -> Figure:
    """Participants of the events held in the period, by kind of event: the people marked present where the
    animator marked attendance, otherwise the confirmed registrations."""
    counts: dict[str, int] = defaultdict(int)
    for kind, attended, confirmed in _held_events(network, period, now or timezone.now()):
        counts[kind] += attended if attended else confirmed
    return Figure(
        slug="participants-aux-evenements",
        title="Participants aux événements",
        category_label="Type d'événement",
        value_label="Participants",
        bars=_bars(counts, EventKind.choices),
        note=(
            "Personnes marquées présentes lorsque l'animateur a fait l'appel, sinon inscriptions confirmées "
            "(événements tenus pendant la période)."
        ),
    )


def workgroups_active(network: Network, period: Period) -> Figure:
    """Working groups active during the period (created before its end, not closed before its start), by theme."""
    rows = (
        WorkGroup.objects.filter(network=network, created_at__lt=period.until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.since))
        .values("theme__label")
        .annotate(count=Count("id"))
        .order_by("theme__label")
    )
    return Figure(
        slug="groupes-de-travail-actifs",
        title="Groupes de travail actifs",
        category_label="Thème",
        value_label="Groupes de travail",
        bars=tuple(Bar(row["theme__label"] or NOT_SET, row["count"]) for row in rows),
        note="Groupes créés avant la fin de la période et non clos avant son début.",
    )


def helpdesk_questions(network: Network, period: Period) -> Figure:
    """Questions received in the period and questions first answered in the period."""
    counts = Question.objects.filter(network=network).aggregate(
        received=Count("id", filter=period.lookup("created_at")),
        answered=Count("id", filter=period.lookup("first_answered_at")),
    )
    return Figure(
        slug="questions-au-guichet",
        title="Questions au guichet",
        category_label="Questions",
        value_label="Nombre",
        bars=(Bar("Reçues", counts["received"]), Bar("Ayant reçu une première réponse", counts["answered"])),
        note="Questions posées pendant la période ; questions dont la première réponse date de la période.",
        summable=False,
    )


def helpdesk_questions_by_category(network: Network, period: Period) -> Figure:
    """Questions received in the period, by category."""
    counts = dict(
        Question.objects.filter(network=network)
        .filter(period.lookup("created_at"))
        .values_list("category")
        .annotate(count=Count("id"))
        .order_by()
    )
    return Figure(
        slug="questions-par-categorie",
        title="Questions reçues par catégorie",
        category_label="Catégorie",
        value_label="Questions reçues",
        bars=_bars(counts, QuestionCategory.choices),
    )


def median(values: list[int]) -> Decimal | None:
    """The median, rounded to one decimal place (the mean of the two middle values for an even count)."""
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"))


def first_answer_median(network: Network, period: Period) -> Figure:
    """Median first-answer time (working days) of the questions first answered in the period, by category."""
    rows = (
        Question.objects.filter(network=network)
        .filter(period.lookup("first_answered_at"))
        .values_list("category", "created_at", "first_answered_at")
    )
    by_category: dict[str, list[int]] = defaultdict(list)
    every: list[int] = []
    for category, asked, answered in rows:
        if answered is None:  # excluded by the filter; keeps the types honest
            continue
        delay = working_days_between(timezone.localdate(asked), timezone.localdate(answered))
        by_category[category].append(delay)
        every.append(delay)
    overall = median(every)
    bars = [Bar("Toutes catégories", overall if overall is not None else Decimal(0))] if every else []
    labels = dict(QuestionCategory.choices)
    for key, label in labels.items():
        value = median(by_category.get(key, []))
        if value is not None:
            bars.append(Bar(str(label), value))
    return Figure(
        slug="delai-median-de-premiere-reponse",
        title="Délai médian de première réponse",
        category_label="Catégorie",
        value_label=f"Délai médian ({FIRST_ANSWER_UNIT})",
        bars=tuple(bars),
        unit=FIRST_ANSWER_UNIT,
        note=(
            f"En {FIRST_ANSWER_UNIT} (du lundi au vendredi, jours fériés compris), de la question à sa première "
            f"réponse, pour les {len(every)} question(s) dont la première réponse date de la période."
        ),
        summable=False,
    )


def sheets_published(network: Network, period: Period) -> Figure:
    """Case sheets of the network first published in the period, by visibility."""
    counts = dict(
        CaseSheet.objects.filter(network=network)
        .filter(period.lookup("published_at"))
        .values_list("visibility")
        .annotate(count=Count("id"))
        .order_by()
    )
    return Figure(
        slug="fiches-publiees",
        title="Fiches retour d'expérience publiées",
        category_label="Visibilité",
        value_label="Fiches",
        bars=_bars(counts, Visibility.choices, keep_zeros=True),
        note="Fiches du réseau publiées pour la première fois pendant la période.",
    )


def documents_published(network: Network, period: Period) -> Figure:
    """Documents added to the network's library in the period, by type."""
    counts = dict(
        Document.objects.filter(network=network)
        .filter(period.lookup("created_at"))
        .values_list("kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    return Figure(
        slug="documents-publies",
        title="Documents publiés",
        category_label="Type de document",
        value_label="Documents",
        bars=_bars(counts, DocumentKind.choices),
        note=(
            "Documents ajoutés à la bibliothèque du réseau pendant la période (les nouvelles versions ne comptent pas)."
        ),
    )


# ── The whole report ─────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Section:
    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class ActivityReport:
    network: Network
    period: Period
    sections: tuple[Section, ...]
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]


def activity_report(network: Network, period: Period, now: dt.datetime | None = None) -> ActivityReport:
    """Every figure of the dashboard, grouped as on the page (about fifteen queries in all)."""
    now = now or timezone.now()
    return ActivityReport(
        network=network,
        period=period,
        generated_at=now,
        sections=(
            Section(
                "Adhérents (aujourd'hui)",
                (members_by_kind(network), members_by_departement(network), memberships_by_status(network)),
            ),
            Section("Événements", (events_held(network, period, now), event_participants(network, period, now))),
            Section("Groupes de travail", (workgroups_active(network, period),)),
            Section(
                "Guichet",
                (
                    helpdesk_questions(network, period),
                    helpdesk_questions_by_category(network, period),
                    first_answer_median(network, period),
                ),
            ),
            Section("Publications", (sheets_published(network, period), documents_published(network, period))),
        ),
    )
