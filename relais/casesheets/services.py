"""Workflow of case sheets: draft → submitted → published (or returned with a comment), unpublish, archive.

Each transition checks the current status (a stale form cannot publish twice), records a revision when the
published content changes, keeps the search index in step and notifies people by e-mail through the task queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.contracts.decp.labels import Lookup
from relais.contracts.decp.records import MAX_PLAUSIBLE_AMOUNT
from relais.contracts.enums import ConsiderationStatus, Nature
from relais.contracts.enums import Procedure as ContractProcedure
from relais.contracts.models import Contract
from relais.contracts.queries import decp_identifier
from relais.core.tasks import send_email
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.models import Organisation
from relais.reference.models import Cpv

from .enums import BuyerRole, Procedure, SheetStatus, StakeholderRole, Technique
from .models import CaseSheet, SheetBuyer, SheetRevision, Stakeholder
from .search import reindex_sheet


class WorkflowError(Exception):
    """A transition that the sheet's current status does not allow. The message is shown to the user."""


def _require(sheet: CaseSheet, allowed: set[str], action: str) -> None:
    if sheet.status not in allowed:
        raise WorkflowError(
            # Translators: action is a verb phrase such as "publier la fiche"; status is the sheet's status.
            _("Impossible de %(action)s : la fiche est au statut « %(status)s ».")
            % {"action": action, "status": sheet.get_status_display()}
        )


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
        _require(sheet, {SheetStatus.DRAFT, SheetStatus.RETURNED}, _("soumettre la fiche"))
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
        _require(sheet, {SheetStatus.SUBMITTED}, _("publier la fiche"))
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
        raise WorkflowError(_("Indiquez à l'auteur ce qu'il doit compléter ou corriger."))
    with transaction.atomic():
        sheet = _lock(sheet)
        _require(sheet, {SheetStatus.SUBMITTED}, _("renvoyer la fiche"))
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
        _require(sheet, {SheetStatus.PUBLISHED}, _("dépublier la fiche"))
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
            _("archiver la fiche"),
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


# ---------------------------------------------------------------------------------------------------------------
# A draft from a public contract (DECP)

# DECP procedures that have a case-sheet equivalent; the procedures of concessions have none (the author chooses).
PROCEDURE_OF_CONTRACT: dict[str, str] = {
    ContractProcedure.ADAPTED: Procedure.ADAPTED,
    ContractProcedure.OPEN: Procedure.OPEN_TENDER,
    ContractProcedure.RESTRICTED: Procedure.RESTRICTED_TENDER,
    ContractProcedure.NEGOTIATED: Procedure.NEGOTIATED,
    ContractProcedure.NO_COMPETITION: Procedure.NO_PUBLICITY,
    ContractProcedure.COMPETITIVE_DIALOGUE: Procedure.COMPETITIVE_DIALOGUE,
}
TECHNIQUE_LABELS: Lookup[str] = Lookup({str(label): value for value, label in Technique.choices})
# The largest amount a sheet stores (14 digits, 2 decimals).
MAX_SHEET_AMOUNT = Decimal("999999999999.99")
MAX_SHEET_DURATION = 600


class DraftFromContractError(Exception):
    """The contract lacks what every sheet must have (a CPV 2008 code, a duration): the message, in French, says
    what to do."""


@dataclass
class ContractDraft:
    sheet: CaseSheet
    notes: list[str]  # what the author must complete or check, in French


def _sheet_duration(contract: Contract) -> int | None:
    for months in [contract.duration_months, *(m.duration_months for m in contract.modifications.order_by("-rank"))]:
        if months is not None and 1 <= months <= MAX_SHEET_DURATION:
            return months
    return None


def case_sheet_draft_from_contract(*, contract: Contract, network: Network, by: User) -> ContractDraft:
    """A draft case sheet of `by` in `network`, prefilled from a public contract of the author's organisation:
    object, procedure, CPV code, duration, amount, notification date, département, techniques, holders, buyer,
    considerations and the DECP identifier. Nothing is guessed: a DECP value without an exact counterpart on the
    sheet (a concession procedure, the legal basis of a reserved contract, considerations the 2019 format does not
    give) is left for the author, and `notes` says so. The caller checks `perms.can_draft_from_contract`."""
    cpv = Cpv.objects.filter(code8=contract.cpv[:8]).first() if len(contract.cpv) >= 8 else None
    if cpv is None:
        raise DraftFromContractError(
            _(
                "Ce marché n'a pas de code CPV de la nomenclature 2008 dans les données essentielles : créez la "
                "fiche à la main."
            )
        )
    duration = _sheet_duration(contract)
    if duration is None:
        raise DraftFromContractError(
            _(
                "La durée de ce marché n'est pas renseignée (ou dépasse 600 mois) dans les données essentielles : "
                "créez la fiche à la main."
            )
        )
    notes: list[str] = []
    procedure = PROCEDURE_OF_CONTRACT.get(contract.procedure, "")
    if not procedure:
        notes.append(_("Indiquez la procédure : celle des données essentielles n'a pas d'équivalent sur la fiche."))
    amount = contract.amount
    if amount is None or not 0 <= amount <= min(MAX_PLAUSIBLE_AMOUNT, MAX_SHEET_AMOUNT):
        amount = None
        notes.append(_("Indiquez le montant : celui des données essentielles est absent ou invraisemblable."))
    techniques = {TECHNIQUE_LABELS.get(label) for label in contract.techniques if isinstance(label, str)}
    if contract.nature == Nature.FRAMEWORK:
        techniques.add(Technique.FRAMEWORK)
    social_some = contract.social_status == ConsiderationStatus.SOME
    environmental_some = contract.environmental_status == ConsiderationStatus.SOME
    if contract.social_clause:
        notes.append(
            _("La clause sociale déclarée est reportée comme clause d'insertion : vérifiez-le et indiquez les heures.")
        )
    if contract.reserved:
        notes.append(_("Le marché est déclaré réservé : indiquez son fondement (L2113-12, L2113-13…)."))
    if contract.social_status == ConsiderationStatus.UNKNOWN:
        notes.append(_("Considérations sociales non renseignées dans les données essentielles : complétez-les."))
    if contract.environmental_status == ConsiderationStatus.UNKNOWN:
        notes.append(
            _("Considérations environnementales non renseignées dans les données essentielles : complétez-les.")
        )
    buyer = contract.buyer or Organisation.objects.filter(siret=contract.buyer_identifier).first()
    holders: list[Organisation] = []
    for holder in contract.holders.select_related("organisation").order_by("rank"):
        if holder.organisation is None:
            notes.append(
                _("Titulaire « %(holder)s » non repris : il n'a pas de SIRET valide.")
                % {"holder": holder.name or holder.identifier}
            )
        elif holder.organisation not in holders:
            holders.append(holder.organisation)
    decp_id = decp_identifier(contract)
    with transaction.atomic():
        sheet = CaseSheet.objects.create(
            network=network,
            author=by,
            status=SheetStatus.DRAFT,
            title=(contract.object or f"Marché {contract.identifier}").strip()[:200],
            summary="",
            contract_type=contract.contract_type,
            procedure=procedure,
            techniques=sorted(t for t in techniques if t),
            main_cpv=cpv,
            duration_months=duration,
            amount_exact=amount,
            notification_date=contract.notified_on,
            departement=contract.departement,
            decp_id=decp_id[:64],
            has_insertion_clause=social_some and contract.social_clause,
            has_social_criterion=social_some and contract.social_criterion,
            has_environmental_clause=environmental_some and contract.environmental_clause,
            has_environmental_criterion=environmental_some and contract.environmental_criterion,
            is_innovative=contract.innovative is True,
        )
        if buyer is not None:
            SheetBuyer.objects.create(sheet=sheet, organisation=buyer, role=BuyerRole.SOLE)
        Stakeholder.objects.bulk_create(
            [Stakeholder(sheet=sheet, organisation=holder, role=StakeholderRole.HOLDER) for holder in holders]
        )
    return ContractDraft(sheet=sheet, notes=notes)
