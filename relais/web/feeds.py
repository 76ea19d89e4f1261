"""Atom feeds of published case sheets.

Feeds are read by aggregators and kept in shared caches, whoever asked first: they only ever contain PUBLIC
published sheets, even when a member of the network asks for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from relais.casesheets.models import CaseSheet
from relais.casesheets.queries import SheetSearch, matching_sheets, ordered, with_card_data
from relais.networks.models import Network
from relais.reference.models import Theme

FEED_SIZE = 50
# Feeds never show members-only sheets: they are searched as by a reader of no network.
NO_NETWORK: set[int] = set()


class _SheetFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj: Any) -> list[CaseSheet]:
        return list(self.sheets(obj)[:FEED_SIZE])

    def sheets(self, obj: Any) -> QuerySet[CaseSheet]:
        raise NotImplementedError

    def item_title(self, item: CaseSheet) -> str:
        return item.title

    def item_description(self, item: CaseSheet) -> str:
        return item.summary

    def item_link(self, item: CaseSheet) -> str:
        return reverse("web:sheet_detail", kwargs={"public_id": item.public_id})

    def item_guid(self, item: CaseSheet) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: CaseSheet) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: CaseSheet) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: CaseSheet) -> str:
        return item.network.name

    def item_categories(self, item: CaseSheet) -> list[str]:
        return [theme.label for theme in item.themes.all()]

    def item_copyright(self, item: CaseSheet) -> str:
        return item.get_licence_display()

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # The same document for everybody: shared caches may keep it a little while.
        response["Cache-Control"] = "public, max-age=600"
        return response


class SheetFeed(_SheetFeed):
    """All public published sheets, optionally narrowed by the words and filters of the search page."""

    title = "Relais — fiches retour d'expérience publiées"
    description = "Les dernières fiches retour d'expérience d'achat public responsable publiées sur Relais."

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SheetSearch:
        return SheetSearch.from_querydict(request.GET)

    def link(self, obj: SheetSearch) -> str:
        query = obj.urlencode()
        return reverse("web:sheet_search") + (f"?{query}" if query else "")

    def sheets(self, obj: SheetSearch) -> QuerySet[CaseSheet]:
        newest_first = replace(obj, order="-date")
        return with_card_data(ordered(matching_sheets(newest_first, NO_NETWORK), newest_first))


class ThemeSheetFeed(_SheetFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Theme:
        return get_object_or_404(Theme, slug=kwargs["slug"])

    def title(self, obj: Theme) -> str:
        return f"Relais — fiches publiées : {obj.label}"

    def description(self, obj: Theme) -> str:
        return f"Les dernières fiches retour d'expérience publiées sur le thème « {obj.label} »."

    def link(self, obj: Theme) -> str:
        return reverse("web:sheet_search") + f"?theme={obj.slug}"

    def sheets(self, obj: Theme) -> QuerySet[CaseSheet]:
        return with_card_data(CaseSheet.objects.public().filter(themes=obj).order_by("-published_at", "-pk"))


class NetworkSheetFeed(_SheetFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Network:
        return get_object_or_404(Network, slug=kwargs["slug"])

    def title(self, obj: Network) -> str:
        return f"Relais — fiches publiées par {obj.name}"

    def description(self, obj: Network) -> str:
        return f"Les dernières fiches retour d'expérience publiques du réseau {obj.name}."

    def link(self, obj: Network) -> str:
        return reverse("web:sheet_search") + f"?network={obj.slug}"

    def sheets(self, obj: Network) -> QuerySet[CaseSheet]:
        return with_card_data(CaseSheet.objects.public().filter(network=obj).order_by("-published_at", "-pk"))
