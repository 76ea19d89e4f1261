"""Public pages of case sheets: search, sheet, attachments, exports, feeds."""

from django.urls import path

from . import exports, feeds
from .views import sheets_public

urlpatterns = [
    path("fiches/", sheets_public.search, name="sheet_search"),
    path("fiches/export.csv", exports.export_csv, name="sheet_export_csv"),
    path("fiches/export.xlsx", exports.export_xlsx, name="sheet_export_xlsx"),
    path("fiches/export.json", exports.export_json, name="sheet_export_json"),
    path("fiches/flux.atom", feeds.SheetFeed(), name="sheet_feed"),
    path("fiches/theme/<slug:slug>/flux.atom", feeds.ThemeSheetFeed(), name="sheet_theme_feed"),
    path("reseaux/<slug:slug>/fiches/flux.atom", feeds.NetworkSheetFeed(), name="network_sheet_feed"),
    path("fiches/<uuid:public_id>/", sheets_public.detail, name="sheet_detail"),
    path(
        "fiches/<uuid:public_id>/pieces-jointes/<uuid:attachment_id>/",
        sheets_public.attachment,
        name="sheet_attachment",
    ),
]
