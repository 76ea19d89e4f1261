"""API v1: the FAQ built from the helpdesk's answered questions, read only.

Visibility is exactly the FAQ page's (`relais.helpdesk.queries.faq_search` / `visible_faq` with the caller): public
entries for everyone, members-only entries for the members of their network. The question an entry came from is
private to its organisation and is never exposed; related case sheets are listed only when the caller may read them.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.casesheets.models import CaseSheet
from relais.documents.models import Document
from relais.documents.queries import visible_documents
from relais.helpdesk.enums import QuestionCategory
from relais.helpdesk.models import FaqEntry
from relais.helpdesk.queries import faq_search, visible_faq
from relais.networks.perms import member_network_ids

from .paging import PAGE_PARAM, PageFieldsSerializer, choices_help, paginate, query_param
from .serializers import NetworkSerializer, ThemeSerializer, _absolute
from .throttling import THROTTLES

MAX_QUERY_LENGTH = 200
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


class RelatedSheetSerializer(serializers.ModelSerializer[CaseSheet]):
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseSheet
        fields = ["id", "title", "url", "web_url"]

    def get_url(self, sheet: CaseSheet) -> str:
        path = reverse("api:sheet_detail", kwargs={"public_id": sheet.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, sheet: CaseSheet) -> str:
        path = reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})
        return _absolute(self.context.get("request"), path)


class RelatedDocumentSerializer(serializers.ModelSerializer[Document]):
    id = serializers.UUIDField(source="public_id")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "web_url"]

    def get_web_url(self, document: Document) -> str:
        path = reverse("web:document_detail", kwargs={"public_id": document.public_id})
        return _absolute(self.context.get("request"), path)


class FaqEntrySerializer(serializers.ModelSerializer[FaqEntry]):
    """An anonymised question and the helpdesk's answer."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    network = NetworkSerializer()
    category = serializers.CharField(help_text=choices_help("Catégorie", QuestionCategory.choices))
    category_label = serializers.CharField(source="get_category_display")
    theme = ThemeSerializer(allow_null=True)
    visibility = serializers.CharField(help_text="`public` (tout le monde) ou `members` (adhérents du réseau).")
    visibility_label = serializers.CharField(source="get_visibility_display")

    class Meta:
        model = FaqEntry
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "question_text",
            "answer_text",
            "network",
            "category",
            "category_label",
            "theme",
            "visibility",
            "visibility_label",
            "published_at",
            "updated_at",
        ]

    def get_url(self, entry: FaqEntry) -> str:
        path = reverse("api:faq_detail", kwargs={"public_id": entry.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, entry: FaqEntry) -> str:
        path = reverse("web:faq_detail", kwargs={"public_id": entry.public_id})
        return _absolute(self.context.get("request"), path)


class FaqEntryDetailSerializer(FaqEntrySerializer):
    related_sheets = serializers.SerializerMethodField(
        help_text="Fiches retour d'expérience liées, parmi celles que l'appelant peut lire."
    )
    related_documents = serializers.SerializerMethodField(
        help_text="Documents de la bibliothèque liés, parmi ceux que l'appelant peut lire."
    )

    class Meta(FaqEntrySerializer.Meta):
        fields = [*FaqEntrySerializer.Meta.fields, "related_sheets", "related_documents"]

    @extend_schema_field(RelatedSheetSerializer(many=True))
    def get_related_sheets(self, entry: FaqEntry) -> list[dict[str, Any]]:
        request = self.context.get("request")
        readable = CaseSheet.objects.visible_to_networks(member_network_ids(getattr(request, "user", None)))
        sheets = readable.filter(pk__in=entry.related_sheets.values("pk")).order_by("title")
        return RelatedSheetSerializer(sheets, many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(RelatedDocumentSerializer(many=True))
    def get_related_documents(self, entry: FaqEntry) -> list[dict[str, Any]]:
        request = self.context.get("request")
        reader = getattr(request, "user", None) or AnonymousUser()
        documents = visible_documents(reader).filter(faq_entries=entry).order_by("title")
        return RelatedDocumentSerializer(documents, many=True, context=self.context).data  # type: ignore[return-value]


class FaqEntryPageSerializer(PageFieldsSerializer):
    results = FaqEntrySerializer(many=True)


FAQ_FILTERS = [
    query_param(
        "q",
        "Mots recherchés dans le titre, la question et la réponse ; accents, majuscules et terminaisons usuelles "
        "ignorés. Toutes les entrées contenant chacun des mots, les plus pertinentes d'abord.",
    ),
    query_param("network", "Identifiant du réseau qui a publié l'entrée (`reseau-grand-ouest`)."),
    query_param("category", choices_help("Catégorie", QuestionCategory.choices) + " Une valeur inconnue est ignorée."),
    PAGE_PARAM,
]


def _filtered(entries: QuerySet[FaqEntry], params: Any) -> QuerySet[FaqEntry]:
    network = str(params.get("network", "")).strip()
    if network:
        entries = entries.filter(network__slug=network if _SLUG.fullmatch(network) else "")
    category = str(params.get("category", "")).strip()
    if category in QuestionCategory.values:
        entries = entries.filter(category=category)
    return entries


class FaqList(generics.GenericAPIView[FaqEntry]):
    """FAQ entries the caller may read, searched like the FAQ page."""

    serializer_class = FaqEntrySerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=FAQ_FILTERS,
        responses=FaqEntryPageSerializer,
        operation_id="faq_list",
        summary="Rechercher dans la FAQ",
        description=(
            "Entrées de la FAQ lisibles par l'appelant : les entrées publiques, et celles réservées aux adhérents "
            "des réseaux dont il est membre. Sans `q`, les plus récentes d'abord. 20 par page."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        text = str(request.query_params.get("q", "")).strip()[:MAX_QUERY_LENGTH]
        entries = _filtered(faq_search(request.user, text), request.query_params)
        items, meta = paginate(request, entries.select_related("network", "theme"))
        results = FaqEntrySerializer(items, many=True, context=self.get_serializer_context()).data
        return Response({**meta, "results": results})


class FaqDetail(generics.RetrieveAPIView[FaqEntry]):
    """One FAQ entry. 404 when it does not exist or the caller may not read it."""

    serializer_class = FaqEntryDetailSerializer
    throttle_classes = THROTTLES
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[FaqEntry]:
        return visible_faq(self.request.user).select_related("network", "theme")

    @extend_schema(
        operation_id="faq_retrieve",
        summary="Lire une entrée de la FAQ",
        description=(
            "La question anonymisée, la réponse du guichet, les fiches et les documents liés que l'appelant peut "
            "lire. 404 si l'entrée n'existe pas ou est réservée aux adhérents d'un réseau dont l'appelant n'est pas "
            "membre."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
