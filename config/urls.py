from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Relais — administration"
admin.site.site_title = "Relais"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("relais.api.urls")),
    path("", include("relais.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
