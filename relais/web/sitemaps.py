"""Sitemap of the public pages: home, search and public published sheets (never members-only ones)."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from relais.casesheets.models import CaseSheet


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["web:home", "web:sheet_search"]

    def location(self, item: str) -> str:
        return reverse(item)


class PublicSheetSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[CaseSheet]:
        return CaseSheet.objects.public().only("public_id", "updated_at").order_by("-published_at", "-pk")

    def location(self, item: CaseSheet) -> str:
        return reverse("web:sheet_detail", kwargs={"public_id": item.public_id})

    def lastmod(self, item: CaseSheet) -> dt.datetime:
        return item.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "fiches": PublicSheetSitemap}
