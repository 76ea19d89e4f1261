"""One search box over case sheets, documents, FAQ entries and events (composition in relais.activity.search_all)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.activity import perms
from relais.activity import queries as activity_queries
from relais.activity.search_all import KIND_PARAMS, kind_from_param


@require_GET
def search_all(request: HttpRequest) -> HttpResponse:
    if not perms.can_search_all(request.user):  # open to all; kept so that the rule has one place
        raise PermissionDenied
    only = kind_from_param(request.GET.get("type"))
    result = activity_queries.search_all(request.GET.get("q", ""), request.user, only=only)
    context = {
        "result": result,
        "only_param": KIND_PARAMS[only] if only else "",
        "breadcrumb_data": {"links": [], "current": "Recherche"},
    }
    response = render(request, "web/search_all/page.html", context)
    if request.user.is_authenticated:
        # Results depend on the reader's networks: never kept in a shared cache.
        response["Cache-Control"] = "private, no-store"
    return response
