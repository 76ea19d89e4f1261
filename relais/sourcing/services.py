"""Workflow of sourcing needs: a buyer posts, an animator validates (or rejects), matching suppliers are notified
in batches (`batches.py`), they open and answer, the buyer or an animator closes the need.

submitted → validated → closed, or submitted → rejected (with its reason). Each transition locks the row, checks
the status, and tells the people concerned by e-mail (enqueued once the transaction commits) and in their in-app
inbox (`core.Notification`, written in the same transaction). Messages carry a link, never the suppliers' contact
details.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.core.models import Notification
from relais.core.validators import validate_no_markup
from relais.events.models import Event
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement, Theme
from relais.suppliers.enums import ServiceKind

from .batches import need_match
from .enums import Answer, NeedKind, NeedStatus
from .models import NeedAttachment, NeedMatch, SourcingNeed
from .notify import animators, need_url, tell
from .tasks import notify_need_batch

MAX_ATTACHMENTS = 5


class SourcingError(Exception):
    """An action the need's state (or the input) does not allow. The message, in French, is shown to the person."""


@dataclass(frozen=True)
class NewAttachment:
    """An upload already checked by its content (relais.web.forms.uploads.check_attachment)."""

    upload: UploadedFile
    content_type: str
    size: int
    original_name: str


@dataclass(frozen=True)
class NeedInput:
    """What a buyer fills in. Lists of codes are checked against the enums by `need_post`."""

    kind: str
    title: str
    description: str
    place: Departement
    answer_deadline: dt.date
    cpvs: Sequence[Cpv] = ()
    themes: Sequence[Theme] = ()
    place_city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    estimated_amount: Decimal | None = None
    tender_date: dt.date | None = None
    event: Event | None = None
    structure_types: Sequence[str] = ()
    service_kinds: Sequence[str] = ()
    interested_target: int = 5


# ── Posting ──────────────────────────────────────────────────────────────────────────────────────────────────────


def _check_input(data: NeedInput, network: Network, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.kind not in NeedKind.values:
        refuse("kind", _("Choisissez la nature du besoin dans la liste."))
    for field, text in (("title", data.title), ("description", data.description), ("place_city", data.place_city)):
        try:
            validate_no_markup(text)
        except ValidationError as error:
            refuse(field, " ".join(error.messages))
    if not data.title.strip():
        refuse("title", _("Donnez un titre au besoin."))
    if not data.description.strip():
        refuse("description", _("Décrivez le besoin."))
    if not data.cpvs and not data.themes:
        refuse("cpvs", _("Indiquez au moins un code CPV ou un thème : ils servent à trouver les fournisseurs."))
    if data.estimated_amount is not None and data.estimated_amount < 0:
        refuse("estimated_amount", _("Le montant estimé ne peut pas être négatif."))
    if data.answer_deadline <= today:
        refuse("answer_deadline", _("La date limite de réponse doit être dans le futur."))
    if data.tender_date is not None and data.tender_date <= today:
        refuse("tender_date", _("La date de publication de la consultation doit être dans le futur."))
    if (data.latitude is None) != (data.longitude is None):
        refuse("latitude", _("Indiquez la latitude et la longitude, ou aucune des deux."))
    if not 1 <= data.interested_target <= 50:
        refuse("interested_target", _("Visez entre 1 et 50 fournisseurs intéressés."))
    unknown = set(data.structure_types) - set(StructureType.values)
    if unknown:
        refuse("structure_types", _("Type de structure inconnu : %(types)s.") % {"types": ", ".join(sorted(unknown))})
    unknown = set(data.service_kinds) - set(ServiceKind.values)
    if unknown:
        refuse("service_kinds", _("Type de prestation inconnu : %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))})
    if data.event is not None:
        if data.kind != NeedKind.MARKET_MEETING:
            refuse("event", _("Seule une rencontre acheteurs-fournisseurs se rattache à un événement."))
        elif data.event.network_id != network.pk:
            refuse("event", _("Choisissez un événement de ce réseau."))
    if errors:
        raise ValidationError(errors)


def need_post(
    *,
    network: Network,
    buyer: Organisation,
    author: User,
    data: NeedInput,
    files: Sequence[NewAttachment] = (),
    today: dt.date | None = None,
) -> SourcingNeed:
    """Record a need for the network's animators to validate. The author must be a member of the network acting
    for `buyer` (NetworkRole MEMBER with that organisation). Bad input raises ValidationError per field."""
    today = today or timezone.localdate()
    if not NetworkRole.objects.filter(
        user=author, network=network, role=Role.MEMBER, organisation=buyer, user__is_active=True
    ).exists():
        raise SourcingError(_("Seul un adhérent du réseau, pour son organisation, publie un besoin."))
    _check_input(data, network, today)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [_("Joignez au plus %(count)s documents.") % {"count": MAX_ATTACHMENTS}]})
    with transaction.atomic():
        need = SourcingNeed(
            network=network,
            buyer=buyer,
            author=author,
            kind=data.kind,
            event=data.event,
            title=data.title.strip(),
            description=data.description.strip(),
            place=data.place,
            place_city=data.place_city.strip(),
            latitude=data.latitude,
            longitude=data.longitude,
            estimated_amount=data.estimated_amount,
            answer_deadline=data.answer_deadline,
            tender_date=data.tender_date,
            structure_types=sorted(set(data.structure_types)),
            service_kinds=sorted(set(data.service_kinds)),
            interested_target=data.interested_target,
        )
        need.full_clean(exclude=["cpvs", "themes"])
        need.save()
        need.cpvs.set(data.cpvs)
        need.themes.set(data.themes)
        for item in files:
            NeedAttachment.objects.create(
                need=need,
                file=item.upload,
                filename=item.original_name,
                content_type=item.content_type,
                size=item.size,
            )
        tell(
            animators(network.pk),
            subject=f"Besoin de sourçage à valider : {need.title}",
            body=f"{buyer} a publié un besoin de sourçage dans {network}. Il attend votre validation avant "
            "l'envoi aux fournisseurs.",
            url=need_url(need),
        )
    return need


# ── Moderation ───────────────────────────────────────────────────────────────────────────────────────────────────


def _lock(need: SourcingNeed) -> SourcingNeed:
    return SourcingNeed.objects.select_for_update().get(pk=need.pk)


def need_validate(*, need: SourcingNeed, by: User, now: dt.datetime | None = None) -> SourcingNeed:
    """An animator validates the need: the author is told, the suppliers are matched and the first batch is
    enqueued once the transaction commits."""
    now = now or timezone.now()
    with transaction.atomic():
        need = _lock(need)
        if need.status != NeedStatus.SUBMITTED:
            raise SourcingError(_("Ce besoin n'est plus en attente de validation."))
        if need.answer_deadline < timezone.localdate(now):
            raise SourcingError(_("La date limite de réponse est passée : le besoin ne peut plus être envoyé."))
        need.status = NeedStatus.VALIDATED
        need.decided_by = by
        need.decided_at = now
        need.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        matched = need_match(need=need, on=timezone.localdate(now))
        tell(
            [need.author],
            subject=f"Besoin validé : {need.title}",
            body=f"Votre besoin a été validé par l'animation de {need.network}. {matched} fournisseur(s) "
            "correspondent ; ils sont sollicités par vagues jusqu'à atteindre le nombre d'intéressés visé.",
            url=need_url(need),
        )
        need_id = need.pk
        transaction.on_commit(lambda: notify_need_batch.enqueue(need_id=need_id))
    return need


def need_reject(*, need: SourcingNeed, by: User, reason: str, now: dt.datetime | None = None) -> SourcingNeed:
    """An animator refuses the need with a reason, which the author reads."""
    reason = reason.strip()
    if not reason:
        raise SourcingError(_("Indiquez le motif du refus : l'auteur du besoin le lira."))
    try:
        validate_no_markup(reason)
    except ValidationError as error:
        raise SourcingError(" ".join(error.messages)) from error
    with transaction.atomic():
        need = _lock(need)
        if need.status != NeedStatus.SUBMITTED:
            raise SourcingError(_("Ce besoin n'est plus en attente de validation."))
        need.status = NeedStatus.REJECTED
        need.decided_by = by
        need.decided_at = now or timezone.now()
        need.rejection_reason = reason[:500]
        need.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason", "updated_at"])
        tell(
            [need.author],
            subject=f"Besoin refusé : {need.title}",
            body=f"L'animation de {need.network} n'a pas validé votre besoin. Motif : {need.rejection_reason}",
            url=need_url(need),
        )
    return need


def need_close(*, need: SourcingNeed, by: User, now: dt.datetime | None = None) -> SourcingNeed:
    """Close the need: no more batches, reminders nor answers. Answers already given stay readable."""
    with transaction.atomic():
        need = _lock(need)
        if need.status not in (NeedStatus.SUBMITTED, NeedStatus.VALIDATED):
            raise SourcingError(_("Ce besoin est déjà clos ou refusé."))
        need.status = NeedStatus.CLOSED
        need.closed_at = now or timezone.now()
        need.save(update_fields=["status", "closed_at", "updated_at"])
    return need


# ── The supplier's side ──────────────────────────────────────────────────────────────────────────────────────────


def need_open(*, match: NeedMatch, now: dt.datetime | None = None) -> bool:
    """The supplier viewed the need: the first view is recorded for the funnel. Returns True the first time."""
    return bool(
        NeedMatch.objects.filter(pk=match.pk, opened_at__isnull=True, notified_at__isnull=False).update(
            opened_at=now or timezone.now()
        )
    )


def need_answer(
    *, match: NeedMatch, by: User, answer: str, reason: str = "", now: dt.datetime | None = None
) -> NeedMatch:
    """A supplier answers interested, interested as part of a group, or not interested (with a reason). It may
    change its answer until the deadline. The buyer's author is told of each new positive answer."""
    now = now or timezone.now()
    reason = reason.strip()
    if answer not in Answer.values:
        raise SourcingError(_("Choisissez une réponse de la liste."))
    if answer == Answer.NOT_INTERESTED and not reason:
        raise SourcingError(_("Dites en quelques mots pourquoi ce besoin ne vous intéresse pas."))
    try:
        validate_no_markup(reason)
    except ValidationError as error:
        raise SourcingError(" ".join(error.messages)) from error
    with transaction.atomic():
        match = NeedMatch.objects.select_for_update().select_related("need", "supplier").get(pk=match.pk)
        need = match.need
        if match.notified_at is None:
            raise SourcingError(_("Ce besoin ne vous a pas été envoyé."))
        if need.status != NeedStatus.VALIDATED:
            raise SourcingError(_("Ce besoin est clos : il ne reçoit plus de réponses."))
        if need.answer_deadline < timezone.localdate(now):
            raise SourcingError(_("La date limite de réponse est passée."))
        was_positive = match.answer in Answer.positive()
        match.answer = answer
        match.reason = reason[:500]
        match.answered_at = now
        match.answered_by = by
        if match.opened_at is None:
            match.opened_at = now
        match.save(update_fields=["answer", "reason", "answered_at", "answered_by", "opened_at", "updated_at"])
        if answer in Answer.positive() and not was_positive:
            tell(
                [need.author],
                subject=f"Un fournisseur est intéressé : {need.title}",
                body=f"{match.supplier} a répondu « {match.get_answer_display()} » à votre besoin. Ses coordonnées "
                "sont sur la page du besoin.",
                url=need_url(need),
            )
    return match


# ── The in-app inbox ─────────────────────────────────────────────────────────────────────────────────────────────


def notifications_mark_read(
    *, user: User, notification: Notification | None = None, now: dt.datetime | None = None
) -> int:
    """Mark one of the user's notifications as read, or all of them (notification=None)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=now or timezone.now())
