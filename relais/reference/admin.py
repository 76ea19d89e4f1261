"""Reference tables in the admin: browsable and searchable, not editable.

The shipped files of `data/` are the source of truth: a change made here would be silently overwritten by the next
`manage.py load_reference`, so edits go through the files (see the app README).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Cpv, Departement, LegalRule, Region, Theme


class ReadOnlyAdmin(admin.ModelAdmin):  # not subscripted: ModelAdmin is generic only in django-stubs
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Cpv)
class CpvAdmin(ReadOnlyAdmin):
    list_display = ["code", "label_fr", "level", "division"]
    list_filter = ["level"]
    search_fields = ["code8", "label_fr", "label_en", "search_label"]
    raw_id_fields = ["parent"]
    list_per_page = 50


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["position", "label", "label_en", "slug"]
    search_fields = ["slug", "label", "label_en"]


@admin.register(LegalRule)
class LegalRuleAdmin(ReadOnlyAdmin):
    list_display = ["kind", "code", "value", "unit", "valid_from", "valid_until", "legal_reference"]
    list_filter = ["kind"]
    search_fields = ["kind", "code", "label", "legal_reference"]
    date_hierarchy = "valid_from"
