from django.urls import path

from . import advisor

urlpatterns = [
    path("v1/advisor/", advisor.AdvisorView.as_view(), name="advisor"),
]
