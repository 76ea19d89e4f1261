from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from relais.accounts.models import User
from relais.demo.data import events
from relais.demo.loader import load_demo
from relais.events.models import Event, Feedback
from relais.networks.models import Network


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_events_load_once() -> None:
    call_command("load_reference", stdout=io.StringIO())
    load_demo()
    networks = {network.slug: network for network in Network.objects.all()}
    users = {user.email: user for user in User.objects.all()}
    # load_demo may already call events.load (the loader wires the network-life modules in): both ways, a run
    # after the first creates nothing, and the demo events are there.
    events.load(networks=networks, users=users, organisations={})
    assert events.load(networks=networks, users=users, organisations={}) == 0
    titles = {spec.title for spec in (*events.EVENTS, events.PAST_EVENT)}
    assert set(Event.objects.filter(title__in=titles).values_list("title", flat=True)) == titles
    assert Feedback.objects.filter(registration__event__title=events.PAST_EVENT.title).count() == 2
