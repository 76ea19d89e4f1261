"""The supplier directory: search with facets (list and map of the same results) and the members' exports.

Who sees what is decided once, in `relais.suppliers.search`: anonymous visitors and suppliers find only the
suppliers who agreed to a public page; members of a network find all of them (`perms.sees_unlisted_suppliers`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from relais.suppliers import perms
from relais.suppliers.search import (
    EXPORT_LIMIT,
    MAP_LIMIT,
    DirectoryPage,
    DirectorySearch,
    SupplierRow,
    directory_ids,
    directory_search,
    supplier_rows,
)
from relais.web.paging import ActiveFilter, PageLink, page_links

from ..forms.directory import DirectorySearchForm
from ..spreadsheets import table_download

TITLE = "Annuaire des fournisseurs"
# The map frame: metropolitan France and Corsica (longitude, latitude); other points are listed, not drawn.
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = -5.5, 10.0, 41.2, 51.3
MAP_WIDTH = 600


@dataclass
class MapPoint:
    x: float
    y: float
    name: str


def supplier_url(row: SupplierRow) -> str:
    """The supplier's page in the directory, when that page exists on this site."""
    try:
        return reverse("web:directory_supplier", kwargs={"public_id": row.organisation.public_id})
    except NoReverseMatch:
        return ""


def _active_filters(form: DirectorySearchForm, params: DirectorySearch) -> list[ActiveFilter]:
    active: list[ActiveFilter] = []
    for name, value in params.query_items(page=False):
        field = form.fields[name]
        choices = dict(getattr(field, "choices", None) or getattr(field.widget, "choices", None) or [])
        label = str(choices.get(value, value))
        multiple = isinstance(getattr(params, name), tuple)
        remove = params.without(name, value) if multiple else params.without(name)
        active.append(ActiveFilter(title=str(field.label), label=label, remove_query=remove))
    return active


def _page_links(result: DirectoryPage) -> list[PageLink]:
    return page_links(page=result.page, num_pages=result.num_pages, query=lambda n: result.params.urlencode(page=n))


def _context(request: HttpRequest, form: DirectorySearchForm, result: DirectoryPage) -> dict[str, Any]:
    params = result.params
    return {
        "form": form,
        "params": params,
        "result": result,
        "active_filters": _active_filters(form, params),
        "page_links": _page_links(result) if result.num_pages > 1 else [],
        "previous_query": params.urlencode(page=result.page - 1) if result.has_previous else "",
        "next_query": params.urlencode(page=result.page + 1) if result.has_next else "",
        "first_query": params.urlencode(page=1),
        "last_query": params.urlencode(page=result.num_pages),
        "search_query": params.urlencode(page=1),
        "filter_names": [name for name in form.fields if name != "q"],
        "filters_open": bool(form.problems) or not params.is_empty,
        "can_export": perms.can_export_directory(request.user),
        "sees_unlisted": perms.sees_unlisted_suppliers(request.user),
        "export_limit": EXPORT_LIMIT,
    }


@require_GET
def directory_search_page(request: HttpRequest) -> HttpResponse:
    """Search the suppliers by words and filters; everything is in the query string."""
    form = DirectorySearchForm(request.GET)
    form.is_valid()  # puts the parser's messages next to their fields; the valid filters still apply
    result = directory_search(form.search, request.user)
    rows = [(row, supplier_url(row)) for row in supplier_rows(result.organisation_ids)]
    context = _context(request, form, result) | {
        "rows": rows,
        "breadcrumb_data": {"links": [], "current": TITLE},
    }
    return render(request, "web/directory/search.html", context)


def _project(latitude: float, longitude: float) -> tuple[float, float] | None:
    """Equirectangular projection of the map frame, longitudes shortened by the cosine of its middle latitude."""
    if not (MAP_WEST <= longitude <= MAP_EAST and MAP_SOUTH <= latitude <= MAP_NORTH):
        return None
    scale = MAP_WIDTH / ((MAP_EAST - MAP_WEST) * math.cos(math.radians((MAP_NORTH + MAP_SOUTH) / 2)))
    x = (longitude - MAP_WEST) * math.cos(math.radians((MAP_NORTH + MAP_SOUTH) / 2)) * scale
    y = (MAP_NORTH - latitude) * scale
    return round(x, 1), round(y, 1)


@require_GET
def directory_map(request: HttpRequest) -> HttpResponse:
    """The same search drawn as points on a plain SVG (no tiles, no third party); the list of the same suppliers
    follows it and is the accessible alternative."""
    form = DirectorySearchForm(request.GET)
    form.is_valid()
    total, ids = directory_ids(form.search, request.user, limit=MAP_LIMIT)
    result = directory_search(form.search, request.user)
    rows = [(row, supplier_url(row)) for row in supplier_rows(ids)]
    points: list[MapPoint] = []
    unplaced = 0
    for row, _url in rows:
        projected = _project(row.latitude, row.longitude) if row.latitude is not None and row.longitude else None
        if projected is None:
            unplaced += 1
            continue
        points.append(MapPoint(projected[0], projected[1], row.organisation.name))
    height = round((MAP_NORTH - MAP_SOUTH) * MAP_WIDTH / ((MAP_EAST - MAP_WEST) * math.cos(math.radians(46.25))))
    context = _context(request, form, result) | {
        "rows": rows,
        "points": points,
        "unplaced": unplaced,
        "map_total": total,
        "map_limit": MAP_LIMIT,
        "map_width": MAP_WIDTH,
        "map_height": height,
        "breadcrumb_data": {"links": [{"url": reverse("web:directory_search"), "title": TITLE}], "current": "Carte"},
    }
    return render(request, "web/directory/map.html", context)


# ── Exports ────────────────────────────────────────────────────────────────────────────────────────────────────────

EXPORT_HEADER = (
    "Structure",
    "SIRET",
    "Types de structure (en cours de validité)",
    "Activités",
    "Types de prestation",
    "Labels",
    "Département",
    "Commune",
    "Site web",
    "Fiche publique",
    "Adresse sur Relais",
)


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Members export the results of a search (same filters as the page), first EXPORT_LIMIT by name. Contacts
    are not exported: they are personal data shown on the supplier's page, each display logged."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perms.can_export_directory(request.user):
        raise PermissionDenied
    params = DirectorySearch.from_querydict(request.GET)
    total, ids = directory_ids(params, request.user, limit=EXPORT_LIMIT)
    site = request.build_absolute_uri("/").rstrip("/")
    rows = []
    for row in supplier_rows(ids):
        url = supplier_url(row)
        organisation = row.organisation
        rows.append(
            [
                organisation.name,
                organisation.siret or "",
                " ; ".join(row.structures),
                " ; ".join(row.activities),
                " ; ".join(row.kinds),
                " ; ".join(row.labels),
                row.departement,
                organisation.city,
                organisation.website,
                row.public_listing,
                f"{site}{url}" if url else "",
            ]
        )
    about = [
        "Export de l'annuaire des fournisseurs de l'ESS de Relais",
        f"Recherche : {params.urlencode(page=1) or '(toutes les structures)'}",
        f"{len(rows)} structure(s) exportée(s) sur {total}",
    ]
    if total > len(rows):
        about.append(f"Export limité aux {len(rows)} premières structures (par nom) : affinez les filtres.")
    return table_download(
        fmt, stem="fournisseurs-relais", header=EXPORT_HEADER, rows=rows, sheet="Fournisseurs", about=about
    )


@require_GET
def directory_export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_GET
def directory_export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
