"""Workflow of case sheets: draft → submitted → published (or returned with a comment), unpublish, archive.

Each transition checks the current status (a stale form cannot publish twice), records a revision when the
published content changes, keeps the search index in step and notifies people by e-mail through the task queue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.core.tasks import send_email
from relais.networks.enums import Role
from relais.networks.models import NetworkRole

from .enums import SheetStatus
from .models import CaseSheet, SheetRevision
from .search import reindex_sheet


class WorkflowError(Exception):
    """A transition that the sheet's current status does not allow. The message is shown to the user."""


def _require(sheet: CaseSheet, allowed: set[str], action: str) -> None:
    if sheet.status not in allowed:
        raise WorkflowError(f"Impossible de {action} : la fiche est au statut « {sheet.get_status_display()} ».")


def _lock(sheet: CaseSheet) -> CaseSheet:
    """Re-read the sheet under a row lock so that two animators cannot act on it at the same time."""
    return CaseSheet.objects.select_for_update().get(pk=sheet.pk)


def sheet_snapshot(sheet: CaseSheet) -> dict[str, Any]:
    """A JSON-serialisable copy of everything readers see, kept in the history of changes."""
    data = model_to_dict(
        sheet,
        exclude=["id", "themes", "additional_cpvs", "network", "author", "main_cpv", "departement", "region"],
    )
    for key, value in list(data.items()):
        if isinstance(value, Decimal):
            data[key] = str(value)
        elif hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    data["main_cpv"] = sheet.main_cpv.code
    data["departement"] = sheet.departement.code if sheet.departement else None
    data["region"] = sheet.region.code if sheet.region else None
    data["themes"] = sorted(t.slug for t in sheet.themes.all())
    data["additional_cpvs"] = sorted(c.code for c in sheet.additional_cpvs.all())
    data["criteria"] = [{"kind": c.kind, "label": c.label, "weight": c.weight} for c in sheet.criteria.all()]
    data["buyers"] = [{"organisation": b.organisation.name, "role": b.role} for b in sheet.buyers.all()]
    data["stakeholders"] = [{"organisation": s.organisation.name, "role": s.role} for s in sheet.stakeholders.all()]
    data["impacts"] = [{"label": i.label, "value": str(i.value), "unit": i.unit} for i in sheet.impacts.all()]
    return data


def _record_revision(sheet: CaseSheet, by: User, comment: str) -> SheetRevision:
    last = SheetRevision.objects.filter(sheet=sheet).aggregate(n=Max("number"))["n"] or 0
    return SheetRevision.objects.create(
        sheet=sheet, number=last + 1, data=sheet_snapshot(sheet), changed_by=by, comment=comment[:300]
    )


def _sheet_url(sheet: CaseSheet) -> str:
    return settings.SITE_URL + reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})


def _notify(to: list[str], subject: str, body: str) -> None:
    recipients = sorted({address for address in to if address})
    if recipients:
        # Enqueue only once the transaction is committed: a rolled-back transition sends nothing.
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))


def _animator_emails(sheet: CaseSheet) -> list[str]:
    return list(
        NetworkRole.objects.filter(network_id=sheet.network_id, role=Role.ANIMATOR, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def case_sheet_submit(*, sheet: CaseSheet, by: User) -> CaseSheet:
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(sheet, {SheetStatus.DRAFT, SheetStatus.RETURNED}, "soumettre la fiche")
        sheet.status = SheetStatus.SUBMITTED
        sheet.save(update_fields=["status", "updated_at"])
        _notify(
            _animator_emails(sheet),
            f"[Relais] Fiche à relire : {sheet.title}",
            f"{by} a soumis la fiche « {sheet.title} » à publication.\n\n{_sheet_url(sheet)}\n",
        )
    return sheet


def case_sheet_publish(*, sheet: CaseSheet, by: User) -> CaseSheet:
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(sheet, {SheetStatus.SUBMITTED}, "publier la fiche")
        sheet.status = SheetStatus.PUBLISHED
        sheet.return_comment = ""
        if sheet.published_at is None:
            sheet.published_at = timezone.now()
        sheet.save(update_fields=["status", "return_comment", "published_at", "updated_at"])
        _record_revision(sheet, by, "Publication")
        reindex_sheet(sheet)
        _notify(
            [sheet.author.email],
            f"[Relais] Votre fiche est publiée : {sheet.title}",
            f"La fiche « {sheet.title} » a été publiée par {by}.\n\n{_sheet_url(sheet)}\n",
        )
    return sheet


def case_sheet_return(*, sheet: CaseSheet, by: User, comment: str) -> CaseSheet:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("Indiquez à l'auteur ce qu'il doit compléter ou corriger.")
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(sheet, {SheetStatus.SUBMITTED}, "renvoyer la fiche")
        sheet.status = SheetStatus.RETURNED
        sheet.return_comment = comment
        sheet.save(update_fields=["status", "return_comment", "updated_at"])
        _notify(
            [sheet.author.email],
            f"[Relais] Votre fiche est à compléter : {sheet.title}",
            f"{by} vous renvoie la fiche « {sheet.title} » avec ce commentaire :\n\n{comment}\n\n{_sheet_url(sheet)}\n",
        )
    return sheet


def case_sheet_unpublish(*, sheet: CaseSheet, by: User) -> CaseSheet:
    """Withdraw a published sheet: back to draft, out of search, feeds and API; its history is kept."""
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(sheet, {SheetStatus.PUBLISHED}, "dépublier la fiche")
        sheet.status = SheetStatus.DRAFT
        sheet.save(update_fields=["status", "updated_at"])
        _record_revision(sheet, by, "Dépublication")
        reindex_sheet(sheet)
    return sheet


def case_sheet_archive(*, sheet: CaseSheet, by: User) -> CaseSheet:
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(
            sheet,
            {SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.RETURNED, SheetStatus.PUBLISHED},
            "archiver la fiche",
        )
        was_published = sheet.status == SheetStatus.PUBLISHED
        sheet.status = SheetStatus.ARCHIVED
        sheet.save(update_fields=["status", "updated_at"])
        if was_published:
            _record_revision(sheet, by, "Archivage")
        reindex_sheet(sheet)
    return sheet


def case_sheet_changed(*, sheet: CaseSheet, by: User, comment: str = "Modification") -> None:
    """Call after an edit has been saved (inside the same transaction): a published sheet gets a revision and
    its index is refreshed."""
    if sheet.status == SheetStatus.PUBLISHED:
        _record_revision(sheet, by, comment)
        reindex_sheet(sheet)
