"""What goes into one person's weekly digest of one network, its e-mail text and its unsubscribe link.

The content is read through each app's own visibility function for THIS reader (case sheets, documents, events,
FAQ entries), then narrowed to the network of the digest and to the week: a supplier's digest never lists a
members-only sheet, a member's digest never lists another working group's document.

- case sheets: published in the last 7 days (`published_at`);
- documents: shared in the last 7 days (`created_at`; a new version of an old document is not news here);
- FAQ entries: published in the last 7 days (`published_at`);
- events: upcoming and published (not cancelled), either created in the last 7 days or starting within the next
  7 days. Events have no publication date: an event drafted long before being published is announced at the
  latest in the week before it starts.

The unsubscribe link carries a signed token (django.core.signing, salted) naming the subscription: it works
without signing in and without expiry, and cannot be forged or pointed at another person's subscription.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from relais.casesheets.queries import visible_sheets
from relais.documents.queries import visible_documents
from relais.events.enums import EventStatus
from relais.events.queries import visible_events
from relais.helpdesk.queries import visible_faq
from relais.networks.models import Network
from relais.networks.perms import member_network_ids

from .models import DigestSubscription

PERIOD: Final = dt.timedelta(days=7)
MAX_ITEMS_PER_SECTION: Final = 10
UNSUBSCRIBE_SALT: Final = "relais.activity.digest-unsubscribe"


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str
    detail: str


@dataclass(frozen=True)
class DigestSection:
    label: str
    items: list[DigestItem]
    total: int
    more_url: str

    @property
    def more_count(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class DigestContent:
    network: Network
    since: dt.datetime
    until: dt.datetime
    sections: list[DigestSection]

    @property
    def item_count(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0


def iso_week(moment: dt.datetime) -> str:
    """The ISO week of a moment in the site's time zone, e.g. "2026-W47": the key of one digest."""
    year, week, _ = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _day(moment: dt.datetime | dt.date) -> str:
    value = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    return value.strftime("%d/%m/%Y")


def _section(label: str, rows: list[DigestItem], queryset: Any, list_url: str) -> DigestSection:
    # Counting again is needed only when the section was cut.
    total = len(rows) if len(rows) < MAX_ITEMS_PER_SECTION else queryset.count()
    return DigestSection(label=label, items=rows, total=total, more_url=absolute(list_url))


def digest_content(*, user: Any, network: Network, now: dt.datetime | None = None) -> DigestContent:
    """What is new for `user` in `network` over the 7 days before `now`, as this user may see it."""
    until = now or timezone.now()
    since = until - PERIOD
    limit = MAX_ITEMS_PER_SECTION
    sections: list[DigestSection] = []

    def by_network(list_name: str) -> str:
        # Sheet search and the library filter by network (`network=<slug>`); FAQ and agenda have no such filter.
        return reverse(list_name) + "?" + urlencode({"network": network.slug})

    sheets = (
        visible_sheets(member_network_ids(user))
        .filter(network=network, published_at__gt=since, published_at__lte=until)
        .order_by("-published_at", "-pk")
    )
    sheet_rows = [
        DigestItem(
            sheet.title,
            absolute(reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})),
            f"publiée le {_day(sheet.published_at)}" if sheet.published_at else "",
        )
        for sheet in sheets[:limit]
    ]
    sections.append(_section("Fiches d'expérience", sheet_rows, sheets, by_network("web:sheet_search")))

    documents = (
        visible_documents(user)
        .filter(network=network, created_at__gt=since, created_at__lte=until)
        .order_by("-created_at", "-pk")
    )
    document_rows = [
        DigestItem(
            document.title,
            absolute(reverse("web:document_detail", kwargs={"public_id": document.public_id})),
            f"{document.get_kind_display()}, partagé le {_day(document.created_at)}",
        )
        for document in documents[:limit]
    ]
    sections.append(_section("Documents", document_rows, documents, by_network("web:document_list")))

    events = (
        visible_events(user)
        .filter(network=network, status=EventStatus.PUBLISHED, ends_at__gte=until)
        .filter(Q(created_at__gt=since) | Q(starts_at__lte=until + PERIOD))
        .order_by("starts_at", "pk")
    )
    event_rows = [
        DigestItem(
            event.title,
            absolute(reverse("web:event_detail", kwargs={"public_id": event.public_id})),
            f"{event.get_kind_display()}, le {_day(event.starts_at)}"
            f" à {timezone.localtime(event.starts_at).strftime('%H:%M')}",
        )
        for event in events[:limit]
    ]
    sections.append(_section("Événements à venir", event_rows, events, reverse("web:event_list")))

    entries = (
        visible_faq(user)
        .filter(network=network, published_at__gt=since, published_at__lte=until)
        .order_by("-published_at", "-pk")
    )
    faq_rows = [
        DigestItem(
            entry.title,
            absolute(reverse("web:faq_detail", kwargs={"public_id": entry.public_id})),
            f"publiée le {_day(entry.published_at)}",
        )
        for entry in entries[:limit]
    ]
    sections.append(_section("Questions fréquentes", faq_rows, entries, reverse("web:faq_list")))
    return DigestContent(network=network, since=since, until=until, sections=sections)


# ── Unsubscribe token ──────────────────────────────────────────────────────────────────────────────────────────────


def unsubscribe_token(subscription: DigestSubscription) -> str:
    return signing.dumps(subscription.public_id.hex, salt=UNSUBSCRIBE_SALT, compress=False)


def subscription_from_token(token: str) -> DigestSubscription | None:
    """The subscription a token names, or None when the token was altered, forged or names nothing any more."""
    try:
        public_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    try:
        subscription_id = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return DigestSubscription.objects.select_related("network", "user").filter(public_id=subscription_id).first()


def unsubscribe_url(subscription: DigestSubscription) -> str:
    return absolute(reverse("web:digest_unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


# ── The e-mail ─────────────────────────────────────────────────────────────────────────────────────────────────────


def digest_subject(content: DigestContent) -> str:
    return f"[Relais] Les nouveautés de la semaine — {content.network.name}"


def digest_body(*, user: Any, content: DigestContent, subscription: DigestSubscription) -> str:
    """The plain-text e-mail, in French (built here rather than from an HTML template: nothing is escaped)."""
    name = getattr(user, "full_name", "") or ""
    lines = [
        f"Bonjour {name}," if name else "Bonjour,",
        "",
        f"Voici les nouveautés de « {content.network.name} » "
        f"entre le {_day(content.since)} et le {_day(content.until)}.",
    ]
    for section in content.sections:
        if not section.total:
            continue
        lines += ["", f"{section.label} ({section.total})", "-" * (len(section.label) + len(str(section.total)) + 3)]
        for item in section.items:
            lines += [f"• {item.title}" + (f" — {item.detail}" if item.detail else ""), f"  {item.url}"]
        if section.more_count > 0:
            lines.append(f"… et {section.more_count} de plus : {section.more_url}")
    lines += [
        "",
        "-- ",  # the usual signature separator: mail clients fold what follows
        "Vous recevez cette lettre parce que vous l'avez demandée sur Relais.",
        f"Ne plus recevoir la lettre de ce réseau : {unsubscribe_url(subscription)}",
        f"Choisir vos lettres : {absolute(reverse('web:digest_preferences'))}",
    ]
    return "\n".join(lines) + "\n"
