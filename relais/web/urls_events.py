"""Events of the networks: agenda, registration, animation, iCalendar."""

from django.urls import path

from .views import events

urlpatterns = [
    path("evenements/", events.event_list, name="event_list"),
    path("reseaux/<slug:slug>/evenements/nouveau/", events.event_create, name="event_create"),
    path("reseaux/<slug:slug>/agenda.ics", events.network_calendar, name="network_calendar"),
    path("evenements/<uuid:public_id>/", events.event_detail, name="event_detail"),
    path("evenements/<uuid:public_id>/modifier/", events.event_edit, name="event_edit"),
    path("evenements/<uuid:public_id>/inscription/", events.event_register, name="event_register"),
    path("evenements/<uuid:public_id>/desinscription/", events.event_unregister, name="event_unregister"),
    path("evenements/<uuid:public_id>/presences/", events.event_attendance, name="event_attendance"),
    path("evenements/<uuid:public_id>/avis/", events.event_feedback, name="event_feedback"),
    path("evenements/<uuid:public_id>/supports/ajouter/", events.event_material_add, name="event_material_add"),
    path(
        "evenements/<uuid:public_id>/supports/<uuid:material_id>/",
        events.event_material,
        name="event_material",
    ),
    path("evenements/<uuid:public_id>/evenement.ics", events.event_ics, name="event_ics"),
]
