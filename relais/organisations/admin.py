"""Organisations of the directory in the back office: searchable by name, SIRET and SIREN."""

from __future__ import annotations

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from .models import Organisation, OrganisationStructure
from .signals import announce_renaming


class OrganisationStructureInline(admin.TabularInline):
    model = OrganisationStructure
    extra = 0
    fields = ["structure_type", "evidence", "valid_until"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siret", "buyer_category", "support_category", "departement", "city"]
    list_filter = ["kind", "buyer_category", "support_category", "structures__structure_type", "departement__region"]
    search_fields = ["name", "siret", "siren", "city"]
    autocomplete_fields = ["departement"]
    list_select_related = ["departement"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [OrganisationStructureInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "siret", "siren", "public_id")}),
        ("Catégorie", {"fields": ("buyer_category", "support_category")}),
        ("Coordonnées", {"fields": ("departement", "city", "website", "description")}),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm[Organisation], change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            announce_renaming(obj.pk)  # the search indexes holding its name rebuild their rows


@admin.register(OrganisationStructure)
class OrganisationStructureAdmin(admin.ModelAdmin):
    list_display = ["organisation", "structure_type", "evidence", "valid_until"]
    list_filter = ["structure_type"]
    search_fields = ["organisation__name", "organisation__siret", "evidence"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
