"""Events of a network (webmatinales, trainings, awareness days, market-engagement meetings…) and registrations.

The number of confirmed places is kept on the event (`confirmed_count`) so that the database itself refuses more
confirmed registrations than places (`event_confirmed_within_capacity`); services change it under a row lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import EventAudience, EventKind, EventStatus, RegistrationStatus


class EventQuerySet(models.QuerySet["Event"]):
    def listed(self) -> EventQuerySet:
        """Published or cancelled events: what readers see (a cancelled event stays listed, marked as such)."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def public(self) -> EventQuerySet:
        """Listed public events: what anonymous visitors and the shared iCalendar feed may show."""
        return self.listed().filter(audience=EventAudience.PUBLIC)

    def visible_to_networks(self, member_network_ids: set[int], supplier_network_ids: set[int]) -> EventQuerySet:
        """Public events, members-only events of the reader's networks, market-engagement meetings of the
        networks where the reader is a supplier."""
        return self.listed().filter(
            Q(audience=EventAudience.PUBLIC)
            | Q(network_id__in=member_network_ids)
            | Q(network_id__in=supplier_network_ids, kind=EventKind.MARKET_ENGAGEMENT)
        )

    def upcoming(self, now: dt.datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now: dt.datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


class Event(TimestampedModel):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="events", verbose_name=_("réseau")
    )
    kind = models.CharField(_("type d'événement"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    description = models.TextField(_("description"), max_length=5000, validators=[validate_no_markup])
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    venue = models.CharField(_("lieu"), max_length=300, blank=True, validators=[validate_no_markup])
    online_url = models.URLField(_("lien de connexion"), blank=True)
    capacity = models.PositiveIntegerField(_("nombre de places"), validators=[MinValueValidator(1)])
    confirmed_count = models.PositiveIntegerField(_("inscriptions confirmées"), default=0, editable=False)
    audience = models.CharField(
        _("public"), max_length=20, choices=EventAudience.choices, default=EventAudience.MEMBERS
    )
    status = models.CharField(_("statut"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [models.Index(fields=["network", "status", "starts_at"], name="event_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")), name="event_confirmed_within_capacity"
            ),
            models.CheckConstraint(condition=~Q(venue="") | ~Q(online_url=""), name="event_venue_or_link"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_members_only(self) -> bool:
        return self.audience == EventAudience.MEMBERS

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def is_open_for_registration(self, now: dt.datetime | None = None) -> bool:
        """Registration is open while the event is published and has not started."""
        return self.status == EventStatus.PUBLISHED and not self.has_started(now)


class Registration(TimestampedModel):
    """One person's registration. A cancelled registration is kept (history); registering again reuses it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=20, choices=RegistrationStatus.choices)
    # Order of the waiting list: the moment of the last (re)registration.
    registered_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    attended = models.BooleanField(_("présent"), default=False)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        indexes = [models.Index(fields=["event", "status", "registered_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_one_per_person"),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status=RegistrationStatus.CONFIRMED),
                name="registration_attended_only_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event} ({self.get_status_display()})"


class Feedback(TimestampedModel):
    """The short satisfaction form, one per participant who attended."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True, validators=[validate_no_markup])

    class Meta:
        verbose_name = _("avis de participant")
        verbose_name_plural = _("avis de participants")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 — {self.registration}"


def material_path(instance: Material, filename: str) -> str:
    # Never keep the uploaded name on disk: it is user input. The original name is stored separately.
    return f"events/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class Material(TimestampedModel):
    """A document shared after the event (slides, minutes), downloaded by those who may see the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    file = models.FileField(_("fichier"), upload_to=material_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("support de l'événement")
        verbose_name_plural = _("supports des événements")

    def __str__(self) -> str:
        return self.title
