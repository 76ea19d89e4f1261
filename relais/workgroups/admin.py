"""Working groups in the back office (site admins); the pages of the site are where animators run them."""

from __future__ import annotations

from django.contrib import admin

from .models import Meeting, WorkGroup, WorkGroupDeliverable, WorkGroupParticipant


class ParticipantInline(admin.TabularInline):
    model = WorkGroupParticipant
    fk_name = "group"
    extra = 0
    fields = ["user", "added_by", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    fields = ["starts_at", "online_url", "venue", "agenda", "minutes"]


class DeliverableInline(admin.StackedInline):
    model = WorkGroupDeliverable
    extra = 0
    fields = ["kind", "title", "summary", "recommendations", "publication", "published_on"]


@admin.register(WorkGroup)
class WorkGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "theme", "status", "co_pilot", "animator", "created_at"]
    list_filter = ["network", "status", "theme"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["co_pilot", "animator", "cpvs"]
    readonly_fields = ["public_id", "created_at", "updated_at", "started_at", "closed_at"]
    inlines = [ParticipantInline, MeetingInline, DeliverableInline]


@admin.register(WorkGroupDeliverable)
class WorkGroupDeliverableAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "kind", "publication", "published_on"]
    list_filter = ["publication", "kind"]
    search_fields = ["title", "summary", "recommendations"]
