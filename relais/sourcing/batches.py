"""Matching a validated need to suppliers and asking them in batches, with at most two reminders (ADR 0016).

A need is sent to the best-scored matches first, `BATCH_SIZE` at a time. The next batch goes when the previous one
has had `BATCH_INTERVAL` to answer, or sooner when everyone in it answered, and never once `interested_target`
suppliers said they are interested, once the deadline has passed or the need is closed. A supplier that has not
answered is reminded twice at most, `REMINDER_DELAYS` after it was notified, only while the need is still open.
The periodic job (`sourcing.batches`, every hour) runs `sourcing_due_work`; each step locks its rows and checks
again, so two runs at once send nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from relais.suppliers.queries import suppliers_matching

from .enums import Answer, NeedStatus
from .models import NeedMatch, SourcingNeed
from .notify import need_url, supplier_accounts, tell

# Settable per deployment (settings.SOURCING_BATCH_SIZE); 10 keeps a need from reaching the whole sector at once.
BATCH_SIZE: int = getattr(settings, "SOURCING_BATCH_SIZE", 10)
BATCH_INTERVAL = dt.timedelta(days=3)
# The first reminder 3 days after the notification, the second 7 days after it (the model allows two at most).
REMINDER_DELAYS = (dt.timedelta(days=3), dt.timedelta(days=7))
# How many candidates the directory is asked for; only those with an account to notify are kept.
MATCH_LIMIT = 300


@dataclass(frozen=True)
class DueWork:
    batches: int
    notified: int
    reminders: int


def _positive_count(need: SourcingNeed) -> int:
    return need.matches.filter(answer__in=Answer.positive()).count()


def _is_open(need: SourcingNeed, today: dt.date) -> bool:
    return need.status == NeedStatus.VALIDATED and need.answer_deadline >= today


def need_match(*, need: SourcingNeed, on: dt.date | None = None) -> int:
    """Store the suppliers matching the need (activity CPV/theme, kind of service, coverage of the place,
    structure types wanted) with their score. Only suppliers with an account to notify are kept: the need is
    answered in Relais. Matches already notified keep their history; the others get the new score. Returns the
    number of matches of the need."""
    on = on or timezone.localdate()
    point = (need.latitude, need.longitude) if need.latitude is not None and need.longitude is not None else None
    found = suppliers_matching(
        cpv_codes=[cpv.code for cpv in need.cpvs.all()],
        theme_slugs=[theme.slug for theme in need.themes.all()],
        departement_code=need.place.code,
        point=point,
        service_kinds=list(need.service_kinds),
        structure_types=list(need.structure_types),
        on=on,
        limit=MATCH_LIMIT,
    )
    scores = {item.organisation_id: max(0, min(round(item.score), 32767)) for item in found}
    scores.pop(need.buyer_id, None)
    reachable = supplier_accounts(scores)
    with transaction.atomic():
        existing = {match.supplier_id: match for match in need.matches.select_for_update()}
        new = [
            NeedMatch(need=need, supplier_id=organisation_id, score=score)
            for organisation_id, score in scores.items()
            if organisation_id in reachable and organisation_id not in existing
        ]
        NeedMatch.objects.bulk_create(new)
        rescored = []
        for organisation_id, match in existing.items():
            if match.notified_at is None and organisation_id in scores and match.score != scores[organisation_id]:
                match.score = scores[organisation_id]
                rescored.append(match)
        NeedMatch.objects.bulk_update(rescored, ["score"])
    return need.matches.count()


def _notification_text(need: SourcingNeed) -> str:
    amount = f" Montant estimé : {need.estimated_amount:,.0f} € HT.".replace(",", " ") if need.estimated_amount else ""
    return (
        f"{need.buyer} ({need.network}) cherche des fournisseurs : « {need.title} » ({need.get_kind_display()}, "
        f"{need.place}).{amount} Réponse attendue avant le {date_format(need.answer_deadline, 'j F Y')} : "
        "dites si vous êtes intéressé, seul ou en groupement, ou pourquoi vous ne l'êtes pas."
    )


def need_notify_batch(*, need: SourcingNeed, batch_size: int | None = None, now: dt.datetime | None = None) -> int:
    """Notify the next batch of not-yet-notified matches (best score first) by e-mail and in their inbox, unless
    the need is closed, past its deadline or has enough interested suppliers. Returns how many were notified."""
    now = now or timezone.now()
    size = batch_size or BATCH_SIZE
    with transaction.atomic():
        need = SourcingNeed.objects.select_for_update().select_related("buyer", "network", "place").get(pk=need.pk)
        if not _is_open(need, timezone.localdate(now)) or _positive_count(need) >= need.interested_target:
            return 0
        pending = list(need.matches.filter(notified_at__isnull=True).order_by("-score", "pk")[:size])
        if not pending:
            return 0
        number = (need.matches.aggregate(last=Max("batch"))["last"] or 0) + 1
        accounts = supplier_accounts(match.supplier_id for match in pending)
        body = _notification_text(need)
        notified, unreachable = [], []
        for match in pending:
            if tell(
                accounts.get(match.supplier_id, []),
                subject=f"Besoin d'un acheteur : {need.title}",
                body=body,
                url=need_url(need),
            ):
                match.batch, match.notified_at = number, now
                notified.append(match)
            else:  # its accounts left since the match: nobody can answer for it
                unreachable.append(match.pk)
        NeedMatch.objects.bulk_update(notified, ["batch", "notified_at"])
        NeedMatch.objects.filter(pk__in=unreachable).delete()
    return len(notified)


def _batch_due(need: SourcingNeed, now: dt.datetime) -> bool:
    """The first batch at once; the next one when the last batch had BATCH_INTERVAL to answer, or all answered."""
    last = need.matches.filter(notified_at__isnull=False).aggregate(batch=Max("batch"), at=Max("notified_at"))
    if last["batch"] is None:
        return True
    if now - last["at"] >= BATCH_INTERVAL:
        return True
    return not need.matches.filter(batch=last["batch"], answer="").exists()


def need_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind suppliers that have not answered, REMINDER_DELAYS after their notification, at most twice, only while
    the need is open and short of interested suppliers. Returns how many matches were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = NeedMatch.objects.filter(
        Q(reminders_sent=0, notified_at__lte=now - REMINDER_DELAYS[0])
        | Q(reminders_sent=1, notified_at__lte=now - REMINDER_DELAYS[1]),
        answer="",
        need__status=NeedStatus.VALIDATED,
        need__answer_deadline__gte=today,
    )
    reminded = 0
    short_of_answers: dict[int, bool] = {}
    for pk, need_id in list(due.values_list("pk", "need_id").order_by("need_id", "pk")):
        with transaction.atomic():
            match = NeedMatch.objects.select_for_update().select_related("need__buyer").filter(pk=pk).first()
            if match is None or match.answer or match.reminders_sent >= len(REMINDER_DELAYS):
                continue
            if match.notified_at is None or now < match.notified_at + REMINDER_DELAYS[match.reminders_sent]:
                continue  # reminded meanwhile by another run
            need = match.need
            if not _is_open(need, today):
                continue
            if need_id not in short_of_answers:
                short_of_answers[need_id] = _positive_count(need) < need.interested_target
            if not short_of_answers[need_id]:
                continue
            match.reminders_sent += 1
            match.last_reminded_at = now
            match.save(update_fields=["reminders_sent", "last_reminded_at", "updated_at"])
            tell(
                supplier_accounts([match.supplier_id]).get(match.supplier_id, []),
                subject=f"Rappel : besoin d'un acheteur : {need.title}",
                body=f"{need.buyer} attend votre réponse avant le {date_format(need.answer_deadline, 'j F Y')}, "
                "même si ce besoin ne vous intéresse pas.",
                url=need_url(need),
            )
            reminded += 1
    return reminded


def sourcing_due_work(*, now: dt.datetime | None = None, batch_size: int | None = None) -> DueWork:
    """What the hourly job does: the due batch of every open need still short of interested suppliers, then the
    due reminders."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    batches = notified = 0
    open_needs = SourcingNeed.objects.filter(
        status=NeedStatus.VALIDATED, answer_deadline__gte=today, matches__notified_at__isnull=True
    ).distinct()
    for need in open_needs:
        if _batch_due(need, now):
            sent = need_notify_batch(need=need, batch_size=batch_size, now=now)
            batches += bool(sent)
            notified += sent
    return DueWork(batches=batches, notified=notified, reminders=need_send_reminders(now=now))
