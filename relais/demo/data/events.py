"""Demo events of the Réseau Grand Ouest and of the national network: upcoming webmatinale (nearly full, with a
waiting list), a two-day training, a market-engagement meeting open to suppliers, a members-only general assembly,
and a past awareness day with attendance, satisfaction answers.

Idempotent: an event is looked up by (network, title) and only created when missing. Dates are relative to the
day of the first load, so that the demo always has upcoming and past events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from relais.accounts.models import User
from relais.events.enums import EventAudience, EventKind, EventStatus, RegistrationStatus
from relais.events.models import Event, Feedback, Registration
from relais.events.services import event_register
from relais.networks.models import Network
from relais.organisations.models import Organisation

from .accounts import ANIMATOR_EMAIL, FACILITATOR_EMAIL, MEMBER_EMAIL, NATIONAL_ANIMATOR_EMAIL, SUPPLIER_EMAIL
from .directory import NATIONAL, RGO


@dataclass(frozen=True)
class EventSpec:
    network: str
    animator: str
    kind: str
    title: str
    description: str
    days_from_now: int
    start: dt.time
    duration: dt.timedelta
    capacity: int
    audience: str
    venue: str = ""
    online_url: str = ""
    participants: tuple[str, ...] = ()


EVENTS = (
    EventSpec(
        network=RGO,
        animator=ANIMATOR_EMAIL,
        kind=EventKind.WEBINAR,
        title="Webmatinale : réussir sa première clause d'insertion",
        description=(
            "Une heure pour comprendre le calcul des heures d'insertion (montant HT × part de main-d'œuvre × taux "
            "÷ coût horaire), le rôle du facilitateur et le suivi mensuel des heures. Témoignage du Département "
            "d'Ille-et-Vilaine."
        ),
        days_from_now=12,
        start=dt.time(9, 0),
        duration=dt.timedelta(hours=1, minutes=30),
        capacity=2,
        audience=EventAudience.PUBLIC,
        online_url="https://visio.exemple.fr/rgo-webmatinale-insertion",
        participants=(MEMBER_EMAIL, FACILITATOR_EMAIL),
    ),
    EventSpec(
        network=RGO,
        animator=ANIMATOR_EMAIL,
        kind=EventKind.TRAINING,
        title="Formation : critères environnementaux et loi Climat et résilience",
        description=(
            "Deux jours pour préparer l'échéance du 21 août 2026 : condition d'exécution environnementale dans "
            "chaque marché, critère d'attribution environnemental, labels et équivalences."
        ),
        days_from_now=30,
        start=dt.time(9, 30),
        duration=dt.timedelta(days=1, hours=7, minutes=30),
        capacity=20,
        audience=EventAudience.MEMBERS,
        venue="Maison de l'emploi Loire Estuaire, 2 rue de la Loire, Nantes",
        participants=(MEMBER_EMAIL,),
    ),
    EventSpec(
        network=RGO,
        animator=ANIMATOR_EMAIL,
        kind=EventKind.MARKET_ENGAGEMENT,
        title="Rencontre acheteurs-fournisseurs : entretien des espaces verts",
        description=(
            "Les acheteurs du réseau présentent leurs besoins à venir ; les structures d'insertion et ESAT du "
            "territoire présentent leurs savoir-faire. Sourçage en petits groupes."
        ),
        days_from_now=45,
        start=dt.time(14, 0),
        duration=dt.timedelta(hours=3),
        capacity=40,
        audience=EventAudience.MEMBERS,
        venue="Hôtel de Rennes Métropole, 4 avenue Henri Fréville, Rennes",
        participants=(MEMBER_EMAIL, SUPPLIER_EMAIL),
    ),
    EventSpec(
        network=NATIONAL,
        animator=NATIONAL_ANIMATOR_EMAIL,
        kind=EventKind.GENERAL_ASSEMBLY,
        title="Assemblée générale annuelle",
        description="Rapport d'activité, comptes, élection du bureau, programme des groupes de travail.",
        days_from_now=60,
        start=dt.time(10, 0),
        duration=dt.timedelta(hours=4),
        capacity=120,
        audience=EventAudience.MEMBERS,
        venue="Paris, lieu communiqué aux adhérents",
        online_url="https://visio.exemple.fr/ag-reseau-national",
        participants=(MEMBER_EMAIL,),
    ),
)

PAST_EVENT = EventSpec(
    network=RGO,
    animator=ANIMATOR_EMAIL,
    kind=EventKind.AWARENESS_DAY,
    title="Journée de sensibilisation : le commerce équitable dans les achats publics",
    description="Retours d'expérience d'un territoire de commerce équitable : café, textile, chocolat.",
    days_from_now=-20,
    start=dt.time(9, 30),
    duration=dt.timedelta(hours=6),
    capacity=50,
    audience=EventAudience.PUBLIC,
    venue="Angers, salle du Conseil",
    participants=(MEMBER_EMAIL, FACILITATOR_EMAIL),
)


def _starts_at(spec: EventSpec) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=spec.days_from_now)
    return timezone.make_aware(dt.datetime.combine(day, spec.start))


def _event(spec: EventSpec, network: Network, animator: User) -> tuple[Event, bool]:
    existing = Event.objects.filter(network=network, title=spec.title).first()
    if existing is not None:
        return existing, False
    starts_at = _starts_at(spec)
    event = Event.objects.create(
        network=network,
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        starts_at=starts_at,
        ends_at=starts_at + spec.duration,
        venue=spec.venue,
        online_url=spec.online_url,
        capacity=spec.capacity,
        audience=spec.audience,
        status=EventStatus.PUBLISHED,
        created_by=animator,
    )
    return event, True


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the demo events missing from the database; returns how many were created."""
    created = 0
    for spec in EVENTS:
        event, new = _event(spec, networks[spec.network], users[spec.animator])
        created += new
        if new:
            # Through the service, so that places, waiting list and confirmation e-mails are those of real use.
            for email in spec.participants:
                event_register(event=event, user=users[email])
    past, new = _event(PAST_EVENT, networks[PAST_EVENT.network], users[PAST_EVENT.animator])
    created += new
    if new:
        # Registration is closed once an event has started: the past day's history is written directly.
        for rating, email in zip((5, 4), PAST_EVENT.participants, strict=True):
            registration = Registration.objects.create(
                event=past, user=users[email], status=RegistrationStatus.CONFIRMED, attended=True
            )
            Feedback.objects.create(registration=registration, rating=rating, comment="Des exemples très concrets.")
        Event.objects.filter(pk=past.pk).update(confirmed_count=len(PAST_EVENT.participants))
    return created
