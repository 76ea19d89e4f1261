"""Signals of the networks, for the apps above them (which this app may not import).

`members_changed(sender=Network, network_id=…)` is sent, explicitly and once the transaction has committed, after a
membership of the network was added, changed or removed (the back office is where memberships are written): the
network's indicator cube is made for its current members and is rebuilt.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

members_changed = Signal()


def announce_members_change(network_id: int) -> None:
    """Send `members_changed` when the current transaction commits (at once outside one); never for a change rolled
    back."""
    from .models import Network

    transaction.on_commit(lambda: members_changed.send(sender=Network, network_id=network_id))
