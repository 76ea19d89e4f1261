"""Network members and activity: the members-only directory and the animators' activity dashboard.

A plain list: other areas of the "activity" app (digest, unified search) add their paths below.
"""

from django.urls import URLPattern, path

from .views import activity, digest, search_all

urlpatterns: list[URLPattern] = [
    path("reseaux/<slug:slug>/adherents/", activity.members_directory, name="members_directory"),
    path("reseaux/<slug:slug>/adherents/export.csv", activity.members_export_csv, name="members_export_csv"),
    path("reseaux/<slug:slug>/adherents/export.xlsx", activity.members_export_xlsx, name="members_export_xlsx"),
    path("reseaux/<slug:slug>/activite/", activity.activity_dashboard, name="activity_dashboard"),
    path("reseaux/<slug:slug>/activite/export.csv", activity.activity_export_csv, name="activity_export_csv"),
    path("reseaux/<slug:slug>/activite/export.xlsx", activity.activity_export_xlsx, name="activity_export_xlsx"),
    # Weekly digest (opt-in) and unified search.
    path("mon-espace/lettre/", digest.digest_preferences, name="digest_preferences"),
    path("lettre/desinscription/<str:token>/", digest.digest_unsubscribe, name="digest_unsubscribe"),
    path("recherche/", search_all.search_all, name="search_all"),
]
