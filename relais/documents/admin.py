from django.contrib import admin

from .models import Document, DocumentVersion


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ("number", "original_name", "content_type", "size", "uploaded_by", "extraction_status", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "network", "access_level", "created_at")
    list_filter = ("kind", "access_level", "network")
    search_fields = ("title", "description")
    autocomplete_fields = ("author_organisation",)
    filter_horizontal = ("themes",)
    raw_id_fields = ("cpvs", "created_by")
    inlines = [DocumentVersionInline]
