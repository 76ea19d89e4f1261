"""Factories of the events area, with named traits."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from relais.events.enums import EventAudience, EventKind, EventStatus, RegistrationStatus
from relais.events.models import Event, Registration

from ..factories import NetworkFactory, UserFactory


def in_days(days: float, hour: int = 9) -> dt.datetime:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event

    network = factory.SubFactory(NetworkFactory)
    kind = EventKind.WEBINAR
    title = factory.Sequence(lambda n: f"Webmatinale n°{n} : les clauses d'insertion")
    description = "Une heure pour partager les pratiques des adhérents."
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    online_url = "https://visio.exemple.fr/webmatinale"
    capacity = 20
    audience = EventAudience.PUBLIC
    status = EventStatus.PUBLISHED
    created_by = factory.SubFactory(UserFactory)

    class Params:
        members_only = factory.Trait(audience=EventAudience.MEMBERS)
        draft = factory.Trait(status=EventStatus.DRAFT)
        cancelled = factory.Trait(status=EventStatus.CANCELLED)
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: in_days(-3)),
        )
        market = factory.Trait(kind=EventKind.MARKET_ENGAGEMENT)


class RegistrationFactory(DjangoModelFactory[Registration]):
    """A bare registration row (tests of places use the services instead)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.CONFIRMED
