"""Telling people about needs: the in-app inbox (`core.Notification`) and the e-mail that says the same thing."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from relais.accounts.models import User
from relais.core.models import Notification
from relais.core.tasks import send_email
from relais.networks.enums import Role
from relais.networks.models import NetworkRole

from .models import SourcingNeed


def need_url(need: SourcingNeed) -> str:
    """Path of the need's page (the inbox stores paths; e-mails prefix SITE_URL)."""
    return reverse("web:need_detail", kwargs={"public_id": need.public_id})


def tell(users: Iterable[User], *, subject: str, body: str, url: str) -> int:
    """One in-app notification per person (same transaction) and one e-mail each, enqueued after the commit:
    nobody sees the other recipients' addresses, and a rolled-back transition sends nothing. Returns how many
    people were told."""
    people = {user.pk: user for user in users if user.is_active}
    if not people:
        return 0
    Notification.objects.bulk_create(
        Notification(recipient=user, title=subject[:200], body=body[:2000], url=url) for user in people.values()
    )
    text = f"Bonjour,\n\n{body}\n\n{settings.SITE_URL}{url}\n"
    for user in people.values():
        transaction.on_commit(partial(send_email.enqueue, subject=f"[Relais] {subject}", body=text, to=[user.email]))
    return len(people)


def animators(network_id: int) -> list[User]:
    return [
        role.user
        for role in NetworkRole.objects.active()
        .filter(network_id=network_id, role=Role.ANIMATOR)
        .select_related("user")
    ]


def supplier_accounts(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active accounts speaking for each supplier organisation (the SUPPLIER role, in any network)."""
    found: dict[int, dict[int, User]] = {}
    rows = (
        NetworkRole.objects.active()
        .filter(role=Role.SUPPLIER, organisation_id__in=list(organisation_ids))
        .select_related("user")
    )
    for role in rows:
        if role.organisation_id is not None:
            found.setdefault(role.organisation_id, {})[role.user_id] = role.user
    return {organisation_id: list(users.values()) for organisation_id, users in found.items()}
