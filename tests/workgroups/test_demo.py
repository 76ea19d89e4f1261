"""The demo working groups load through the services, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from relais.accounts.models import User
from relais.demo.data import ACCOUNTS, ORGANISATIONS
from relais.demo.data import workgroups as demo_workgroups
from relais.demo.loader import load_demo
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.workgroups.enums import WorkGroupStatus
from relais.workgroups.models import WorkGroup

pytestmark = pytest.mark.django_db


def test_demo_workgroups_load_idempotently() -> None:
    call_command("load_reference", stdout=io.StringIO())
    load_demo()
    networks = {network.slug: network for network in Network.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__in=[a.email for a in ACCOUNTS])}
    organisations = {spec.key: Organisation.objects.get(siret=spec.siret) for spec in ORGANISATIONS}
    # load_demo loads the working groups after the sheets and documents.
    assert WorkGroup.objects.count() == len(demo_workgroups.WORKGROUPS)
    closed = WorkGroup.objects.get(status=WorkGroupStatus.CLOSED)
    assert closed.deliverables.count() == 1
    assert closed.meetings.exclude(minutes="").count() == 2
    assert demo_workgroups.load(networks=networks, users=users, organisations=organisations) == 0
