"""API v1: public contracts from the national open data (DECP, Licence Ouverte), read only, for everyone.

The list takes the search page's filters, read by the same function (`relais.contracts.search_params`) and answered
by the same query (`relais.contracts.search`), so that the API and the site always agree. An invalid filter is a
400 with a French message per parameter (the site shows the same messages next to its fields). As on the site, the
number of results is counted up to 10,000 (`count_capped` then says there are more) and pages stop there.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.contracts.enums import ContractKind, ContractType, Nature, Procedure, QualityFlag
from relais.contracts.models import Contract, ContractHolder, ContractModification
from relais.contracts.queries import (
    contract_by_public_id,
    decp_identifier,
    environmental_considerations,
    social_considerations,
)
from relais.contracts.search import COUNT_CAP, PAGE_SIZE, search_contracts
from relais.contracts.search_params import (
    ENVIRONMENTAL_FILTERS,
    PROCEDURE_CHOICES,
    SOCIAL_FILTERS,
    TYPE_CHOICES,
    ContractSearch,
    parse_contract_search,
)

from .paging import PageFieldsSerializer, choices_help, query_param
from .serializers import _absolute
from .throttling import THROTTLES


class HolderSerializer(serializers.ModelSerializer[ContractHolder]):
    track_record_url = serializers.SerializerMethodField(
        help_text="Page des marchés remportés par ce titulaire ces 3 dernières années (null sans SIRET valide)."
    )

    class Meta:
        model = ContractHolder
        fields = ["identifier", "id_type", "name", "track_record_url"]

    def get_track_record_url(self, holder: ContractHolder) -> str | None:
        if holder.organisation is None:
            return None
        path = reverse("web:contract_holder", kwargs={"public_id": holder.organisation.public_id})
        return _absolute(self.context.get("request"), path)


class ModificationSerializer(serializers.ModelSerializer[ContractModification]):
    holders = serializers.JSONField(help_text="Nouveaux titulaires : liste de {identifier, id_type, name}.")

    class Meta:
        model = ContractModification
        fields = ["rank", "number", "notified_on", "published_on", "duration_months", "amount", "holders", "object"]


def _considerations(contract: Contract, kind: str) -> dict[str, Any]:
    if kind == "social":
        return {
            "status": contract.social_status,
            "clause": contract.social_clause,
            "criterion": contract.social_criterion,
            "reserved": contract.reserved,
            "label": social_considerations(contract),
        }
    return {
        "status": contract.environmental_status,
        "clause": contract.environmental_clause,
        "criterion": contract.environmental_criterion,
        "label": environmental_considerations(contract),
    }


class ContractSerializer(serializers.ModelSerializer[Contract]):
    """What a list shows of a contract."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    decp_id = serializers.SerializerMethodField(
        help_text="Identifiant DECP : identifiant de l'acheteur suivi de celui du marché (vide s'il est vide ou nul)."
    )
    kind = serializers.CharField(help_text=choices_help("Type de contrat", ContractKind.choices))
    nature = serializers.CharField(help_text=choices_help("Nature", Nature.choices))
    procedure = serializers.CharField(help_text=choices_help("Procédure", Procedure.choices))
    procedure_label = serializers.CharField(source="get_procedure_display")
    contract_type = serializers.CharField(help_text=choices_help("Catégorie", ContractType.choices))
    departement = serializers.SerializerMethodField(help_text="Code INSEE du département d'exécution, ou null.")
    holders = HolderSerializer(many=True)
    social = serializers.SerializerMethodField()
    environmental = serializers.SerializerMethodField()
    quality_flags = serializers.SerializerMethodField(help_text="Défauts relevés à l'import : {code, label}.")

    class Meta:
        model = Contract
        fields = [
            "id",
            "url",
            "web_url",
            "decp_id",
            "identifier",
            "kind",
            "object",
            "buyer_identifier",
            "buyer_name",
            "holders",
            "notified_on",
            "published_on",
            "nature",
            "procedure",
            "procedure_label",
            "cpv",
            "contract_type",
            "amount",
            "current_amount",
            "duration_months",
            "departement",
            "social",
            "environmental",
            "modifications_count",
            "quality_flags",
        ]

    def get_url(self, contract: Contract) -> str:
        return _absolute(self.context.get("request"), reverse("api:contract_detail", args=[contract.public_id]))

    def get_web_url(self, contract: Contract) -> str:
        return _absolute(self.context.get("request"), reverse("web:contract_detail", args=[contract.public_id]))

    def get_decp_id(self, contract: Contract) -> str:
        return decp_identifier(contract)

    def get_departement(self, contract: Contract) -> str | None:
        return contract.departement_id

    @extend_schema_field(
        inline_serializer(
            "SocialConsiderations",
            {
                "status": serializers.CharField(help_text="`unknown` (format 2019, jamais « aucune »), `none`, `some`"),
                "clause": serializers.BooleanField(),
                "criterion": serializers.BooleanField(),
                "reserved": serializers.BooleanField(),
                "label": serializers.CharField(),
            },
        )
    )
    def get_social(self, contract: Contract) -> dict[str, Any]:
        return _considerations(contract, "social")

    @extend_schema_field(
        inline_serializer(
            "EnvironmentalConsiderations",
            {
                "status": serializers.CharField(help_text="`unknown` (format 2019, jamais « aucune »), `none`, `some`"),
                "clause": serializers.BooleanField(),
                "criterion": serializers.BooleanField(),
                "label": serializers.CharField(),
            },
        )
    )
    def get_environmental(self, contract: Contract) -> dict[str, Any]:
        return _considerations(contract, "environmental")

    @extend_schema_field(
        inline_serializer(
            "QualityFlag", {"code": serializers.IntegerField(), "label": serializers.CharField()}, many=True
        )
    )
    def get_quality_flags(self, contract: Contract) -> list[dict[str, Any]]:
        return [
            {"code": int(value), "label": str(label)}
            for value, label in QualityFlag.choices
            if contract.quality_flags >> int(value) & 1
        ]


class ContractDetailSerializer(ContractSerializer):
    """A contract with every field of the data, its modifications in order, its defects and its source."""

    modifications = ModificationSerializer(many=True)
    origin = serializers.SerializerMethodField(
        help_text="D'où vient l'enregistrement : format, fichier importé, position dans le fichier, dernier fichier."
    )

    class Meta(ContractSerializer.Meta):
        fields = [
            *ContractSerializer.Meta.fields,
            "techniques",
            "execution_modalities",
            "place_code",
            "place_type",
            "offers_received",
            "price_form",
            "innovative",
            "framework_identifier",
            "modifications",
            "defects",
            "origin",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_origin(self, contract: Contract) -> dict[str, Any]:
        return {
            "format": contract.source_format,
            "file": contract.first_run.source_name,
            "position": contract.source_position,
            "updated_by_file": contract.last_run.source_name,
        }


class ContractPageSerializer(PageFieldsSerializer):
    count_capped = serializers.BooleanField(
        help_text=f"Plus de {COUNT_CAP} marchés correspondent : `count` vaut alors {COUNT_CAP} et les pages "
        "s'arrêtent là."
    )
    results = ContractSerializer(many=True)


CONTRACT_FILTERS = [
    query_param("q", "Mots de l'objet du marché (accents, majuscules et pluriels ignorés ; tous les mots requis)."),
    query_param("cpv", "Code CPV 2008 : le code et tous ceux qu'il regroupe (`45`, `555`, `55524000-9`)."),
    query_param("type", choices_help("Catégorie", TYPE_CHOICES)),
    query_param("procedure", choices_help("Procédure", PROCEDURE_CHOICES)),
    query_param("social", choices_help("Considérations sociales", SOCIAL_FILTERS.items())),
    query_param("environmental", choices_help("Considérations environnementales", ENVIRONMENTAL_FILTERS.items())),
    query_param(
        "notified_from", "Notifié à partir de cette date (`2025-01-31` ou `31/01/2025`).", kind=OpenApiTypes.DATE
    ),
    query_param("notified_to", "Notifié jusqu'à cette date incluse.", kind=OpenApiTypes.DATE),
    query_param("amount_min", "Montant initial minimum en euros HT (parmi les montants vraisemblables)."),
    query_param("amount_max", "Montant initial maximum en euros HT."),
    query_param("region", "Code INSEE de la région d'exécution (`53`)."),
    query_param("departement", "Code INSEE du département d'exécution (`35`, `2A`, `974`)."),
    query_param("buyer", "Acheteur : SIRET (14 chiffres), SIREN (9 chiffres) ou mots du nom."),
    query_param("holder", "Titulaire : SIRET, SIREN ou mots du nom."),
    query_param("page", f"Numéro de page ({PAGE_SIZE} marchés par page).", kind=OpenApiTypes.INT),
]


def _page_url(request: Request, params: ContractSearch, page: int) -> str:
    return str(request.build_absolute_uri(f"{request.path}?{params.urlencode(page=page)}"))


class ContractList(generics.GenericAPIView[Contract]):
    """Public contracts filtered, ordered and paginated exactly like the site's contract search."""

    serializer_class = ContractSerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=CONTRACT_FILTERS,
        responses={
            200: ContractPageSerializer,
            400: inline_serializer(
                "ContractFilterErrors", {"errors": serializers.DictField(child=serializers.CharField())}
            ),
        },
        operation_id="contracts_list",
        summary="Rechercher des marchés publics (DECP)",
        description=(
            "Marchés et contrats de concession des données essentielles de la commande publique, avec les filtres de "
            "la page de recherche du site. Les plus récemment notifiés d'abord (sans date à la fin) ; 20 par page. "
            f"Le nombre de résultats est compté jusqu'à {COUNT_CAP} (`count_capped` dit s'il y en a plus) et les "
            "pages s'arrêtent là. Un filtre invalide donne une erreur 400 avec un message par paramètre."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params, errors = parse_contract_search(request.query_params)
        if errors:
            return Response({"errors": errors}, status=400)
        result = search_contracts(params)
        data = {
            "count": result.total,
            "count_capped": result.capped,
            "page": result.page,
            "num_pages": result.num_pages,
            "next": _page_url(request, result.params, result.page + 1) if result.has_next else None,
            "previous": _page_url(request, result.params, result.page - 1) if result.has_previous else None,
            "results": ContractSerializer(result.contracts, many=True, context=self.get_serializer_context()).data,
        }
        return Response(data)


class ContractDetail(generics.GenericAPIView[Contract]):
    """One contract with every field. 404 when it does not exist."""

    serializer_class = ContractDetailSerializer
    throttle_classes = THROTTLES
    queryset = Contract.objects.all()  # for the schema's path parameter; the view reads `contract_by_public_id`
    lookup_field = "public_id"

    @extend_schema(
        operation_id="contracts_retrieve",
        summary="Lire un marché public (DECP)",
        description=(
            "Tous les champs d'un marché : titulaires (avec le lien vers leurs références), modifications dans "
            "l'ordre, considérations (`unknown` pour le format 2019, jamais « aucune »), défauts relevés à l'import "
            "et fichier source."
        ),
    )
    def get(self, request: Request, public_id: Any, *args: Any, **kwargs: Any) -> Response:
        contract = contract_by_public_id(public_id)
        if contract is None:
            raise Http404
        return Response(ContractDetailSerializer(contract, context=self.get_serializer_context()).data)
