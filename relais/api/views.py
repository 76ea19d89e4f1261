"""API v1: read-only access to published case sheets and to the CPV nomenclature.

Visibility is exactly the web's: public published sheets for everyone, members-only ones for the members of
their network (`member_network_ids`), unpublished ones never. Filters, order and pages are the search page's,
parsed and answered by the same code (`relais.casesheets.queries`), so that the API and the site always agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from relais.casesheets.models import CaseSheet, Stakeholder
from relais.casesheets.queries import SheetSearch, search_sheets
from relais.networks.perms import member_network_ids
from relais.reference.models import Cpv
from relais.reference.queries import cpv_by_code, cpv_lookup

from .serializers import (
    CpvDetailSerializer,
    CpvSerializer,
    SheetDetailSerializer,
    SheetPageSerializer,
    SheetSerializer,
)
from .throttling import THROTTLES

CPV_LOOKUP_LIMIT = 100


def _param(name: str, description: str, *, many: bool = False, kind: Any = OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description, many=many)


SHEET_FILTERS = [
    _param("q", "Texte recherché (titre, résumé, récit, acheteurs, titulaires ; accents et pluriels ignorés)."),
    _param("theme", "Identifiant de thème (`restauration-collective`…). Répétable.", many=True),
    _param(
        "cpv", "Code CPV : la fiche porte ce code ou un code placé sous lui (`90`, `55524000`). Répétable.", many=True
    ),
    _param("type", "Type de marché : `works`, `supplies`, `services`. Répétable.", many=True),
    _param("procedure", "Procédure (`adapted`, `open_tender`, `negotiated`…). Répétable.", many=True),
    _param(
        "social", "Considération sociale : `insertion_clause`, `social_criterion`, `reserved`. Répétable.", many=True
    ),
    _param("environmental", "Considération environnementale : `env_clause`, `env_criterion`, `labels`.", many=True),
    _param("reserved", "Fondement du marché réservé (`L2113-12`, `L2113-13`…). Répétable.", many=True),
    _param("structure", "Type de structure du titulaire (`ei`, `esat`, `scop`…). Répétable.", many=True),
    _param("region", "Code INSEE de région (`53`). Répétable.", many=True),
    _param("departement", "Code INSEE de département (`35`). Répétable.", many=True),
    _param("year", "Année de notification du marché (`2024`). Répétable.", many=True),
    _param("other", "Autres caractéristiques : `fair_trade` (commerce équitable), `innovative`.", many=True),
    _param("network", "Identifiant du réseau (`reseau-grand-ouest`). Répétable.", many=True),
    _param("order", "Tri : `relevance` (pertinence, par défaut avec `q`), `-date` (plus récentes), `date`."),
    _param("page", "Numéro de page (20 fiches par page).", kind=OpenApiTypes.INT),
]


def _page_url(request: Request, params: SheetSearch, page: int) -> str:
    return str(request.build_absolute_uri(f"{request.path}?{params.urlencode(page=page)}"))


class SheetList(generics.GenericAPIView[CaseSheet]):
    """Published case sheets the caller may read, filtered, ordered and paginated exactly like the search page
    (`relais.casesheets.queries.search_sheets`), with the facet counts of the sidebar."""

    serializer_class = SheetSerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=[*SHEET_FILTERS],
        responses=SheetPageSerializer,
        operation_id="sheets_list",
        summary="Lister et filtrer les fiches publiées",
        description=(
            "Fiches publiées lisibles par l'appelant (publiques, et réservées aux adhérents des réseaux dont il est "
            "membre), avec les mêmes filtres, le même tri et la même pagination (20 par page) que la page de "
            "recherche du site. `facets` donne, pour chaque filtre, le nombre de résultats de chaque valeur."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = SheetSearch.from_querydict(request.query_params)
        result = search_sheets(params, member_network_ids(request.user))
        context = self.get_serializer_context()
        data = {
            "count": result.total,
            "page": result.page,
            "num_pages": result.num_pages,
            "next": _page_url(request, result.params, result.page + 1) if result.has_next else None,
            "previous": _page_url(request, result.params, result.page - 1) if result.has_previous else None,
            "results": SheetSerializer(result.sheets, many=True, context=context).data,
            "facets": {
                name: [{"value": c.value, "count": c.count, "selected": c.selected} for c in counts]
                for name, counts in result.facets.items()
            },
        }
        return Response(data)


class SheetDetail(generics.RetrieveAPIView[CaseSheet]):
    """One published case sheet with every structured field. 404 when it does not exist or is not readable."""

    serializer_class = SheetDetailSerializer
    throttle_classes = THROTTLES
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[CaseSheet]:
        return (
            CaseSheet.objects.visible_to_networks(member_network_ids(self.request.user))
            .select_related("network", "main_cpv", "departement", "region")
            .prefetch_related(
                "themes",
                "additional_cpvs",
                "criteria",
                "impacts",
                "attachments",
                "links",
                "buyers__organisation__structures",
                Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("organisation")),
                "stakeholders__organisation__structures",
            )
        )

    @extend_schema(
        operation_id="sheets_retrieve",
        summary="Lire une fiche publiée",
        description=(
            "Tous les champs structurés d'une fiche : critères d'attribution, acheteurs, parties prenantes, chiffres "
            "d'impact, codes CPV, pièces jointes et liens. 404 si la fiche n'existe pas, n'est pas publiée ou est "
            "réservée aux adhérents d'un réseau dont l'appelant n'est pas membre."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CpvList(generics.ListAPIView[Cpv]):
    """CPV 2008 codes: by number prefix or words of the label with `q`, otherwise the whole list in code order."""

    serializer_class = CpvSerializer
    throttle_classes = THROTTLES

    def get_queryset(self) -> Any:
        text = self.request.query_params.get("q", "").strip()
        if text:
            return cpv_lookup(text, limit=CPV_LOOKUP_LIMIT)
        return Cpv.objects.order_by("code8")

    @extend_schema(
        parameters=[_param("q", "Début de code (`9091`, `90911200-8`) ou mots du libellé (`nettoyage vitres`).")],
        operation_id="cpv_list",
        summary="Rechercher un code CPV",
        description="Codes CPV 2008 par début de code ou mots du libellé ; sans `q`, toute la nomenclature.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CpvDetail(generics.RetrieveAPIView[Cpv]):
    """One CPV code (with or without its check digit) with its parent and its children."""

    serializer_class = CpvDetailSerializer
    throttle_classes = THROTTLES

    def get_object(self) -> Cpv:
        cpv = cpv_by_code(self.kwargs["code"])
        if cpv is None:
            raise Http404
        return cpv

    @extend_schema(
        operation_id="cpv_retrieve",
        summary="Lire un code CPV, son parent et ses enfants",
        description="Le code s'écrit avec ou sans clé de contrôle : `90911200-8` ou `90911200`.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
