"""Events in the back office. Registrations are read-only here: places are changed through the site's services,
which keep the count of confirmed places and the waiting list in step."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Event, Feedback, Material, Registration
from .services import event_save


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ("user", "organisation", "status", "registered_at", "attended", "reminder_sent_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("title", "original_name", "size", "uploaded_by")
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "starts_at", "status", "audience", "capacity", "confirmed_count"]
    list_filter = ["network", "kind", "status", "audience"]
    search_fields = ["title", "description", "venue"]
    readonly_fields = ["confirmed_count", "public_id", "created_at", "updated_at"]
    inlines = [RegistrationInline, MaterialInline]

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        # Through the service: it re-reads the confirmed places under a lock (a stale form must not overwrite
        # them) and promotes the waiting list when capacity grows.
        event_save(event=obj, by=request.user)  # type: ignore[arg-type]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["registration", "rating", "created_at"]
    list_filter = ["rating"]
    readonly_fields = ["registration"]
