from django.urls import URLPattern, path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns: list[URLPattern] = [
    path("v1/sheets/", views.SheetList.as_view(), name="sheet_list"),
    path("v1/sheets/<uuid:public_id>/", views.SheetDetail.as_view(), name="sheet_detail"),
    path("v1/cpv/", views.CpvList.as_view(), name="cpv_list"),
    path("v1/cpv/<str:code>/", views.CpvDetail.as_view(), name="cpv_detail"),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
]
