"""API v1: indicators of responsible purchasing over the public contracts (DECP), read only, for everyone.

The same figures as the site's buyer dashboard and observatory, read by the same functions
(`relais.contracts.indicators`, `compliance`, `spaser`) from the pre-aggregated cubes: per year of notification, a
scope's counts and plausible values, shares among the contracts whose considerations are known, optionally broken
down, with the PNAD targets (non-binding) and the legal checks. A network is answered as a whole: who its members
are is members-only in Relais, so the API gives no per-member figure.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.contracts.compliance import compliance_for, environmental_obligation_date, proxy_note
from relais.contracts.cubes import latest_refresh
from relais.contracts.indicators import (
    TARGET_NOTE,
    Breakdown,
    Buyer,
    Country,
    Departement,
    NetworkScope,
    Region,
    Scope,
    indicator_years,
    indicators_for,
)
from relais.contracts.spaser import ESTIMATE_LABEL, spaser_estimates_for
from relais.networks.models import Network
from relais.reference.models import Departement as DepartementRow
from relais.reference.models import Region as RegionRow

from .paging import choices_help, query_param
from .throttling import THROTTLES

# A DECP buyer identifier as published: a SIRET, a SIREN (every establishment) or another identifier.
_BUYER_IDENTIFIER = re.compile(r"[0-9A-Za-z]{1,40}")
COUNTRY_CODE = "FR"
MAX_YEARS = 30
FIRST_YEAR, LAST_YEAR = 1990, 2100


class CountsSerializer(serializers.Serializer[Any]):
    """Numbers of contracts."""

    total = serializers.IntegerField(help_text="Marchés notifiés.")
    social_known = serializers.IntegerField(help_text="Marchés dont les considérations sociales sont connues.")
    social_some = serializers.IntegerField(help_text="Marchés avec au moins une considération sociale.")
    social_clause = serializers.IntegerField(help_text="Marchés avec une clause sociale.")
    social_criterion = serializers.IntegerField(help_text="Marchés avec un critère social.")
    reserved = serializers.IntegerField(help_text="Marchés réservés.")
    environmental_known = serializers.IntegerField(
        help_text="Marchés dont les considérations environnementales sont connues."
    )
    environmental_some = serializers.IntegerField(help_text="Marchés avec au moins une considération environnementale.")
    environmental_clause = serializers.IntegerField(help_text="Marchés avec une clause environnementale.")
    environmental_criterion = serializers.IntegerField(help_text="Marchés avec un critère environnemental.")
    innovative_known = serializers.IntegerField(help_text="Marchés dont le caractère innovant est renseigné.")
    innovative = serializers.IntegerField(help_text="Marchés innovants.")


def _euros(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=22, decimal_places=2, help_text=f"{help_text} (€ HT, chaîne décimale).")


class ValuesSerializer(serializers.Serializer[Any]):
    """Sums of plausible initial amounts (0 to 10 billion €), the same groups as `number`."""

    total = _euros("Montant notifié")
    social_known = _euros("Montant des marchés aux considérations sociales connues")
    social_some = _euros("Montant des marchés avec au moins une considération sociale")
    social_clause = _euros("Montant des marchés avec une clause sociale")
    social_criterion = _euros("Montant des marchés avec un critère social")
    reserved = _euros("Montant des marchés réservés")
    environmental_known = _euros("Montant des marchés aux considérations environnementales connues")
    environmental_some = _euros("Montant des marchés avec au moins une considération environnementale")
    environmental_clause = _euros("Montant des marchés avec une clause environnementale")
    environmental_criterion = _euros("Montant des marchés avec un critère environnemental")
    innovative_known = _euros("Montant des marchés au caractère innovant renseigné")
    innovative = _euros("Montant des marchés innovants")


def _share(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=f"{help_text} (entre 0 et 1, null sans dénominateur).")


class SharesSerializer(serializers.Serializer[Any]):
    """Shares of considerations among the contracts where they are known; coverage: share of contracts where they
    are known (the 2019 format does not give them: "unknown" is never counted as "none")."""

    social = _share("Part avec au moins une considération sociale")
    social_clause = _share("Part avec une clause sociale")
    social_criterion = _share("Part avec un critère social")
    reserved = _share("Part de marchés réservés")
    environmental = _share("Part avec au moins une considération environnementale")
    environmental_clause = _share("Part avec une clause environnementale")
    environmental_criterion = _share("Part avec un critère environnemental")
    innovative = _share("Part de marchés innovants, parmi ceux où c'est renseigné")
    social_coverage = _share("Part des marchés aux considérations sociales connues")
    environmental_coverage = _share("Part des marchés aux considérations environnementales connues")
    innovative_coverage = _share("Part des marchés au caractère innovant renseigné")


class FiguresSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        allow_null=True, help_text='Valeur de la ventilation ("" : non renseignée), null pour un total.'
    )
    label = serializers.CharField()  # type: ignore[assignment]
    number = CountsSerializer()
    value = ValuesSerializer()
    valued = serializers.IntegerField(help_text="Marchés au montant vraisemblable (ceux dont la valeur compte).")
    by_number = SharesSerializer(help_text="Parts par nombre de marchés.")
    by_value = SharesSerializer(help_text="Parts par montant (montants vraisemblables seulement).")
    value_coverage = _share("Part des marchés au montant vraisemblable")


class TargetSerializer(serializers.Serializer[Any]):
    """A national target of the PNAD, a reference line: it binds nobody."""

    measure = serializers.CharField(help_text="`social` ou `environmental` : la part visée.")
    share = serializers.FloatField(help_text="Part visée, entre 0 et 1.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]
    legal_reference = serializers.CharField()
    note = serializers.CharField(help_text=f"Toujours « {TARGET_NOTE} ».")
    binding = serializers.BooleanField(help_text="Toujours faux : objectif national non contraignant.")


class YearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    total = FiguresSerializer()
    groups = FiguresSerializer(many=True, help_text="Groupes de la ventilation demandée (vide sans ventilation).")
    targets = TargetSerializer(many=True, help_text="Objectifs nationaux en vigueur cette année-là.")


class CheckCountsSerializer(serializers.Serializer[Any]):
    subject = serializers.IntegerField(help_text="Marchés soumis au contrôle.")
    without = serializers.IntegerField(help_text="Dont sans la considération (« Pas de considération… »).")
    unknown = serializers.IntegerField(help_text="Dont considération inconnue (ni conformes ni non conformes).")
    known = serializers.IntegerField()
    rate_without = _share("Part sans la considération parmi les marchés connus")
    coverage = _share("Part des marchés soumis dont la considération est connue")


class ComplianceSerializer(serializers.Serializer[Any]):
    """Art. 35 of the Climate and Resilience law: environmental consideration in every contract notified from
    `environmental_since` (defence and security excluded); social condition at or above the EU threshold."""

    environmental = CheckCountsSerializer()
    social_above_threshold = CheckCountsSerializer(help_text="Marchés au-dessus du seuil européen, toutes dates.")
    social_bound = CheckCountsSerializer(help_text="Les mêmes, notifiés depuis l'obligation (`social_since`).")
    environmental_since = serializers.DateField(allow_null=True)
    social_since = serializers.DateField(allow_null=True)


class SpaserSerializer(serializers.Serializer[Any]):
    """One year of the SPASER estimate of a buyer's legal person (SIREN)."""

    siren = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    amount = _euros("Montant notifié dans l'année, tous établissements du SIREN (estimation)")
    contracts = serializers.IntegerField()
    valued = serializers.IntegerField()
    threshold = serializers.DecimalField(max_digits=22, decimal_places=2, allow_null=True)
    share_of_threshold = serializers.FloatField(allow_null=True)
    likely_obliged = serializers.BooleanField(help_text="Montant supérieur au seuil de l'année (estimation).")
    year_incomplete = serializers.BooleanField(source="partial", help_text="Année en cours, incomplète.")


SCOPE_SCHEMA = inline_serializer(
    "IndicatorScope",
    {
        "kind": serializers.CharField(help_text="`buyer`, `network`, `departement`, `region` ou `country`."),
        "code": serializers.CharField(help_text="Identifiant de l'acheteur, du réseau ou code INSEE du territoire."),
        "label": serializers.CharField(),
    },
)


class IndicatorsSerializer(serializers.Serializer[Any]):
    """The answer for a network or a territory."""

    scope = SCOPE_SCHEMA
    breakdown = serializers.CharField(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField())
    per_year = YearSerializer(many=True)
    overall = FiguresSerializer(help_text="Toutes les années demandées ensemble.")
    overall_groups = FiguresSerializer(many=True)
    targets = TargetSerializer(many=True)
    compliance = ComplianceSerializer(help_text="Contrôles légaux sur les années demandées.")
    notes = serializers.ListField(child=serializers.CharField())
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="Date du dernier calcul des indicateurs.")


class BuyerIndicatorsSerializer(IndicatorsSerializer):
    spaser = SpaserSerializer(many=True, help_text="Estimation SPASER par année (toutes années).")


INDICATOR_PARAMETERS = [
    OpenApiParameter(
        "year",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        required=False,
        many=True,
        description="Année(s) de notification (répétable). Sans : toutes les années du périmètre.",
    ),
    query_param("breakdown", choices_help("Ventilation dans chaque année", Breakdown.choices)),
]
ERRORS_SCHEMA = inline_serializer("IndicatorErrors", {"errors": serializers.DictField(child=serializers.CharField())})


def _parse(request: Request) -> tuple[list[int] | None, Breakdown | None, dict[str, str]]:
    errors: dict[str, str] = {}
    raw_years = request.query_params.getlist("year")
    years: list[int] | None = None
    if raw_years:
        if len(raw_years) > MAX_YEARS or not all(
            value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR for value in raw_years
        ):
            errors["year"] = "Donnez des années sur quatre chiffres, entre 1990 et 2100 (au plus 30)."
        else:
            years = [int(value) for value in raw_years]
    raw_breakdown = request.query_params.get("breakdown", "")
    breakdown = Breakdown(raw_breakdown) if raw_breakdown in Breakdown.values else None
    if raw_breakdown and breakdown is None:
        errors["breakdown"] = "Ventilation inconnue : " + ", ".join(Breakdown.values) + "."
    return years, breakdown, errors


def _answer(request: Request, scope: Scope, kind: str, code: str) -> dict[str, Any] | Response:
    years, breakdown, errors = _parse(request)
    if errors:
        return Response({"errors": errors}, status=400)
    result = indicators_for(scope, years=years, breakdown=breakdown)
    since = environmental_obligation_date()
    refresh = latest_refresh()
    return {
        "scope": {"kind": kind, "code": code, "label": result.label},
        "breakdown": breakdown.value if breakdown else None,
        "years": list(result.years),
        "per_year": result.per_year,
        "overall": result.overall,
        "overall_groups": result.overall_groups,
        "targets": result.targets,
        "compliance": compliance_for(scope, years=years),
        "notes": [
            "Parts des considérations calculées parmi les marchés dont les considérations sont connues ; montants : "
            "montants initiaux vraisemblables seulement.",
            *([proxy_note(since)] if since else []),
        ],
        "refreshed_at": refresh.finished_at if refresh else None,
    }


class IndicatorBuyer(generics.GenericAPIView[Any]):
    """A buyer's indicators, its legal checks and its SPASER estimate."""

    serializer_class = BuyerIndicatorsSerializer
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=INDICATOR_PARAMETERS,
        responses={200: BuyerIndicatorsSerializer, 400: ERRORS_SCHEMA},
        operation_id="indicators_buyer",
        summary="Indicateurs d'un acheteur (DECP)",
        description=(
            "Par année de notification : nombres et montants des marchés de l'acheteur, parts avec des considérations "
            "sociales et environnementales, marchés réservés et innovants, couverture ; contrôles de l'article 35 de "
            "la loi Climat et résilience ; estimation SPASER (à partir des montants notifiés, non des dépenses). "
            "Un SIRET désigne l'établissement, un SIREN tous ses établissements. 404 sans marché connu."
        ),
    )
    def get(self, request: Request, identifier: str, *args: Any, **kwargs: Any) -> Response:
        if not _BUYER_IDENTIFIER.fullmatch(identifier):
            raise Http404
        buyer = Buyer(identifier)
        if not indicator_years(buyer):
            raise Http404
        data = _answer(request, buyer, "buyer", identifier)
        if isinstance(data, Response):
            return data
        data["spaser"] = spaser_estimates_for(buyer)
        data["notes"].append(f"SPASER : {ESTIMATE_LABEL}.")
        return Response(BuyerIndicatorsSerializer(data, context=self.get_serializer_context()).data)


class IndicatorNetwork(generics.GenericAPIView[Any]):
    """A network's indicators as a whole (never per member)."""

    serializer_class = IndicatorsSerializer
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=INDICATOR_PARAMETERS,
        responses={200: IndicatorsSerializer, 400: ERRORS_SCHEMA},
        operation_id="indicators_network",
        summary="Indicateurs d'un réseau (DECP)",
        description=(
            "Les marchés de l'ensemble des adhérents actuels du réseau (chacun pour son SIREN, tous établissements), "
            "par année. Chiffres agrégés seulement : la liste des adhérents est réservée aux membres du réseau."
        ),
    )
    def get(self, request: Request, slug: str, *args: Any, **kwargs: Any) -> Response:
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        data = _answer(request, NetworkScope(network), "network", network.slug)
        if isinstance(data, Response):
            return data
        return Response(IndicatorsSerializer(data, context=self.get_serializer_context()).data)


class IndicatorTerritory(generics.GenericAPIView[Any]):
    """A département's, a région's or the country's indicators."""

    serializer_class = IndicatorsSerializer
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=INDICATOR_PARAMETERS,
        responses={200: IndicatorsSerializer, 400: ERRORS_SCHEMA},
        operation_id="indicators_territory",
        summary="Indicateurs d'un territoire (DECP)",
        description=(
            "`level` : `departement` (code INSEE : `35`, `2A`, `974`), `region` (code INSEE depuis 2016 : `53`) ou "
            f"`country` (code `{COUNTRY_CODE}`). Un territoire compte les marchés exécutés sur son sol ; la France "
            "entière, tous les marchés, y compris ceux sans département d'exécution."
        ),
    )
    def get(self, request: Request, level: str, code: str, *args: Any, **kwargs: Any) -> Response:
        scope = _territory(level, code)
        if scope is None:
            raise Http404
        data = _answer(request, scope, level, code.upper() if level == "country" else code)
        if isinstance(data, Response):
            return data
        return Response(IndicatorsSerializer(data, context=self.get_serializer_context()).data)


def _territory(level: str, code: str) -> Scope | None:
    if level == "departement" and DepartementRow.objects.filter(code=code).exists():
        return Departement(code)
    if level == "region" and RegionRow.objects.filter(code=code).exists():
        return Region(code)
    if level == "country" and code.upper() == COUNTRY_CODE:
        return Country()
    return None
