"""Pages of Relais. Each area keeps its own URL module; all names live in the `web` namespace."""

from django.urls import include, path

from . import (
    urls_accounts,
    urls_activity,
    urls_advisor,
    urls_contracts,
    urls_directory,
    urls_documents,
    urls_edit,
    urls_events,
    urls_helpdesk,
    urls_public,
    urls_sourcing,
    urls_supplier_account,
    urls_workgroups,
)
from .views import pages

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("mon-espace/", pages.dashboard, name="dashboard"),
    path("", include(urls_accounts)),
    path("", include(urls_public)),
    path("", include(urls_edit)),
    path("", include(urls_events)),
    path("", include(urls_helpdesk)),
    path("", include(urls_workgroups)),
    path("", include(urls_documents)),
    path("", include(urls_activity)),
    path("", include(urls_contracts)),
    path("", include(urls_directory)),
    path("", include("relais.web.urls_directory_pages")),
    path("", include(urls_supplier_account)),
    path("", include(urls_sourcing)),
    path("", include(urls_advisor)),
]
