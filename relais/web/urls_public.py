from django.urls import path

from .views import sheets_public

urlpatterns = [
    path("fiches/", sheets_public.search, name="sheet_search"),
    path("fiches/<uuid:public_id>/", sheets_public.detail, name="sheet_detail"),
]
