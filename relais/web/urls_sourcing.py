"""Sourcing needs posted by buyers and answered by suppliers, and the in-app notification inbox."""

from django.urls import URLPattern, path

from .views import sourcing

urlpatterns: list[URLPattern] = [
    path("besoins/", sourcing.need_list, name="need_list"),
    path("besoins/nouveau/", sourcing.need_create, name="need_create"),
    path("besoins/suivi.csv", sourcing.need_funnel_export, {"fmt": "csv"}, name="need_funnel_csv"),
    path("besoins/suivi.xlsx", sourcing.need_funnel_export, {"fmt": "xlsx"}, name="need_funnel_xlsx"),
    path("besoins/mes-sollicitations/", sourcing.need_my_requests, name="need_my_requests"),
    path("besoins/<uuid:public_id>/", sourcing.need_detail, name="need_detail"),
    path("besoins/<uuid:public_id>/valider/", sourcing.need_validate, name="need_validate"),
    path("besoins/<uuid:public_id>/refuser/", sourcing.need_reject, name="need_reject"),
    path("besoins/<uuid:public_id>/clore/", sourcing.need_close, name="need_close"),
    path("besoins/<uuid:public_id>/repondre/", sourcing.need_answer, name="need_answer"),
    path(
        "besoins/<uuid:public_id>/pieces-jointes/<uuid:attachment_id>/",
        sourcing.need_attachment,
        name="need_attachment",
    ),
    path("notifications/", sourcing.notification_list, name="notification_list"),
    path("notifications/tout-marquer-lu/", sourcing.notification_read_all, name="notification_read_all"),
    path("notifications/<uuid:public_id>/", sourcing.notification_read, name="notification_read"),
]
