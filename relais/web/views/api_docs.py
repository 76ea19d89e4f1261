"""The "API et données" page: how to reuse Relais data (API, feeds, exports) and under which licence.

Plain documentation: the web interface does not import the API package; codes of the filters come from the
domain enums, so the page always lists the values the API accepts.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from relais.casesheets.enums import (
    ContractType,
    EnvironmentalConsideration,
    Licence,
    Procedure,
    ReservedBasis,
    SocialConsideration,
)
from relais.organisations.enums import StructureType
from relais.reference.models import Theme


def api_docs(request: HttpRequest) -> HttpResponse:
    rates: dict[str, str] = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    context = {
        "base_url": request.build_absolute_uri("/").rstrip("/"),
        "anon_rate": rates.get("anon", ""),
        "user_rate": rates.get("user", ""),
        "code_lists": [
            ("type", "Type de marché", ContractType.choices),
            ("procedure", "Procédure", Procedure.choices),
            ("social", "Considération sociale", SocialConsideration.choices),
            ("environmental", "Considération environnementale", EnvironmentalConsideration.choices),
            ("reserved", "Fondement du marché réservé", ReservedBasis.choices),
            ("structure", "Type de structure du titulaire", StructureType.choices),
            (
                "other",
                "Autres caractéristiques",
                [("fair_trade", "Commerce équitable"), ("innovative", "Achat innovant")],
            ),
            ("theme", "Thème", list(Theme.objects.values_list("slug", "label"))),
        ],
        "licences": Licence.choices,
        "breadcrumb_data": {"links": [], "current": "API et données"},
    }
    return render(request, "web/api_docs.html", context)
