"""Workflows of the weekly digest: choosing one's digests, unsubscribing from a link, sending the week's digests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import tasks
from .digest import DigestContent, digest_body, digest_content, digest_subject, iso_week, unsubscribe_url
from .models import DigestDelivery, DigestSubscription
from .perms import can_receive_digest, digest_network_ids


def digest_preferences_save(*, user: Any, network_ids: set[int]) -> set[int]:
    """Opt in to the digests of `network_ids` and out of the others. Only networks where the person holds a role
    count (anything else in the request is ignored). Returns the networks now opted in."""
    allowed = digest_network_ids(user)
    wanted = network_ids & allowed
    with transaction.atomic():
        existing = {s.network_id: s for s in DigestSubscription.objects.select_for_update().filter(user=user)}
        for network_id in allowed:
            subscription = existing.get(network_id)
            opted_in = network_id in wanted
            if subscription is None:
                if opted_in:  # no row means "off": nothing to record for a box left unticked
                    DigestSubscription.objects.create(user=user, network_id=network_id, opted_in=True)
            elif subscription.opted_in != opted_in:
                subscription.opted_in = opted_in
                subscription.save(update_fields=["opted_in", "updated_at"])
    return wanted


def digest_unsubscribe(*, subscription: DigestSubscription) -> DigestSubscription:
    """Stop the digest of one network (from the link of an e-mail: no sign-in needed, the token is the proof)."""
    if subscription.opted_in:
        subscription.opted_in = False
        subscription.save(update_fields=["opted_in", "updated_at"])
    return subscription


@dataclass
class DigestRun:
    """What one run did, for the command's report."""

    week: str
    sent: int = 0
    empty: int = 0
    already_sent: int = 0
    not_allowed: int = 0


def _deliver(subscription: DigestSubscription, content: DigestContent, week: str, now: dt.datetime) -> bool:
    """Record the week as sent and hand the e-mail to the task queue, in one transaction: with the database
    queue both rows commit together or not at all, so an interrupted run resumes without sending twice nor
    forgetting anyone. Returns False when another run already sent this week."""
    user = subscription.user
    with transaction.atomic():
        _delivery, created = DigestDelivery.objects.get_or_create(
            user=user,
            network=subscription.network,
            week=week,
            defaults={"sent_at": now, "item_count": content.item_count},
        )
        if not created:
            return False
        tasks.send_digest_email.enqueue(
            subject=digest_subject(content),
            body=digest_body(user=user, content=content, subscription=subscription),
            to=[user.email],
            unsubscribe_url=unsubscribe_url(subscription),
        )
    return True


def digest_send_weekly(*, now: dt.datetime | None = None, dry_run: bool = False) -> DigestRun:
    """Send this ISO week's digest to every person who opted in, for each network they chose.

    Each digest lists what the person may see (see `digest.digest_content`); an empty digest is not sent. A
    (person, network, week) already recorded in `DigestDelivery` is skipped: running the command again, or twice at
    once, sends nothing twice. People who lost their role in the network, or whose account is inactive, get
    nothing. With `dry_run`, counts what would be sent and sends nothing."""
    now = now or timezone.now()
    week = iso_week(now)
    run = DigestRun(week=week)
    done = set(DigestDelivery.objects.filter(week=week).values_list("user_id", "network_id"))
    subscriptions = (
        DigestSubscription.objects.filter(opted_in=True, user__is_active=True)
        .select_related("user", "network")
        .order_by("user_id", "network_id")
    )
    users: dict[int, Any] = {}  # one object per person: their roles are read once, not once per network
    for subscription in subscriptions.iterator(chunk_size=500):
        user = users.setdefault(subscription.user_id, subscription.user)
        subscription.user = user
        if (subscription.user_id, subscription.network_id) in done:
            run.already_sent += 1
            continue
        if not can_receive_digest(user, subscription.network_id):
            run.not_allowed += 1
            continue
        content = digest_content(user=user, network=subscription.network, now=now)
        if content.is_empty:
            run.empty += 1
            continue
        if dry_run or _deliver(subscription, content, week, now):
            run.sent += 1
        else:
            run.already_sent += 1
    return run
