"""Pages of the API's lists of events and FAQ entries: 20 items a page, with `next` and `previous` links that keep
the caller's filters, in the same shape as the list of case sheets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.core.paginator import Paginator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

PAGE_SIZE: Final = 20


def query_param(
    name: str, description: str, *, kind: Any = OpenApiTypes.STR, enum: list[str] | None = None
) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


def choices_help(intro: str, choices: Iterable[tuple[str, Any]]) -> str:
    """A parameter's or field's description listing its accepted values with their French labels."""
    return f"{intro} : " + ", ".join(f"`{value}` ({label})" for value, label in choices) + "."


PAGE_PARAM = query_param("page", "Numéro de page (20 résultats par page).", kind=OpenApiTypes.INT)


def page_url(request: Request, page: int) -> str:
    """The address of another page of the same list, with the same filters."""
    params = request.query_params.copy()
    if page > 1:
        params["page"] = str(page)
    else:
        params.pop("page", None)
    query = params.urlencode()
    return str(request.build_absolute_uri(f"{request.path}?{query}" if query else request.path))


def page_links(request: Request, page: int, num_pages: int) -> dict[str, str | None]:
    return {
        "next": page_url(request, page + 1) if page < num_pages else None,
        "previous": page_url(request, page - 1) if page > 1 else None,
    }


def paginate(request: Request, items: Any) -> tuple[list[Any], dict[str, Any]]:
    """The items of the requested page (an invalid or too large page number gives the nearest page) and the
    page's figures."""
    page = Paginator(items, PAGE_SIZE).get_page(request.query_params.get("page"))
    num_pages = page.paginator.num_pages
    meta = {"count": page.paginator.count, "page": page.number, "num_pages": num_pages}
    return list(page.object_list), {**meta, **page_links(request, page.number, num_pages)}


class PageFieldsSerializer(serializers.Serializer[Any]):
    """The figures of a page of results (documentation of the lists' responses)."""

    count = serializers.IntegerField(help_text="Nombre total de résultats correspondants.")
    page = serializers.IntegerField(help_text="Numéro de la page renvoyée.")
    num_pages = serializers.IntegerField(help_text="Nombre de pages.")
    next = serializers.URLField(allow_null=True, help_text="Adresse de la page suivante, ou null.")
    previous = serializers.URLField(allow_null=True, help_text="Adresse de la page précédente, ou null.")
