"""API v1: events of the networks (webmatinales, trainings, market-engagement meetings…), read only.

Visibility is exactly the agenda's (`relais.events.queries.visible_events`): public events for everyone,
members-only events for the members of their network (and a market-engagement meeting for the network's suppliers),
drafts never. The online link of an event is given, as on its page, only to a person whose registration is
confirmed and to the people who run the event.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.events import perms, queries
from relais.events.enums import EventKind, RegistrationStatus
from relais.events.models import Event, EventQuerySet, Material

from .paging import PAGE_PARAM, PageFieldsSerializer, choices_help, paginate, query_param
from .serializers import NetworkSerializer, _absolute
from .throttling import THROTTLES

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


class MaterialSerializer(serializers.ModelSerializer[Material]):
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField(help_text="Téléchargement par le site, qui vérifie les droits.")

    class Meta:
        model = Material
        fields = ["id", "title", "url", "original_name", "content_type", "size"]

    def get_url(self, material: Material) -> str:
        path = reverse(
            "web:event_material", kwargs={"public_id": material.event.public_id, "material_id": material.public_id}
        )
        return _absolute(self.context.get("request"), path)


class EventSerializer(serializers.ModelSerializer[Event]):
    """What a list shows of an event: what, when, where, for whom, and the places left."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    ical_url = serializers.SerializerMethodField(help_text="Le fichier iCalendar (.ics) de l'événement.")
    network = NetworkSerializer()
    kind = serializers.CharField(help_text=choices_help("Type d'événement", EventKind.choices))
    kind_label = serializers.CharField(source="get_kind_display")
    audience = serializers.CharField(help_text="`public` (ouvert à tous) ou `members` (adhérents du réseau).")
    audience_label = serializers.CharField(source="get_audience_display")
    status = serializers.CharField(help_text="`published` (publié) ou `cancelled` (annulé, laissé dans l'agenda).")
    status_label = serializers.CharField(source="get_status_display")
    online = serializers.SerializerMethodField(help_text="L'événement a lieu (aussi) en ligne.")
    places_left = serializers.IntegerField(help_text="Places encore libres (0 : inscription sur liste d'attente).")

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "web_url",
            "ical_url",
            "title",
            "network",
            "kind",
            "kind_label",
            "audience",
            "audience_label",
            "status",
            "status_label",
            "starts_at",
            "ends_at",
            "venue",
            "online",
            "capacity",
            "places_left",
        ]

    def get_url(self, event: Event) -> str:
        path = reverse("api:event_detail", kwargs={"public_id": event.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, event: Event) -> str:
        path = reverse("web:event_detail", kwargs={"public_id": event.public_id})
        return _absolute(self.context.get("request"), path)

    def get_ical_url(self, event: Event) -> str:
        path = reverse("web:event_ics", kwargs={"public_id": event.public_id})
        return _absolute(self.context.get("request"), path)

    def get_online(self, event: Event) -> bool:
        return bool(event.online_url)


class EventDetailSerializer(EventSerializer):
    """An event with its description, the online link (to those who may follow it) and its materials."""

    online_url = serializers.SerializerMethodField(
        help_text="Lien de connexion : donné seulement aux personnes dont l'inscription est confirmée et à ceux "
        "qui organisent l'événement ; null sinon."
    )
    registration = serializers.SerializerMethodField(
        help_text="Inscription de l'appelant : `confirmed`, `waiting` (liste d'attente) ou null."
    )
    materials = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "online_url", "registration", "materials"]

    def get_online_url(self, event: Event) -> str | None:
        return event.online_url if event.online_url and self.context.get("show_link") else None

    def get_registration(self, event: Event) -> str | None:
        status = self.context.get("registration_status")
        return str(status) if status else None

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, event: Event) -> list[dict[str, Any]]:
        return MaterialSerializer(event.materials.all(), many=True, context=self.context).data  # type: ignore[return-value]


class EventPageSerializer(PageFieldsSerializer):
    results = EventSerializer(many=True)


EVENT_FILTERS = [
    query_param(
        "periode",
        "`passes` : les événements terminés, les plus récents d'abord ; sinon les événements à venir ou en cours, "
        "les plus proches d'abord.",
        enum=["passes"],
    ),
    query_param("network", "Identifiant du réseau qui organise (`reseau-grand-ouest`)."),
    query_param("kind", choices_help("Type d'événement", EventKind.choices) + " Une valeur inconnue est ignorée."),
    PAGE_PARAM,
]


def _filtered(events: EventQuerySet, params: Any) -> EventQuerySet:
    events = events.past() if params.get("periode") == "passes" else events.upcoming()
    network = str(params.get("network", "")).strip()
    if network:
        events = events.filter(network__slug=network if _SLUG.fullmatch(network) else "")
    kind = str(params.get("kind", "")).strip()
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    return events


def _sees_online_link(user: Any, event: Event, registration_status: str | None) -> bool:
    """The event page's rule: the link is for confirmed participants and for the people who run the event."""
    return registration_status == RegistrationStatus.CONFIRMED or perms.can_manage(user, event)


class EventList(generics.GenericAPIView[Event]):
    """Events the caller may see, like the site's agenda (`relais.events.queries.visible_events`)."""

    serializer_class = EventSerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=EVENT_FILTERS,
        responses=EventPageSerializer,
        operation_id="events_list",
        summary="Lister les événements des réseaux",
        description=(
            "Événements publiés (ou annulés) lisibles par l'appelant : les événements publics, et ceux réservés aux "
            "adhérents des réseaux dont il est membre (les rencontres acheteurs-fournisseurs aussi pour les "
            "fournisseurs du réseau). Par défaut les événements à venir, du plus proche au plus lointain ; "
            "`periode=passes` pour les événements terminés. 20 par page."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        events = _filtered(queries.visible_events(request.user), request.query_params)
        items, meta = paginate(request, events)
        results = EventSerializer(items, many=True, context=self.get_serializer_context()).data
        return Response({**meta, "results": results})


class EventDetail(generics.RetrieveAPIView[Event]):
    """One event with its description and materials. 404 when it does not exist or the caller may not see it."""

    serializer_class = EventDetailSerializer
    throttle_classes = THROTTLES
    lookup_field = "public_id"

    def get_queryset(self) -> EventQuerySet:
        return queries.visible_events(self.request.user)

    @extend_schema(
        operation_id="events_retrieve",
        summary="Lire un événement",
        description=(
            "Un événement avec sa description, ses supports (téléchargés par le site, qui vérifie les droits) et "
            "l'inscription de l'appelant. Le lien de connexion (`online_url`) n'est donné qu'aux personnes dont "
            "l'inscription est confirmée et aux animateurs du réseau. 404 si l'événement n'existe pas, est un "
            "brouillon ou est réservé aux adhérents d'un réseau dont l'appelant n'est pas membre."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        registration = queries.registration_of(request.user, event)
        status = registration.status if registration and registration.status != RegistrationStatus.CANCELLED else None
        context = {
            **self.get_serializer_context(),
            "registration_status": status,
            "show_link": _sees_online_link(request.user, event, status),
        }
        return Response(EventDetailSerializer(event, context=context).data)
