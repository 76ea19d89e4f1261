"""The directory's supplier data in the back office. Claims and imports are decided in the app, not here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from .models import SupplierActivity, SupplierClaim, SupplierContact, SupplierImport, SupplierLabel, SupplierProfile
from .reindex import organisation_changed


class ReindexedAdmin(admin.ModelAdmin):
    """Edits made here reach the directory's search index like the app's own writes (ADR 0014)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # many-to-many (CPV, territories) are saved here
        organisation_id = form.instance.organisation_id
        transaction.on_commit(lambda: organisation_changed(organisation_id))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        organisation_id = obj.organisation_id
        super().delete_model(request, obj)
        transaction.on_commit(lambda: organisation_changed(organisation_id))


@admin.register(SupplierProfile)
class SupplierProfileAdmin(ReindexedAdmin):
    list_display = ["organisation", "postcode", "turnover_band", "public_listing"]
    list_filter = ["public_listing", "turnover_band"]
    search_fields = ["organisation__name", "organisation__siret"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["public_id", "public_listing_agreed_at", "created_at", "updated_at"]


@admin.register(SupplierActivity)
class SupplierActivityAdmin(ReindexedAdmin):
    list_display = ["title", "organisation", "service_kind", "coverage", "radius_km"]
    list_filter = ["service_kind", "coverage"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation", "cpvs", "departements"]
    list_select_related = ["organisation"]


@admin.register(SupplierLabel)
class SupplierLabelAdmin(admin.ModelAdmin):
    list_display = ["organisation", "label", "valid_until"]
    search_fields = ["organisation__name", "label__name"]
    autocomplete_fields = ["organisation"]


@admin.register(SupplierContact)
class SupplierContactAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "position"]
    search_fields = ["full_name", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(SupplierClaim)
class SupplierClaimAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "network", "status", "decided_at"]
    list_filter = ["status"]
    readonly_fields = ["user", "organisation", "network", "status", "decided_by", "decided_at", "reason"]


@admin.register(SupplierImport)
class SupplierImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "network", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["network", "created_by", "file", "filename", "column_mapping", "status", "counts", "error"]
