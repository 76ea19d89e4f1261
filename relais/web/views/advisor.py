"""The legal-lever advisor page: a GET form and the advice for the purchase it describes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.advisor import perms
from relais.advisor.services import AdvisorError, advise
from relais.suppliers.queries import TerritoryError

from ..forms.advisor import AdvisorForm

TITLE = "Leviers juridiques"


@require_GET
def advisor(request: HttpRequest) -> HttpResponse:
    """Which procedure and which social and environmental levers fit a purchase, with the rules and counts behind
    each statement."""
    if not perms.can_use_advisor(request.user):
        raise PermissionDenied
    submitted = bool(request.GET)
    form = AdvisorForm(request.GET if submitted else None)
    advice = None
    error = ""
    if submitted and form.is_valid() and form.params is not None:
        params = form.params
        try:
            advice = advise(
                cpv_codes=params.cpv_codes,
                departement_code=params.departement_code,
                amount=params.amount,
                buyer_category=params.buyer_type,
                on=params.on,
                defence=params.defence,
                insertion_rate=params.insertion_rate,
                labour_share=params.labour_share,
                hourly_cost=params.hourly_cost,
                show_unlisted=perms.sees_supplier_names(request.user),
            )
        except (AdvisorError, TerritoryError) as exc:
            error = str(exc)
    context: dict[str, Any] = {
        "form": form,
        "advice": advice,
        "error": error,
        "breadcrumb_data": {"links": [], "current": TITLE},
    }
    return render(request, "web/advisor/page.html", context)
