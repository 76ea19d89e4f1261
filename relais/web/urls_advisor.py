"""The legal-lever advisor (public: the rules are public law, the supplier figures are counts)."""

from django.urls import path

from .views import advisor

urlpatterns = [
    path("leviers-juridiques/", advisor.advisor, name="advisor"),
]
