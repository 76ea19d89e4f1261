from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path

from relais.web.sitemaps import SITEMAPS

admin.site.site_header = "Relais — administration"
admin.site.site_title = "Relais"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", include("relais.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("relais.web.urls")),
]
# No public media route, even in development: every uploaded file is served by a view that checks who asks.
