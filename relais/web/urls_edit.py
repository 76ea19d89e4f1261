"""Writing and reviewing case sheets."""

from django.urls import path

from .views import sheets_edit

urlpatterns = [
    path("fiches/nouvelle/", sheets_edit.sheet_create, name="sheet_create"),
    path("fiches/<uuid:public_id>/modifier/", sheets_edit.sheet_edit, name="sheet_edit"),
    path("fiches/<uuid:public_id>/soumettre/", sheets_edit.sheet_submit, name="sheet_submit"),
    path("fiches/<uuid:public_id>/publier/", sheets_edit.sheet_publish, name="sheet_publish"),
    path("fiches/<uuid:public_id>/renvoyer/", sheets_edit.sheet_return, name="sheet_return"),
    path("fiches/<uuid:public_id>/depublier/", sheets_edit.sheet_unpublish, name="sheet_unpublish"),
    path("fiches/<uuid:public_id>/archiver/", sheets_edit.sheet_archive, name="sheet_archive"),
    path("autocompletion/cpv/", sheets_edit.cpv_autocomplete, name="cpv_autocomplete"),
    path("autocompletion/organisations/", sheets_edit.organisation_autocomplete, name="organisation_autocomplete"),
]
