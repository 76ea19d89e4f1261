"""Demo working groups of the Réseau Grand Ouest: one closed with its synthesis guide, one running, one open.

Created through the real services (status transitions, participants, meetings, deliverables), looked up by title
within their network so that a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from relais.accounts.models import User
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.reference.models import Theme
from relais.workgroups import queries, services
from relais.workgroups.enums import Publication, WorkGroupStatus
from relais.workgroups.models import WorkGroup

from .accounts import ANIMATOR_EMAIL, FACILITATOR_EMAIL, MEMBER_EMAIL
from .directory import RGO


@dataclass(frozen=True)
class MeetingSpec:
    days_from_now: int
    venue: str = ""
    online_url: str = ""
    agenda: str = ""
    minutes: str = ""


@dataclass(frozen=True)
class WorkGroupSpec:
    title: str
    theme: str
    co_pilot: str
    status: str
    description: str
    participants: tuple[str, ...] = ()
    meetings: tuple[MeetingSpec, ...] = ()
    guide: tuple[str, str, str] | None = None  # title, summary, recommendations (one per line)
    guide_publication: str = Publication.PUBLIC


WORKGROUPS = (
    WorkGroupSpec(
        title="Textiles et vêtements de travail équitables",
        theme="textile-vetements-travail",
        co_pilot="cd35",
        status=WorkGroupStatus.CLOSED,
        description=(
            "Partager les pratiques d'achat de vêtements de travail issus du commerce équitable (coton équitable, "
            "audits sociaux le long de la chaîne d'approvisionnement) et préparer un groupement de commandes."
        ),
        participants=(MEMBER_EMAIL, FACILITATOR_EMAIL),
        meetings=(
            MeetingSpec(
                -420,
                venue="Hôtel du Département, Rennes",
                agenda="1. Tour de table des marchés en cours\n2. Labels et équivalences\n3. Calendrier",
                minutes="Six collectivités achètent des vêtements de travail ; deux exigent déjà un label équitable.",
            ),
            MeetingSpec(
                -300,
                online_url="https://visio.exemple.fr/rgo-textiles",
                agenda="Relecture du projet de guide",
                minutes="Le guide est validé sous réserve d'ajouter un modèle de critère d'attribution.",
            ),
        ),
        guide=(
            "Guide : acheter des vêtements de travail équitables",
            "Synthèse des travaux du groupe (2025) : sourçage, labels, critères et suivi d'exécution.",
            "Allotir par famille de produits pour ouvrir le marché aux petites structures.\n"
            "Exiger un label de commerce équitable ou tout moyen de preuve équivalent.\n"
            "Prévoir une clause d'audit social de la chaîne d'approvisionnement.",
        ),
    ),
    WorkGroupSpec(
        title="Clauses sociales dans les marchés de propreté",
        theme="proprete-nettoyage",
        co_pilot="nantes",
        status=WorkGroupStatus.RUNNING,
        description=(
            "Calibrer les clauses d'insertion des marchés de nettoyage des locaux avec les facilitateurs, et "
            "suivre les heures réalisées."
        ),
        participants=(FACILITATOR_EMAIL,),
        meetings=(
            MeetingSpec(
                21,
                online_url="https://visio.exemple.fr/rgo-proprete",
                agenda="1. Retours des facilitateurs\n2. Taux d'insertion selon les lots",
            ),
        ),
    ),
    WorkGroupSpec(
        title="Restauration collective durable",
        theme="restauration-collective",
        co_pilot="cd35",
        status=WorkGroupStatus.OPEN,
        description=(
            "Atteindre les objectifs de produits durables et de qualité dans la restauration scolaire, avec des "
            "légumeries d'insertion et des producteurs locaux."
        ),
    ),
)


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the missing demo working groups; returns how many were created."""
    network = networks[RGO]
    animator = users[ANIMATOR_EMAIL]
    eligible = set(queries.eligible_co_pilots(network).values_list("pk", flat=True))
    created = 0
    for spec in WORKGROUPS:
        if WorkGroup.objects.filter(network=network, title=spec.title).exists():
            continue
        co_pilot = organisations[spec.co_pilot]
        if co_pilot.pk not in eligible:
            continue  # the directory changed: a group needs a member organisation as co-pilot
        group = services.workgroup_create(
            network=network,
            by=animator,
            title=spec.title,
            theme=Theme.objects.get(slug=spec.theme),
            description=spec.description,
            co_pilot=co_pilot,
            animator=animator,
        )
        for email in spec.participants:
            services.workgroup_add_participant(group=group, user=users[email], by=animator)
        for meeting_spec in spec.meetings:
            meeting = services.meeting_create(
                group=group,
                by=animator,
                starts_at=timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
                + dt.timedelta(days=meeting_spec.days_from_now),
                online_url=meeting_spec.online_url,
                venue=meeting_spec.venue,
                agenda=meeting_spec.agenda,
            )
            if meeting_spec.minutes:
                services.meeting_update(
                    meeting=meeting, by=animator, agenda=meeting_spec.agenda, minutes=meeting_spec.minutes
                )
        if spec.status in (WorkGroupStatus.RUNNING, WorkGroupStatus.CLOSED):
            services.workgroup_set_status(group=group, to=WorkGroupStatus.RUNNING, by=animator)
        if spec.status == WorkGroupStatus.CLOSED:
            services.workgroup_set_status(group=group, to=WorkGroupStatus.CLOSED, by=animator)
        if spec.guide:
            title, summary, recommendations = spec.guide
            services.deliverable_publish(
                group=group,
                by=animator,
                title=title,
                summary=summary,
                recommendations=recommendations,
                publication=spec.guide_publication,
                published_on=timezone.localdate() - dt.timedelta(days=200),
            )
        created += 1
    return created
