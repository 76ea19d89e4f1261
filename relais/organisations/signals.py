"""Signals of the directory's organisations, for the apps above them (which this app may not import).

`organisation_renamed(sender=Organisation, organisation_id=…)` is sent once the transaction that renamed an
organisation has committed: the words of its name are in the contract search index (buyers and holders linked to
it) and in the supplier directory's, which rebuild what they hold of it.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

organisation_renamed = Signal()


def announce_renaming(organisation_id: int) -> None:
    """Send `organisation_renamed` when the current transaction commits (at once outside one); never for a renaming
    rolled back."""
    from .models import Organisation

    transaction.on_commit(lambda: organisation_renamed.send(sender=Organisation, organisation_id=organisation_id))
