"""Many people register for the last places at the same moment: confirmed registrations never exceed capacity.

Real concurrency needs a database with row locks and concurrent writers: PostgreSQL. Each thread opens its own
connection (Django's connections are per thread) and closes it at the end.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from relais.accounts.models import User
from relais.events import services
from relais.events.enums import RegistrationStatus
from relais.events.models import Event, Registration
from relais.networks.enums import Role

from ..factories import NetworkFactory, NetworkRoleFactory, UserFactory
from .factories import EventFactory

THREADS = 12
CAPACITY = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Test de concurrence réelle : il faut PostgreSQL (verrous de ligne, écritures simultanées). "
            "SQLite sérialise toutes les écritures de la base ; lancez-le avec DATABASE_URL=postgres://…"
        )
    network = NetworkFactory.create()
    event = EventFactory.create(network=network, capacity=CAPACITY)
    people: list[User] = []
    for index in range(THREADS):
        user = UserFactory.create(email=f"concurrent{index}@exemple.fr")
        NetworkRoleFactory.create(user=user, network=network, role=Role.MEMBER)
        people.append(user)

    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    statuses: list[str] = []
    lock = threading.Lock()

    def register(user: User) -> None:
        try:
            barrier.wait(timeout=10)  # everybody clicks at the same moment
            registration = services.event_register(event=Event.objects.get(pk=event.pk), user=user)
            with lock:
                statuses.append(registration.status)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sorted(statuses).count(RegistrationStatus.CONFIRMED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITING) == THREADS - CAPACITY
    event.refresh_from_db()
    assert event.confirmed_count == CAPACITY
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == CAPACITY
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by("registered_at")
    assert [services.waiting_position(r) for r in waiting] == list(range(1, THREADS - CAPACITY + 1))
