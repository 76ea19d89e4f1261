"""Pages of Relais. Each area keeps its own URL module; all names live in the `web` namespace."""

from django.urls import include, path

from . import urls_accounts, urls_edit, urls_public
from .views import pages

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("mon-espace/", pages.dashboard, name="dashboard"),
    path("", include(urls_accounts)),
    path("", include(urls_public)),
    path("", include(urls_edit)),
]
