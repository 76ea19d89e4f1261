from django.contrib import admin

from .models import NeedAttachment, NeedMatch, SourcingNeed


class AttachmentInline(admin.TabularInline[NeedAttachment, SourcingNeed]):
    model = NeedAttachment
    extra = 0


class MatchInline(admin.TabularInline[NeedMatch, SourcingNeed]):
    model = NeedMatch
    extra = 0
    raw_id_fields = ["supplier", "answered_by"]
    readonly_fields = ["score", "batch", "notified_at", "opened_at", "reminders_sent", "last_reminded_at"]


@admin.register(SourcingNeed)
class SourcingNeedAdmin(admin.ModelAdmin[SourcingNeed]):
    list_display = ["title", "network", "buyer", "kind", "status", "answer_deadline", "created_at"]
    list_filter = ["network", "status", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["buyer", "author", "event", "decided_by", "cpvs"]
    inlines = [AttachmentInline, MatchInline]
