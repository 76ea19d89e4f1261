"""API v1: the legal-lever advisor, read only, for everyone (the rules are public law; supplier figures are counts).

The same answer as the advisor page (`relais.advisor.services.advise`), with the same parameters and messages
(`relais.advisor.params`). Suppliers are named under a count only when they have a public page, unless the caller
is a member of a network (who sees the whole directory)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.advisor import perms
from relais.advisor.enums import BuyerType, PurchaseCategory, Verdict
from relais.advisor.params import parse_advice_params
from relais.advisor.services import AdvisorError, advise
from relais.suppliers.queries import TerritoryError

from .paging import choices_help, query_param
from .throttling import THROTTLES


class RuleSerializer(serializers.Serializer[Any]):
    """A dated legal rule of Relais's reference tables (`legal_rules.csv`)."""

    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    unit = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    legal_reference = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]


class LabelSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    issuer = serializers.CharField()
    equivalent_accepted = serializers.BooleanField(help_text="Toujours vrai : un label équivalent est accepté.")
    website = serializers.CharField()
    matched_prefixes = serializers.ListField(child=serializers.CharField(), help_text="Préfixes CPV concernés.")


class CountedSupplierSerializer(serializers.Serializer[Any]):
    public_id = serializers.UUIDField()
    name = serializers.CharField()
    public_listing = serializers.BooleanField()
    turnover_band = serializers.CharField()
    small = serializers.BooleanField(allow_null=True, help_text="Petite pour ce montant (null : inconnu).")


class RecommendationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    explanation = serializers.CharField()
    legal_reference = serializers.CharField()
    rules = RuleSerializer(many=True, help_text="Règles datées dont découle l'indication (la première : principale).")
    figures = serializers.DictField(help_text="Chiffres de l'indication (montants en € HT, nombres de structures).")
    details = serializers.ListField(child=serializers.CharField())
    labels = LabelSerializer(many=True)
    suppliers = CountedSupplierSerializer(
        many=True, help_text="Quelques structures comptées (fiches publiques seulement)."
    )


class AdviceSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Date dont les règles s'appliquent.")
    cpv_codes = serializers.ListField(child=serializers.CharField())
    category = serializers.ChoiceField(choices=PurchaseCategory.choices)
    buyer_type = serializers.ChoiceField(choices=BuyerType.choices)
    departement_code = serializers.CharField()
    departement_name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    defence = serializers.BooleanField()
    recommendations = RecommendationSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


ERRORS_SCHEMA = inline_serializer("AdvisorErrors", {"errors": serializers.DictField(child=serializers.CharField())})
PARAMETERS = [
    OpenApiParameter(
        "cpv",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        many=True,
        description="Code(s) CPV, 8 chiffres avec ou sans clé (répétable ou séparés par des virgules) ; le premier "
        "est l'objet principal.",
    ),
    OpenApiParameter(
        "departement", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Code INSEE : 35, 2A."
    ),
    query_param("montant", "Montant estimé en € HT (facultatif).", kind=OpenApiTypes.NUMBER),
    query_param("type_acheteur", choices_help("Type d'acheteur (défaut `local`)", BuyerType.choices)),
    query_param(
        "date", "Date de lancement de la consultation, AAAA-MM-JJ (défaut : aujourd'hui).", kind=OpenApiTypes.DATE
    ),
    query_param("defense", "`true` pour un marché de défense ou de sécurité.", kind=OpenApiTypes.BOOL),
    query_param("taux", "Taux d'insertion en % (défaut : règle datée).", kind=OpenApiTypes.NUMBER),
    query_param("part", "Part de main-d'œuvre en % (défaut : selon le CPV).", kind=OpenApiTypes.NUMBER),
    query_param("cout_horaire", "Coût horaire chargé en €/h (défaut : règle datée).", kind=OpenApiTypes.NUMBER),
]


class AdvisorView(generics.GenericAPIView[Any]):
    """The legal levers for a purchase."""

    serializer_class = AdviceSerializer
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: AdviceSerializer, 400: ERRORS_SCHEMA},
        operation_id="advisor",
        summary="Leviers juridiques d'un achat",
        description=(
            "Procédure (dispense, procédure adaptée, formalisée) selon les seuils datés ; marchés réservés "
            "(L2113-12 à L2113-15) et lot réservé avec le nombre de structures de l'annuaire couvrant le département "
            "et leur taille ; clause d'insertion et ses heures ; critères social et environnementaux et labels ; "
            "obligations de l'article 35 de la loi Climat et résilience. Chaque indication donne les règles datées "
            "dont elle découle. Indications, non conseil juridique."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params, errors = parse_advice_params(request.query_params)
        if params is None:
            return Response({"errors": errors}, status=400)
        try:
            advice = advise(
                cpv_codes=params.cpv_codes,
                departement_code=params.departement_code,
                amount=params.amount,
                buyer_category=params.buyer_type,
                on=params.on,
                defence=params.defence,
                insertion_rate=params.insertion_rate,
                labour_share=params.labour_share,
                hourly_cost=params.hourly_cost,
                show_unlisted=perms.sees_supplier_names(request.user),
            )
        except (AdvisorError, TerritoryError) as exc:
            return Response({"errors": {"__all__": str(exc)}}, status=400)
        return Response(AdviceSerializer(advice, context=self.get_serializer_context()).data)
