"""Places, waiting list, promotion, e-mails and reminders, through the services."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.events import services
from relais.events.enums import EventStatus, RegistrationStatus
from relais.events.models import Event, Feedback, Registration

from ..conftest import Personas
from .factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


def _statuses(event: Event) -> dict[str, str]:
    return {r.user.email: r.status for r in Registration.objects.filter(event=event).select_related("user")}


def test_capacity_is_never_exceeded_and_the_rest_wait(
    personas: Personas, make_member: Callable[[], User], django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory.create(network=personas.network, capacity=2)
    people = [make_member() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.event_register(event=event, user=person) for person in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting", "waiting"]
    event.refresh_from_db()
    assert event.confirmed_count == 2
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 2
    assert [services.waiting_position(r) for r in registrations[2:]] == [1, 2]
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count(f"[Relais] Inscription confirmée : {event.title}") == 2
    assert subjects.count(f"[Relais] Liste d'attente : {event.title}") == 2
    assert "position 2" in mail.outbox[3].body


def test_registering_twice_changes_nothing(personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, capacity=5)
    first = services.event_register(event=event, user=personas.member)
    again = services.event_register(event=event, user=personas.member)
    assert first.pk == again.pk
    event.refresh_from_db()
    assert event.confirmed_count == 1


def test_cancelling_promotes_the_first_waiting_person_and_emails_them(
    personas: Personas, make_member: Callable[[], User], django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    first, second, third = make_member(), make_member(), make_member()
    for person in (first, second, third):
        services.event_register(event=event, user=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_unregister(event=event, user=first)
    assert _statuses(event) == {first.email: "cancelled", second.email: "confirmed", third.email: "waiting"}
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [second.email]
    assert "Une place s'est libérée" in mail.outbox[0].body
    assert services.waiting_position(Registration.objects.get(event=event, user=third)) == 1


def test_cancelling_a_waiting_place_promotes_nobody(personas: Personas, make_member: Callable[[], User]) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    first, second = make_member(), make_member()
    services.event_register(event=event, user=first)
    services.event_register(event=event, user=second)
    services.event_unregister(event=event, user=second)
    assert _statuses(event) == {first.email: "confirmed", second.email: "cancelled"}


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue(
    personas: Personas, make_member: Callable[[], User]
) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    first, second = make_member(), make_member()
    services.event_register(event=event, user=first)
    services.event_register(event=event, user=second)
    services.event_unregister(event=event, user=first)  # second is promoted
    again = services.event_register(event=event, user=first)
    assert again.status == RegistrationStatus.WAITING
    assert Registration.objects.filter(event=event, user=first).count() == 1


def test_raising_capacity_promotes_the_waiting_list(personas: Personas, make_member: Callable[[], User]) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    people = [make_member() for _ in range(3)]
    for person in people:
        services.event_register(event=event, user=person)
    event.capacity = 2
    services.event_save(event=event, by=personas.animator)
    assert list(_statuses(event).values()) == ["confirmed", "confirmed", "waiting"]


def test_capacity_cannot_drop_below_confirmed_places(personas: Personas, make_member: Callable[[], User]) -> None:
    event = EventFactory.create(network=personas.network, capacity=2)
    services.event_register(event=event, user=make_member())
    services.event_register(event=event, user=make_member())
    event.capacity = 1
    with pytest.raises(services.EventError, match="2 personnes ont une place confirmée"):
        services.event_save(event=event, by=personas.animator)
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_the_database_refuses_more_confirmed_places_than_capacity(personas: Personas) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(confirmed_count=2)


def test_registration_is_closed_for_started_draft_or_cancelled_events(personas: Personas) -> None:
    for event in (
        EventFactory.create(network=personas.network, past=True),
        EventFactory.create(network=personas.network, draft=True),
        EventFactory.create(network=personas.network, cancelled=True),
    ):
        with pytest.raises(services.EventError, match="closes"):
            services.event_register(event=event, user=personas.member)
        assert not Registration.objects.filter(event=event).exists()


def test_cancelling_the_event_tells_registered_people(
    personas: Personas, make_member: Callable[[], User], django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory.create(network=personas.network, capacity=1)
    services.event_register(event=event, user=make_member())
    services.event_register(event=event, user=make_member())
    event.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(event=event, by=personas.animator)
    assert [m.subject for m in mail.outbox] == [f"[Relais] Événement annulé : {event.title}"] * 2


def test_reminders_are_sent_once_the_day_before(
    personas: Personas, make_member: Callable[[], User], django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = EventFactory.create(network=personas.network, starts_at=timezone.now() + dt.timedelta(hours=20))
    next_week = EventFactory.create(network=personas.network, starts_at=in_days(7))
    cancelled_one = EventFactory.create(network=personas.network, starts_at=timezone.now() + dt.timedelta(hours=10))
    coming, waiting, later = make_member(), make_member(), make_member()
    services.event_register(event=tomorrow, user=coming)
    services.event_register(event=next_week, user=later)
    services.event_register(event=cancelled_one, user=later)
    Event.objects.filter(pk=cancelled_one.pk).update(status=EventStatus.CANCELLED)
    Event.objects.filter(pk=tomorrow.pk).update(capacity=1)
    services.event_register(event=tomorrow, user=waiting)  # on the waiting list: no reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_send_reminders() == 1
    assert [m.to for m in mail.outbox] == [[coming.email]]
    assert mail.outbox[0].subject == f"[Relais] Rappel : {tomorrow.title}"
    assert Registration.objects.get(event=tomorrow, user=coming).reminder_sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # idempotent: nothing sent twice


def test_attendance_and_one_feedback_per_present_participant(
    personas: Personas, make_member: Callable[[], User]
) -> None:
    event = EventFactory.create(network=personas.network, capacity=5)
    present, absent = make_member(), make_member()
    services.event_register(event=event, user=present)
    services.event_register(event=event, user=absent)
    with pytest.raises(services.EventError):
        services.event_mark_attendance(event=event, by=personas.animator, present_ids=set())
    Event.objects.filter(pk=event.pk).update(starts_at=in_days(-2), ends_at=in_days(-2) + dt.timedelta(hours=2))
    event.refresh_from_db()
    present_registration = Registration.objects.get(event=event, user=present)
    count = services.event_mark_attendance(
        event=event, by=personas.animator, present_ids={str(present_registration.public_id)}
    )
    assert count == 1
    assert not Registration.objects.get(event=event, user=absent).attended
    services.event_feedback_submit(registration=present_registration, rating=5, comment="Très utile")
    with pytest.raises(services.EventError, match="déjà"):
        services.event_feedback_submit(registration=present_registration, rating=4, comment="")
    with pytest.raises(services.EventError, match="présents"):
        services.event_feedback_submit(
            registration=Registration.objects.get(event=event, user=absent), rating=3, comment=""
        )
    assert Feedback.objects.count() == 1
