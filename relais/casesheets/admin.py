"""Case sheets in the back office: every part editable inline; CPV codes and organisations by autocomplete.

The workflow (submit, publish, return, unpublish) goes through the site, which records revisions and keeps the
search index in step; an edit here records a revision of a published sheet and refreshes its index too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from .models import (
    Attachment,
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    Link,
    SheetBuyer,
    SheetFacet,
    SheetRevision,
    SheetTerm,
    Stakeholder,
)
from .services import case_sheet_changed


class CriterionInline(admin.TabularInline):
    model = AwardCriterion
    extra = 0
    fields = ["position", "kind", "label", "weight"]


class BuyerInline(admin.TabularInline):
    model = SheetBuyer
    extra = 0
    autocomplete_fields = ["organisation"]


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    autocomplete_fields = ["organisation"]


class ImpactInline(admin.TabularInline):
    model = ImpactFigure
    extra = 0
    fields = ["position", "label", "value", "unit"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Uploads go through the site's form, which checks type and size and records the original name.
        return False


class LinkInline(admin.TabularInline):
    model = Link
    extra = 0


@admin.register(CaseSheet)
class CaseSheetAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "visibility", "contract_type", "main_cpv", "published_at"]
    list_filter = ["status", "visibility", "network", "contract_type", "procedure", "themes", "licence"]
    search_fields = [
        "title",
        "summary",
        "decp_id",
        "main_cpv__code8",
        "buyers__organisation__name",
        "buyers__organisation__siret",
        "stakeholders__organisation__name",
        "stakeholders__organisation__siret",
        "author__email",
    ]
    date_hierarchy = "published_at"
    list_select_related = ["network", "main_cpv"]
    autocomplete_fields = ["main_cpv", "additional_cpvs", "author", "network", "departement", "region", "themes"]
    readonly_fields = ["public_id", "status", "published_at", "created_at", "updated_at"]
    inlines = [CriterionInline, BuyerInline, StakeholderInline, ImpactInline, AttachmentInline, LinkInline]
    fieldsets = (
        (None, {"fields": ("title", "summary", "themes", "network", "author", "public_id")}),
        ("Publication", {"fields": ("status", "visibility", "licence", "published_at", "return_comment")}),
        (
            "Le marché",
            {
                "fields": (
                    "contract_type",
                    "procedure",
                    "techniques",
                    "is_purchasing_group",
                    "lots_count",
                    "lots_description",
                    "main_cpv",
                    "additional_cpvs",
                    "duration_months",
                    ("amount_exact", "amount_min", "amount_max"),
                    "notification_date",
                    ("departement", "region"),
                    "decp_id",
                )
            },
        ),
        (
            "Considérations sociales et environnementales",
            {
                "fields": (
                    ("has_insertion_clause", "insertion_hours"),
                    "has_social_criterion",
                    "reserved_basis",
                    "has_environmental_clause",
                    "has_environmental_criterion",
                    "labels_required",
                    ("is_fair_trade", "is_innovative"),
                )
            },
        ),
        (
            "Récit",
            {"fields": ("context", "actions", "value_for_buyer", "value_for_supplier", "lessons", "advice")},
        ),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    def save_related(self, request: HttpRequest, form: ModelForm[CaseSheet], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Themes, CPV codes and inlines are saved only now: a published sheet gets its revision and its index
        # refreshed once everything is in place, as after an edit on the site.
        case_sheet_changed(sheet=form.instance, by=request.user, comment="Modification (administration)")  # type: ignore[arg-type]


@admin.register(SheetRevision)
class SheetRevisionAdmin(admin.ModelAdmin):
    """The history of published content: read only."""

    list_display = ["sheet", "number", "changed_by", "comment", "created_at"]
    search_fields = ["sheet__title", "changed_by__email", "comment"]
    list_select_related = ["sheet", "changed_by"]
    raw_id_fields = ["sheet", "changed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IndexRowAdmin(admin.ModelAdmin):
    """Search index rows, for diagnosis only: rebuilt by the services, never edited by hand."""

    raw_id_fields = ["sheet"]
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SheetTerm)
class SheetTermAdmin(IndexRowAdmin):
    list_display = ["term", "weight", "sheet"]
    search_fields = ["term"]


@admin.register(SheetFacet)
class SheetFacetAdmin(IndexRowAdmin):
    list_display = ["facet", "value", "sheet"]
    list_filter = ["facet"]
    search_fields = ["value"]
