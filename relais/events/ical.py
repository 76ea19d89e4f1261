"""iCalendar (RFC 5545) text for events, written by hand: a few lines of well-defined format do not need a library.

Rules applied: lines end with CRLF; content lines longer than 75 octets are folded (CRLF followed by one space,
never inside a UTF-8 character); TEXT values escape backslash, semicolon, comma and new lines; every VEVENT has a
stable UID and a DTSTAMP; times are written in UTC ("Z" form), so no VTIMEZONE is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from .enums import EventStatus
from .models import Event

PRODID = "-//Relais//Evenements des reseaux//FR"
UID_DOMAIN = "relais.events"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets (RFC 5545 §3.1), without splitting a multi-byte character."""
    parts: list[str] = []
    current = ""
    current_octets = 0
    limit = MAX_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > limit:
            parts.append(current)
            current, current_octets = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space, which counts
        current += char
        current_octets += size
    parts.append(current)
    return "\r\n ".join(parts)


def format_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _vevent(event: Event, url: str, stamp: dt.datetime, show_link: bool) -> list[str]:
    # The connection link is given to registered people only (as on the event's page); others read "En ligne".
    online = (event.online_url if show_link else "En ligne") if event.online_url else ""
    location = ", ".join(part for part in (event.venue, online) if part)
    description = event.description
    if event.online_url and show_link:
        description += f"\n\nLien de connexion : {event.online_url}"
    description += f"\n\n{url}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.public_id}@{UID_DOMAIN}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"LAST-MODIFIED:{format_utc(event.updated_at)}",
        f"STATUS:{'CANCELLED' if event.status == EventStatus.CANCELLED else 'CONFIRMED'}",
        f"CATEGORIES:{escape_text(event.get_kind_display())}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[tuple[Event, str]], *, name: str, show_links: bool = False, now: dt.datetime | None = None
) -> str:
    """A VCALENDAR with one VEVENT per (event, absolute URL of its page). `show_links` adds the online connection
    links (for a person registered to the event, or its animators)."""
    stamp = now or timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event, url in events:
        lines.extend(_vevent(event, url, stamp, show_links))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
