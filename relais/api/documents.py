"""API v1: the PUBLIC documents of the networks' libraries, read only.

Whoever asks, the API serves the documents an anonymous visitor may read (`relais.documents.queries` with an
anonymous reader): members-only and working-group documents stay on the site, behind its permission checks.
The search is the library's (`search_documents`: metadata and text extracted from the files, French matching);
files are downloaded through the site's download view, which checks access again and never serves them inline.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.documents.enums import DocumentKind
from relais.documents.models import Document, DocumentVersion
from relais.documents.queries import DocumentSearch, search_documents, visible_documents, with_card_data
from relais.organisations.models import Organisation

from .paging import PAGE_PARAM, PageFieldsSerializer, choices_help, page_links, query_param
from .serializers import CpvBriefSerializer, NetworkSerializer, ThemeSerializer, _absolute
from .throttling import THROTTLES


def public_reader() -> AnonymousUser:
    """The reader the API asks the library's queries for: nobody signed in, so public documents only."""
    return AnonymousUser()


class OrganisationBriefSerializer(serializers.ModelSerializer[Organisation]):
    id = serializers.UUIDField(source="public_id")

    class Meta:
        model = Organisation
        fields = ["id", "name"]


class DocumentVersionSerializer(serializers.ModelSerializer[DocumentVersion]):
    id = serializers.UUIDField(source="public_id")
    download_url = serializers.SerializerMethodField(
        help_text="Téléchargement par le site, qui vérifie les droits et sert toujours le fichier en pièce jointe."
    )

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "content_type", "size", "comment", "created_at", "download_url"]

    def get_download_url(self, version: DocumentVersion) -> str:
        # The site's view, never a storage URL: a file is only reachable where its document may be read.
        path = reverse(
            "web:document_download",
            kwargs={"public_id": version.document.public_id, "version_id": version.public_id},
        )
        return _absolute(self.context.get("request"), path)


class DocumentSerializer(serializers.ModelSerializer[Document]):
    """What a list shows of a document: identity, type, themes, author and its current version."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    network = NetworkSerializer()
    kind = serializers.CharField(help_text=choices_help("Type de document", DocumentKind.choices))
    kind_label = serializers.CharField(source="get_kind_display")
    themes = ThemeSerializer(many=True)
    author_organisation = OrganisationBriefSerializer(allow_null=True)
    licence = serializers.CharField(help_text="Licence de réutilisation (`etalab-2.0`, `cc-by-4.0`…).")
    licence_label = serializers.CharField(source="get_licence_display")
    current_version = serializers.SerializerMethodField(help_text="La version la plus récente du fichier.")

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "description",
            "network",
            "kind",
            "kind_label",
            "themes",
            "author_organisation",
            "document_date",
            "licence",
            "licence_label",
            "created_at",
            "updated_at",
            "current_version",
        ]

    def get_url(self, document: Document) -> str:
        path = reverse("api:document_detail", kwargs={"public_id": document.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, document: Document) -> str:
        path = reverse("web:document_detail", kwargs={"public_id": document.public_id})
        return _absolute(self.context.get("request"), path)

    @extend_schema_field(DocumentVersionSerializer(allow_null=True))
    def get_current_version(self, document: Document) -> dict[str, Any] | None:
        versions = list(document.versions.all())  # prefetched, newest first (with_card_data)
        if not versions:
            return None
        return DocumentVersionSerializer(versions[0], context=self.context).data


class DocumentDetailSerializer(DocumentSerializer):
    """Every metadata of a public document and all its versions (a new version never replaces the old ones)."""

    cpvs = CpvBriefSerializer(many=True)
    versions = DocumentVersionSerializer(many=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "cpvs", "versions"]


class DocumentPageSerializer(PageFieldsSerializer):
    results = DocumentSerializer(many=True)


DOCUMENT_FILTERS = [
    query_param(
        "q",
        "Texte recherché dans les métadonnées et dans le texte extrait des fichiers (accents et pluriels ignorés).",
    ),
    query_param("type", choices_help("Type de document", DocumentKind.choices) + " Une valeur inconnue est ignorée."),
    query_param("theme", "Identifiant de thème (`restauration-collective`)."),
    query_param("network", "Identifiant du réseau dont la bibliothèque contient le document (`reseau-grand-ouest`)."),
    PAGE_PARAM,
]


class DocumentList(generics.GenericAPIView[Document]):
    """Public documents, searched and filtered like the library page (`relais.documents.queries`)."""

    serializer_class = DocumentSerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=DOCUMENT_FILTERS,
        responses=DocumentPageSerializer,
        operation_id="documents_list",
        summary="Rechercher dans les documents publics",
        description=(
            "Documents publics des bibliothèques des réseaux (guides, synthèses de groupes de travail, modèles de "
            "clauses, pièces de marché partagées). Les documents réservés aux adhérents ou à un groupe de travail "
            "ne sont jamais servis par l'API, même à un membre connecté. Avec `q`, les plus pertinents d'abord ; "
            "sinon les plus récents. 20 par page."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = request.query_params
        params = DocumentSearch.from_querydict(
            {
                "q": query.get("q", ""),
                "kind": query.get("type", ""),
                "theme": query.get("theme", ""),
                "network": query.get("network", ""),
                "page": query.get("page", ""),
            }
        )
        result = search_documents(params, public_reader())
        context = self.get_serializer_context()
        return Response(
            {
                "count": result.total,
                "page": result.page,
                "num_pages": result.num_pages,
                **page_links(request, result.page, result.num_pages),
                "results": DocumentSerializer(result.documents, many=True, context=context).data,
            }
        )


class DocumentDetail(generics.RetrieveAPIView[Document]):
    """One public document with all its versions. 404 when it does not exist or is not public."""

    serializer_class = DocumentDetailSerializer
    throttle_classes = THROTTLES
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Document]:
        return with_card_data(visible_documents(public_reader())).prefetch_related("cpvs")

    @extend_schema(
        operation_id="documents_retrieve",
        summary="Lire un document public",
        description=(
            "Les métadonnées d'un document public (type, thèmes, codes CPV, organisation autrice, date, licence) et "
            "toutes ses versions, chacune avec son adresse de téléchargement. 404 si le document n'existe pas ou "
            "n'est pas public."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
