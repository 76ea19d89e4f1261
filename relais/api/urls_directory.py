"""API v1 of the supplier directory (read only)."""

from django.urls import URLPattern, path

from . import suppliers

urlpatterns: list[URLPattern] = [
    path("v1/suppliers/", suppliers.SupplierList.as_view(), name="directory_list"),
    path("v1/suppliers/<uuid:public_id>/", suppliers.SupplierDetail.as_view(), name="directory_detail"),
]
