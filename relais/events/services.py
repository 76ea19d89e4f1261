"""Workflows of events: saving an event, registering with a waiting list, cancelling (with automatic promotion),
attendance, satisfaction answers, materials and day-before reminders.

Places are counted on the event row (`Event.confirmed_count`, bounded by a database constraint). Every change of
registrations first locks that row (`select_for_update`), so that two people registering at the same moment are
served one after the other and the last place is given once. E-mails are enqueued once the transaction commits.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.core.tasks import send_email
from relais.networks.models import NetworkRole

from .enums import EventStatus, RegistrationStatus
from .models import Event, Feedback, Material, Registration

# Reminders go to confirmed participants of events starting within this window ("the day before").
REMINDER_WINDOW = dt.timedelta(hours=24)


class EventError(Exception):
    """An action the event's state does not allow. The message, in French, is shown to the person."""


def _lock(event: Event) -> Event:
    # Lock the event row only (a join would lock the network row too and serialise all its events).
    return Event.objects.select_for_update().get(pk=event.pk)


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("web:event_detail", kwargs={"public_id": event.public_id})


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"le {date_format(start, 'l j F Y')} de {start:%H:%M} à {end:%H:%M}"
    return f"du {date_format(start, 'l j F Y')} à {start:%H:%M} au {date_format(end, 'l j F Y')} à {end:%H:%M}"


def _where(event: Event) -> str:
    parts = []
    if event.venue:
        parts.append(f"Lieu : {event.venue}")
    if event.online_url:
        parts.append(f"En ligne : {event.online_url}")
    return "\n".join(parts)


def _mail(to: str, subject: str, body: str) -> None:
    if to:
        # Enqueue only once the transaction is committed: a rolled-back registration sends nothing.
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[to]))


def _mail_confirmed(registration: Registration, *, promoted: bool) -> None:
    event = registration.event
    intro = (
        "Une place s'est libérée : vous passez de la liste d'attente aux inscrits."
        if promoted
        else "Votre inscription est confirmée."
    )
    _mail(
        registration.user.email,
        f"[Relais] Inscription confirmée : {event.title}",
        f"Bonjour,\n\n{intro}\n\n« {event.title} » ({event.network}), {_when(event)}.\n{_where(event)}\n\n"
        f"Si vous ne pouvez plus venir, annulez votre inscription pour libérer la place :\n{event_url(event)}\n",
    )


def _mail_waiting(registration: Registration, position: int) -> None:
    event = registration.event
    _mail(
        registration.user.email,
        f"[Relais] Liste d'attente : {event.title}",
        f"Bonjour,\n\n« {event.title} » est complet : vous êtes en position {position} sur la liste d'attente.\n"
        f"Vous recevrez un e-mail si une place se libère.\n\n{event_url(event)}\n",
    )


def waiting_position(registration: Registration) -> int | None:
    """Rank (from 1) of a waiting registration in its event's waiting list, or None if it is not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITING).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the first people of the waiting list, in order. The event row must be locked."""
    promoted: list[Registration] = []
    while event.confirmed_count < event.capacity:
        first = (
            Registration.objects.select_related("user", "event__network")
            .filter(event=event, status=RegistrationStatus.WAITING)
            .order_by("registered_at", "id")
            .first()
        )
        if first is None:
            break
        first.status = RegistrationStatus.CONFIRMED
        first.save(update_fields=["status", "updated_at"])
        event.confirmed_count += 1
        promoted.append(first)
    if promoted:
        event.save(update_fields=["confirmed_count", "updated_at"])
        for registration in promoted:
            _mail_confirmed(registration, promoted=True)
    return promoted


def _organisation_id(user: User, event: Event) -> int | None:
    return (
        NetworkRole.objects.filter(user=user, network_id=event.network_id, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .first()
    )


def event_register(*, event: Event, user: User) -> Registration:
    """Register a person: a confirmed place while there is one, else the end of the waiting list.

    Registering twice changes nothing; registering again after cancelling goes through the same rule.
    """
    with transaction.atomic():
        event = _lock(event)
        if not event.is_open_for_registration():
            raise EventError(_("Les inscriptions à cet événement sont closes."))
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            return registration
        if registration is None:
            registration = Registration(event=event, user=user, organisation_id=_organisation_id(user, event))
        registration.event = event
        registration.registered_at = timezone.now()
        registration.attended = False
        registration.reminder_sent_at = None
        if event.confirmed_count < event.capacity:
            registration.status = RegistrationStatus.CONFIRMED
            event.confirmed_count += 1
            event.save(update_fields=["confirmed_count", "updated_at"])
            registration.save()
            _mail_confirmed(registration, promoted=False)
        else:
            registration.status = RegistrationStatus.WAITING
            registration.save()
            _mail_waiting(registration, waiting_position(registration) or 1)
    return registration


def event_unregister(*, event: Event, user: User) -> Registration:
    """Cancel a person's registration. A freed place goes at once to the first person of the waiting list,
    who is told by e-mail."""
    with transaction.atomic():
        event = _lock(event)
        if event.has_started():
            raise EventError(_("L'événement a commencé : l'inscription ne peut plus être annulée."))
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is None or registration.status == RegistrationStatus.CANCELLED:
            raise EventError(_("Vous n'êtes pas inscrit à cet événement."))
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if was_confirmed:
            event.confirmed_count -= 1
            event.save(update_fields=["confirmed_count", "updated_at"])
            if event.status == EventStatus.PUBLISHED:
                _promote_waiting(event)
    return registration


def event_save(*, event: Event, by: User) -> Event:
    """Save an event from the animator's form. Capacity may not drop below the confirmed places; a raised
    capacity promotes people from the waiting list; a cancellation tells every registered person."""
    with transaction.atomic():
        previous_status = None
        if event.pk is not None:
            locked = _lock(event)
            previous_status = locked.status
            event.confirmed_count = locked.confirmed_count
            if event.capacity < locked.confirmed_count:
                raise EventError(
                    _("%(count)s personnes ont une place confirmée : le nombre de places ne peut pas être inférieur.")
                    % {"count": locked.confirmed_count}
                )
        else:
            event.created_by = by
        event.full_clean()
        event.save()
        if event.status == EventStatus.PUBLISHED:
            _promote_waiting(event)
        if event.status == EventStatus.CANCELLED and previous_status != EventStatus.CANCELLED:
            for registration in event.registrations.select_related("user").exclude(status=RegistrationStatus.CANCELLED):
                _mail(
                    registration.user.email,
                    f"[Relais] Événement annulé : {event.title}",
                    f"Bonjour,\n\n« {event.title} », prévu {_when(event)}, est annulé.\n\n{event_url(event)}\n",
                )
    return event


def event_mark_attendance(*, event: Event, by: User, present_ids: set[str]) -> int:
    """Mark who came, among confirmed registrations (identified by their public ids). Returns the number present."""
    with transaction.atomic():
        event = _lock(event)
        if not event.has_started():
            raise EventError(_("Les présences se notent une fois l'événement commencé."))
        confirmed = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED))
        for registration in confirmed:
            present = str(registration.public_id) in present_ids
            if registration.attended != present:
                registration.attended = present
                registration.save(update_fields=["attended", "updated_at"])
        return sum(1 for r in confirmed if r.attended)


def event_feedback_submit(*, registration: Registration, rating: int, comment: str) -> Feedback:
    """One satisfaction answer per participant present, after the event."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        if not (registration.attended and registration.event.has_ended()):
            raise EventError(_("Seuls les participants présents donnent leur avis, une fois l'événement terminé."))
        if Feedback.objects.filter(registration=registration).exists():
            raise EventError(_("Vous avez déjà donné votre avis sur cet événement. Merci !"))
        feedback = Feedback(registration=registration, rating=rating, comment=comment.strip())
        feedback.full_clean()
        feedback.save()
    return feedback


def event_material_add(
    *, event: Event, by: User, title: str, upload: UploadedFile, original_name: str, content_type: str, size: int
) -> Material:
    """Attach a document to the event. The upload must already have been checked by its content (the form does it
    with `relais.web.forms.uploads.check_attachment`), which gives `content_type`, `size` and `original_name`."""
    with transaction.atomic():
        material = Material(
            event=event,
            title=title.strip(),
            original_name=original_name,
            content_type=content_type,
            size=size,
            uploaded_by=by,
        )
        material.file.save(upload.name or "support", upload, save=False)
        material.full_clean()
        material.save()
    return material


def event_send_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail the day-before reminder to confirmed participants of published events starting within 24 hours.

    Each registration remembers when its reminder was sent, so running the command again (or every hour)
    sends nothing twice. Returns the number of reminders enqueued.
    """
    now = now or timezone.now()
    sent = 0
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_WINDOW,
    )
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update()
                .select_related("user", "event__network")
                .filter(pk=pk, reminder_sent_at__isnull=True, status=RegistrationStatus.CONFIRMED)
                .first()
            )
            if registration is None:  # sent meanwhile by another run, or cancelled
                continue
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at", "updated_at"])
            event = registration.event
            _mail(
                registration.user.email,
                f"[Relais] Rappel : {event.title}",
                f"Bonjour,\n\nPour rappel, vous êtes inscrit à « {event.title} » ({event.network}), {_when(event)}.\n"
                f"{_where(event)}\n\nSi vous ne pouvez plus venir, annulez votre inscription pour libérer la "
                f"place :\n{event_url(event)}\n",
            )
            sent += 1
    return sent
