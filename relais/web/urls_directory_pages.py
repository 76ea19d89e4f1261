"""A supplier's page in the directory and its logo and photos (permission-checked, never a public media route)."""

from django.urls import path

from .views import directory_pages

urlpatterns = [
    path("fournisseurs/<uuid:public_id>/", directory_pages.directory_supplier, name="directory_supplier"),
    path(
        "fournisseurs/<uuid:public_id>/medias/<uuid:media_id>/",
        directory_pages.directory_supplier_media,
        name="directory_supplier_media",
    ),
]
