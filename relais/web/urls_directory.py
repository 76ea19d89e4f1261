"""The supplier directory: search (list and map) and the members' exports. A supplier's page is in
`urls_directory_pages`."""

from django.urls import path

from .views import directory

urlpatterns = [
    path("fournisseurs/", directory.directory_search_page, name="directory_search"),
    path("fournisseurs/carte/", directory.directory_map, name="directory_map"),
    path("fournisseurs/export.csv", directory.directory_export_csv, name="directory_export_csv"),
    path("fournisseurs/export.xlsx", directory.directory_export_xlsx, name="directory_export_xlsx"),
]
