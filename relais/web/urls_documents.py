"""Document library pages (names prefixed `document_`; permission matrix in tests/documents)."""

from django.urls import path

from .views import documents

urlpatterns = [
    path("documents/", documents.document_list, name="document_list"),
    path("documents/partager/", documents.document_create, name="document_create"),
    path("documents/<uuid:public_id>/", documents.document_detail, name="document_detail"),
    path("documents/<uuid:public_id>/modifier/", documents.document_edit, name="document_edit"),
    path(
        "documents/<uuid:public_id>/nouvelle-version/",
        documents.document_version_create,
        name="document_version_create",
    ),
    path(
        "documents/<uuid:public_id>/versions/<uuid:version_id>/telecharger/",
        documents.document_download,
        name="document_download",
    ),
]
