from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from relais.casesheets import perms
from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import CaseSheet
from relais.casesheets.queries import latest_public_sheets, sheet_counts
from relais.networks.enums import Role
from relais.networks.models import Network
from relais.networks.perms import network_ids_with_roles
from relais.sourcing import perms as sourcing_perms
from relais.sourcing.enums import NeedStatus
from relais.sourcing.models import SourcingNeed
from relais.suppliers.enums import ClaimStatus
from relais.suppliers.models import SupplierClaim
from relais.web.forms.sheets import authorable_networks


def home(request: HttpRequest) -> HttpResponse:
    context = {"latest_sheets": latest_public_sheets(6), "counts": sheet_counts()}
    return render(request, "web/home.html", context)


@dataclass
class SheetRow:
    sheet: CaseSheet
    can_edit: bool
    can_submit: bool


@dataclass
class StatusGroup:
    status: str
    label: str
    rows: list[SheetRow]


def _sheets_to_review(user: Any) -> list[CaseSheet]:
    """Submitted sheets of the networks the user animates (every network for site admins)."""
    submitted = CaseSheet.objects.filter(status=SheetStatus.SUBMITTED).select_related("network", "author")
    if not getattr(user, "is_site_admin", False):
        submitted = submitted.filter(network_id__in=network_ids_with_roles(user, frozenset({Role.ANIMATOR})))
    return [sheet for sheet in submitted.order_by("updated_at") if perms.can_review(user, sheet)]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Mon espace": my sheets grouped by status, and for animators the sheets waiting for their review."""
    user = request.user
    mine = CaseSheet.objects.filter(author_id=user.pk).select_related("network").order_by("-updated_at")
    by_status: dict[str, list[SheetRow]] = {}
    for sheet in mine:
        row = SheetRow(sheet, perms.can_edit(user, sheet), perms.can_submit(user, sheet))
        by_status.setdefault(sheet.status, []).append(row)
    groups = [
        StatusGroup(value, str(label), by_status[value]) for value, label in SheetStatus.choices if value in by_status
    ]
    animated_ids = network_ids_with_roles(user, frozenset({Role.ANIMATOR}))
    context = {
        "groups": groups,
        "sheet_count": sum(len(group.rows) for group in groups),
        "to_review": _sheets_to_review(user),
        "can_create": bool(authorable_networks(user)),
        "animated_networks": Network.objects.filter(id__in=animated_ids).order_by("name"),
        "needs_to_validate": SourcingNeed.objects.filter(
            network_id__in=animated_ids, status=NeedStatus.SUBMITTED
        ).count(),
        "claims_to_verify": SupplierClaim.objects.filter(
            network_id__in=animated_ids, status=ClaimStatus.PENDING
        ).count(),
        "can_post_need": sourcing_perms.can_post_need(user),
        "is_supplier_account": sourcing_perms.is_supplier_account(user),
        # Members and facilitators reach their network's directory (animators have it with their tools above).
        "member_networks": Network.objects.filter(
            id__in=network_ids_with_roles(user, frozenset({Role.MEMBER, Role.FACILITATOR}))
            - network_ids_with_roles(user, frozenset({Role.ANIMATOR}))
        ).order_by("name"),
    }
    return render(request, "web/dashboard.html", context)
