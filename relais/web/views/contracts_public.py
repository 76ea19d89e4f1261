"""Public pages of the contract data (DECP, Licence Ouverte): the search with its exports, a contract, a holder's
track record, and the step from one of a member's contracts to a draft case sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from relais.casesheets import perms as sheet_perms
from relais.casesheets.exports import ExportValue
from relais.casesheets.services import DraftFromContractError, case_sheet_draft_from_contract
from relais.contracts import perms as contract_perms
from relais.contracts.enums import ContractKind, ContractType, Nature, Procedure, QualityFlag
from relais.contracts.models import Contract, ContractHolder
from relais.contracts.queries import (
    TRACK_RECORD_YEARS,
    contract_by_public_id,
    decp_identifier,
    environmental_considerations,
    holder_track_record,
    social_considerations,
    track_record_start,
)
from relais.contracts.search import EXPORT_LIMIT, ContractPage, contracts_for_export, search_contracts
from relais.contracts.search_params import ENVIRONMENTAL_FILTERS, SOCIAL_FILTERS, ContractSearch, PartyFilter
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement, Region
from relais.suppliers import perms as supplier_perms
from relais.suppliers.facts import supplier_facts
from relais.web.paging import ActiveFilter, PageLink, page_links

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_value, spreadsheet_value
from ..forms.contracts_search import ContractSearchForm

SEARCH_TITLE = "Marchés publics"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")  # French thousands separator (narrow no-break space)


def _euros(value: Decimal) -> str:
    return f"{_number(int(value))}\u00a0€"


# ── Search ──────────────────────────────────────────────────────────────────────────────────────────────────────────


def _active_filters(form: ContractSearchForm, params: ContractSearch) -> list[ActiveFilter]:
    """The filters in force, in words, each with the query string that removes it."""
    labels: dict[str, dict[str, str]] = {
        "type": {value: str(label) for value, label in ContractType.choices},
        "procedure": {value: str(label) for value, label in Procedure.choices},
        "social": SOCIAL_FILTERS,
        "environmental": ENVIRONMENTAL_FILTERS,
    }
    if params.cpv:
        label = Cpv.objects.filter(code8=params.cpv).values_list("label_fr", flat=True).first() or ""
        labels["cpv"] = {params.cpv: f"{params.cpv} — {label}"}
    if params.region:
        labels["region"] = dict(Region.objects.filter(code=params.region).values_list("code", "name"))
    if params.departement:
        labels["departement"] = {
            code: f"{name} ({code})"
            for code, name in Departement.objects.filter(code=params.departement).values_list("code", "name")
        }
    active: list[ActiveFilter] = []
    for name, value in params.query_items(page=False):
        typed = getattr(params, name)
        if isinstance(typed, dt.date):
            label = typed.strftime("%d/%m/%Y")
        elif isinstance(typed, Decimal):
            label = _euros(typed)
        else:
            label = labels.get(name, {}).get(value, value)
        active.append(ActiveFilter(title=str(form.fields[name].label), label=label, remove_query=params.without(name)))
    return active


def _page_links(result: ContractPage) -> list[PageLink]:
    return page_links(page=result.page, num_pages=result.num_pages, query=lambda n: result.params.urlencode(page=n))


@require_GET
def contract_search(request: HttpRequest) -> HttpResponse:
    """Search the public contracts by words of the object and filters; everything is in the query string."""
    form = ContractSearchForm(request.GET)
    form.is_valid()  # puts the parser's messages next to their fields; the valid filters still apply
    result = search_contracts(form.search)
    params = result.params
    context: dict[str, Any] = {
        "form": form,
        "params": params,
        "result": result,
        "active_filters": _active_filters(form, params),
        "page_links": _page_links(result) if result.num_pages > 1 else [],
        "previous_query": params.urlencode(page=result.page - 1) if result.has_previous else "",
        "next_query": params.urlencode(page=result.page + 1) if result.has_next else "",
        "first_query": params.urlencode(page=1),
        "last_query": params.urlencode(page=result.num_pages),
        "export_query": params.urlencode(page=1),
        "export_limit": EXPORT_LIMIT,
        "filter_names": [name for name in form.fields if name != "q"],
        "filters_open": bool(form.problems) or any(params.value_of(name) for name in form.fields if name != "q"),
        "breadcrumb_data": {"links": [], "current": SEARCH_TITLE},
    }
    return render(request, "web/contracts/search.html", context)


# ── Exports ─────────────────────────────────────────────────────────────────────────────────────────────────────────

EXPORT_COLUMNS: dict[str, str] = {
    "decp_id": "Identifiant DECP",
    "identifier": "Identifiant du marché",
    "kind": "Type de contrat",
    "object": "Objet",
    "buyer_name": "Acheteur",
    "buyer_identifier": "Identifiant de l'acheteur",
    "holders": "Titulaires",
    "holder_identifiers": "Identifiants des titulaires",
    "notified_on": "Date de notification",
    "published_on": "Date de publication",
    "nature": "Nature",
    "procedure": "Procédure",
    "cpv": "Code CPV",
    "contract_type": "Catégorie",
    "amount": "Montant initial (€ HT)",
    "current_amount": "Montant après modifications (€ HT)",
    "duration_months": "Durée (mois)",
    "departement": "Département d'exécution",
    "social": "Considérations sociales",
    "environmental": "Considérations environnementales",
    "modifications_count": "Nombre de modifications",
    "flags": "Défauts de qualité",
    "url": "Adresse sur Relais",
}
_KINDS = dict(ContractKind.choices)
_NATURES = dict(Nature.choices)
_PROCEDURES = dict(Procedure.choices)
_TYPES = dict(ContractType.choices)


def export_row(contract: Contract, site: str) -> dict[str, ExportValue]:
    holders = list(contract.holders.all())
    return {
        "decp_id": decp_identifier(contract),
        "identifier": contract.identifier,
        "kind": str(_KINDS.get(contract.kind, contract.kind)),
        "object": contract.object,
        "buyer_name": contract.buyer_name,
        "buyer_identifier": contract.buyer_identifier,
        "holders": " ; ".join(holder.name or holder.identifier for holder in holders),
        "holder_identifiers": " ; ".join(holder.identifier for holder in holders),
        "notified_on": contract.notified_on,
        "published_on": contract.published_on,
        "nature": str(_NATURES.get(contract.nature, contract.nature)),
        "procedure": str(_PROCEDURES.get(contract.procedure, contract.procedure)),
        "cpv": contract.cpv,
        "contract_type": str(_TYPES.get(contract.contract_type, contract.contract_type)),
        "amount": contract.amount,
        "current_amount": contract.current_amount,
        "duration_months": contract.duration_months,
        "departement": contract.departement.name if contract.departement else "",
        "social": social_considerations(contract),
        "environmental": environmental_considerations(contract),
        "modifications_count": contract.modifications_count,
        "flags": " ; ".join(contract.flag_labels),
        "url": site + reverse("web:contract_detail", kwargs={"public_id": contract.public_id}),
    }


def export_note(exported: int) -> str:
    """What an export holds when the search has more contracts than it may hold (written in the file itself)."""
    return (
        f"Export limité aux {_number(exported)} premiers marchés (les plus récents) : la recherche en compte "
        "davantage. Affinez les filtres pour obtenir les autres."
    )


def _export(request: HttpRequest) -> tuple[int, bool, Iterator[dict[str, ExportValue]]]:
    params = ContractSearchForm(request.GET).search
    total, capped, contracts = contracts_for_export(params, limit=EXPORT_LIMIT)
    site = request.build_absolute_uri("/").rstrip("/")
    return total, capped, (export_row(contract, site) for contract in contracts)


def _filename(extension: str) -> str:
    return f"marches-publics-relais-{timezone.localdate():%Y%m%d}.{extension}"


def _decorate(response: HttpResponse | StreamingHttpResponse, total: int, capped: bool) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Total-Count"] = f"{total}+" if capped else str(total)
    if capped:
        response["X-Export-Truncated"] = str(total)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[dict[str, ExportValue]], total: int, capped: bool) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(list(EXPORT_COLUMNS.values()))
    exported = 0
    for row in rows:
        exported += 1
        yield writer.writerow([csv_value(row[key]) for key in EXPORT_COLUMNS])
    if capped:
        yield writer.writerow([export_note(exported)])


@require_GET
def contract_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The contracts of a search as CSV for French spreadsheets (UTF-8 with BOM, `;`, decimal comma), newest first,
    at most EXPORT_LIMIT rows, with a last line saying so when the search has more."""
    total, capped, rows = _export(request)
    response = StreamingHttpResponse(_csv_lines(rows, total, capped), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    _decorate(response, total, capped)
    return response


@require_GET
def contract_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The contracts of a search as a workbook, at most EXPORT_LIMIT rows; the sheet "À lire" says what it holds."""
    total, capped, rows = _export(request)
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("Marchés")
    bold = Font(bold=True)
    header = []
    for title in EXPORT_COLUMNS.values():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    exported = 0
    for row in rows:
        exported += 1
        sheet.append([spreadsheet_value(row[key]) for key in EXPORT_COLUMNS])
    about: Any = workbook.create_sheet("À lire")
    about.append(["Export des marchés publics (données essentielles de la commande publique, Licence Ouverte)"])
    about.append([f"Recherche : {request.GET.urlencode() or '(tous les marchés)'}"])
    about.append([f"Généré le {timezone.localtime():%d/%m/%Y à %H:%M}"])
    about.append([f"{_number(exported)} marché(s) exporté(s), les plus récents d'abord"])
    if capped:
        about.append([export_note(exported)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    _decorate(response, total, capped)
    return response


# ── A contract ──────────────────────────────────────────────────────────────────────────────────────────────────────


@require_GET
def contract_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Everything the data says of one contract, its defects included. The import report is linked for those who
    may read it; a member whose organisation is the buyer may start a case sheet from it."""
    contract = contract_by_public_id(public_id)
    if contract is None:
        raise Http404
    draft_networks = list(
        Network.objects.filter(pk__in=sheet_perms.contract_draft_network_ids(request.user, contract)).order_by("name")
    )
    cpv = Cpv.objects.filter(code8=contract.cpv[:8]).first() if contract.cpv else None
    holders = list(contract.holders.all())
    buyer = _identifier_filter(contract.buyer_identifier)
    context = {
        "contract": contract,
        "decp_id": decp_identifier(contract),
        "cpv": cpv,
        "holders": holders,
        "modifications": list(contract.modifications.all()),
        "social": social_considerations(contract),
        "environmental": environmental_considerations(contract),
        "defects": _defects(contract),
        "can_read_imports": contract_perms.can_import(request.user),
        "draft_networks": draft_networks,
        "buyer_query": ContractSearch().urlencode(buyer=buyer)
        if (buyer := _identifier_filter(contract.buyer_identifier))
        else "",
        "breadcrumb_data": {
            "links": [{"url": reverse("web:contract_search"), "title": SEARCH_TITLE}],
            "current": contract.identifier or contract.object[:60] or "Marché",
        },
    }
    return render(request, "web/contracts/detail.html", context)


def _identifier_filter(identifier: str) -> PartyFilter | None:
    """The buyer or holder filter of a SIRET or SIREN (None for another kind of identifier)."""
    if identifier.isdigit() and len(identifier) == 14:
        return PartyFilter(text=identifier, siret=identifier)
    if identifier.isdigit() and len(identifier) == 9:
        return PartyFilter(text=identifier, siren=identifier)
    return None


@dataclass
class DefectRow:
    label: str
    detail: str


def _defects(contract: Contract) -> list[DefectRow]:
    """Each defect found with its label and what was found (several rows of one kind are kept)."""
    labels = {int(value): str(label) for value, label in QualityFlag.choices}
    rows = [
        DefectRow(label=labels.get(int(item.get("flag", -1)), "Défaut"), detail=str(item.get("detail", "")))
        for item in contract.defects
        if isinstance(item, dict)
    ]
    known = {row.label for row in rows}
    # A flag may be set without a detail (an identifier shared with a later contract is flagged afterwards).
    rows += [DefectRow(label=label, detail="") for label in contract.flag_labels if label not in known]
    return rows


# ── A holder's track record ─────────────────────────────────────────────────────────────────────────────────────────


@require_GET
def contract_holder(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The contracts an organisation won in the last three years, from the public data. Only organisations that
    hold a contract have this page: the directory of other organisations is not public."""
    holds = ContractHolder.objects.filter(organisation=OuterRef("pk"))
    organisation = get_object_or_404(Organisation.objects.filter(Exists(holds)), public_id=public_id)
    since = track_record_start(timezone.localdate())
    record = holder_track_record(organisation, since=since)
    holder = _identifier_filter(organisation.siret or organisation.siren or "")
    search_query = ContractSearch().urlencode(holder=holder, notified_from=since) if holder else ""
    # A social-economy supplier's derived facts and directory page, to those who may see its page.
    is_shown_supplier = organisation.kind == OrganisationKind.SUPPLIER and supplier_perms.can_view_supplier(
        request.user, organisation
    )
    context = {
        "organisation": organisation,
        "supplier_facts": supplier_facts(organisation, on=timezone.localdate()) if is_shown_supplier else None,
        "record": record,
        "years": TRACK_RECORD_YEARS,
        "search_query": search_query,
        "breadcrumb_data": {
            "links": [{"url": reverse("web:contract_search"), "title": SEARCH_TITLE}],
            "current": organisation.name,
        },
    }
    return render(request, "web/contracts/holder.html", context)


# ── From a contract to a case sheet ─────────────────────────────────────────────────────────────────────────────────


@login_required
@require_POST
def contract_to_sheet(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A member turns one of its organisation's contracts into a draft case sheet and goes on in the editor."""
    contract = contract_by_public_id(public_id)
    if contract is None:
        raise Http404
    network_ids = sheet_perms.contract_draft_network_ids(request.user, contract)
    if not network_ids:
        raise PermissionDenied
    networks = Network.objects.filter(pk__in=network_ids).order_by("name")
    chosen = request.POST.get("network", "")
    network = networks.filter(slug=chosen).first() if chosen else networks.first()
    if network is None:
        messages.error(request, "Choisissez un de vos réseaux pour la fiche.")
        return redirect("web:contract_detail", public_id=contract.public_id)
    try:
        draft = case_sheet_draft_from_contract(contract=contract, network=network, by=request.user)  # type: ignore[arg-type]
    except DraftFromContractError as error:
        messages.error(request, str(error))
        return redirect("web:contract_detail", public_id=contract.public_id)
    messages.success(
        request,
        "Le brouillon de fiche est prérempli à partir du marché. Complétez le titre, le résumé, les thèmes et le "
        "récit, puis soumettez-le.",
    )
    for note in draft.notes:
        messages.warning(request, note)
    return redirect("web:sheet_edit", public_id=draft.sheet.public_id)
