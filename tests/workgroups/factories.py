"""Factories of working groups, with named traits for their status."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from relais.workgroups.enums import Publication, WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable, WorkGroupParticipant

from ..factories import NetworkFactory, OrganisationFactory, ThemeFactory, UserFactory


class WorkGroupFactory(DjangoModelFactory[WorkGroup]):
    class Meta:
        model = WorkGroup

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Groupe de travail textiles responsables n°{n}")
    theme = factory.SubFactory(ThemeFactory)
    description = "Partager les pratiques d'achat de vêtements de travail issus du commerce équitable."
    co_pilot = factory.SubFactory(OrganisationFactory)
    animator = factory.SubFactory(UserFactory)
    status = WorkGroupStatus.OPEN

    class Params:
        running = factory.Trait(status=WorkGroupStatus.RUNNING, started_at=factory.LazyFunction(timezone.now))
        closed = factory.Trait(
            status=WorkGroupStatus.CLOSED,
            started_at=factory.LazyFunction(timezone.now),
            closed_at=factory.LazyFunction(timezone.now),
        )


class ParticipantFactory(DjangoModelFactory[WorkGroupParticipant]):
    class Meta:
        model = WorkGroupParticipant

    group = factory.SubFactory(WorkGroupFactory)
    user = factory.SubFactory(UserFactory)


class MeetingFactory(DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkGroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    online_url = "https://visio.exemple.fr/gt-textiles"
    agenda = "1. Tour de table\n2. Retours sur les marchés de vêtements de travail"


class DeliverableFactory(DjangoModelFactory[WorkGroupDeliverable]):
    class Meta:
        model = WorkGroupDeliverable

    group = factory.SubFactory(WorkGroupFactory, closed=True)
    title = factory.Sequence(lambda n: f"Guide de préconisations n°{n}")
    summary = "Synthèse des travaux du groupe."
    recommendations = "Exiger un label équitable ou équivalent.\nAllotir par famille de produits."
    publication = Publication.MEMBERS
    published_on = factory.LazyFunction(timezone.localdate)

    class Params:
        public = factory.Trait(publication=Publication.PUBLIC)
